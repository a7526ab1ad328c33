import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

/** The repository root (compiled tests live in out/test/unit/scaffold). */
export const ROOT = join(__dirname, '..', '..', '..', '..');
export const ESBUILD_BIN = join(ROOT, 'node_modules', '.bin');

/** A fresh temporary folder, removed after the current suite (call from a hook-aware scope). */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `lwb-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Every file under `dir`, relative to it, with forward slashes, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
}

/** Output of a failed run, for assertion messages. */
export function output(r: SpawnSyncReturns<string>): string {
  return `exit ${r.status}${r.error ? ` (${r.error.message})` : ''}\n${r.stdout}\n${r.stderr}`;
}

const pythonCache = new Map<string, string>();

const runs = (command: string) => spawnSync(command, ['--version'], { encoding: 'utf8' }).status === 0;

/** The interpreter matching a python3.x runtime when it is installed, else python3, else undefined. */
export function pythonFor(runtime: string): string | undefined {
  if (pythonCache.has(runtime)) return pythonCache.get(runtime) || undefined;
  const chosen = [runtime, 'python3'].find(runs);
  pythonCache.set(runtime, chosen ?? '');
  return chosen;
}

/** Which interpreter pythonFor(runtime) runs, and its real version ('python3 (3.11.7)'), for test names. */
export function pythonLabel(runtime: string): string {
  const python = pythonFor(runtime);
  if (!python) return 'python3 (none installed)';
  const r = spawnSync(python, ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' });
  return `${python} (${r.stdout.trim()})`;
}

/** Line-level diff: the lines of `before` missing from `after`, and the lines `after` adds. */
export function lineDiff(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  // Longest common subsequence table, from the end.
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      removed.push(a[i++]);
    } else {
      added.push(b[j++]);
    }
  }
  removed.push(...a.slice(i));
  added.push(...b.slice(j));
  return { removed, added };
}

/** A template as plain data; CloudFormation short forms read as their text (`!GetAtt X.Arn` -> 'X.Arn'). */
export function readTemplate<T>(text: string): T {
  const tags = ['!Ref', '!GetAtt', '!Sub'].map((tag) => ({ tag, resolve: (value: string) => value }));
  return parse(text, { customTags: tags }) as T;
}
