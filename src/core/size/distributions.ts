import { promises as fs } from 'node:fs';

/** A packed (or estimated) file: its name in the package and, when it is on disk, where. */
export interface NamedFile {
  name: string;
  source?: { kind: string; path?: string };
}

const RECORD = /^(?:(.*)\/)?([^/]+)-[^-/]+\.dist-info\/RECORD$/;

/**
 * Which Python distribution installed each top-level folder and module of an install folder, from
 * the RECORD files pip writes into every `<Name>-<version>.dist-info`: `numpy/`, `numpy.libs/` and
 * the dist-info itself all belong to numpy, `six.py` to six, `yaml/` and `_yaml/` to PyYAML. Keys
 * are package paths ('markupsafe', 'python/numpy.libs'), values the distribution's name as its
 * dist-info spells it ('MarkupSafe'), the name requirements.txt gives modulo case and -_.
 * A RECORD that cannot be read leaves its folders to the folder-name guess (packageOf).
 */
export async function pythonDistributions(files: readonly NamedFile[], read: (path: string) => Promise<string> = (p) => fs.readFile(p, 'utf8')): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await Promise.all(
    files.map(async (f) => {
      const m = RECORD.exec(f.name);
      const path = f.source?.kind === 'file' ? f.source.path : undefined;
      if (!m || !path) return;
      const prefix = m[1] ? `${m[1]}/` : '';
      let text: string;
      try {
        text = await read(path);
      } catch {
        return;
      }
      for (const top of recordTops(text)) out.set(`${prefix}${top}`, m[2]);
    }),
  );
  return out;
}

/** The top-level names a RECORD lists: first path segments, leaving out what lies outside the folder (scripts in ../bin). */
export function recordTops(text: string): Set<string> {
  const tops = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const path = recordPath(line);
    if (!path || path.startsWith('..') || path.startsWith('/')) continue;
    const slash = path.indexOf('/');
    tops.add(slash < 0 ? path : path.slice(0, slash));
  }
  return tops;
}

/** The path field of a RECORD line (CSV: path,hash,size; a path with a comma is quoted). */
export function recordPath(line: string): string | undefined {
  if (line.trim() === '') return undefined;
  if (!line.startsWith('"')) return line.split(',')[0];
  const m = /^"((?:[^"]|"")*)"/.exec(line);
  return m ? m[1].replace(/""/g, '"') : undefined;
}

/** PEP 503: names compare lower-case, with runs of '-', '_' and '.' as one '-'. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
