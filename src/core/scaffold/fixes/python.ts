import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeName, recordPath } from '../../size/distributions';
import type { FixSources } from './types';

export { normalizeName };

/** A Python distribution installed into a folder (pip install -t), as its .dist-info describes it. */
export interface Distribution {
  name: string;
  version: string;
  /** Its .dist-info folder's name. */
  infoDir: string;
  /** The top-level files and folders its RECORD lists (the .dist-info folder included). */
  tops: string[];
}

/** The distributions installed directly in `dir`. */
export function installedDistributions(dir: string, sources: FixSources): Distribution[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.dist-info'));
  } catch {
    return [];
  }
  return names.sort().map((infoDir) => {
    const [folderName, folderVersion = ''] = infoDir.slice(0, -'.dist-info'.length).split('-');
    const metadata = sources.readText(join(dir, infoDir, 'METADATA')) ?? '';
    const name = /^Name:\s*(.+)$/m.exec(metadata)?.[1].trim() ?? folderName;
    const version = /^Version:\s*(.+)$/m.exec(metadata)?.[1].trim() ?? folderVersion;
    const tops = new Set([infoDir]);
    for (const line of (sources.readText(join(dir, infoDir, 'RECORD')) ?? '').split(/\r?\n/)) {
      const path = recordPath(line);
      // Scripts pip puts in ../../bin are outside the folder.
      if (!path || path.startsWith('..') || path.startsWith('/')) continue;
      tops.add(path.split('/')[0]);
    }
    return { name, version, infoDir, tops: [...tops].sort() };
  });
}

/** The distribution a package name stands for: by its name, or by a top-level module it installs. */
export function findDistribution(dists: readonly Distribution[], pkg: string): Distribution | undefined {
  const wanted = normalizeName(pkg);
  return dists.find((d) => normalizeName(d.name) === wanted) ?? dists.find((d) => d.tops.includes(pkg));
}

/** The name a requirements.txt line asks for ('numpy>=1.26 ; python_version > "3.8"' -> numpy). */
export function requirementName(line: string): string | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('-')) return undefined;
  const egg = /#egg=([A-Za-z0-9._-]+)/.exec(trimmed);
  if (egg) return egg[1];
  return /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(trimmed)?.[1];
}
