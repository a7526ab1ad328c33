import { type Dirent, readdir } from 'node:fs';
import { resolve, sep } from 'node:path';
import { type CancellationTokenLike, CancelledError } from '../cancel';

export const TEMPLATE_NAMES: readonly string[] = ['template.yaml', 'template.yml'];

/**
 * Folders never searched: dependencies, SAM's own build output (.aws-sam holds built copies of the
 * template), and the usual build output folders. Dot-folders are skipped too (.git, .venv, .idea).
 */
export const SKIPPED_DIRS: readonly string[] = ['node_modules', 'dist', 'build', 'out', 'cdk.out', 'target', '__pycache__', 'venv'];

export interface DiscoverOptions {
  /** Folder names to skip instead of SKIPPED_DIRS (dot-folders are always skipped). */
  skip?: readonly string[];
  /** How many directories are read at once. */
  concurrency?: number;
  token?: CancellationTokenLike;
}

/**
 * Every template.yaml / template.yml under the roots (workspace folders), nested projects included,
 * as sorted absolute paths without duplicates (roots may nest). Directories are read in parallel with
 * their entry types, so no file is ever stat'ed; symbolic links are not followed (no cycles). A root
 * or folder that cannot be read is skipped.
 */
export async function discoverTemplates(roots: readonly string[], opts: DiscoverOptions = {}): Promise<string[]> {
  const skip = new Set(opts.skip ?? SKIPPED_DIRS);
  const found = new Set<string>();
  const visited = new Set<string>();
  const limit = Math.max(1, opts.concurrency ?? 32);
  const queue: string[] = [];
  let active = 0;

  await new Promise<void>((done, fail) => {
    const pump = (): void => {
      if (opts.token?.isCancellationRequested) queue.length = 0;
      while (active < limit && queue.length > 0) {
        const dir = queue.pop()!;
        active++;
        // The callback form: a workspace has hundreds of folders, and fs.promises adds a promise
        // and two reactions to each read (a quarter of discovery's time).
        readdir(dir, { withFileTypes: true }, (err, entries) => {
          if (!err) visit(dir, entries);
          active--;
          pump();
        });
      }
      if (active > 0 || queue.length > 0) return;
      if (opts.token?.isCancellationRequested) fail(new CancelledError('template discovery'));
      else done();
    };
    const visit = (dir: string, entries: Dirent[]): void => {
      // Names from readdir hold no separator and are never . or ..: joined without path.join's normalising.
      const prefix = dir.endsWith(sep) ? dir : dir + sep;
      for (const e of entries) {
        if (e.isDirectory()) {
          if (!e.name.startsWith('.') && !skip.has(e.name)) enqueue(prefix + e.name);
        } else if (e.isFile() && TEMPLATE_NAMES.includes(e.name)) {
          found.add(prefix + e.name);
        }
      }
    };
    const enqueue = (dir: string): void => {
      if (visited.has(dir)) return;
      visited.add(dir);
      queue.push(dir);
    };
    for (const root of roots) enqueue(resolve(root));
    pump();
  });
  return [...found].sort();
}
