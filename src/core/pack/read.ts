import { open } from 'node:fs/promises';
import { ZIP32_MAX } from './records';

/** One entry of a zip's central directory. */
export interface DirectoryEntry {
  name: string;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  /** Upper byte of "version made by": 3 is Unix. */
  madeBy: number;
  /** Unix mode (the high 16 bits of the external attributes). */
  mode: number;
  /** DOS date and time words as stored. */
  dosDate: number;
  dosTime: number;
}

export interface ZipDirectory {
  entries: DirectoryEntry[];
  centralOffset: number;
  centralSize: number;
  zip64: boolean;
  /** Sum of the entries' uncompressed sizes: what the archive takes once unzipped. */
  unzippedBytes: number;
}

/** Reads `length` bytes at `offset` of the archive (a file, an HTTP range...). */
export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

const END_MIN = 22;
const MAX_COMMENT = 0xffff;

/**
 * Reads a zip's central directory with two or three small reads at the end of the archive: enough
 * to know its unzipped size without downloading it (a layer's archive on S3, for instance).
 */
export async function readZipDirectory(readAt: ReadAt, archiveSize: number): Promise<ZipDirectory> {
  const tailLength = Math.min(archiveSize, END_MIN + MAX_COMMENT + 20);
  const tail = await readAt(archiveSize - tailLength, tailLength);
  const endAt = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0 || endAt + END_MIN > tail.length) throw new Error('not a zip archive: no end of central directory record');
  let count = tail.readUInt16LE(endAt + 10);
  let centralSize = tail.readUInt32LE(endAt + 12);
  let centralOffset = tail.readUInt32LE(endAt + 16);
  let zip64 = false;
  const locatorAt = endAt - 20;
  if (locatorAt >= 0 && tail.readUInt32LE(locatorAt) === 0x07064b50) {
    zip64 = true;
    const recordOffset = Number(tail.readBigUInt64LE(locatorAt + 8));
    const record = await readAt(recordOffset, 56);
    if (record.readUInt32LE(0) !== 0x06064b50) throw new Error('corrupt zip64 end of central directory record');
    count = Number(record.readBigUInt64LE(32));
    centralSize = Number(record.readBigUInt64LE(40));
    centralOffset = Number(record.readBigUInt64LE(48));
  }
  const cd = await readAt(centralOffset, centralSize);
  const entries: DirectoryEntry[] = [];
  let unzippedBytes = 0;
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (cd.readUInt32LE(p) !== 0x02014b50) throw new Error(`corrupt central directory at entry ${i}`);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const flags = cd.readUInt16LE(p + 8);
    const e: DirectoryEntry = {
      name: cd.toString(flags & (1 << 11) ? 'utf8' : 'latin1', p + 46, p + 46 + nameLength),
      flags,
      method: cd.readUInt16LE(p + 10),
      dosTime: cd.readUInt16LE(p + 12),
      dosDate: cd.readUInt16LE(p + 14),
      crc32: cd.readUInt32LE(p + 16),
      compressedSize: cd.readUInt32LE(p + 20),
      size: cd.readUInt32LE(p + 24),
      localHeaderOffset: cd.readUInt32LE(p + 42),
      madeBy: cd.readUInt8(p + 5),
      mode: cd.readUInt32LE(p + 38) >>> 16,
    };
    readZip64Extra(e, cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
    entries.push(e);
    unzippedBytes += e.size;
    p += 46 + nameLength + extraLength + commentLength;
  }
  return { entries, centralOffset, centralSize, zip64, unzippedBytes };
}

/** Replaces the 32-bit markers with the zip64 extra's values, in APPNOTE's fixed order. */
function readZip64Extra(e: DirectoryEntry, extra: Buffer): void {
  for (let q = 0; q + 4 <= extra.length; ) {
    const tag = extra.readUInt16LE(q);
    const len = extra.readUInt16LE(q + 2);
    if (tag === 0x0001) {
      let r = q + 4;
      const next = (): number => {
        const v = Number(extra.readBigUInt64LE(r));
        r += 8;
        return v;
      };
      if (e.size === ZIP32_MAX) e.size = next();
      if (e.compressedSize === ZIP32_MAX) e.compressedSize = next();
      if (e.localHeaderOffset === ZIP32_MAX) e.localHeaderOffset = next();
    }
    q += 4 + len;
  }
}

/** The central directory of a zip file on disk, and the file's size. */
export async function readZipFileDirectory(path: string): Promise<ZipDirectory & { archiveBytes: number }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const dir = await readZipDirectory(async (offset, length) => {
      const buf = Buffer.alloc(length);
      await handle.read(buf, 0, length, offset);
      return buf;
    }, size);
    return { ...dir, archiveBytes: size };
  } finally {
    await handle.close();
  }
}
