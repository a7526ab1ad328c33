import { UserError } from '../errors';
import { centralHeaderLength, endNeedsZip64, endRecordsLength, localHeaderLength, sizesNeedZip64, ZIP32_MAX } from './records';
import type { PlannedEntry } from './types';

/** Where every record of a zip goes. The size engine reads `bytes`; the writer follows the offsets. */
export interface ZipLayout {
  localOffsets: number[];
  centralOffset: number;
  centralSize: number;
  endLength: number;
  bytes: number;
  zip64: boolean;
}

/** Lays out sorted entries: local header + data for each, the central directory, the end records. */
export function layoutZip(entries: readonly PlannedEntry[]): ZipLayout {
  const localOffsets = new Array<number>(entries.length);
  let offset = 0;
  let zip64 = false;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    localOffsets[i] = offset;
    if (sizesNeedZip64(e) || offset >= ZIP32_MAX) zip64 = true;
    offset += localHeaderLength(e) + e.compressedSize;
  }
  const centralOffset = offset;
  let centralSize = 0;
  for (let i = 0; i < entries.length; i++) centralSize += centralHeaderLength(entries[i], localOffsets[i]);
  const endLength = endRecordsLength(entries.length, centralOffset, centralSize);
  if (endNeedsZip64(entries.length, centralOffset, centralSize)) zip64 = true;
  const bytes = centralOffset + centralSize + endLength;
  if (!Number.isSafeInteger(bytes)) throw new UserError(`The package would be ${bytes} bytes, more than this tool can address.`);
  return { localOffsets, centralOffset, centralSize, endLength, bytes, zip64 };
}

/** Names outside ASCII are UTF-8 and say so (flag bit 11); plain ASCII names leave the flag clear, like zip does. */
const ASCII_ONLY = /^[\x01-\x7f]*$/;

/**
 * Checks a zip entry name and encodes it. Names are what Lambda's unzip will create under
 * /var/task, so anything that could escape it or be read two ways is refused.
 */
export function encodeName(name: string): { nameBytes: Buffer; utf8: boolean } {
  const bad = (why: string): never => {
    throw new UserError(`Cannot package '${name}': ${why}.`, 'Rename the file, or exclude it from the package.');
  };
  if (name === '') bad('the name is empty');
  if (name.startsWith('/')) bad('the name is absolute');
  if (name.includes('\\')) bad('backslashes in names are read as folder separators by some unzip tools');
  if (name.includes('\0')) bad('the name contains a NUL character');
  if (name.includes('\uFFFD')) bad('the name is not valid UTF-8');
  // One test for the common case; the segment is found only to say which one it is.
  if (BAD_SEGMENT.test(name)) {
    const segment = name.split('/').find((s) => s === '' || s === '.' || s === '..');
    bad(`'${segment}' is not a valid path segment`);
  }
  const ascii = ASCII_ONLY.test(name);
  const nameBytes = Buffer.from(name, ascii ? 'latin1' : 'utf8');
  if (nameBytes.length > 0xffff) bad('the name is longer than 65,535 bytes');
  return { nameBytes, utf8: !ascii };
}

/** An empty, '.' or '..' path segment anywhere in a name. */
const BAD_SEGMENT = /(?:^|\/)\.{0,2}(?:\/|$)/;
