import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

/** Which cache entry was used, and whether it was already there. */
export interface CachedDependencies {
  dir: string;
  reused: boolean;
}

/**
 * Installed dependencies, shared by every function with the same inputs (manifest, lock, platform,
 * installer options): `<root>/<kind>/<key>/`. An entry appears only complete, by a rename of the
 * folder it was installed into, so a failed or cancelled install leaves nothing, and two processes
 * installing the same key at once both end up using one finished entry.
 */
export class DependencyCache {
  /** Installs running in this process, so concurrent builds of one key install once. */
  private readonly running = new Map<string, Promise<CachedDependencies>>();

  constructor(readonly root: string) {}

  entry(kind: string, key: string): string {
    return join(this.root, kind, key);
  }

  /** The entry for the key, installed by `install` into an empty folder when it is not there yet. */
  obtain(kind: string, key: string, install: (dir: string) => Promise<void>): Promise<CachedDependencies> {
    const dir = this.entry(kind, key);
    const started = this.running.get(dir);
    if (started) return started.then((r) => ({ ...r, reused: true }));
    const work = this.fill(kind, dir, install).finally(() => this.running.delete(dir));
    this.running.set(dir, work);
    return work;
  }

  private async fill(kind: string, dir: string, install: (dir: string) => Promise<void>): Promise<CachedDependencies> {
    if (await isDir(dir)) {
      // Entries in use stay young: the mtime is what a future size-bounded cleanup would go by.
      const now = new Date();
      await fs.utimes(dir, now, now).catch(() => undefined);
      return { dir, reused: true };
    }
    const tmp = join(this.root, kind, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    await fs.mkdir(tmp, { recursive: true });
    try {
      await install(tmp);
      try {
        await fs.rename(tmp, dir);
      } catch (err) {
        // Another process finished the same entry first: use theirs.
        if (!(await isDir(dir))) throw err;
        return { dir, reused: true };
      }
      return { dir, reused: false };
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await fs.stat(path)).isDirectory();
  } catch {
    return false;
  }
}
