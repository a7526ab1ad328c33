import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, mkdir, readFile, rename, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../errors';

/** A new file. Applying never overwrites: it fails if the path exists by then. */
export interface CreateFile {
  kind: 'create';
  /** Absolute path. */
  path: string;
  content: string;
}

/** A change to an existing file (the template), made from the text it had when it was planned. */
export interface UpdateFile {
  kind: 'update';
  path: string;
  /** The text the change was computed from; applying refuses if the file no longer has it. */
  before: string;
  content: string;
  /** The same change as one replacement of `before[start, end)` by `text`, for editors' text edits. */
  change: { start: number; end: number; text: string };
}

/** A file or folder moved to a path where nothing is yet (installed packages going into a layer). */
export interface MoveFile {
  kind: 'move';
  /** Absolute path of what is moved. */
  from: string;
  /** Absolute path it moves to. */
  path: string;
}

export type FileEdit = CreateFile | UpdateFile | MoveFile;

/**
 * Writes the edits all-or-nothing: every precondition is checked before the first write, new
 * files appear whole (written aside, then linked into place, which fails rather than replace),
 * moves follow, the template is replaced last by a rename, and a failure part-way removes what
 * was written and moves back what was moved. Returns the paths written, in order.
 */
export async function applyEdits(edits: readonly FileEdit[]): Promise<string[]> {
  await checkPreconditions(edits);
  const created: string[] = [];
  const madeDirs: string[] = [];
  const moved: MoveFile[] = [];
  try {
    for (const edit of edits) {
      if (edit.kind !== 'create') continue;
      madeDirs.push(...(await makeDirs(dirname(edit.path))));
      await createExclusive(edit.path, edit.content);
      created.push(edit.path);
    }
    for (const edit of edits) {
      if (edit.kind !== 'move') continue;
      madeDirs.push(...(await makeDirs(dirname(edit.path))));
      if (await exists(edit.path)) throw new UserError(`${edit.path} already exists.`, 'Nothing was kept. Move it away and try again.', 'file-exists');
      await rename(edit.from, edit.path);
      moved.push(edit);
      created.push(edit.path);
    }
    for (const edit of edits) {
      if (edit.kind !== 'update') continue;
      await replaceIfUnchanged(edit);
      created.push(edit.path);
    }
    return created;
  } catch (err) {
    for (const m of moved.reverse()) await rename(m.path, m.from).catch(() => undefined);
    await rollBack(
      created.filter((p) => edits.some((e) => e.kind === 'create' && e.path === p)),
      madeDirs,
    );
    throw err;
  }
}

async function checkPreconditions(edits: readonly FileEdit[]): Promise<void> {
  const seen = new Set<string>();
  for (const edit of edits) {
    if (seen.has(edit.path)) throw new Error(`Two edits write ${edit.path}.`);
    seen.add(edit.path);
    if (edit.kind === 'create' || edit.kind === 'move') {
      if (await exists(edit.path)) {
        throw new UserError(`${edit.path} already exists.`, 'Nothing was written. Choose another name or folder.', 'file-exists');
      }
      if (edit.kind === 'move' && !(await exists(edit.from))) {
        throw new UserError(`${edit.from} is gone since the change was planned.`, 'Nothing was written. Try again.', 'file-changed');
      }
    } else if ((await readText(edit.path)) !== edit.before) {
      throw new UserError(`${edit.path} changed since the change was planned.`, 'Nothing was written. Save the file and try again.', 'file-changed');
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Creates the missing folders of `dir`, returning them deepest first (the order to remove them). */
async function makeDirs(dir: string): Promise<string[]> {
  const missing: string[] = [];
  for (let d = dir; !(await exists(d)); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  await mkdir(dir, { recursive: true });
  return missing;
}

function asideName(path: string): string {
  return join(dirname(path), `.${randomBytes(6).toString('hex')}.lwb-tmp`);
}

async function createExclusive(path: string, content: string): Promise<void> {
  const aside = asideName(path);
  await writeFile(aside, content, { flag: 'wx' });
  try {
    try {
      await link(aside, path);
    } catch (err) {
      // File systems without hard links: an exclusive copy still never replaces a file.
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw err;
      await copyFile(aside, path, constants.COPYFILE_EXCL);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UserError(`${path} already exists.`, 'Nothing was written. Choose another name or folder.', 'file-exists');
    }
    throw err;
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}

async function replaceIfUnchanged(edit: UpdateFile): Promise<void> {
  const aside = asideName(edit.path);
  await writeFile(aside, edit.content, { flag: 'wx' });
  try {
    if ((await readText(edit.path)) !== edit.before) {
      throw new UserError(`${edit.path} changed while the change was being written.`, 'Nothing was kept. Try again.', 'file-changed');
    }
    await rename(aside, edit.path);
  } catch (err) {
    await unlink(aside).catch(() => undefined);
    throw err;
  }
}

async function rollBack(files: string[], dirs: string[]): Promise<void> {
  for (const f of files.reverse()) await unlink(f).catch(() => undefined);
  // Deepest first; a folder that is not empty (someone else's files) stays.
  const ordered = [...new Set(dirs)].sort((a, b) => b.length - a.length);
  for (const d of ordered) await rmdir(d).catch(() => undefined);
}
