// The deterministic zip writer: the deploy artifact, whose exact size the size engine predicts.
//
// planZip() sorts the inputs and compresses each (workers, cache); the plan's `bytes` is the zip's
// exact size. writeZip()/writeZipFile() write that plan, checking every entry against it. Both go
// through the same record encoders (records.ts), so prediction and artifact cannot disagree.
//
// What the bytes are:
// - entries sorted by the UTF-8 bytes of their '/'-separated names; no folder entries (an empty
//   folder is not packed, as SAM's packager packs files only);
// - every timestamp 1980-01-01 00:00 (DOS time), no extra timestamp fields;
// - "made by" Unix, mode 0755 when the file has any exec bit, else 0644;
// - each entry deflated (level 6) unless that does not make it smaller, then stored; entries over
//   64 KiB whose first 64 KiB do not shrink are stored without deflating the rest (already
//   compressed content); zero-byte files are stored;
// - names outside ASCII set the UTF-8 flag (bit 11);
// - zip64 records where a size or offset reaches 0xFFFFFFFF or the entry count reaches 0xFFFF,
//   so a file over 4 GiB is packed, not refused.
// Same input, same zlib: same bytes, same CodeSha256.
export { CompressionCache } from './cache';
export { COMPRESSION_ID, DEFLATE_CONFIG, STREAM_THRESHOLD } from './compress';
export { encodeName, layoutZip, type ZipLayout } from './layout';
export { planZip, type PlanOptions } from './plan';
export { type DirectoryEntry, readZipDirectory, readZipFileDirectory, type ReadAt, type ZipDirectory } from './read';
export type * from './types';
export { defaultPoolSize, WorkerPool } from './workerPool';
export { EntryChangedError, writeZip, writeZipFile, type WriteOptions, type WriteResult } from './write';
