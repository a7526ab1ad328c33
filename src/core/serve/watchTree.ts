import { type FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Folders whose changes are never a function's source: installed packages, VCS data, build output. */
const SKIPPED = new Set(['node_modules', '.git', '.lambda-workbench', '.aws-sam', '__pycache__', '.venv', 'venv', 'target', '.pytest_cache']);
/** A code folder with more folders than this is watched only this far (inotify watches are a shared, limited resource). */
const MAX_DIRS = 2000;

/**
 * Watches a folder tree for changes, one non-recursive watcher per folder (Node's recursive
 * watch on Linux would also watch node_modules, thousands of folders, and cannot leave any out).
 * Folders created later are watched as they appear. `onChange` gets the changed path, relative.
 */
export function watchTree(root: string, onChange: (rel: string) => void): { close(): void } {
  const watchers = new Map<string, FSWatcher>();
  let closed = false;
  const add = (dir: string): void => {
    if (closed || watchers.has(dir) || watchers.size >= MAX_DIRS) return;
    let w: FSWatcher;
    try {
      w = watch(dir, { persistent: false }, (_event, name) => {
        const path = name ? join(dir, name.toString()) : dir;
        const rel = relative(root, path);
        if (rel.split(sep).some((part) => SKIPPED.has(part))) return;
        onChange(rel);
        // A new folder (or one renamed into place) is watched too.
        if (name && isFolder(path)) add(path);
      });
    } catch {
      // Not a folder (a file's rename event), gone already, or no permission: nothing to watch there.
      return;
    }
    w.on('error', () => {
      w.close();
      watchers.delete(dir);
    });
    watchers.set(dir, w);
    let entries: { name: string; isDirectory(): boolean }[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory() && !SKIPPED.has(e.name)) add(join(dir, e.name));
  };
  add(root);
  return {
    close() {
      closed = true;
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
