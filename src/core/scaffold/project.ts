import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ProjectSnapshot } from './plan';

/** Reads what planNewFunction needs: the template's text (if it exists) and a way to test paths. */
export async function readProject(templatePath: string): Promise<ProjectSnapshot> {
  const path = resolve(templatePath);
  let templateText: string | undefined;
  try {
    templateText = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return { templatePath: path, templateText, exists: (p) => existsSync(p) };
}
