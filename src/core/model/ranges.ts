import type { LineCounter, Node } from 'yaml';
import type { Position, SourceRange } from './types';

export const START_OF_FILE: SourceRange = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

/** 0-based position of a character offset (yaml's LineCounter counts from 1). */
export function positionAt(lines: LineCounter, offset: number): Position {
  // LineCounter.linePos's binary search, written out: it makes a { line, col } for every position
  // only to be turned into this one, and every property of every template has a range.
  const starts = lines.lineStarts;
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (starts[mid] < offset) low = mid + 1;
    else high = mid;
  }
  if (starts[low] === offset) return { line: low, column: 0 };
  if (low === 0) return { line: -1, column: offset - 1 };
  return { line: low - 1, column: offset - starts[low - 1] };
}

export function rangeAt(lines: LineCounter, start: number, end: number): SourceRange {
  const from = positionAt(lines, start);
  const to = Math.max(start, end);
  // Most ranges end on the line they start on, past its first character: then the end's
  // position is known without a second search (positionAt would find this same line).
  const starts = lines.lineStarts;
  const line = from.line;
  if (line >= 0 && starts[line] < to && (line + 1 >= starts.length || to < starts[line + 1])) {
    return { start: from, end: { line, column: to - starts[line] } };
  }
  return { start: from, end: positionAt(lines, to) };
}

/**
 * From the start of `from` to the end of `to` (e.g. a whole `Key: value` entry), or undefined for nodes
 * built in memory. A block collection's range runs to the next line; it ends at its last character here.
 */
export function spanRange(
  text: string,
  lines: LineCounter,
  from: Node | null | undefined,
  to: Node | null | undefined,
  trimmed = new Map<number, number>(),
): SourceRange | undefined {
  const a = from?.range;
  const b = to?.range ?? a;
  if (!a || !b) return undefined;
  // Where trailing blank lines end, worked out once per end offset: a value repeated by many
  // aliases would otherwise walk the same blank run every time.
  // Most nodes end on a printable ASCII character, nothing to trim: no need to ask the map.
  const last = text.charCodeAt(b[1] - 1);
  let end = last > 32 && last < 127 ? b[1] : trimmed.get(b[1]);
  if (end === undefined) {
    end = b[1];
    while (end > 0 && /\s/.test(text[end - 1] ?? '')) end--;
    trimmed.set(b[1], end);
  }
  return rangeAt(lines, a[0], Math.max(a[0], end));
}
