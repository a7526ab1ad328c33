import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { COMPRESSION_ID } from './compress';
import type { Compressed, FileStamp } from './types';

const MAGIC = 0x4c574243; // "LWBC"
const FORMAT = 1;

interface CacheRecord extends Compressed {
  stamp: FileStamp;
}

/**
 * What compressing a file gave, keyed by its path and stamp (size, mtime, ctime, inode): an entry
 * is reused only while all four are unchanged, so an edited, replaced or re-installed file is
 * compressed again. One cache holds one package root; saving keeps only the entries the latest
 * run (since beginRun) used, so deleted files do not pile up.
 *
 * On disk: a small binary file (magic, format, compression id, then fixed-layout records), because
 * parsing it must stay far below the warm re-measure budget for tens of thousands of files.
 */
export class CompressionCache {
  private records = new Map<string, CacheRecord>();
  private used: Set<string> | undefined;
  private dirty = false;

  private constructor(readonly file: string | undefined) {}

  /** An empty cache that lives only in memory. */
  static inMemory(): CompressionCache {
    return new CompressionCache(undefined);
  }

  /** Loads the cache file; a missing, corrupt or foreign (other compression id) file gives an empty cache. */
  static async load(file: string): Promise<CompressionCache> {
    const cache = new CompressionCache(file);
    let buf: Buffer;
    try {
      buf = await fs.readFile(file);
    } catch {
      return cache;
    }
    cache.records = decode(buf) ?? new Map();
    return cache;
  }

  get size(): number {
    return this.records.size;
  }

  get(path: string, stamp: FileStamp): Compressed | undefined {
    const r = this.records.get(path);
    if (!r || !sameStamp(r.stamp, stamp)) return undefined;
    this.used?.add(path);
    return r;
  }

  set(path: string, stamp: FileStamp, c: Compressed): void {
    this.records.set(path, { stamp, crc32: c.crc32, method: c.method, size: c.size, compressedSize: c.compressedSize });
    this.used?.add(path);
    this.dirty = true;
  }

  delete(path: string): void {
    if (this.records.delete(path)) this.dirty = true;
  }

  /** Marks an entry as used by this run without looking it up (a planner reusing its last plan). */
  touch(path: string): void {
    this.used?.add(path);
  }

  /** Starts a run: entries it neither gets, sets nor touches are dropped at the next save. */
  beginRun(): void {
    this.used = new Set();
  }

  /** Whether a save would write anything. */
  get isDirty(): boolean {
    return this.dirty || (this.used !== undefined && this.used.size !== this.records.size);
  }

  /**
   * Drops what the current run did not use, then writes the file (a temp file renamed over the
   * old one). The run ends: until the next beginRun nothing is tracked (or dropped).
   */
  async save(): Promise<void> {
    const used = this.used;
    this.used = undefined;
    if (used) {
      for (const path of this.records.keys()) {
        if (!used.has(path)) {
          this.records.delete(path);
          this.dirty = true;
        }
      }
    }
    if (!this.file || !this.dirty) return;
    await fs.mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await fs.writeFile(tmp, encode(this.records));
      await fs.rename(tmp, this.file);
      this.dirty = false;
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
  }
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino;
}

// Record layout after the path: size f64, mtimeNs i64, ctimeNs i64, ino u64, crc u32,
// compressedSize f64, method u8.
const FIXED = 8 + 8 + 8 + 8 + 4 + 8 + 1;

function encode(records: Map<string, CacheRecord>): Buffer {
  const id = Buffer.from(COMPRESSION_ID, 'utf8');
  const paths = [...records.keys()].map((p) => Buffer.from(p, 'utf8'));
  const total = 4 + 4 + 2 + id.length + 4 + paths.reduce((n, p) => n + 2 + p.length + FIXED, 0);
  const b = Buffer.alloc(total);
  let o = b.writeUInt32LE(MAGIC, 0);
  o = b.writeUInt32LE(FORMAT, o);
  o = b.writeUInt16LE(id.length, o);
  o += id.copy(b, o);
  o = b.writeUInt32LE(records.size, o);
  let i = 0;
  for (const r of records.values()) {
    const p = paths[i++];
    o = b.writeUInt16LE(p.length, o);
    o += p.copy(b, o);
    o = b.writeDoubleLE(r.stamp.size, o);
    o = b.writeBigInt64LE(r.stamp.mtimeNs, o);
    o = b.writeBigInt64LE(r.stamp.ctimeNs, o);
    o = b.writeBigUInt64LE(r.stamp.ino, o);
    o = b.writeUInt32LE(r.crc32, o);
    o = b.writeDoubleLE(r.compressedSize, o);
    o = b.writeUInt8(r.method, o);
  }
  return b;
}

function decode(b: Buffer): Map<string, CacheRecord> | undefined {
  try {
    if (b.readUInt32LE(0) !== MAGIC || b.readUInt32LE(4) !== FORMAT) return undefined;
    const idLength = b.readUInt16LE(8);
    let o = 10;
    if (b.toString('utf8', o, o + idLength) !== COMPRESSION_ID) return undefined;
    o += idLength;
    const count = b.readUInt32LE(o);
    o += 4;
    const records = new Map<string, CacheRecord>();
    for (let i = 0; i < count; i++) {
      const len = b.readUInt16LE(o);
      o += 2;
      const path = b.toString('utf8', o, o + len);
      o += len;
      if (o + FIXED > b.length) return undefined;
      const size = b.readDoubleLE(o);
      const stamp: FileStamp = { size, mtimeNs: b.readBigInt64LE(o + 8), ctimeNs: b.readBigInt64LE(o + 16), ino: b.readBigUInt64LE(o + 24) };
      const method = b.readUInt8(o + 44);
      if (method !== 0 && method !== 8) return undefined;
      records.set(path, { stamp, size, crc32: b.readUInt32LE(o + 32), compressedSize: b.readDoubleLE(o + 36), method });
      o += FIXED;
    }
    return records;
  } catch {
    // A truncated file reads past the end: start over rather than trust part of it.
    return undefined;
  }
}
