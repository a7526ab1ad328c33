import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { readRequirements } from '../build';
import { type NamedFile, normalizeName } from './distributions';

const METADATA = /^(?:.*\/)?[^/]+\.dist-info\/METADATA$/;

/**
 * Which line of requirements.txt brings in each installed Python distribution: numpy is in the
 * package because pandas is asked for. Read from the installed distributions' METADATA
 * (Requires-Dist, markers not judged: what is installed is what counts). Keys are normalized
 * distribution names, values the requirement as written; a distribution asked for directly maps
 * to itself. Empty without a requirements.txt in `sourceDir`.
 */
export async function pythonRequiredBy(files: readonly NamedFile[], sourceDir: string | undefined): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const manifest = sourceDir ? join(sourceDir, 'requirements.txt') : undefined;
  if (!manifest || !existsSync(manifest)) return out;
  const declared = (await readRequirements(manifest).catch(() => undefined))?.names ?? [];
  if (declared.length === 0) return out;
  const requires = new Map<string, string[]>();
  await Promise.all(
    files.map(async (f) => {
      const path = f.source?.kind === 'file' ? f.source.path : undefined;
      if (!path || !METADATA.test(f.name)) return;
      const head = (await fs.readFile(path, 'utf8').catch(() => '')).split(/\r?\n\r?\n/)[0];
      const name = /^Name:\s*(\S+)/m.exec(head)?.[1];
      if (!name) return;
      requires.set(normalizeName(name), [...head.matchAll(/^Requires-Dist:\s*([A-Za-z0-9][A-Za-z0-9._-]*)/gm)].map((m) => normalizeName(m[1])));
    }),
  );
  // What is asked for directly is its own line; the rest, breadth first from each requirement in
  // file order: the first to reach a distribution names it.
  for (const req of declared) out.set(normalizeName(req), req);
  for (const req of declared) {
    const queue = [...(requires.get(normalizeName(req)) ?? [])];
    while (queue.length > 0) {
      const dist = queue.shift() as string;
      if (out.has(dist)) continue;
      out.set(dist, req);
      queue.push(...(requires.get(dist) ?? []));
    }
  }
  return out;
}
