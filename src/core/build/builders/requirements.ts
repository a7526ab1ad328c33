import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** What a requirements.txt asks pip for, as far as caching its install goes. */
export interface Requirements {
  /** At least one thing to install (not only comments and options). */
  hasPackages: boolean;
  /** The content of the file and of every file it includes (-r, -c), hashed together. */
  digest: string;
  /**
   * It names something on this machine (a path, file: URL, editable install or local wheel folder):
   * its install depends on more than the text, so it is not shared between functions.
   */
  local: boolean;
}

const INCLUDE = /^(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(\S+)/;
const FIND_LINKS = /^(?:-f|--find-links)(?:\s*=\s*|\s+)(\S+)/;

/** Reads a requirements file and the files it includes (relative to the including file, as pip does). */
export async function readRequirements(path: string): Promise<Requirements> {
  const hash = createHash('sha256');
  const seen = new Set<string>();
  let hasPackages = false;
  let local = false;
  // Included files count by the name they are included as, so equal trees in two folders share a key.
  const read = async (file: string, as: string): Promise<void> => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = await fs.readFile(file, 'utf8');
    hash.update(`${as}\0${text}\0`);
    for (const line of logicalLines(text)) {
      const include = INCLUDE.exec(line);
      if (include) {
        await read(resolve(dirname(file), include[1]), include[1]);
        continue;
      }
      const links = FIND_LINKS.exec(line);
      if (links) {
        if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(links[1]) || links[1].startsWith('file:')) local = true;
        continue;
      }
      if (line.startsWith('-e') || line.startsWith('--editable')) {
        hasPackages = true;
        local = true;
        continue;
      }
      if (line.startsWith('-')) continue;
      hasPackages = true;
      if (/^(\.|\/|~|[A-Za-z]:[\\/])/.test(line) || /(^|@\s*)file:/.test(line)) local = true;
    }
  };
  await read(path, '');
  return { hasPackages, digest: hash.digest('hex'), local };
}

/** Lines as pip reads them: continuations joined, comments and blank lines dropped. */
function logicalLines(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, '')
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l !== '');
}
