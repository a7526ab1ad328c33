// How entries are compressed: one config, and the streaming path for entries too big to hold whole.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { type CancellationTokenLike, throwIfCancelled } from '../cancel';
import { compressSync, type CompressResult, type DeflateConfig, probeSaysStore } from './compressCore';
import type { Compressed, EntrySource, ZipMethod } from './types';

/** zlib's default level (what `zip` uses too): the balance Lambda packages are usually built with. */
export const DEFLATE_CONFIG: DeflateConfig = Object.freeze({ level: 6, memLevel: 8, windowBits: 15, strategy: 0, probeBytes: 64 * 1024, sampleBytes: 4 * 1024, sampleShare: 0.75 });

/** Entries this big or bigger are streamed in chunks, never held in memory whole. */
export const STREAM_THRESHOLD = 8 * 1024 * 1024;

const CHUNK = 1024 * 1024;

/**
 * Names everything that decides compressed bytes. A cache made under another id (another zlib
 * build, another level) is not reused, since its sizes would not match what this process writes.
 */
export const COMPRESSION_ID = `deflate-raw level=${DEFLATE_CONFIG.level} mem=${DEFLATE_CONFIG.memLevel} window=${DEFLATE_CONFIG.windowBits} strategy=${DEFLATE_CONFIG.strategy} probe=${DEFLATE_CONFIG.probeBytes} sample=${DEFLATE_CONFIG.sampleBytes}/${DEFLATE_CONFIG.sampleShare} zlib=${process.versions.zlib} ${process.arch}`;

function zlibOptions(cfg: DeflateConfig): zlib.ZlibOptions {
  return { level: cfg.level, memLevel: cfg.memLevel, windowBits: cfg.windowBits, strategy: cfg.strategy, chunkSize: CHUNK };
}

/** Whether an entry goes through the streaming path (decided by size alone, so always the same way). */
export function isStreamed(source: EntrySource, size: number): boolean {
  return source.kind === 'stream' || (source.kind === 'file' && size >= STREAM_THRESHOLD);
}

function openSource(source: EntrySource): Readable {
  if (source.kind === 'file') return createReadStream(source.path, { highWaterMark: CHUNK });
  if (source.kind === 'stream') return source.open();
  throw new Error('buffer entries are compressed in memory, not streamed');
}

/** The first `n` bytes of a source (fewer when it is shorter). */
async function readPrefix(source: EntrySource, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  const stream = openSource(source);
  try {
    for await (const chunk of stream) {
      const b = chunk as Buffer;
      parts.push(b);
      have += b.length;
      if (have >= n) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, n);
}

function tap(onChunk: (b: Buffer) => void, token: CancellationTokenLike | undefined) {
  return async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      throwIfCancelled(token, 'packaging');
      onChunk(chunk);
      yield chunk;
    }
  };
}

/**
 * Compresses a streamed entry: the method is decided exactly as compressSync decides it (probe, then
 * whole), but deflate runs on zlib's thread pool over chunks. With `emit`, writes the chosen bytes.
 */
export async function compressStreamed(
  source: EntrySource,
  cfg: DeflateConfig,
  token?: CancellationTokenLike,
  emit?: { method: ZipMethod; write: (chunk: Buffer) => Promise<void> },
): Promise<Compressed> {
  let method: ZipMethod;
  if (emit) {
    method = emit.method;
  } else {
    const prefix = await readPrefix(source, cfg.probeBytes + 1);
    if (prefix.length <= cfg.probeBytes) {
      // Short after all (a stream source): the in-memory rule is the rule.
      const r = compressSync(zlib, prefix, cfg, false);
      return { crc32: r.crc32, method: r.method, size: r.size, compressedSize: r.compressedSize };
    }
    method = probeSaysStore(zlib, prefix, cfg) ? 0 : 8;
  }
  let crc32 = 0;
  let size = 0;
  let compressedSize = 0;
  const input = tap((b) => {
    crc32 = zlib.crc32(b, crc32);
    size += b.length;
  }, token);
  const output = async (out: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of out) {
      compressedSize += chunk.length;
      if (emit) await emit.write(chunk);
    }
  };
  if (method === 8) await pipeline(openSource(source), input, zlib.createDeflateRaw(zlibOptions(cfg)), output);
  else await pipeline(openSource(source), input, output);
  // Measuring: store when the whole deflate did not shrink it, like compressSync.
  if (!emit && method === 8 && compressedSize >= size) return { crc32, method: 0, size, compressedSize: size };
  return { crc32, method, size, compressedSize };
}

/** Compresses bytes held in memory (bundler output), keeping the bytes when asked. */
export function compressBuffer(data: Uint8Array, keep: boolean): CompressResult {
  return compressSync(zlib, data, DEFLATE_CONFIG, keep);
}
