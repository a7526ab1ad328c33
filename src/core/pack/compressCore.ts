// The per-entry compression rule, written to run both on the main thread and inside worker threads:
// the functions here take node's modules as parameters and use nothing outside their own bodies
// (but compressSync calls probeSaysStore, which the workers' source declares under the same name),
// because workers receive them as source text (see workerPool.ts).
import type * as Fs from 'node:fs';
import type * as WorkerThreads from 'node:worker_threads';
import type * as Zlib from 'node:zlib';
import type { ZipMethod } from './types';

export interface DeflateConfig {
  level: number;
  memLevel: number;
  windowBits: number;
  strategy: number;
  /**
   * Entries longer than this are deflated only when their first `probeBytes` shrink: already
   * compressed content (images, archives, random data) is then stored without deflating it all.
   */
  probeBytes: number;
  /**
   * The probe itself costs a second deflate of the first `probeBytes` of every big file that does
   * compress. A sample this long at the start that deflates to under `sampleShare` of its size
   * skips it: the file is deflated whole, and stored if that did not shrink it.
   */
  sampleBytes: number;
  sampleShare: number;
}

export interface CompressResult {
  crc32: number;
  method: ZipMethod;
  /** Bytes read: the entry's size. */
  size: number;
  compressedSize: number;
  /** The bytes to write (stored or deflated), when asked for. */
  data?: Uint8Array;
}

/**
 * Stores an entry unless deflate makes it smaller. Deterministic: the same bytes, config and zlib
 * always give the same result.
 */
export function compressSync(zlib: typeof Zlib, data: Uint8Array, cfg: DeflateConfig, keep: boolean): CompressResult {
  const crc32 = zlib.crc32(data);
  const stored: CompressResult = { crc32, method: 0, size: data.length, compressedSize: data.length };
  if (keep) stored.data = data;
  if (data.length === 0) return stored;
  const opts = { level: cfg.level, memLevel: cfg.memLevel, windowBits: cfg.windowBits, strategy: cfg.strategy };
  if (data.length > cfg.probeBytes && probeSaysStore(zlib, data, cfg)) return stored;
  const deflated = zlib.deflateRawSync(data, opts);
  if (deflated.length >= data.length) return stored;
  const result: CompressResult = { crc32, method: 8, size: data.length, compressedSize: deflated.length };
  if (keep) result.data = deflated;
  return result;
}

/**
 * For an entry longer than probeBytes, given (at least) its first probeBytes: whether it is stored
 * without deflating it whole. A sample that deflates well answers no at once; otherwise the first
 * probeBytes are deflated, and the entry is stored when they did not shrink. Every store the old
 * probe-only rule made that this one does not is a file deflated whole and stored anyway unless it
 * shrank, so a zip is never bigger for it.
 */
export function probeSaysStore(zlib: typeof Zlib, prefix: Uint8Array, cfg: DeflateConfig): boolean {
  const opts = { level: cfg.level, memLevel: cfg.memLevel, windowBits: cfg.windowBits, strategy: cfg.strategy };
  const sample = zlib.deflateRawSync(prefix.subarray(0, cfg.sampleBytes), opts);
  if (sample.length < cfg.sampleBytes * cfg.sampleShare) return false;
  const probe = zlib.deflateRawSync(prefix.subarray(0, cfg.probeBytes), opts);
  return probe.length >= cfg.probeBytes;
}

/**
 * A job for a worker: compress files (read whole: only entries under the streaming threshold), or
 * stat paths. Stat paths travel as one NUL-separated string (NUL cannot occur in a path): one
 * string crosses the thread boundary far faster than a thousand.
 */
export type WorkerJob =
  | { kind: 'compress'; paths: string[]; config: DeflateConfig; keep: boolean }
  | { kind: 'stat'; paths: string }
  | { kind: 'restat'; paths: string; from: number; known: KnownStats };

/**
 * What was last seen of a list of paths, in memory shared with the workers: a restat job stats its
 * share of the paths, compares, writes what changed back and answers with only the indexes that
 * changed, so re-checking tens of thousands of unchanged files sends almost nothing back.
 */
export interface KnownStats {
  /** 0 missing, 1 file, 2 directory (known by its times only), 3 other (as StatColumns.kind). */
  kind: Uint8Array;
  size: Float64Array;
  /** 1 when any execute bit is set. */
  exec: Uint8Array;
  mtimeNs: BigInt64Array;
  ctimeNs: BigInt64Array;
  ino: BigUint64Array;
}

export interface RestatResult {
  /** Indexes (into the whole list) whose stat differs from what was known; `known` holds the new values. */
  changed: number[];
  /** Error codes for paths that could not be statted (other than missing), by index. */
  errors: Record<number, string>;
}

export type CompressOutcome = CompressResult | { error: string; code: string };

/** Stat results in columns, so they cross the thread boundary as a few typed arrays. */
export interface StatColumns {
  /** 0 missing, 1 file, 2 directory, 3 other. Stat follows symlinks. */
  kind: Uint8Array;
  size: Float64Array;
  mode: Uint32Array;
  mtimeNs: BigInt64Array;
  ctimeNs: BigInt64Array;
  ino: BigUint64Array;
  /**
   * The same, exactly, as plain numbers (times split into seconds and nanoseconds), so the main
   * thread compares them with an earlier stat without creating BigInts.
   */
  mtimeSec: Float64Array;
  mtimeNsec: Float64Array;
  ctimeSec: Float64Array;
  ctimeNsec: Float64Array;
  inode: Float64Array;
  /** Error codes for paths that could not be statted (other than missing), by index. */
  errors: Record<number, string>;
}

export interface WorkerModules {
  fs: typeof Fs;
  zlib: typeof Zlib;
}

/** Runs one job; used by workers and, for small jobs, directly on the main thread. */
export function runJob(mods: WorkerModules, job: WorkerJob, compress: typeof compressSync): CompressOutcome[] | StatColumns | RestatResult {
  if (job.kind === 'restat') {
    const out: RestatResult = { changed: [], errors: {} };
    const k = job.known;
    const paths = job.paths.split('\0');
    for (let j = 0; j < paths.length; j++) {
      const i = job.from + j;
      let kind = 0;
      let size = 0;
      let exec = 0;
      let mtimeNs = 0n;
      let ctimeNs = 0n;
      let ino = 0n;
      try {
        const s = mods.fs.statSync(paths[j], { bigint: true, throwIfNoEntry: false });
        if (s) {
          kind = s.isFile() ? 1 : s.isDirectory() ? 2 : 3;
          mtimeNs = s.mtimeNs;
          ctimeNs = s.ctimeNs;
          // A folder is known by its times alone: they move when its entries change.
          if (kind !== 2) {
            size = Number(s.size);
            exec = (Number(s.mode) & 0o111) !== 0 ? 1 : 0;
            ino = s.ino;
          }
        }
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code !== 'ENOENT' && e.code !== 'ELOOP' && e.code !== 'ENOTDIR') out.errors[i] = e.code ?? 'EIO';
      }
      if (k.kind[i] === kind && k.size[i] === size && k.exec[i] === exec && k.mtimeNs[i] === mtimeNs && k.ctimeNs[i] === ctimeNs && k.ino[i] === ino) continue;
      k.kind[i] = kind;
      k.size[i] = size;
      k.exec[i] = exec;
      k.mtimeNs[i] = mtimeNs;
      k.ctimeNs[i] = ctimeNs;
      k.ino[i] = ino;
      out.changed.push(i);
    }
    return out;
  }
  if (job.kind === 'compress') {
    return job.paths.map((path): CompressOutcome => {
      try {
        return compress(mods.zlib, mods.fs.readFileSync(path), job.config, job.keep);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        return { error: e.message, code: e.code ?? 'EIO' };
      }
    });
  }
  const paths = job.paths.split('\0');
  const n = paths.length;
  const cols: StatColumns = {
    kind: new Uint8Array(n),
    size: new Float64Array(n),
    mode: new Uint32Array(n),
    mtimeNs: new BigInt64Array(n),
    ctimeNs: new BigInt64Array(n),
    ino: new BigUint64Array(n),
    mtimeSec: new Float64Array(n),
    mtimeNsec: new Float64Array(n),
    ctimeSec: new Float64Array(n),
    ctimeNsec: new Float64Array(n),
    inode: new Float64Array(n),
    errors: {},
  };
  for (let i = 0; i < n; i++) {
    try {
      const s = mods.fs.statSync(paths[i], { bigint: true, throwIfNoEntry: false });
      if (!s) continue;
      cols.kind[i] = s.isFile() ? 1 : s.isDirectory() ? 2 : 3;
      cols.size[i] = Number(s.size);
      cols.mode[i] = Number(s.mode);
      cols.mtimeNs[i] = s.mtimeNs;
      cols.ctimeNs[i] = s.ctimeNs;
      cols.ino[i] = s.ino;
      cols.mtimeSec[i] = Number(s.mtimeNs / 1_000_000_000n);
      cols.mtimeNsec[i] = Number(s.mtimeNs % 1_000_000_000n);
      cols.ctimeSec[i] = Number(s.ctimeNs / 1_000_000_000n);
      cols.ctimeNsec[i] = Number(s.ctimeNs % 1_000_000_000n);
      cols.inode[i] = Number(s.ino);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      // A dangling or looping link reads as missing (kind 0), like a file deleted mid-walk.
      if (e.code !== 'ENOENT' && e.code !== 'ELOOP' && e.code !== 'ENOTDIR') cols.errors[i] = e.code ?? 'EIO';
    }
  }
  return cols;
}

/** A worker's main loop: one job per message, one reply per job. */
export function workerMain(req: (id: string) => unknown, run: typeof runJob, compress: typeof compressSync): void {
  const { parentPort } = req('node:worker_threads') as typeof WorkerThreads;
  const mods = { fs: req('node:fs') as typeof Fs, zlib: req('node:zlib') as typeof Zlib };
  parentPort?.on('message', (msg: { id: number; job: WorkerJob }) => {
    try {
      parentPort.postMessage({ id: msg.id, result: run(mods, msg.job, compress) });
    } catch (err) {
      parentPort.postMessage({ id: msg.id, failure: err instanceof Error ? err.message : String(err) });
    }
  });
}
