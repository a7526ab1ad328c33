import { type Alias, type Document, isAlias, isCollection, isMap, isPair, isScalar, type Node, type Scalar } from 'yaml';

/** A key given twice in one mapping: SAM keeps the last value, so `ignored` has no effect. */
export interface DuplicateKey {
  ignored: Scalar;
  kept: Scalar;
}

/** What one walk of a parsed document finds for the readers. */
export interface DocumentScan {
  /** Scalar keys with equal values in one mapping (merge keys never), in the order of the ignored key. */
  duplicates: DuplicateKey[];
  /** Each alias's anchor: the last node before it with that anchor, as YAML says (null when none). */
  aliases: Map<Alias, Node | null>;
}

/** Mappings up to this size are checked pair by pair: cheaper than a hash for the keys of most templates. */
const SMALL_MAP = 8;

/**
 * Finds duplicate keys and each alias's anchor in one pass over the document, in document order.
 *
 * Written by hand, not with yaml's `visit`: this runs on every keystroke's parse and on every
 * template of a workspace, and two generic visits cost a tenth of the whole read. yaml's own
 * duplicate check is quadratic in a mapping's size, and its Alias.resolve walks the whole
 * document for every alias; here large mappings use a hash and aliases are resolved once. The walk
 * keeps its own stack, so no document is too deep for it. `withAliases` false: the document has no
 * aliases (then `aliases` is empty), only duplicate keys are looked for.
 */
export function scanDocument(doc: Document.Parsed, withAliases = true): DocumentScan {
  const duplicates: DuplicateKey[] = [];
  const aliases = new Map<Alias, Node | null>();
  const anchors = new Map<string, Node>();
  // A pair's key and value go on the stack themselves (not the pair), scalars are tested first:
  // most nodes are scalars, and this walk sees every node of every template. Without aliases
  // (readYaml knows when the text has no `*`) a scalar's anchor is of no use: scalars in
  // collections are not even pushed.
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isScalar(node)) {
      if (node.anchor) anchors.set(node.anchor, node);
      continue;
    }
    if (isAlias(node)) {
      aliases.set(node, anchors.get(node.source) ?? null);
      continue;
    }
    if (isPair(node)) {
      stack.push(node.value, node.key);
      continue;
    }
    if (!isCollection(node)) continue;
    // A node's anchor counts from the node itself on, so `&a [*a]` refers to itself (a cycle the
    // readers stop at), as in yaml.
    if (node.anchor) anchors.set(node.anchor, node);
    const items = node.items as unknown[];
    if (isMap(node)) {
      findDuplicates(items, duplicates);
      for (let i = items.length - 1; i >= 0; i--) {
        const item = items[i];
        if (!isPair(item)) stack.push(item);
        else {
          if (withAliases || !isScalar(item.value)) stack.push(item.value);
          if (withAliases || !isScalar(item.key)) stack.push(item.key);
        }
      }
    } else {
      for (let i = items.length - 1; i >= 0; i--) if (withAliases || !isScalar(items[i])) stack.push(items[i]);
    }
  }
  return { duplicates: duplicates.sort((a, b) => (a.ignored.range?.[0] ?? 0) - (b.ignored.range?.[0] ?? 0)), aliases };
}

function keyOf(item: unknown): Scalar | undefined {
  if (!isPair(item) || !isScalar(item.key)) return undefined;
  const v = item.key.value;
  return typeof v === 'symbol' || Number.isNaN(v) ? undefined : item.key;
}

function findDuplicates(items: unknown[], found: DuplicateKey[]): void {
  if (items.length < 2) return;
  if (items.length <= SMALL_MAP) {
    // Each item's key once, then compared pair by pair.
    const keys = items.map(keyOf);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (!key) continue;
      // The nearest earlier equal key is the one this key overrides.
      for (let j = i - 1; j >= 0; j--) {
        const earlier = keys[j];
        if (earlier && earlier.value === key.value) {
          found.push({ ignored: earlier, kept: key });
          break;
        }
      }
    }
    return;
  }
  const seen = new Map<unknown, Scalar>();
  for (const item of items) {
    const key = keyOf(item);
    if (!key) continue;
    const earlier = seen.get(key.value);
    if (earlier) found.push({ ignored: earlier, kept: key });
    seen.set(key.value, key);
  }
}
