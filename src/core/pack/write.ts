import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { type CancellationTokenLike, throwIfCancelled } from '../cancel';
import { UserError } from '../errors';
import { compressBuffer, compressStreamed, DEFLATE_CONFIG, isStreamed } from './compress';
import { layoutZip } from './layout';
import { checked, readError } from './plan';
import { encodeCentralHeader, encodeEndRecords, encodeLocalHeader } from './records';
import type { Compressed, PlannedEntry, ZipPlan } from './types';
import { WorkerPool } from './workerPool';

export interface WriteOptions {
  /** Compresses upcoming entries in worker threads while earlier ones are written. */
  pool?: WorkerPool;
  token?: CancellationTokenLike;
  /** Bytes written of the plan's total. */
  onProgress?(writtenBytes: number, totalBytes: number): void;
}

export interface WriteResult {
  bytes: number;
  /** SHA-256 of the written bytes. Base64 of it is Lambda's CodeSha256. */
  sha256: Buffer;
}

/** An entry whose bytes no longer match the plan: the file changed after it was measured. */
export class EntryChangedError extends UserError {
  constructor(readonly entryName: string) {
    super(`'${entryName}' changed after it was measured.`, 'Package again once the files stop changing.', 'changed');
  }
}

/** How far ahead of the write position entries are compressed: bounds memory, keeps workers busy. */
const AHEAD_BYTES = 32 * 1024 * 1024;
const AHEAD_JOB_BYTES = 1024 * 1024;
const AHEAD_JOB_FILES = 64;
const ON_THIS_THREAD = new WorkerPool(0);

/**
 * Writes the zip a plan describes, streaming: entries go out one at a time (small ones compressed
 * ahead in workers, big ones piped through zlib), so memory stays bounded whatever the package size.
 * Every entry is checked against the plan, and the total against the plan's size.
 */
export async function writeZip(plan: ZipPlan, out: Writable, opts: WriteOptions = {}): Promise<WriteResult> {
  const { token } = opts;
  const layout = layoutZip(plan.entries);
  const sink = new Sink(out);
  const progress = (): void => opts.onProgress?.(sink.bytes, layout.bytes);
  const ahead = new Prefetcher(plan.entries, opts.pool ?? ON_THIS_THREAD);
  try {
    for (let i = 0; i < plan.entries.length; i++) {
      throwIfCancelled(token, 'writing the package');
      const e = plan.entries[i];
      if (sink.bytes !== layout.localOffsets[i]) throw new Error(`zip writer: '${e.name}' starts at ${sink.bytes}, planned ${layout.localOffsets[i]}`);
      await sink.write(encodeLocalHeader(e, layout.localOffsets[i]));
      if (isStreamed(e.source, e.size)) {
        // Streamed bytes go out as they are made, so they can only be checked once written.
        const got = await compressStreamed(e.source, DEFLATE_CONFIG, token, { method: e.method, write: (b) => sink.write(b) }).catch((err: unknown) => {
          throw readError(e.name, err);
        });
        verify(e, got);
      } else {
        const got = e.source.kind === 'buffer' ? compressBuffer(e.source.data, true) : await ahead.take(i);
        verify(e, got);
        await sink.write(got.data as Uint8Array);
      }
      progress();
    }
    for (let i = 0; i < plan.entries.length; i++) await sink.write(encodeCentralHeader(plan.entries[i], layout.localOffsets[i]));
    await sink.write(encodeEndRecords(plan.entries.length, layout.centralOffset, layout.centralSize));
    await sink.flush();
    progress();
  } finally {
    ahead.stop();
  }
  if (sink.bytes !== layout.bytes || layout.bytes !== plan.bytes) {
    throw new Error(`zip writer: wrote ${sink.bytes} bytes, planned ${plan.bytes}`);
  }
  return { bytes: sink.bytes, sha256: sink.digest() };
}

/**
 * Writes the zip to a file: to a temporary name next to it first, renamed into place once complete,
 * so the path never holds half a package.
 */
export async function writeZipFile(plan: ZipPlan, path: string, opts: WriteOptions = {}): Promise<WriteResult & { path: string }> {
  await fs.mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  const stream = createWriteStream(tmp);
  try {
    const result = await writeZip(plan, stream, opts);
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
    await fs.rename(tmp, path);
    return { ...result, path };
  } catch (err) {
    stream.destroy();
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

function verify(e: PlannedEntry, got: Compressed): void {
  if (got.crc32 !== e.crc32 || got.size !== e.size || got.compressedSize !== e.compressedSize || got.method !== e.method) {
    throw new EntryChangedError(e.name);
  }
}

/** Small records and entries are gathered up to this size before a write: one write per header is slow. */
const GATHER_BYTES = 256 * 1024;

/** A writable with backpressure, a byte count and a running SHA-256; gathers small chunks. */
class Sink {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private failure: Error | undefined;
  private gathered: Uint8Array[] = [];
  private gatheredBytes = 0;

  constructor(private readonly out: Writable) {
    out.on('error', (err) => {
      this.failure = err;
    });
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (chunk.length === 0) return;
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (chunk.length >= GATHER_BYTES) {
      await this.flush();
      await this.push(chunk);
      return;
    }
    this.gathered.push(chunk);
    this.gatheredBytes += chunk.length;
    if (this.gatheredBytes >= GATHER_BYTES) await this.flush();
  }

  /** Writes what is gathered. */
  async flush(): Promise<void> {
    if (this.gatheredBytes === 0) return;
    const joined = Buffer.concat(this.gathered, this.gatheredBytes);
    this.gathered = [];
    this.gatheredBytes = 0;
    await this.push(joined);
  }

  private async push(chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.out.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        this.out.off('error', onError);
        resolve();
      };
      const onError = (err: Error): void => {
        this.out.off('drain', onDrain);
        reject(err);
      };
      this.out.once('drain', onDrain);
      this.out.once('error', onError);
    });
  }

  digest(): Buffer {
    return this.hash.digest();
  }
}

/** Compresses the small file entries ahead of the writer, in order, within a memory budget. */
class Prefetcher {
  private readonly jobs = new Map<number, Promise<(Compressed & { data?: Uint8Array })[]>>();
  /** Entry index -> [job start index, position in job]. */
  private readonly where = new Map<number, [number, number]>();
  private readonly order: number[];
  private nextToStart = 0;
  /** Compressed bytes scheduled and not yet taken by the writer: the memory the window holds. */
  private aheadBytes = 0;
  private stopped = false;

  constructor(
    private readonly entries: readonly PlannedEntry[],
    private readonly pool: WorkerPool,
  ) {
    this.order = [];
    entries.forEach((e, i) => {
      if (e.source.kind === 'file' && !isStreamed(e.source, e.size)) this.order.push(i);
    });
  }

  async take(entryIndex: number): Promise<Compressed & { data?: Uint8Array }> {
    this.fill();
    const at = this.where.get(entryIndex);
    if (!at) throw new Error(`zip writer: entry ${entryIndex} was not scheduled`);
    const results = await (this.jobs.get(at[0]) as Promise<(Compressed & { data?: Uint8Array })[]>);
    this.where.delete(entryIndex);
    this.aheadBytes -= this.entries[entryIndex].compressedSize;
    if (at[1] === results.length - 1) this.jobs.delete(at[0]);
    return results[at[1]];
  }

  /** Starts jobs from the next unstarted entry while the window has room (always at least one). */
  private fill(): void {
    while (!this.stopped && this.nextToStart < this.order.length && (this.aheadBytes < AHEAD_BYTES || this.where.size === 0)) {
      const start = this.nextToStart;
      const idx: number[] = [];
      let bytes = 0;
      while (this.nextToStart < this.order.length && idx.length < AHEAD_JOB_FILES && (idx.length === 0 || bytes + this.entries[this.order[this.nextToStart]].compressedSize <= AHEAD_JOB_BYTES)) {
        const i = this.order[this.nextToStart++];
        idx.push(i);
        bytes += this.entries[i].compressedSize;
      }
      idx.forEach((i, k) => this.where.set(i, [start, k]));
      this.aheadBytes += bytes;
      const paths = idx.map((i) => (this.entries[i].source as { path: string }).path);
      const names = idx.map((i) => this.entries[i].name);
      const job = this.pool.compress({ kind: 'compress', paths, config: DEFLATE_CONFIG, keep: true }).then((outcomes) => outcomes.map((o, k) => checked(o, names[k])));
      // Failures surface when the writer takes the entry; until then they must not go unhandled.
      job.catch(() => undefined);
      this.jobs.set(start, job);
    }
  }

  stop(): void {
    this.stopped = true;
  }
}
