import { createHash, type Hash } from 'node:crypto';
import { lstatSync, promises as fs, readdirSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { NameMatcher } from './excludes';

/**
 * A cheap identity of a source folder: each entry's path, type, size, mode and modification time,
 * not its bytes, so an unchanged function is recognised without reading its files. Any save changes
 * it (mtimes have sub-millisecond resolution). Excluded names are not entered; a link counts by its
 * target's path.
 */
export async function sourceFingerprint(dir: string, excluded: NameMatcher): Promise<string> {
  const hash = createHash('sha256');
  await walk(dir, '', excluded, hash, { until: performance.now() + SLICE_MS, entries: 0 });
  return hash.digest('hex');
}

/**
 * The walk is synchronous, a slice at a time. Every warm invoke and every build check fingerprints
 * a function's folder: a typical one of a few files takes tens of microseconds this way, where an
 * awaited readdir and lstat cost a thread-pool round trip each (about 50 µs apiece, and most of a
 * warm invoke's overhead). A large tree yields to the event loop every SLICE_MS, so the editor
 * never waits on it longer than that.
 */
const SLICE_MS = 4;

interface Slice {
  until: number;
  entries: number;
}

async function walk(root: string, rel: string, excluded: NameMatcher, hash: Hash, slice: Slice): Promise<void> {
  let names: string[];
  try {
    names = readdirSync(join(root, rel)).filter((n) => !excluded(n)).sort();
  } catch (err) {
    hash.update(`unreadable:${rel}:${(err as NodeJS.ErrnoException).code ?? ''}\0`);
    return;
  }
  for (const name of names) {
    // performance.now() every 64 entries: cheap, and no slice runs long even in one wide folder.
    if (++slice.entries % 64 === 0 && performance.now() > slice.until) {
      await new Promise<void>((r) => setImmediate(r));
      slice.until = performance.now() + SLICE_MS;
    }
    const path = rel ? `${rel}/${name}` : name;
    let st: Stats;
    try {
      st = lstatSync(join(root, path));
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      hash.update(`d:${path}\0`);
      await walk(root, path, excluded, hash, slice);
    } else if (st.isSymbolicLink()) {
      let target = '';
      try {
        target = readlinkSync(join(root, path));
      } catch {
        // Gone since the lstat: an empty target, as before.
      }
      hash.update(`l:${path}:${target}\0`);
    } else {
      hash.update(`f:${path}:${st.size}:${st.mtimeMs}:${st.mode}\0`);
    }
  }
}

/**
 * A cheap identity of the files a build read from outside its walked sources (esbuild's inputs from
 * node_modules, or from outside the code folder), by their paths relative to the code folder: each
 * file's size, modification time and inode; and every folder it was found through (its own and
 * those above it up to the code folder, the code folder, and the code folder's parents as high as
 * any read reaches) by its modification time and its package.json. A package added, removed or
 * replaced where resolution looks changes it, and only these are looked at, not the thousands of
 * files in node_modules that the bundle never read.
 */
export function readsFingerprint(codeDir: string, paths: readonly string[]): string {
  const hash = createHash('sha256');
  const root = resolve(codeDir);
  const folders = new Set<string>();
  let top = root;
  for (const rel of paths) {
    const file = resolve(root, rel);
    hash.update(`f:${rel}:${identity(file)}\0`);
    for (let dir = dirname(file); ; ) {
      const up = relative(dir, root);
      if (up !== '..' && !up.startsWith(`..${sep}`) && !isAbsolute(up)) {
        // The code folder or one above it: those are added below, from the code folder up.
        if (dir.length < top.length) top = dir;
        break;
      }
      if (folders.has(dir)) break;
      folders.add(dir);
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  for (let dir = root; ; dir = dirname(dir)) {
    folders.add(dir);
    if (dir === top || dirname(dir) === dir) break;
  }
  for (const dir of [...folders].sort()) hash.update(`d:${relative(root, dir)}:${identity(dir)}:${identity(join(dir, 'package.json'))}\0`);
  return hash.digest('hex');
}

/** Size, modification time and inode, or '-' when there is nothing (or nothing readable) there. */
function identity(path: string): string {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    return st ? `${st.size}:${st.mtimeMs}:${st.ino}` : '-';
  } catch {
    return '-';
  }
}

/**
 * What was derived from a file's bytes, kept while the file stays the same by its identity (device,
 * inode, size, modification and change times: what sourceFingerprint trusts for every source file).
 * A build check reads its manifests and state file once, then a synchronous stat each (one syscall,
 * not a thread-pool round trip per open, stat, read and close) on every warm invoke.
 */
export class FileMemo<T> {
  private readonly known = new Map<string, { id: string; value: T; size: number }>();
  private bytesKept = 0;

  /** At most `maxFiles` files and `maxBytes` of their bytes (a build state holds esbuild's metafile); past either, it starts over. */
  constructor(
    private readonly derive: (bytes: Buffer) => T,
    private readonly maxFiles = 1024,
    private readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  /** The value for the file's current bytes; undefined when it is missing or not a file. Errors other than those throw. */
  async get(path: string): Promise<T | undefined> {
    let st: Stats | undefined;
    try {
      // No exception for a missing file: most manifests a builder looks for are missing, and an
      // ENOENT thrown costs more than the stat.
      st = statSync(path, { throwIfNoEntry: false });
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    if (!st?.isFile()) return undefined;
    // Stat before read: if the file changes in between, the identity kept is older than the bytes,
    // and the next stat reads it again.
    const id = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    const known = this.known.get(path);
    if (known?.id === id) return known.value;
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(path);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    const value = this.derive(bytes);
    // What another call may have kept for this path meanwhile is replaced, and no longer counted.
    this.bytesKept -= this.known.get(path)?.size ?? 0;
    this.known.delete(path);
    if (bytes.length > this.maxBytes) return value;
    if (this.known.size >= this.maxFiles || this.bytesKept + bytes.length > this.maxBytes) {
      this.known.clear();
      this.bytesKept = 0;
    }
    this.known.set(path, { id, value, size: bytes.length });
    this.bytesKept += bytes.length;
    return value;
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

const digests = new FileMemo((bytes) => createHash('sha256').update(bytes).digest('hex'));

/** The sha256 of a file's bytes, or null when it does not exist. */
export async function fileDigest(path: string): Promise<string | null> {
  return (await digests.get(path)) ?? null;
}

/** A short hex digest of any JSON-able value (keys in the order given). */
export function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}
