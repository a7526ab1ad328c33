// A prebuilt archive (a CodeUri naming a .zip or .jar) unpacked once into a folder of its own, as
// `sam local invoke` unpacks one to run it: keyed by the archive's path, size and modification time,
// so a rebuilt archive is unpacked again and an unchanged one never is.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { extractZipSafely } from './extract';

/** The folder holding the archive's files, unpacked under `root` the first time it is asked for. */
export async function unpackedArchive(archive: string, root: string, what: string): Promise<string> {
  const st = statSync(archive);
  const id = createHash('sha256').update(`${archive}\0${st.size}\0${st.mtimeMs}`).digest('hex').slice(0, 16);
  const prefix = `${basename(archive).replace(/[^A-Za-z0-9_.-]/g, '_')}-`;
  const folder = join(root, `${prefix}${id}`);
  if (existsSync(folder)) return folder;
  mkdirSync(root, { recursive: true });
  const work = mkdtempSync(join(root, '.unpack-'));
  try {
    const content = join(work, 'content');
    await extractZipSafely(archive, content, { what });
    try {
      renameSync(content, folder);
    } catch (err) {
      // Another run unpacked the same archive first: theirs is as good.
      if (!existsSync(folder)) throw err;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  // Earlier versions of the same archive are no use any more.
  for (const name of readdirSync(root)) if (name.startsWith(prefix) && name !== basename(folder)) rmSync(join(root, name), { recursive: true, force: true });
  return folder;
}
