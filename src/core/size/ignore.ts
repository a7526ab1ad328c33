// Exclude patterns in .gitignore syntax: `#` comments, `!` to re-include, a trailing `/` for
// folders only, a leading or inner `/` to anchor at the package root, `*`, `?` and `[...]` within a
// path segment, `**` across segments, `\` to escape. Read from the code folder's .lambdaignore and
// from the caller's settings. A workspace writes these, so matching must not be able to hang: each
// pattern runs on RE2JS, whose time is linear in the path (see gitignoreGlob.ts).
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { RE2JS } from 're2js';
import { globToRe2 } from './gitignoreGlob';

export const IGNORE_FILE = '.lambdaignore';

export interface IgnorePattern {
  source: string;
  negate: boolean;
  dirOnly: boolean;
  matches(rel: string): boolean;
}

export function parseIgnore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = trimTrailingSpace(raw);
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    // `\#` and `\!` at the start are escapes like any other: the glob reads them as literals.
    let p = negate ? line.slice(1) : line;
    const dirOnly = p.endsWith('/');
    if (dirOnly) p = p.replace(/\/+$/, '');
    if (p === '') continue;
    const anchored = p.includes('/');
    p = p.replace(/^\/+/, '');
    const body = globToRe2(p);
    // DOTALL: a file name may hold a newline, and `**` must still cross it.
    const re = RE2JS.compile(anchored ? `^${body}$` : `^(?:.*/)?${body}$`, RE2JS.DOTALL);
    out.push({ source: line, negate, dirOnly, matches: (rel) => re.test(rel) });
  }
  return out;
}

/**
 * The anchored pattern `/rel` (`/rel/` for a folder), matching that path and no other: built
 * directly, since a file name may hold what a pattern line would read as glob syntax or a newline.
 */
export function exactPattern(rel: string, isDir: boolean): IgnorePattern {
  return { source: `/${rel}${isDir ? '/' : ''}`, negate: false, dirOnly: isDir, matches: (path) => path === rel };
}

/** Trailing spaces and tabs are not part of a pattern unless the last one is escaped (`a\ `). */
function trimTrailingSpace(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  if (end < line.length && end > 0 && line[end - 1] === '\\') {
    let slashes = 0;
    for (let i = end - 1; i >= 0 && line[i] === '\\'; i--) slashes++;
    if (slashes % 2 === 1) end++;
  }
  return line.slice(0, end);
}

/** Whether a path (relative, '/'-separated) is left out. The last matching pattern decides. */
export function isIgnored(patterns: readonly IgnorePattern[], rel: string, isDir: boolean): IgnorePattern | undefined {
  let decided: IgnorePattern | undefined;
  for (const p of patterns) {
    if (p.dirOnly && !isDir) continue;
    if (p.matches(rel)) decided = p.negate ? undefined : p;
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
