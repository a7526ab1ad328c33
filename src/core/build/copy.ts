import { constants, promises as fs } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { type CancellationTokenLike, throwIfCancelled } from '../cancel';
import type { NameMatcher } from './excludes';

/** How many file operations run at once: enough to hide latency, few enough to stay clear of EMFILE. */
const PARALLEL = 32;

export interface CopyOptions {
  excluded?: NameMatcher;
  token?: CancellationTokenLike;
  /** Told about each link that is not followed because it leads out of the folder. */
  onSkip?: (rel: string, why: string) => void;
}

/**
 * Copies a source folder, leaving out excluded names at any depth. Links are followed (as SAM's
 * copy does) when they lead to something inside the folder; a link out of it is skipped and
 * reported: a function's package takes nothing from outside its code folder unless asked.
 */
export async function copyTree(src: string, dst: string, opts: CopyOptions = {}): Promise<void> {
  const root = await fs.realpath(src);
  const limit = limiter(PARALLEL);
  const visit = async (from: string, to: string, rel: string, seen: ReadonlySet<string>): Promise<void> => {
    throwIfCancelled(opts.token, 'the build');
    const entries = await limit(async () => {
      await fs.mkdir(to, { recursive: true });
      return fs.readdir(from, { withFileTypes: true });
    });
    await Promise.all(
      entries.map(async (e) => {
        if (opts.excluded?.(e.name)) return;
        const source = join(from, e.name);
        const target = join(to, e.name);
        const path = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) return visit(source, target, path, seen);
        if (e.isSymbolicLink()) {
          const real = await fs.realpath(source).catch(() => undefined);
          if (!real || !inside(root, real)) return opts.onSkip?.(path, real ? 'it leads out of the code folder' : 'its target does not exist');
          const st = await fs.stat(real);
          if (st.isDirectory()) {
            if (seen.has(real)) return opts.onSkip?.(path, 'it links back to a folder that contains it');
            return visit(real, target, path, new Set([...seen, real]));
          }
          return limit(() => fs.copyFile(real, target, constants.COPYFILE_FICLONE));
        }
        if (e.isFile()) return limit(() => fs.copyFile(source, target, constants.COPYFILE_FICLONE));
        // Sockets, fifos and devices are not code.
      }),
    );
  };
  await visit(root, dst, '', new Set([root]));
}

/** Copies the listed files (relative, '/'-separated), as a packer chose them. */
export async function copyFiles(src: string, dst: string, files: readonly string[], token?: CancellationTokenLike): Promise<void> {
  const limit = limiter(PARALLEL);
  await Promise.all(
    files.map((rel) =>
      limit(async () => {
        throwIfCancelled(token, 'the build');
        const target = join(dst, ...rel.split('/'));
        await fs.mkdir(dirname(target), { recursive: true });
        await fs.copyFile(join(src, ...rel.split('/')), target, constants.COPYFILE_FICLONE);
      }),
    ),
  );
}

/**
 * Puts a cached tree into an artifact with hard links (no bytes copied; copies where the file
 * systems differ). Whatever the artifact already has stays: its own sources win over dependencies,
 * as in SAM, and no file of the cache is ever written through a link.
 */
export async function linkTree(src: string, dst: string, token?: CancellationTokenLike): Promise<void> {
  const limit = limiter(PARALLEL);
  let linking = true;
  const place = async (from: string, to: string): Promise<void> => {
    if (linking) {
      try {
        await fs.link(from, to);
        return;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') return;
        if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK' && code !== 'ENOTSUP') throw err;
        linking = false;
      }
    }
    await fs.copyFile(from, to, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  };
  const visit = async (from: string, to: string): Promise<void> => {
    throwIfCancelled(token, 'the build');
    const entries = await limit(async () => {
      await fs.mkdir(to, { recursive: true });
      return fs.readdir(from, { withFileTypes: true });
    });
    await Promise.all(
      entries.map(async (e) => {
        const source = join(from, e.name);
        const target = join(to, e.name);
        if (e.isDirectory()) return visit(source, target);
        if (e.isSymbolicLink()) {
          const link = await fs.readlink(source);
          return limit(() =>
            fs.symlink(link, target).catch((err: NodeJS.ErrnoException) => {
              if (err.code !== 'EEXIST') throw err;
            }),
          );
        }
        if (e.isFile()) return limit(() => place(source, target));
      }),
    );
  };
  await visit(src, dst);
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Runs at most n of the given tasks at once. */
function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= n) await new Promise<void>((go) => waiting.push(go));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
