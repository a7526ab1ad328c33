import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FileMemo } from '../fingerprint';

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
  /** The packages it names (its own and its includes'), as written: 'numpy', 'MarkupSafe'. */
  names: string[];
  /** Wheel folders it points pip at (-f/--find-links to a local path), absolute. */
  findLinks: string[];
}

/** Every build check of a pip function reads its requirements: once per version of each file. */
const texts = new FileMemo((bytes) => bytes.toString('utf8'));

const INCLUDE = /^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(\S+)/;
const FIND_LINKS = /^(?:-f|--find-links)(?:\s*=\s*|\s+)(\S+)/;

/** Reads a requirements file and the files it includes (relative to the including file, as pip does). */
export async function readRequirements(path: string): Promise<Requirements> {
  const hash = createHash('sha256');
  const seen = new Set<string>();
  let hasPackages = false;
  let local = false;
  const names: string[] = [];
  const findLinks: string[] = [];
  // Included files count by the name they are included as, so equal trees in two folders share a key.
  // A constraints file (-c) pins versions without asking for the packages it names.
  const read = async (file: string, as: string, constraints: boolean): Promise<void> => {
    if (seen.has(file)) return;
    seen.add(file);
    // Missing or not a file: readFile throws what pip would say.
    const text = (await texts.get(file)) ?? (await fs.readFile(file, 'utf8'));
    hash.update(`${as}\0${text}\0`);
    for (const line of logicalLines(text)) {
      const include = INCLUDE.exec(line);
      if (include) {
        await read(resolve(dirname(file), include[2]), include[2], constraints || include[1].startsWith('-c') || include[1] === '--constraint');
        continue;
      }
      const links = FIND_LINKS.exec(line);
      if (links) {
        if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(links[1]) || links[1].startsWith('file:')) {
          local = true;
          findLinks.push(resolve(dirname(file), links[1].replace(/^file:(\/\/)?/, '')));
        }
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
      else if (!constraints) {
        const name = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(line)?.[0];
        if (name && !names.includes(name)) names.push(name);
      }
    }
  };
  await read(path, '', false);
  return { hasPackages, digest: hash.digest('hex'), local, names, findLinks };
}

/** Lines as pip reads them: continuations joined, comments and blank lines dropped. */
function logicalLines(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, '')
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l !== '');
}
