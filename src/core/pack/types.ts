import type { Readable } from 'node:stream';

/** Where an entry's bytes come from. */
export type EntrySource =
  /** A file on disk (read through symlinks). */
  | { kind: 'file'; path: string }
  /** Bytes already in memory, such as bundler output. */
  | { kind: 'buffer'; data: Uint8Array }
  /** Generated content, opened once to plan and once to write; must give the same bytes each time. */
  | { kind: 'stream'; open: () => Readable };

/** What identifies a file's content without reading it: the compression cache's key. */
export interface FileStamp {
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
}

/** One file to put in the zip. */
export interface PackInput {
  /** Path inside the zip: relative, '/'-separated. */
  name: string;
  source: EntrySource;
  /** Uncompressed bytes, as stat reported them (the plan re-checks when it reads). */
  size: number;
  /** Stored as 0755 when true, 0644 otherwise. */
  executable: boolean;
  /** For file sources: lets the cache skip re-reading an unchanged file. */
  stamp?: FileStamp;
}

/** Method 0 stores the bytes as they are; 8 deflates them. */
export type ZipMethod = 0 | 8;

/** An input with everything the zip records need: the unit both size prediction and the writer use. */
export interface PlannedEntry extends PackInput {
  nameBytes: Buffer;
  /** The name has non-ASCII characters: flag bit 11 says it is UTF-8. */
  utf8: boolean;
  method: ZipMethod;
  crc32: number;
  compressedSize: number;
}

export interface ZipPlan {
  /** Sorted by the UTF-8 bytes of their names. */
  entries: PlannedEntry[];
  /** Exact size of the zip the writer produces from this plan. */
  bytes: number;
  /** Sum of the entries' uncompressed sizes. */
  unzippedBytes: number;
  /** Whether any zip64 record is needed (an entry or the archive beyond 32-bit fields). */
  zip64: boolean;
  /** How the plan was made: how many entries were compressed now and how many came from the cache. */
  stats: PlanStats;
}

export interface PlanStats {
  entries: number;
  /** Entries whose bytes were read and compressed for this plan. */
  compressed: number;
  /** Entries whose compressed size came from the cache. */
  cacheHits: number;
  /** Uncompressed bytes read and compressed for this plan. */
  bytesCompressed: number;
}

/** The result of compressing one entry's bytes: what the headers record. */
export interface Compressed {
  crc32: number;
  method: ZipMethod;
  size: number;
  compressedSize: number;
}
