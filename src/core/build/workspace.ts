// The folders a build works in. A build fills a staging folder beside the artifacts and only a
// finished one is renamed into place, so a failed or cancelled build (or a killed process) never
// leaves a half-built artifact where the previous one was.
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { workRoot } from './layout';

export interface BuildWork {
  /** Becomes the artifact. */
  staging: string;
  /** For the builder's own temporary files. */
  scratch: string;
  /** Removes whatever of the work is still there. */
  dispose(): Promise<void>;
}

/** Fresh staging and scratch folders for one build, after clearing what dead processes left. */
export async function startWork(templatePath: string, logicalId: string): Promise<BuildWork> {
  const root = workRoot(templatePath);
  await fs.mkdir(root, { recursive: true });
  await ignoreInGit(dirname(dirname(root)));
  await clearAbandoned(root);
  const base = join(root, `${logicalId}.${process.pid}.${randomBytes(4).toString('hex')}`);
  const work = { staging: `${base}.out`, scratch: `${base}.tmp` };
  await Promise.all([fs.mkdir(work.staging), fs.mkdir(work.scratch)]);
  return {
    ...work,
    dispose: async () => {
      await Promise.all([fs.rm(work.staging, { recursive: true, force: true }), fs.rm(work.scratch, { recursive: true, force: true })]);
    },
  };
}

/** Moves a finished staging folder to where the artifact is, replacing the previous one. */
export async function putInPlace(staging: string, artifact: string): Promise<void> {
  const old = `${staging}.old`;
  let moved = false;
  try {
    await fs.rename(artifact, old);
    moved = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  try {
    await fs.rename(staging, artifact);
  } catch (err) {
    if (moved) await fs.rename(old, artifact).catch(() => undefined);
    throw err;
  }
  // The new artifact is in place: a leftover old one is only clutter, cleared with the abandoned work.
  if (moved) await fs.rm(old, { recursive: true, force: true }).catch(() => undefined);
}

/** Work folders are named <LogicalId>.<pid>.<random>.<kind>: those of processes that are gone are removed. */
async function clearAbandoned(root: string): Promise<void> {
  const names = await fs.readdir(root).catch(() => [] as string[]);
  await Promise.all(
    names.map(async (name) => {
      const pid = Number(name.split('.')[1]);
      if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) return;
      await fs.rm(join(root, name), { recursive: true, force: true });
    }),
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The product's folder holds only what it made: one .gitignore keeps all of it out of commits. */
async function ignoreInGit(folder: string): Promise<void> {
  const file = join(folder, '.gitignore');
  if (!existsSync(file)) await fs.writeFile(file, '# Build output of Lambda Workbench: made from the sources, never committed.\n*\n');
}
