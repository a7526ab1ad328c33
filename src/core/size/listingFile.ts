import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { type EntryType, type ListedEntry, listedEntry, type ListingCache } from './walk';

const MAGIC = 0x4c57424c; // "LWBL"
const FORMAT = 1;
const TYPES: EntryType[] = ['dir', 'file', 'link', 'other'];

/**
 * Folder listings saved between processes, so a new process (the CLI, the editor after a restart)
 * re-lists only the folders whose mtime or ctime moved. Only trusted listings are kept (see
 * trustedNow); paths are stored relative to the package root, which the file also records.
 *
 * Layout: magic, format, root, count, then per folder: path, mtime ns, ctime ns, entry count,
 * and per entry its name and type.
 */
export async function loadListings(file: string, root: string): Promise<ListingCache> {
  let b: Buffer;
  try {
    b = await fs.readFile(file);
  } catch {
    return new Map();
  }
  return decode(b, root) ?? new Map();
}

export async function saveListings(file: string, root: string, listings: ListingCache, dirs: readonly string[]): Promise<void> {
  const buf = encode(root, listings, dirs);
  await fs.mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, buf);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

function encode(root: string, listings: ListingCache, dirs: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(8);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(FORMAT, 4);
  parts.push(head, str(root));
  const kept = dirs.filter((d) => listings.get(d)?.trusted && (d === root || d.startsWith(`${root}/`)));
  parts.push(u32(kept.length));
  for (const d of kept) {
    const l = listings.get(d) as NonNullable<ReturnType<ListingCache['get']>>;
    const times = Buffer.alloc(20);
    times.writeBigInt64LE(l.mtimeNs, 0);
    times.writeBigInt64LE(l.ctimeNs, 8);
    times.writeUInt32LE(l.entries.length, 16);
    parts.push(str(d === root ? '' : d.slice(root.length + 1)), times);
    for (const e of l.entries) parts.push(str(e.name), Buffer.of(TYPES.indexOf(e.type)));
  }
  return Buffer.concat(parts);
}

function decode(b: Buffer, root: string): ListingCache | undefined {
  try {
    if (b.readUInt32LE(0) !== MAGIC || b.readUInt32LE(4) !== FORMAT) return undefined;
    let o = 8;
    const text = (): string => {
      const len = b.readUInt32LE(o);
      o += 4;
      if (o + len > b.length) throw new RangeError('truncated');
      const s = b.toString('utf8', o, o + len);
      o += len;
      return s;
    };
    if (text() !== root) return undefined;
    const count = b.readUInt32LE(o);
    o += 4;
    const out: ListingCache = new Map();
    for (let i = 0; i < count; i++) {
      const rel = text();
      const abs = rel === '' ? root : `${root}/${rel}`;
      const mtimeNs = b.readBigInt64LE(o);
      const ctimeNs = b.readBigInt64LE(o + 8);
      const n = b.readUInt32LE(o + 16);
      o += 20;
      const entries: ListedEntry[] = new Array<ListedEntry>(n);
      for (let k = 0; k < n; k++) {
        const name = text();
        const type = TYPES[b.readUInt8(o++)];
        if (!type) return undefined;
        entries[k] = listedEntry(rel, abs, name, type);
      }
      out.set(abs, { mtimeNs, ctimeNs, trusted: true, entries });
    }
    return out;
  } catch {
    // A truncated or damaged file: list the folders again rather than trust part of it.
    return undefined;
  }
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
}

function str(s: string): Buffer {
  const body = Buffer.from(s, 'utf8');
  return Buffer.concat([u32(body.length), body]);
}
