import { type CancellationTokenLike, throwIfCancelled } from '../cancel';
import { UserError } from '../errors';
import type { CompressionCache } from './cache';
import { compressBuffer, compressStreamed, DEFLATE_CONFIG, isStreamed } from './compress';
import type { CompressOutcome } from './compressCore';
import { encodeName, layoutZip } from './layout';
import { WorkerPool } from './workerPool';
import type { Compressed, PackInput, PlannedEntry, PlanStats, ZipPlan } from './types';

export interface PlanOptions {
  /** Reuses compressed sizes of unchanged files, and records new ones. */
  cache?: CompressionCache;
  /** Compresses in worker threads; without one, everything runs on this thread. */
  pool?: WorkerPool;
  token?: CancellationTokenLike;
  /** Called as entries are compressed: bytes done of bytes to do (cache hits count as done). */
  onProgress?(doneBytes: number, totalBytes: number): void;
  /** The last plan of the same package: unchanged entries are reused without a lookup. */
  previous?: ZipPlan;
}

/** Below this much work, handing files to workers costs more than it saves. */
const INLINE_MAX_BYTES = 1024 * 1024;
const INLINE_MAX_FILES = 64;
/** A worker job's size: big enough to amortise the message, small enough to balance the workers. */
const BATCH_BYTES = 2 * 1024 * 1024;
const BATCH_FILES = 256;
/** A pool without workers: runs jobs on this thread. */
const ON_THIS_THREAD = new WorkerPool(0);
/** Streamed entries compressed at once (each keeps zlib's thread pool busy on its own). */
const STREAM_CONCURRENCY = 2;

/**
 * Sorts the inputs by name, compresses each (or takes it from the cache) and lays out the zip.
 * With `previous` (the last plan of the same package), entries whose file is unchanged are taken
 * over as they are, and when no name changed the previous order is kept: re-planning after one
 * edit then costs little more than the walk.
 */
export async function planZip(inputs: readonly PackInput[], opts: PlanOptions = {}): Promise<ZipPlan> {
  const again = opts.previous ? await replanChanged(inputs, opts.previous, opts) : undefined;
  if (again) return again;
  const { cache, pool, token } = opts;
  const kept = opts.previous ? (inSamePlaces(inputs, opts.previous, cache) ?? inPreviousOrder(inputs, opts.previous, cache)) : undefined;
  const ordered = kept ?? sortedByName(inputs);
  const plan = await planOrdered(ordered, opts, cache, pool, token);
  // Same names in the same order: the previous plan's name index (if it was built) serves this one too.
  const index = kept && opts.previous ? indexes.get(opts.previous) : undefined;
  if (index) indexes.set(plan, index);
  origins.set(plan, { inputs, at: ordered.at });
  return plan;
}

/** Above this many changed inputs a re-plan goes through every entry (inSamePlaces). */
const MAX_REPLANNED = 64;

/**
 * When the caller lists the very input objects of the previous plan but a few (a re-walk after
 * an edit hands back the same object for every file whose stat did not change), under the same
 * names: the previous plan's entries, with only those few planned again. Nothing is done per
 * unchanged entry but an identity check and the layout. Undefined otherwise.
 */
async function replanChanged(inputs: readonly PackInput[], previous: ZipPlan, opts: PlanOptions): Promise<ZipPlan | undefined> {
  const origin = origins.get(previous);
  const n = inputs.length;
  if (!origin || origin.inputs.length !== n) return undefined;
  const changed: number[] = [];
  for (let i = 0; i < n; i++) {
    const input = inputs[i];
    // An input without a stamp (bytes in memory) is compressed again each time, as inSamePlaces does.
    if (input === origin.inputs[i] && input.stamp) continue;
    if (input.name !== origin.inputs[i].name || changed.length === MAX_REPLANNED) return undefined;
    changed.push(i);
  }
  const { cache } = opts;
  if (cache) for (const e of previous.entries) if (e.source.kind === 'file') cache.touch(e.source.path);
  const few: Ordered = { inputs: [], nameBytes: [], utf8: [], prev: [], at: new Int32Array(0) };
  for (const i of changed) {
    const prev = previous.entries[origin.at[i]];
    few.inputs.push(inputs[i]);
    few.nameBytes.push(prev.nameBytes);
    few.utf8.push(prev.utf8);
    few.prev.push(unchanged(prev, inputs[i]) ? prev : undefined);
  }
  const part = await planOrdered(few, { ...opts, onProgress: undefined }, cache, opts.pool, opts.token);
  const entries = previous.entries.slice();
  changed.forEach((i, j) => (entries[origin.at[i]] = part.entries[j]));
  const layout = layoutZip(entries);
  const stats: PlanStats = { entries: n, compressed: part.stats.compressed, cacheHits: n - part.stats.compressed, bytesCompressed: part.stats.bytesCompressed };
  const plan: ZipPlan = { entries, bytes: layout.bytes, unzippedBytes: sumSizes(entries), zip64: layout.zip64, stats };
  opts.onProgress?.(plan.unzippedBytes, plan.unzippedBytes);
  const index = indexes.get(previous);
  if (index) indexes.set(plan, index);
  origins.set(plan, { inputs, at: origin.at });
  return plan;
}

/** The inputs in zip order with their encoded names, and the previous plan's entry where the file is unchanged. Columns, not objects: re-plans of tens of thousands of files should not allocate per file. */
interface Ordered {
  inputs: PackInput[];
  nameBytes: Buffer[];
  utf8: boolean[];
  prev: (PlannedEntry | undefined)[];
  /** Where each input (by its index in the caller's list) stands in the zip. */
  at: Int32Array;
}

/** Each plan's inputs as the caller listed them, and where each went: the next plan of the same package starts from there. */
const origins = new WeakMap<ZipPlan, { inputs: readonly PackInput[]; at: Int32Array }>();

/** Characters where UTF-16 order (JS string comparison) and UTF-8 byte order can disagree. */
const ASTRAL_OR_HIGH = /[\uD800-\uFFFF]/;

function sortedByName(inputs: readonly PackInput[]): Ordered {
  const named = inputs.map((input, index) => {
    const { nameBytes, utf8 } = encodeName(input.name);
    return { input, index, nameBytes, utf8, bytewise: utf8 && ASTRAL_OR_HIGH.test(input.name) };
  });
  // Zip order is UTF-8 byte order. JS string order is the same unless a name has a surrogate pair
  // or a character from U+E000 up, so only those pay for a byte comparison.
  named.sort((a, b) => {
    if (a.bytewise || b.bytewise) return Buffer.compare(a.nameBytes, b.nameBytes);
    const x = a.input.name;
    const y = b.input.name;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (let i = 1; i < named.length; i++) {
    if (named[i].nameBytes.equals(named[i - 1].nameBytes)) {
      throw new UserError(`Two files would both be '${named[i].input.name}' in the package.`, 'Rename or exclude one of them.');
    }
  }
  const at = new Int32Array(named.length);
  named.forEach((n, k) => (at[n.index] = k));
  return { inputs: named.map((n) => n.input), nameBytes: named.map((n) => n.nameBytes), utf8: named.map((n) => n.utf8), prev: new Array<undefined>(named.length).fill(undefined), at };
}

/**
 * When the caller lists the same names in the same order as for the previous plan (a re-walk of
 * an unchanged folder hands back the very same objects), each input goes where its predecessor
 * went: no sort, no name lookup. Undefined when any name differs.
 */
function inSamePlaces(inputs: readonly PackInput[], previous: ZipPlan, cache: CompressionCache | undefined): Ordered | undefined {
  const origin = origins.get(previous);
  const n = inputs.length;
  if (!origin || origin.inputs.length !== n) return undefined;
  const o: Ordered = { inputs: new Array<PackInput>(n), nameBytes: new Array<Buffer>(n), utf8: new Array<boolean>(n), prev: new Array<PlannedEntry | undefined>(n).fill(undefined), at: origin.at };
  for (let i = 0; i < n; i++) {
    const input = inputs[i];
    const before = origin.inputs[i];
    if (input !== before && input.name !== before.name) return undefined;
    const k = origin.at[i];
    const prev = previous.entries[k];
    o.inputs[k] = input;
    o.nameBytes[k] = prev.nameBytes;
    o.utf8[k] = prev.utf8;
    if (unchanged(prev, input)) {
      o.prev[k] = prev;
      if (prev.source.kind === 'file') cache?.touch(prev.source.path);
    }
  }
  return o;
}

/**
 * When the inputs have exactly the previous plan's names, they keep its order (no sort, no name
 * encoding) and unchanged files keep their entry. Undefined when any name differs.
 */
function inPreviousOrder(inputs: readonly PackInput[], previous: ZipPlan, cache: CompressionCache | undefined): Ordered | undefined {
  const index = byName(previous);
  const n = inputs.length;
  if (n !== index.size) return undefined;
  const o: Ordered = { inputs: new Array<PackInput>(n), nameBytes: new Array<Buffer>(n), utf8: new Array<boolean>(n), prev: new Array<PlannedEntry | undefined>(n).fill(undefined), at: new Int32Array(n) };
  for (let i = 0; i < n; i++) {
    const input = inputs[i];
    const at = index.get(input.name);
    if (at === undefined || o.inputs[at] !== undefined) return undefined;
    o.at[i] = at;
    const prev = previous.entries[at];
    o.inputs[at] = input;
    o.nameBytes[at] = prev.nameBytes;
    o.utf8[at] = prev.utf8;
    if (unchanged(prev, input)) {
      o.prev[at] = prev;
      cache?.touch((prev.source as { path: string }).path);
    }
  }
  return o;
}

async function planOrdered(o: Ordered, opts: PlanOptions, cache: CompressionCache | undefined, pool: WorkerPool | undefined, token: CancellationTokenLike | undefined): Promise<ZipPlan> {
  const n = o.inputs.length;
  const results = new Array<Compressed | undefined>(n);
  const stats: PlanStats = { entries: n, compressed: 0, cacheHits: 0, bytesCompressed: 0 };
  let totalBytes = 0;
  for (const input of o.inputs) totalBytes += input.size;
  let doneBytes = 0;
  const done = (i: number, c: Compressed, fromCache: boolean): void => {
    results[i] = c;
    const input = o.inputs[i];
    doneBytes += input.size;
    if (fromCache) {
      stats.cacheHits++;
    } else {
      stats.compressed++;
      stats.bytesCompressed += c.size;
      // A file that changed size between stat and read has no trustworthy stamp: don't cache it.
      if (cache && input.source.kind === 'file' && input.stamp && input.stamp.size === c.size) cache.set(input.source.path, input.stamp, c);
    }
    opts.onProgress?.(doneBytes, totalBytes);
  };

  const small: number[] = [];
  const streamed: number[] = [];
  for (let i = 0; i < n; i++) {
    const input = o.inputs[i];
    // The previous plan's entry is taken over below as it is: only counted here (a re-plan after
    // one edit passes tens of thousands of these).
    if (o.prev[i]) {
      stats.cacheHits++;
      doneBytes += input.size;
      continue;
    }
    const hit = input.source.kind === 'file' && input.stamp ? cache?.get(input.source.path, input.stamp) : undefined;
    if (hit) done(i, hit, true);
    else if (input.source.kind === 'buffer') done(i, compressBuffer(input.source.data, false), false);
    else if (isStreamed(input.source, input.size)) streamed.push(i);
    else small.push(i);
  }
  if (doneBytes > 0) opts.onProgress?.(doneBytes, totalBytes);
  throwIfCancelled(token, 'measuring the package');

  const smallBytes = small.reduce((sum, i) => sum + o.inputs[i].size, 0);
  const inline = !pool || (smallBytes <= INLINE_MAX_BYTES && small.length <= INLINE_MAX_FILES);
  const paths = (idx: number[]): string[] => idx.map((i) => (o.inputs[i].source as { path: string }).path);
  const runBatch = async (idx: number[]): Promise<void> => {
    throwIfCancelled(token, 'measuring the package');
    const job = { kind: 'compress' as const, paths: paths(idx), config: DEFLATE_CONFIG, keep: false };
    const outcomes = await (inline ? ON_THIS_THREAD : (pool as WorkerPool)).compress(job);
    outcomes.forEach((out, k) => done(idx[k], checked(out, o.inputs[idx[k]].name), false));
  };
  // Biggest files first: the last jobs are then small ones, and no worker is left deflating one
  // big file while the other waits with nothing to do.
  const biggestFirst = [...small].sort((a, b) => o.inputs[b].size - o.inputs[a].size);
  const work: Promise<void>[] = batch(biggestFirst, (i) => o.inputs[i].size).map(runBatch);
  work.push(
    runLimited(streamed, STREAM_CONCURRENCY, async (i) => {
      throwIfCancelled(token, 'measuring the package');
      const c = await compressStreamed(o.inputs[i].source, DEFLATE_CONFIG, token).catch((err: unknown) => {
        throw readError(o.inputs[i].name, err);
      });
      done(i, c, false);
    }),
  );
  await Promise.all(work);
  throwIfCancelled(token, 'measuring the package');

  const entries = new Array<PlannedEntry>(n);
  for (let i = 0; i < n; i++) {
    const prev = o.prev[i];
    if (prev) {
      entries[i] = prev;
      continue;
    }
    const input = o.inputs[i];
    const c = results[i] as Compressed;
    // Built field by field: every entry gets the same shape, which keeps the layout loop fast.
    entries[i] = {
      name: input.name,
      source: input.source,
      size: c.size,
      executable: input.executable,
      stamp: input.stamp,
      nameBytes: o.nameBytes[i],
      utf8: o.utf8[i],
      method: c.method,
      crc32: c.crc32,
      compressedSize: c.compressedSize,
    };
  }
  const layout = layoutZip(entries);
  return { entries, bytes: layout.bytes, unzippedBytes: sumSizes(entries), zip64: layout.zip64, stats };
}

function sumSizes(entries: readonly PlannedEntry[]): number {
  let n = 0;
  for (const e of entries) n += e.size;
  return n;
}

/** Each plan's entry names -> positions, built once per order of names. */
const indexes = new WeakMap<ZipPlan, Map<string, number>>();

function byName(plan: ZipPlan): Map<string, number> {
  let m = indexes.get(plan);
  if (!m) {
    m = new Map();
    for (let i = 0; i < plan.entries.length; i++) m.set(plan.entries[i].name, i);
    indexes.set(plan, m);
  }
  return m;
}

/** The same file, unchanged since the entry was planned: its compressed form still holds. */
function unchanged(prev: PlannedEntry, input: PackInput): boolean {
  // The walk hands back the same objects for files whose stat did not change.
  if (prev.source === input.source && prev.stamp === input.stamp && prev.executable === input.executable) return prev.stamp !== undefined;
  if (prev.source.kind !== 'file' || input.source.kind !== 'file' || prev.source.path !== input.source.path) return false;
  if (prev.executable !== input.executable || !prev.stamp || !input.stamp) return false;
  const a = prev.stamp;
  const b = input.stamp;
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino;
}

/** A worker's answer for one file: its compressed form, or the read error in words. */
export function checked(o: CompressOutcome, name: string): Compressed & { data?: Uint8Array } {
  if ('error' in o) throw readError(name, Object.assign(new Error(o.error), { code: o.code }));
  return o;
}

export function readError(name: string, err: unknown): Error {
  if (!(err instanceof Error)) return new Error(String(err));
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new UserError(`'${name}' disappeared while it was being packaged.`, 'Run it again once the files stop changing.', 'changed');
  if (code === 'EACCES' || code === 'EPERM') return new UserError(`Cannot read '${name}': permission denied.`, 'Make the file readable, or exclude it from the package.');
  if (code === 'EISDIR') return new UserError(`'${name}' turned into a folder while it was being packaged.`, 'Run it again once the files stop changing.', 'changed');
  return err;
}

/** Groups indexes into jobs of bounded bytes and count, keeping their order. */
export function batch(indexes: number[], sizeOf: (i: number) => number, maxBytes = BATCH_BYTES, maxFiles = BATCH_FILES): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const i of indexes) {
    if (current.length > 0 && (bytes + sizeOf(i) > maxBytes || current.length >= maxFiles)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(i);
    bytes += sizeOf(i);
  }
  if (current.length > 0) out.push(current);
  return out;
}

async function runLimited(items: number[], limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
