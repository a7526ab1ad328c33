import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';
import { UserError } from '../../errors';
import { applyInsertions, type Insertion, lineEndAfter, lineStart, mapInsertion, parseTemplate, singleChange, type TemplateInsertResult, valueEnd } from './insert';
import { renderScalar, renderSeqItems } from './render';
import { columnOf, detectStyle, type YamlStyle } from './style';
import { plain } from './values';
import { dataOf, parseYaml } from './yamlData';

/**
 * Changes to keys of an existing template, made the way insertIntoTemplate adds resources: lines
 * are inserted or removed in the text, located through the yaml Document, so every comment, quote
 * and indentation choice elsewhere stays byte for byte.
 */
export type TemplateEdit =
  /** Adds `key: value` at the end of the map at path[0..-1] (maps missing on the way are added too). A key already there is replaced. */
  | { kind: 'set'; path: string[]; value: unknown }
  /** Removes the key at `path` with its value; nothing when it is not there. */
  | { kind: 'remove'; path: string[] }
  /** Adds an item at the end of the sequence at `path`, creating the key when it is missing. */
  | { kind: 'append'; path: string[]; value: unknown };

/**
 * Applies the edits in order. The result must read back as the original with exactly these
 * changes (compared as data), or nothing is returned: a template is never half-edited.
 */
export function editTemplate(before: string, edits: readonly TemplateEdit[], path = 'template.yaml'): TemplateInsertResult {
  const style = detectStyle(parseTemplate(before, path), before);
  const eol = before.includes('\r\n') ? '\r\n' : '\n';
  let text = before;
  for (const edit of edits) text = applyOne(text, edit, style, path, eol);
  verify(before, text, edits, path);
  return { text, change: singleChange(before, text) };
}

function applyOne(text: string, edit: TemplateEdit, style: YamlStyle, path: string, eol: string): string {
  const doc = parseTemplate(text, path);
  const where = edit.path.join('.');
  if (edit.kind === 'remove') {
    const found = findPair(doc.contents as YAMLMap | null, edit.path, path);
    if (!found) return text;
    return removePair(text, found, where, path);
  }
  if (edit.kind === 'set') {
    const existing = findPair(doc.contents as YAMLMap | null, edit.path, path);
    if (existing) return applyOne(removePair(text, existing, where, path), edit, style, path, eol);
    return insert(text, mapInsertionFor(doc.contents as YAMLMap | null, text, edit.path, edit.value, style, path), eol);
  }
  const pair = findPair(doc.contents as YAMLMap | null, edit.path, path);
  if (!pair) return insert(text, mapInsertionFor(doc.contents as YAMLMap | null, text, edit.path, [edit.value], style, path), eol);
  return insert(text, seqInsertion(text, pair, edit.value, style, where, path), eol);
}

function insert(text: string, ins: Insertion, eol: string): string {
  return applyInsertions(text, [{ ...ins, text: eol === '\n' ? ins.text : ins.text.replace(/\r?\n/g, eol) }]);
}

/** The pair at `keys`, or undefined when a key on the way is missing; a non-map on the way is refused. */
function findPair(root: YAMLMap | null, keys: string[], path: string): Pair | undefined {
  let map: unknown = root;
  let pair: Pair | undefined;
  for (let i = 0; i < keys.length; i++) {
    if (map === null || map === undefined || (isScalar(map) && map.value === null)) return undefined;
    if (!isMap(map)) throw new UserError(`${keys.slice(0, i).join('.')} in ${path} is not a mapping.`, 'Make this change by hand.', 'template-style');
    pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === keys[i]);
    if (!pair) return undefined;
    map = pair.value;
  }
  return pair;
}

/** `key: value` added to the deepest map on `keys` that exists, with the missing maps around it. */
function mapInsertionFor(root: YAMLMap | null, text: string, keys: string[], value: unknown, style: YamlStyle, path: string): Insertion {
  for (let depth = keys.length - 1; depth >= 1; depth--) {
    const owner = findPair(root, keys.slice(0, depth), path);
    if (!owner) continue;
    let nested: unknown = value;
    for (let i = keys.length - 1; i > depth; i--) nested = { [keys[i]]: nested };
    return mapInsertion(text, owner, { [keys[depth]]: nested }, style, { path, where: keys.slice(0, depth).join('.'), separated: depth === 1 });
  }
  throw new UserError(`${path} has no ${keys[0]} section.`, `Add ${keys[0]} to it first.`, 'template-missing');
}

/** Removes whole lines: from the key's line to the end of the value's last line. */
function removePair(text: string, pair: Pair, where: string, path: string): string {
  const key = pair.key as { range?: [number, number, number] } | null;
  if (!key?.range) throw new UserError(`${where} in ${path} cannot be located.`, 'Make this change by hand.', 'template-style');
  const start = lineStart(text, key.range[0]);
  const end = lineEndAfter(text, valueEnd(pair));
  if (text.slice(start, key.range[0]).trim() !== '' || (end !== text.length && !text.slice(start, end).endsWith('\n'))) {
    throw new UserError(`${where} in ${path} shares its line with other keys (flow style).`, `Make this change by hand, or rewrite ${where} in block style.`, 'template-style');
  }
  return text.slice(0, start) + text.slice(end);
}

function seqInsertion(text: string, pair: Pair, value: unknown, style: YamlStyle, where: string, path: string): Insertion {
  const seq = pair.value;
  const keyColumn = isScalar(pair.key) && pair.key.range ? columnOf(text, pair.key.range[0]) : 0;
  if (seq === null || (isScalar(seq) && seq.value === null)) {
    const keyEnd = isScalar(pair.key) && pair.key.range ? pair.key.range[1] : 0;
    return { offset: lineEndAfter(text, keyEnd), text: renderSeqItems([value], style.indentSeq ? keyColumn + style.indent : keyColumn, style) };
  }
  if (!isSeq(seq) || !seq.range) throw new UserError(`${where} in ${path} is not a list.`, 'Make this change by hand.', 'template-style');
  if (seq.flow) {
    const close = text.lastIndexOf(']', seq.range[1]);
    return { offset: close, text: `${seq.items.length > 0 ? ', ' : ''}${renderScalar(value, style)}` };
  }
  const offset = lineEndAfter(text, seq.range[1]);
  return { offset, text: (offset === text.length && !text.endsWith('\n') ? '\n' : '') + renderSeqItems([value], columnOf(text, seq.range[0]), style) };
}

/** The same edits made on the data: what the new text must read back as. */
function verify(before: string, after: string, edits: readonly TemplateEdit[], path: string): void {
  const expected = dataOf(parseYaml(before), path) as Record<string, unknown>;
  for (const edit of edits) {
    const key = edit.path[edit.path.length - 1];
    if (edit.kind === 'remove') {
      const parent = edit.path.slice(0, -1).reduce<unknown>((m, k) => (m !== null && typeof m === 'object' ? (m as Record<string, unknown>)[k] : undefined), expected);
      if (parent !== null && typeof parent === 'object') delete (parent as Record<string, unknown>)[key];
      continue;
    }
    const parent = edit.path.slice(0, -1).reduce<Record<string, unknown>>((m, k) => {
      if (m[k] === null || typeof m[k] !== 'object') m[k] = {};
      return m[k] as Record<string, unknown>;
    }, expected);
    if (edit.kind === 'set') {
      delete parent[key];
      parent[key] = plain(edit.value);
    } else {
      parent[key] = [...(Array.isArray(parent[key]) ? (parent[key] as unknown[]) : []), plain(edit.value)];
    }
  }
  const result = parseYaml(after);
  if (result.errors.length > 0 || !isDeepStrictEqual(dataOf(result, path), expected)) {
    throw new Error(`Editing ${path} would not produce the intended template; it was left unchanged.`);
  }
}
