import type { LineCounter, Node } from 'yaml';
import type { Position, SourceRange } from './types';

export const START_OF_FILE: SourceRange = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

/** 0-based position of a character offset (yaml's LineCounter counts from 1). */
export function positionAt(lines: LineCounter, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return { line: line - 1, column: col - 1 };
}

export function rangeAt(lines: LineCounter, start: number, end: number): SourceRange {
  return { start: positionAt(lines, start), end: positionAt(lines, Math.max(start, end)) };
}

/**
 * From the start of `from` to the end of `to` (e.g. a whole `Key: value` entry), or undefined for nodes
 * built in memory. A block collection's range runs to the next line; it ends at its last character here.
 */
export function spanRange(text: string, lines: LineCounter, from: Node | null | undefined, to: Node | null | undefined): SourceRange | undefined {
  const a = from?.range;
  const b = to?.range ?? a;
  if (!a || !b) return undefined;
  let end = b[1];
  while (end > a[0] && /\s/.test(text[end - 1] ?? '')) end--;
  return rangeAt(lines, a[0], end);
}
