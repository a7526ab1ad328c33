import { type Alias, isAlias, isMap, isScalar, isSeq, type Node, type ParsedNode } from 'yaml';
import type { YamlSource } from './document';
import { type Charge, EXPANSION_FACTOR, EXPANSION_FLOOR, ExpansionBudget } from './expansion';
import { IntrinsicValue, longFormIntrinsic, normaliseArgs } from './intrinsics';
import { spanRange, START_OF_FILE } from './ranges';
import { intrinsicName, isShortFormTag } from './tags';
import type { SourceRange } from './types';

export interface Entry {
  key: string;
  keyNode: Node | null;
  /** Alias-free: the node an alias points at, or null for an empty value. */
  value: Node | null;
  /** The alias the value was written as, if it was one: where repeating it is reported. */
  alias?: Node;
  /** The `<<` alias that brought the entry into this mapping, if it came by one. */
  mergedBy?: Node;
}

interface Listing {
  entries: Entry[];
  /** By key, for a mapping with more than SMALL_MAP keys, duplicate keys or merges; else get() looks through entries. */
  byKey?: Map<string, Entry>;
}

/**
 * Up to this many keys, without duplicates or merges, a mapping's entries are looked through instead
 * of hashed: most mappings of a template are small, and many are only ever listed, never asked for a key.
 */
const SMALL_MAP = 8;

/** Sets `record[key]` as Object.fromEntries would: a `__proto__` key is an own property, not the prototype. */
export function setEntry(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}

function hasDuplicateKey(entries: Entry[]): boolean {
  for (let i = 1; i < entries.length; i++) for (let j = 0; j < i; j++) if (entries[i].key === entries[j].key) return true;
  return false;
}

/** Deeper than any real template; stops alias cycles (`&a [*a]`) from recursing forever. */
const MAX_DEPTH = 200;

/**
 * Reads yaml nodes as template data: follows aliases and `<<` merge keys, turns short-form tags and
 * long forms into intrinsics, and gives every node's source range. Everything it hands out is paid
 * for from one ExpansionBudget, so a template whose aliases repeat large values stops being read
 * at a known place instead of taking time or memory beyond a multiple of its size.
 */
export class NodeReader {
  readonly budget: ExpansionBudget;
  /** Each alias's anchor, found once for the whole document. */
  private readonly targets: Map<Alias, Node | null>;
  /** Readers ask one mapping for several keys (Type, Properties, Metadata...): list its entries once. */
  private readonly listings = new Map<Node, Listing>();
  /** Where a block node ends once trailing blank lines are left out, per end offset. */
  private readonly trimmedEnds = new Map<number, number>();
  /** The outermost alias being expanded by value(), else the resource being read: where an exhausted budget is reported. */
  private expanding: Node | undefined;
  private current: { key: Node; from: number; to: number } | undefined;

  constructor(private readonly src: YamlSource) {
    this.targets = src.aliases;
    this.budget = new ExpansionBudget(EXPANSION_FLOOR + EXPANSION_FACTOR * src.text.length);
  }

  /** The document's top node. */
  get root(): Node | null {
    return this.src.doc.contents;
  }

  /** The node an alias points at, or the node itself. */
  resolve(node: unknown): Node | null {
    if (isScalar(node)) return node; // most nodes: no alias to follow
    let current = node;
    for (let hops = 0; isAlias(current) && hops < MAX_DEPTH; hops++) current = this.targets.get(current) ?? null;
    return isScalar(current) || isMap(current) || isSeq(current) ? (current as ParsedNode) : null;
  }

  range(node: Node | null | undefined, fallback?: SourceRange): SourceRange {
    return spanRange(this.src.text, this.src.lines, node, node, this.trimmedEnds) ?? fallback ?? START_OF_FILE;
  }

  /** From the start of one node to the end of another: a whole `Key: value` entry. */
  span(from: Node | null | undefined, to: Node | null | undefined, fallback?: SourceRange): SourceRange {
    return spanRange(this.src.text, this.src.lines, from, to, this.trimmedEnds) ?? fallback ?? START_OF_FILE;
  }

  /** Spends from the budget on behalf of code that walks plain values; `where` is reported if it runs out. */
  charge(where: SourceRange): Charge {
    // tryTake first: the closure that says where the budget ran out is made only when it does.
    return (units) => this.budget.tryTake(units) || this.budget.take(units, () => (this.expanding ?? this.current ? this.range(this.expanding ?? this.current?.key) : where));
  }

  /**
   * Runs `read` as the reading of one resource: an exhausted budget is reported at what is read when
   * that stands in the resource, and at the resource's key when it stands elsewhere (Globals, or an
   * anchor the resource repeats).
   */
  reading<T>(key: Node | null, node: Node | null, read: () => T): T {
    const outer = this.current;
    const from = key?.range?.[0];
    this.current = key && from !== undefined ? { key, from, to: node?.range?.[1] ?? key.range?.[1] ?? from } : outer;
    try {
      return read();
    } finally {
      this.current = outer;
    }
  }

  /** A mapping's entries, merge keys applied (explicit keys win, then earlier merge sources); [] for anything else. */
  entries(node: unknown, depth = 0): Entry[] {
    const listing = this.listing(node, depth);
    if (!listing || !this.take(listing.entries.length, node)) return [];
    return listing.entries;
  }

  /** The entry for `key` in a mapping. */
  get(node: unknown, key: string): Entry | undefined {
    const listing = this.listing(node, 0);
    if (listing?.byKey) return listing.byKey.get(key);
    for (const e of listing?.entries ?? []) if (e.key === key) return e;
    return undefined;
  }

  /** Whether the node (through aliases) is a mapping; an empty value is not. */
  isMap(node: unknown): boolean {
    return isMap(this.resolve(node));
  }

  /** A sequence's items, aliases followed; [] for anything else. */
  items(node: unknown): (Node | null)[] {
    const seq = this.resolve(node);
    if (!isSeq(seq) || !this.take(seq.items.length, node)) return [];
    const items = new Array<Node | null>(seq.items.length);
    for (let i = 0; i < items.length; i++) items[i] = this.resolve(seq.items[i]);
    return items;
  }

  /** Plain data for a node: scalars, arrays, objects, and IntrinsicValue for CloudFormation functions. */
  value(node: unknown, depth = 0): unknown {
    // As expandingAlias() does, without a closure per node: this runs for every node read.
    if (this.expanding !== undefined || !isAlias(node)) return this.plain(node, depth);
    this.expanding = node;
    try {
      return this.plain(node, depth);
    } finally {
      this.expanding = undefined;
    }
  }

  /** Runs `read` with `node` as the alias being expanded, unless it is no alias or one is already. */
  private expandingAlias<T>(node: unknown, read: () => T): T {
    const outermost = this.expanding === undefined && isAlias(node);
    if (outermost) this.expanding = node as Node;
    try {
      return read();
    } finally {
      if (outermost) this.expanding = undefined;
    }
  }

  private plain(node: unknown, depth: number): unknown {
    const n = this.resolve(node);
    if (n === null || depth > MAX_DEPTH) return null;
    const scalar = isScalar(n);
    const cost = scalar && typeof n.value === 'string' ? n.value.length + 1 : 1;
    if (!this.take(cost, node)) return null;
    const tag = isShortFormTag(n.tag) ? intrinsicName(n.tag) : undefined;
    let plain: unknown;
    // Loops rather than map/fromEntries with closures: every value of a template is built here.
    if (scalar) plain = typeof n.value === 'symbol' ? String(n.value.description) : n.value;
    else if (isSeq(n)) {
      const items = n.items;
      const list = new Array<unknown>(items.length);
      for (let i = 0; i < items.length; i++) list[i] = this.value(items[i], depth + 1);
      plain = list;
    } else {
      const record: Record<string, unknown> = {};
      for (const e of this.entries(n, depth)) {
        const value = e.mergedBy === undefined ? this.value(e.alias ?? e.value, depth + 1) : this.expandingAlias(e.mergedBy, () => this.value(e.alias ?? e.value, depth + 1));
        setEntry(record, e.key, value);
      }
      plain = record;
    }
    if (tag) return new IntrinsicValue(tag, normaliseArgs(tag, plain));
    if (!scalar && !Array.isArray(plain)) return longFormIntrinsic(plain as Record<string, unknown>) ?? plain;
    return plain;
  }

  private take(units: number, node: unknown): boolean {
    // tryTake first: the closure that says where the budget ran out is made only when it does.
    return this.budget.tryTake(units) || this.budget.take(units, () => this.range(this.expanding ?? this.within(node as Node | null)));
  }

  /** The node if it stands in the resource being read (or none is), else that resource's key. */
  private within(node: Node | null): Node | null {
    const start = node?.range?.[0];
    if (!this.current || (start !== undefined && start >= this.current.from && start <= this.current.to)) return node;
    return this.current.key;
  }

  private listing(node: unknown, depth: number): Listing | undefined {
    const map = this.resolve(node);
    if (!isMap(map) || depth > MAX_DEPTH) return undefined;
    const cached = this.listings.get(map);
    if (cached) return cached;
    // Marked before the merge sources are read, so a map that merges itself ends there.
    const listing: Listing = { entries: [] };
    this.listings.set(map, listing);
    // Kept apart until the end: a map that merges itself sees its listing empty, as it was.
    const explicit: Entry[] = [];
    let merged: Entry[] | undefined;
    for (const pair of map.items) {
      const keyNode = isScalar(pair.key) ? pair.key : isAlias(pair.key) ? this.resolve(pair.key) : null;
      if (!isScalar(keyNode)) continue;
      if (typeof keyNode.value === 'symbol') {
        merged ??= [];
        for (const source of this.mergeSources(pair.value)) {
          const by = source.alias ?? pair.value;
          const entries = this.expandingAlias(by, () => this.entries(source.node, depth + 1));
          merged.push(...(isAlias(by) ? entries.map((e) => (e.mergedBy ? e : { ...e, mergedBy: by as Node })) : entries));
        }
        continue;
      }
      const entry: Entry = { key: String(keyNode.value), keyNode: pair.key as Node, value: this.resolve(pair.value) };
      if (isAlias(pair.value)) entry.alias = pair.value;
      explicit.push(entry);
    }
    if (!merged && explicit.length <= SMALL_MAP && !hasDuplicateKey(explicit)) {
      listing.entries = explicit;
      return listing;
    }
    // Later duplicates win, as in the parsers CloudFormation tools use; yaml reports the duplicate.
    // (A Map keeps the first one's place in the order.)
    const byKey = new Map<string, Entry>();
    for (const e of explicit) byKey.set(e.key, e);
    if (merged) for (const e of merged) if (!byKey.has(e.key)) byKey.set(e.key, e);
    listing.byKey = byKey;
    // Without duplicate keys or merges the entries are already the map's values, in order.
    listing.entries = merged || byKey.size !== explicit.length ? [...byKey.values()] : explicit;
    return listing;
  }

  /** The mappings `<<` merges, each with the alias it was written as. */
  private mergeSources(node: unknown): { node: Node; alias?: Node }[] {
    const source = this.resolve(node);
    if (isMap(source)) return [{ node: source }];
    if (!isSeq(source) || !this.take(source.items.length, node)) return [];
    return source.items.flatMap((item) => {
      const map = this.resolve(item);
      return isMap(map) ? [{ node: map, ...(isAlias(item) ? { alias: item } : {}) }] : [];
    });
  }
}
