import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, type Document, type Pair, type YAMLMap } from 'yaml';
import { UserError } from '../../errors';
import { renderEntries } from './render';
import { columnOf, detectStyle, type YamlStyle } from './style';
import { plain, SECTIONS, type Section, type TemplateAdditions } from './values';
import { dataOf, parseYaml } from './yamlData';

/**
 * Adds entries to a template's Parameters, Resources and Outputs by inserting lines into its text.
 * The yaml Document locates each section and the end of its last entry; everything else in the
 * file, comments and formatting included, stays byte for byte. (Re-serialising the whole document
 * would re-flow quotes, flow maps, indentation and long lines the person chose.)
 */

export const SERVERLESS_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** Where top-level keys conventionally sit; a missing section goes before the first later one. */
const TOP_LEVEL_ORDER = [
  'AWSTemplateFormatVersion',
  'Transform',
  'Description',
  'Metadata',
  'Globals',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Resources',
  'Outputs',
];

export interface Insertion {
  offset: number;
  text: string;
}

export interface TemplateInsertResult {
  text: string;
  /** One replacement equivalent to all the insertions (offsets into the original text). */
  change: { start: number; end: number; text: string };
}

/** Parses a template for planning; refuses one with syntax errors, naming the first. */
export function parseTemplate(text: string, path: string): Document {
  const doc = parseYaml(text);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    const what = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new UserError(`${path} has a YAML error${where}: ${what}`, 'Fix the template first; nothing was written.', 'template-invalid');
  }
  if (doc.contents !== null && (!isMap(doc.contents) || doc.contents.flow)) {
    throw new UserError(
      `${path} is not a block-style YAML mapping (it may be JSON).`,
      'New functions are inserted into block-style YAML templates only; add this one by hand or convert the template.',
      'template-style',
    );
  }
  return doc;
}

/** The top-level keys of one section that already exist (resource logical ids, parameter names...). */
export function sectionKeys(doc: Document, section: string): string[] {
  const value = isMap(doc.contents) ? doc.contents.get(section, true) : undefined;
  if (!isMap(value)) return [];
  return value.items.flatMap((p) => (isScalar(p.key) ? [String(p.key.value)] : []));
}

export function insertIntoTemplate(before: string, additions: TemplateAdditions, path = 'template.yaml'): TemplateInsertResult {
  const doc = parseTemplate(before, path);
  const style = detectStyle(doc, before);
  const root = doc.contents as YAMLMap | null;
  const insertions: Insertion[] = [];

  const transform = transformInsertion(root, before, path);
  if (transform) insertions.push(transform);

  for (const section of SECTIONS) {
    const entries = additions.entries[section];
    if (Object.keys(entries).length === 0) continue;
    const comments = additions.comments.filter((c) => c.path[0] === section).map((c) => ({ ...c, path: c.path.slice(1) }));
    insertions.push(sectionInsertion(root, before, section, entries, comments, style, path));
  }

  // Inserted lines take the file's own line ending.
  const eol = before.includes('\r\n') ? '\r\n' : '\n';
  const text = applyInsertions(
    before,
    insertions.map((ins) => ({ ...ins, text: eol === '\n' ? ins.text : ins.text.replace(/\r?\n/g, eol) })),
  );
  verify(before, text, additions, transform !== undefined, path);
  return { text, change: singleChange(before, text) };
}

export function topPair(root: YAMLMap | null, key: string): Pair | undefined {
  return root?.items.find((p) => isScalar(p.key) && p.key.value === key);
}

function transformInsertion(root: YAMLMap | null, text: string, path: string): Insertion | undefined {
  const pair = topPair(root, 'Transform');
  if (pair) {
    const value = pair.value;
    const names = isSeq(value) ? value.items.map((i) => (isScalar(i) ? i.value : undefined)) : [isScalar(value) ? value.value : undefined];
    if (names.includes(SERVERLESS_TRANSFORM)) return undefined;
    throw new UserError(
      `${path} does not use the ${SERVERLESS_TRANSFORM} transform, which AWS::Serverless::Function needs.`,
      `Add ${SERVERLESS_TRANSFORM} to its Transform, then try again.`,
      'template-transform',
    );
  }
  const line = `Transform: ${SERVERLESS_TRANSFORM}\n`;
  const version = topPair(root, 'AWSTemplateFormatVersion');
  if (version) return { offset: lineEndAfter(text, valueEnd(version)), text: line };
  const first = root?.items[0];
  if (first && isScalar(first.key) && first.key.range) return { offset: lineStart(text, first.key.range[0]), text: line };
  return { offset: text.length, text: (text.length > 0 && !text.endsWith('\n') ? '\n' : '') + line };
}

function sectionInsertion(
  root: YAMLMap | null,
  text: string,
  section: Section,
  entries: Record<string, unknown>,
  comments: { path: string[]; text: string }[],
  style: YamlStyle,
  path: string,
): Insertion {
  const pair = topPair(root, section);
  if (!pair) return newSectionInsertion(root, text, section, entries, comments, style);
  return mapInsertion(text, pair, entries, style, { path, where: section, comments, separated: true });
}

/**
 * New entries at the end of the block map that is `owner`'s value (or under `owner` when it has no
 * value yet), at the column of the map's keys. `separated`: put a blank line between entries when
 * the map does, or has fewer than two entries to tell (top-level sections); otherwise only when it does.
 */
export function mapInsertion(
  text: string,
  owner: Pair,
  entries: Record<string, unknown>,
  style: YamlStyle,
  opts: { path: string; where: string; comments?: { path: string[]; text: string }[]; separated?: boolean },
): Insertion {
  const comments = opts.comments ?? [];
  const keyColumn = isScalar(owner.key) && owner.key.range ? columnOf(text, owner.key.range[0]) : 0;
  const value = owner.value;

  if (value === null || (isScalar(value) && value.value === null && value.range != null && value.range[0] === value.range[1])) {
    // `Resources:` with nothing under it yet.
    const keyEnd = isScalar(owner.key) && owner.key.range ? owner.key.range[1] : 0;
    const offset = lineEndAfter(text, keyEnd);
    return { offset, text: newlineIfNeeded(text, offset) + renderSeparated(entries, keyColumn + style.indent, style, comments, opts.separated === true) };
  }
  if (!isMap(value) || value.flow || value.items.length === 0) {
    throw new UserError(
      `${opts.where} in ${opts.path} is written in flow style ({ ... }) or is not a mapping.`,
      `Entries are inserted into block-style YAML only; make this change by hand, or rewrite ${opts.where} in block style.`,
      'template-style',
    );
  }
  const items = value.items;
  const firstKey = items[0].key;
  const column = isScalar(firstKey) && firstKey.range ? columnOf(text, firstKey.range[0]) : keyColumn + style.indent;
  const offset = endOfSection(text, valueEnd(items[items.length - 1]), keyColumn);
  const blank = opts.separated ? blankLinesBetweenEntries(text, items) : items.length >= 2 && blankLinesBetweenEntries(text, items);
  return { offset, text: newlineIfNeeded(text, offset) + (blank ? '\n' : '') + renderSeparated(entries, column, style, comments, blank) };
}

function newSectionInsertion(
  root: YAMLMap | null,
  text: string,
  section: Section,
  entries: Record<string, unknown>,
  comments: { path: string[]; text: string }[],
  style: YamlStyle,
): Insertion {
  const body = `${section}:\n${renderSeparated(entries, style.indent, style, comments, true)}`;
  const later = TOP_LEVEL_ORDER.slice(TOP_LEVEL_ORDER.indexOf(section) + 1);
  const next = root?.items.find((p) => isScalar(p.key) && later.includes(String(p.key.value)));
  if (next && isScalar(next.key) && next.key.range) {
    return { offset: commentBlockStart(text, lineStart(text, next.key.range[0])), text: `${body}\n` };
  }
  const tail = text.slice(-4).replace(/\r/g, '');
  const lead = text.length === 0 ? '' : tail.endsWith('\n\n') ? '' : tail.endsWith('\n') ? '\n' : '\n\n';
  return { offset: text.length, text: lead + body };
}

/** Each entry rendered on its own, with a blank line between entries when the template does that. */
function renderSeparated(
  entries: Record<string, unknown>,
  column: number,
  style: YamlStyle,
  comments: { path: string[]; text: string }[],
  blankLines: boolean,
): string {
  return Object.entries(entries)
    .map(([key, value]) =>
      renderEntries(
        { [key]: value },
        column,
        style,
        comments.filter((c) => c.path[0] === key),
      ),
    )
    .join(blankLines ? '\n' : '');
}

/** Where a pair's value ends (its key's end when it has none). */
export function valueEnd(pair: Pair): number {
  const v = pair.value as { range?: [number, number, number] } | null;
  if (v?.range) return v.range[1];
  const k = pair.key as { range?: [number, number, number] } | null;
  return k?.range?.[1] ?? 0;
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The start of the line after the one holding the character before `offset`. */
export function lineEndAfter(text: string, offset: number): number {
  const i = text.indexOf('\n', Math.max(0, offset - 1));
  return i === -1 ? text.length : i + 1;
}

function newlineIfNeeded(text: string, offset: number): string {
  return offset === text.length && text.length > 0 && !text.endsWith('\n') ? '\n' : '';
}

/**
 * The end of a section: after its last entry and after comment lines indented deeper than the
 * section key (commented-out properties belong to the entry above them); a comment at the section
 * key's own column already introduces what follows.
 */
function endOfSection(text: string, lastValueEnd: number, keyColumn: number): number {
  let end = lineEndAfter(text, lastValueEnd);
  let pos = end;
  while (pos < text.length) {
    const next = lineEndAfter(text, pos + 1);
    const line = text.slice(pos, next).replace(/\r?\n$/, '');
    const trimmed = line.trimStart();
    if (trimmed === '') {
      pos = next;
      continue;
    }
    if (trimmed.startsWith('#') && line.length - trimmed.length > keyColumn) {
      end = next;
      pos = next;
      continue;
    }
    break;
  }
  return end;
}

/** Whether the entries of this section are separated by blank lines (true when there is one). */
function blankLinesBetweenEntries(text: string, items: Pair[]): boolean {
  if (items.length < 2) return true;
  for (let i = 1; i < items.length; i++) {
    const key = items[i].key as { range?: [number, number, number] } | null;
    if (!key?.range) continue;
    const gap = text.slice(lineEndAfter(text, valueEnd(items[i - 1])), lineStart(text, key.range[0]));
    if (gap.split('\n').slice(0, -1).some((line) => line.trim() === '')) return true;
  }
  return false;
}

/** The first line of the comment lines (at column 0, no blank line between) directly above `offset`. */
function commentBlockStart(text: string, offset: number): number {
  let start = offset;
  while (start > 0) {
    const prev = lineStart(text, start - 1);
    const line = text.slice(prev, start - 1);
    if (!line.startsWith('#')) break;
    start = prev;
  }
  return start;
}

export function applyInsertions(text: string, insertions: Insertion[]): string {
  // Later offsets first so earlier offsets stay valid; equal offsets keep their planned order.
  const ordered = insertions.map((ins, i) => ({ ins, i })).sort((a, b) => b.ins.offset - a.ins.offset || b.i - a.i);
  let out = text;
  for (const { ins } of ordered) out = out.slice(0, ins.offset) + ins.text + out.slice(ins.offset);
  return out;
}

export function singleChange(before: string, after: string): { start: number; end: number; text: string } {
  let start = 0;
  while (start < before.length && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < before.length - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { start, end: before.length - tail, text: after.slice(start, after.length - tail) };
}

/** The result must read back as the original plus exactly the additions; anything else is a bug. */
function verify(before: string, after: string, additions: TemplateAdditions, addedTransform: boolean, path: string): void {
  const result = parseYaml(after);
  const expected = (dataOf(parseYaml(before), path) ?? {}) as Record<string, unknown>;
  if (addedTransform) expected.Transform = SERVERLESS_TRANSFORM;
  for (const section of SECTIONS) {
    const entries = additions.entries[section];
    if (Object.keys(entries).length === 0) continue;
    expected[section] = { ...((expected[section] as Record<string, unknown> | null) ?? {}), ...(plain(entries) as object) };
  }
  if (result.errors.length > 0 || !isDeepStrictEqual(dataOf(result, path), expected)) {
    throw new Error(`Inserting into ${path} would not produce the intended template; it was left unchanged.`);
  }
}
