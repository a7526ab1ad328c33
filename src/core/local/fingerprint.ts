import { createHash, type Hash } from 'node:crypto';
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A cheap identity of a folder's content: every entry's path, size and modification time (not
 * the bytes). Any save changes it, so the next invoke after an edit starts a fresh container.
 */
export function folderFingerprint(dir: string, hash: Hash = createHash('sha256')): Hash {
  hash.update(`dir:${dir}\0`);
  walk(dir, '', hash);
  return hash;
}

function walk(root: string, rel: string, hash: Hash): void {
  let names: string[];
  try {
    names = readdirSync(join(root, rel)).sort();
  } catch (err) {
    hash.update(`unreadable:${rel}:${(err as NodeJS.ErrnoException).code ?? ''}\0`);
    return;
  }
  for (const name of names) {
    const path = rel ? `${rel}/${name}` : name;
    let st;
    try {
      st = lstatSync(join(root, path));
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      hash.update(`d:${path}\0`);
      walk(root, path, hash);
    } else if (st.isSymbolicLink()) {
      let target = '';
      try {
        target = readlinkSync(join(root, path));
      } catch {
        // dangling or unreadable: the name alone still counts
      }
      hash.update(`l:${path}:${target}\0`);
    } else {
      hash.update(`f:${path}:${st.size}:${st.mtimeMs}:${st.mode}\0`);
    }
  }
}

/** A short hex digest of several parts (folders by fingerprint, values by JSON). */
export function fingerprint(parts: { folders?: string[]; values?: unknown }): string {
  const hash = createHash('sha256');
  for (const f of parts.folders ?? []) folderFingerprint(f, hash);
  hash.update(JSON.stringify(parts.values ?? null));
  return hash.digest('hex').slice(0, 24);
}
