import { createHash, type Hash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { NameMatcher } from './excludes';

/**
 * A cheap identity of a source folder: each entry's path, type, size, mode and modification time,
 * not its bytes, so an unchanged function is recognised without reading its files. Any save changes
 * it (mtimes have sub-millisecond resolution). Excluded names are not entered; a link counts by its
 * target's path.
 */
export async function sourceFingerprint(dir: string, excluded: NameMatcher): Promise<string> {
  const hash = createHash('sha256');
  await walk(dir, '', excluded, hash);
  return hash.digest('hex');
}

async function walk(root: string, rel: string, excluded: NameMatcher, hash: Hash): Promise<void> {
  let names: string[];
  try {
    names = (await fs.readdir(join(root, rel))).filter((n) => !excluded(n)).sort();
  } catch (err) {
    hash.update(`unreadable:${rel}:${(err as NodeJS.ErrnoException).code ?? ''}\0`);
    return;
  }
  // Stats in parallel, hashed in name order: the digest does not depend on which stat returns first.
  const stats = await Promise.all(names.map((n) => fs.lstat(join(root, rel, n)).catch(() => undefined)));
  for (let i = 0; i < names.length; i++) {
    const st = stats[i];
    if (!st) continue;
    const path = rel ? `${rel}/${names[i]}` : names[i];
    if (st.isDirectory()) {
      hash.update(`d:${path}\0`);
      await walk(root, path, excluded, hash);
    } else if (st.isSymbolicLink()) {
      const target = await fs.readlink(join(root, path)).catch(() => '');
      hash.update(`l:${path}:${target}\0`);
    } else {
      hash.update(`f:${path}:${st.size}:${st.mtimeMs}:${st.mode}\0`);
    }
  }
}

/** The sha256 of a file's bytes, or null when it does not exist. */
export async function fileDigest(path: string): Promise<string | null> {
  try {
    return createHash('sha256').update(await fs.readFile(path)).digest('hex');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return null;
    throw err;
  }
}

/** A short hex digest of any JSON-able value (keys in the order given). */
export function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}
