// Exclude patterns, in the subset of .gitignore syntax people already know: `#` comments, `!` to
// re-include, a trailing `/` for folders only, a leading or inner `/` to anchor at the package
// root, `*` and `?` within a path segment, `**` across segments. Read from the code folder's
// .lambdaignore and from the caller's settings.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

export const IGNORE_FILE = '.lambdaignore';

export interface IgnorePattern {
  source: string;
  negate: boolean;
  dirOnly: boolean;
  regex: RegExp;
}

export function parseIgnore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    let p = negate ? line.slice(1) : line;
    const dirOnly = p.endsWith('/');
    if (dirOnly) p = p.replace(/\/+$/, '');
    if (p === '') continue;
    const anchored = p.startsWith('/') || p.includes('/');
    p = p.replace(/^\/+/, '');
    const body = globToRegex(p);
    out.push({ source: line, negate, dirOnly, regex: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`) });
  }
  return out;
}

function globToRegex(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (glob.startsWith('**/', i)) {
      re += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('/**', i) && i + 3 === glob.length) {
      re += '/.*';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      re += '.*';
      i += 1;
    } else if (ch === '*') {
      re += '[^/]*';
    } else if (ch === '?') {
      re += '[^/]';
    } else {
      re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return re;
}

/** Whether a path (relative, '/'-separated) is left out. The last matching pattern decides. */
export function isIgnored(patterns: readonly IgnorePattern[], rel: string, isDir: boolean): IgnorePattern | undefined {
  let decided: IgnorePattern | undefined;
  for (const p of patterns) {
    if (p.dirOnly && !isDir) continue;
    if (p.regex.test(rel)) decided = p.negate ? undefined : p;
  }
  return decided;
}

/** The folder's .lambdaignore patterns followed by the caller's; none when there is no file. */
export async function loadIgnore(root: string, extra: readonly string[] = []): Promise<IgnorePattern[]> {
  let text = '';
  try {
    text = await fs.readFile(join(root, IGNORE_FILE), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
  }
  return parseIgnore(`${text}\n${extra.join('\n')}`);
}
