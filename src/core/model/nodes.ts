import { type Alias, isAlias, isMap, isScalar, isSeq, type Node, type ParsedNode } from 'yaml';
import type { YamlSource } from './document';
import { IntrinsicValue, longFormIntrinsic, normaliseArgs } from './intrinsics';
import { spanRange, START_OF_FILE } from './ranges';
import { intrinsicName, isShortFormTag } from './tags';
import type { SourceRange } from './types';

export interface Entry {
  key: string;
  keyNode: Node | null;
  /** Alias-free: the node an alias points at, or null for an empty value. */
  value: Node | null;
}

/** Deeper than any real template; stops alias cycles (`&a [*a]`) from recursing forever. */
const MAX_DEPTH = 200;
/** Alias expansions per template: far above real use, far below an alias bomb's exponential growth. */
const ALIAS_BUDGET = 100_000;

/**
 * Reads yaml nodes as template data: follows aliases and `<<` merge keys, turns short-form tags and
 * long forms into intrinsics, and gives every node's source range.
 */
export class NodeReader {
  private aliasBudget = ALIAS_BUDGET;
  /** yaml finds an alias's anchor by walking the document; once per alias is enough. */
  private readonly targets = new Map<Alias, Node | null>();
  /** Readers ask one mapping for several keys (Type, Properties, Metadata...): list its entries once. */
  private readonly entryCache = new Map<Node, Entry[]>();

  constructor(private readonly src: YamlSource) {}

  /** The document's top node. */
  get root(): Node | null {
    return this.src.doc.contents;
  }

  /** Aliases expanded so often that reading stopped following them (an "alias bomb"). */
  get aliasesExhausted(): boolean {
    return this.aliasBudget <= 0;
  }

  /** The node an alias points at (aliases of aliases too), or the node itself. */
  resolve(node: unknown): Node | null {
    let current = node;
    for (let hops = 0; isAlias(current) && hops < MAX_DEPTH; hops++) {
      if (--this.aliasBudget < 0) return null;
      let target = this.targets.get(current);
      if (target === undefined) {
        target = current.resolve(this.src.doc) ?? null;
        this.targets.set(current, target);
      }
      current = target;
    }
    if (isAlias(current)) return null;
    return isScalar(current) || isMap(current) || isSeq(current) ? (current as ParsedNode) : null;
  }

  range(node: Node | null | undefined, fallback?: SourceRange): SourceRange {
    return spanRange(this.src.text, this.src.lines, node, node) ?? fallback ?? START_OF_FILE;
  }

  /** From the start of one node to the end of another: a whole `Key: value` entry. */
  span(from: Node | null | undefined, to: Node | null | undefined, fallback?: SourceRange): SourceRange {
    return spanRange(this.src.text, this.src.lines, from, to) ?? fallback ?? START_OF_FILE;
  }

  /** A mapping's entries, merge keys applied (explicit keys win, then earlier merge sources); [] for anything else. */
  entries(node: unknown, depth = 0): Entry[] {
    const map = this.resolve(node);
    if (!isMap(map) || depth > MAX_DEPTH) return [];
    const cached = this.entryCache.get(map);
    if (cached) return cached;
    const explicit: Entry[] = [];
    const merged: Entry[] = [];
    for (const pair of map.items) {
      const keyNode = isScalar(pair.key) || isAlias(pair.key) ? this.resolve(pair.key) : null;
      if (!isScalar(keyNode)) continue;
      if (typeof keyNode.value === 'symbol') {
        merged.push(...this.mergeSources(pair.value).flatMap((source) => this.entries(source, depth + 1)));
        continue;
      }
      explicit.push({ key: String(keyNode.value), keyNode: pair.key as Node, value: this.resolve(pair.value) });
    }
    // Later duplicates win, as in the parsers CloudFormation tools use; yaml reports the duplicate.
    const byKey = new Map<string, Entry>();
    for (const e of explicit) byKey.set(e.key, e);
    for (const e of merged) if (!byKey.has(e.key)) byKey.set(e.key, e);
    const entries = [...byKey.values()];
    this.entryCache.set(map, entries);
    return entries;
  }

  /** The entry for `key` in a mapping. */
  get(node: unknown, key: string): Entry | undefined {
    return this.entries(node).find((e) => e.key === key);
  }

  /** Whether the node (through aliases) is a mapping; an empty value is not. */
  isMap(node: unknown): boolean {
    return isMap(this.resolve(node));
  }

  /** A sequence's items, aliases followed; [] for anything else. */
  items(node: unknown): (Node | null)[] {
    const seq = this.resolve(node);
    return isSeq(seq) ? seq.items.map((item) => this.resolve(item)) : [];
  }

  /** Plain data for a node: scalars, arrays, objects, and IntrinsicValue for CloudFormation functions. */
  value(node: unknown, depth = 0): unknown {
    const n = this.resolve(node);
    if (n === null || depth > MAX_DEPTH) return null;
    const tag = isShortFormTag(n.tag) ? intrinsicName(n.tag) : undefined;
    let plain: unknown;
    if (isScalar(n)) plain = typeof n.value === 'symbol' ? String(n.value.description) : n.value;
    else if (isSeq(n)) plain = n.items.map((item) => this.value(item, depth + 1));
    else plain = Object.fromEntries(this.entries(n, depth).map((e) => [e.key, this.value(e.value, depth + 1)]));
    if (tag) return new IntrinsicValue(tag, normaliseArgs(tag, plain));
    if (isMap(n)) return longFormIntrinsic(plain as Record<string, unknown>) ?? plain;
    return plain;
  }

  private mergeSources(node: unknown): Node[] {
    const source = this.resolve(node);
    if (isMap(source)) return [source];
    return this.items(source).filter((item): item is Node => isMap(item));
  }
}
