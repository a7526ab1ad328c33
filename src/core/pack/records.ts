// The zip records this writer emits (PKWARE APPNOTE 6.3). Every record has a length function and an
// encoder that allocates exactly that length: the size prediction and the writer both go through
// them, so the predicted size cannot drift from the written bytes.
import type { PlannedEntry } from './types';

/** A 32-bit field holding this value means "the real value is in the zip64 record". */
export const ZIP32_MAX = 0xffff_ffff;
/** The same marker for the 16-bit entry counts of the end record. */
export const COUNT16_MAX = 0xffff;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_ZIP64_END = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EXTRA_TAG = 0x0001;

const LOCAL_FIXED = 30;
const CENTRAL_FIXED = 46;
export const END_LENGTH = 22;
export const ZIP64_END_LENGTH = 56;
export const ZIP64_LOCATOR_LENGTH = 20;

/** Upper byte 3: the attributes are Unix modes. Lower byte: spec version 4.5 (zip64). */
const MADE_BY = (3 << 8) | 45;
/** 1980-01-01 00:00:00, the earliest DOS date: fixed so timestamps never change the bytes. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
/** General purpose flag bit 11: the name is UTF-8. */
const FLAG_UTF8 = 1 << 11;
const S_IFREG = 0o100000;

/** Whether the entry's sizes need zip64 (a 32-bit field cannot hold them, or holds the marker value). */
export function sizesNeedZip64(e: Pick<PlannedEntry, 'size' | 'compressedSize'>): boolean {
  return e.size >= ZIP32_MAX || e.compressedSize >= ZIP32_MAX;
}

function versionNeeded(e: PlannedEntry, offset: number): number {
  if (sizesNeedZip64(e) || offset >= ZIP32_MAX) return 45;
  return e.method === 8 ? 20 : 10;
}

function flags(e: PlannedEntry): number {
  return e.utf8 ? FLAG_UTF8 : 0;
}

/** Unix mode in the high 16 bits, as Info-ZIP and Lambda's unzip read it. */
function externalAttributes(e: PlannedEntry): number {
  return ((S_IFREG | (e.executable ? 0o755 : 0o644)) * 0x10000) >>> 0;
}

export function localHeaderLength(e: PlannedEntry): number {
  return LOCAL_FIXED + e.nameBytes.length + (sizesNeedZip64(e) ? 20 : 0);
}

export function encodeLocalHeader(e: PlannedEntry, offset: number): Buffer {
  const zip64 = sizesNeedZip64(e);
  const b = Buffer.alloc(localHeaderLength(e));
  let p = 0;
  p = b.writeUInt32LE(SIG_LOCAL, p);
  p = b.writeUInt16LE(versionNeeded(e, offset), p);
  p = b.writeUInt16LE(flags(e), p);
  p = b.writeUInt16LE(e.method, p);
  p = b.writeUInt16LE(DOS_TIME, p);
  p = b.writeUInt16LE(DOS_DATE, p);
  p = b.writeUInt32LE(e.crc32, p);
  p = b.writeUInt32LE(zip64 ? ZIP32_MAX : e.compressedSize, p);
  p = b.writeUInt32LE(zip64 ? ZIP32_MAX : e.size, p);
  p = b.writeUInt16LE(e.nameBytes.length, p);
  p = b.writeUInt16LE(zip64 ? 20 : 0, p);
  p += e.nameBytes.copy(b, p);
  if (zip64) {
    // In a local header the zip64 extra must carry both sizes (APPNOTE 4.5.3).
    p = b.writeUInt16LE(ZIP64_EXTRA_TAG, p);
    p = b.writeUInt16LE(16, p);
    p = b.writeBigUInt64LE(BigInt(e.size), p);
    p = b.writeBigUInt64LE(BigInt(e.compressedSize), p);
  }
  return filled(b, p, 'local header');
}

/** The 8-byte values the central zip64 extra carries, in the order APPNOTE fixes. */
function centralZip64Fields(e: PlannedEntry, offset: number): number[] {
  const fields: number[] = [];
  if (sizesNeedZip64(e)) fields.push(e.size, e.compressedSize);
  if (offset >= ZIP32_MAX) fields.push(offset);
  return fields;
}

export function centralHeaderLength(e: PlannedEntry, offset: number): number {
  const n = centralZip64Fields(e, offset).length;
  return CENTRAL_FIXED + e.nameBytes.length + (n > 0 ? 4 + 8 * n : 0);
}

export function encodeCentralHeader(e: PlannedEntry, offset: number): Buffer {
  const zip64Sizes = sizesNeedZip64(e);
  const extra = centralZip64Fields(e, offset);
  const b = Buffer.alloc(centralHeaderLength(e, offset));
  let p = 0;
  p = b.writeUInt32LE(SIG_CENTRAL, p);
  p = b.writeUInt16LE(MADE_BY, p);
  p = b.writeUInt16LE(versionNeeded(e, offset), p);
  p = b.writeUInt16LE(flags(e), p);
  p = b.writeUInt16LE(e.method, p);
  p = b.writeUInt16LE(DOS_TIME, p);
  p = b.writeUInt16LE(DOS_DATE, p);
  p = b.writeUInt32LE(e.crc32, p);
  p = b.writeUInt32LE(zip64Sizes ? ZIP32_MAX : e.compressedSize, p);
  p = b.writeUInt32LE(zip64Sizes ? ZIP32_MAX : e.size, p);
  p = b.writeUInt16LE(e.nameBytes.length, p);
  p = b.writeUInt16LE(extra.length > 0 ? 4 + 8 * extra.length : 0, p);
  p = b.writeUInt16LE(0, p); // comment length
  p = b.writeUInt16LE(0, p); // disk number start
  p = b.writeUInt16LE(0, p); // internal attributes
  p = b.writeUInt32LE(externalAttributes(e), p);
  p = b.writeUInt32LE(offset >= ZIP32_MAX ? ZIP32_MAX : offset, p);
  p += e.nameBytes.copy(b, p);
  if (extra.length > 0) {
    p = b.writeUInt16LE(ZIP64_EXTRA_TAG, p);
    p = b.writeUInt16LE(8 * extra.length, p);
    for (const v of extra) p = b.writeBigUInt64LE(BigInt(v), p);
  }
  return filled(b, p, 'central header');
}

/** Whether the archive needs the zip64 end records: too many entries, or a directory beyond 32 bits. */
export function endNeedsZip64(count: number, centralOffset: number, centralSize: number): boolean {
  return count >= COUNT16_MAX || centralOffset >= ZIP32_MAX || centralSize >= ZIP32_MAX;
}

export function endRecordsLength(count: number, centralOffset: number, centralSize: number): number {
  return END_LENGTH + (endNeedsZip64(count, centralOffset, centralSize) ? ZIP64_END_LENGTH + ZIP64_LOCATOR_LENGTH : 0);
}

/** The zip64 end record and locator when needed, then the classic end record. */
export function encodeEndRecords(count: number, centralOffset: number, centralSize: number): Buffer {
  const zip64 = endNeedsZip64(count, centralOffset, centralSize);
  const b = Buffer.alloc(endRecordsLength(count, centralOffset, centralSize));
  let p = 0;
  if (zip64) {
    const zip64EndOffset = centralOffset + centralSize;
    p = b.writeUInt32LE(SIG_ZIP64_END, p);
    p = b.writeBigUInt64LE(BigInt(ZIP64_END_LENGTH - 12), p); // the record's size after this field
    p = b.writeUInt16LE(MADE_BY, p);
    p = b.writeUInt16LE(45, p);
    p = b.writeUInt32LE(0, p); // this disk
    p = b.writeUInt32LE(0, p); // disk holding the central directory
    p = b.writeBigUInt64LE(BigInt(count), p);
    p = b.writeBigUInt64LE(BigInt(count), p);
    p = b.writeBigUInt64LE(BigInt(centralSize), p);
    p = b.writeBigUInt64LE(BigInt(centralOffset), p);
    p = b.writeUInt32LE(SIG_ZIP64_LOCATOR, p);
    p = b.writeUInt32LE(0, p);
    p = b.writeBigUInt64LE(BigInt(zip64EndOffset), p);
    p = b.writeUInt32LE(1, p); // total disks
  }
  const count16 = count >= COUNT16_MAX ? COUNT16_MAX : count;
  p = b.writeUInt32LE(SIG_END, p);
  p = b.writeUInt16LE(0, p);
  p = b.writeUInt16LE(0, p);
  p = b.writeUInt16LE(count16, p);
  p = b.writeUInt16LE(count16, p);
  p = b.writeUInt32LE(centralSize >= ZIP32_MAX ? ZIP32_MAX : centralSize, p);
  p = b.writeUInt32LE(centralOffset >= ZIP32_MAX ? ZIP32_MAX : centralOffset, p);
  p = b.writeUInt16LE(0, p); // comment length
  return filled(b, p, 'end records');
}

function filled(b: Buffer, written: number, what: string): Buffer {
  if (written !== b.length) throw new Error(`zip ${what}: wrote ${written} of ${b.length} bytes`);
  return b;
}
