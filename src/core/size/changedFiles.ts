// Bringing the last walk of a code folder up to date from the paths a file watcher reported
// changed, instead of statting every file and folder it saw again (see rewalk in walk.ts): after
// one edit in a folder of tens of thousands of files that is one stat instead of all of them.
import * as fs from 'node:fs';
import { judgedByContent } from './sensitive';
import { MAX_CHANGED_PATHS } from './types';
import { passTrace, traceOf, type WalkedFile, type WalkResult, type WalkTrace } from './walk';


/**
 * The last walk of `root` with each changed file it packed statted again and restamped; nothing is
 * listed, and no other file is looked at. Undefined when the paths cannot be accounted for that
 * way, and the caller must check everything:
 *  - a path the walk neither packed nor left out with its folder (a new file, a folder, a rename);
 *  - a packed file now gone, or no longer a plain file;
 *  - a file whose content decides whether it is a secret (a .pem that may now hold a key);
 *  - a walk that met a symbolic link: a change behind a link is reported under its target's path;
 *  - a path outside the root (the watcher spells paths another way, or was asked about another folder);
 *  - more than MAX_CHANGED_PATHS paths.
 * `root` is the path the walk started from; the paths are absolute, in the same spelling.
 */
export function applyChangedPaths(last: WalkResult, root: string, changed: readonly string[]): WalkResult | undefined {
  const trace = traceOf(last);
  if (!trace || trace.sawLinks || changed.length > MAX_CHANGED_PATHS) return undefined;
  const byPath = (trace.byPath ??= new Map(trace.entries.map((e, k) => [e.abs, k])));
  const prefix = `${root}/`;
  let files: WalkedFile[] | undefined;
  for (const path of changed) {
    if (!path.startsWith(prefix)) return undefined;
    const k = byPath.get(path);
    if (k === undefined) {
      if (leftOut(last, path.slice(prefix.length))) continue;
      return undefined;
    }
    const entry = trace.entries[k];
    if (judgedByContent(entry.name)) return undefined;
    const s = fs.lstatSync(path, { bigint: true, throwIfNoEntry: false });
    if (!s?.isFile()) return undefined;
    (files ??= [...last.files])[k] = restampFrom(trace, k, s, last.files[k].category);
  }
  const result: WalkResult = { ...last, files: files ?? last.files, foldersRead: 0 };
  passTrace(last, result);
  return result;
}

/** Whether the walk left out the path by its name or with a folder above it (a change there changes nothing packed). */
function leftOut(walk: WalkResult, rel: string): boolean {
  for (const x of walk.excluded) {
    if (x.isDir ? rel.startsWith(`${x.rel}/`) : x.rel === rel && !judgedByContent(rel.slice(rel.lastIndexOf('/') + 1))) return true;
  }
  return false;
}

/** The entry's file as of this stat, also recorded where a rewalk compares (so it does not count the edit twice). */
function restampFrom(trace: WalkTrace, k: number, s: fs.BigIntStats, category: WalkedFile['category']): WalkedFile {
  const entry = trace.entries[k];
  const size = Number(s.size);
  const executable = (Number(s.mode) & 0o111) !== 0;
  const file: WalkedFile = { name: entry.rel, source: { kind: 'file', path: entry.abs }, size, executable, stamp: { size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, ino: s.ino }, category };
  entry.file = file;
  entry.print = [size, Number(s.mtimeNs / 1_000_000_000n), Number(s.mtimeNs % 1_000_000_000n), Number(s.ctimeNs / 1_000_000_000n), Number(s.ctimeNs % 1_000_000_000n), Number(s.ino), executable];
  const known = trace.known;
  if (known) {
    const g = trace.dirs.length + k;
    known.kind[g] = 1;
    known.size[g] = size;
    known.exec[g] = executable ? 1 : 0;
    known.mtimeNs[g] = s.mtimeNs;
    known.ctimeNs[g] = s.ctimeNs;
    known.ino[g] = s.ino;
  }
  return file;
}
