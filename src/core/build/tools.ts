import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { CancellationTokenLike } from '../cancel';

/** One toolchain command. */
export interface ToolRun {
  command: string;
  args: readonly string[];
  cwd: string;
  /** Added to (and overriding) the inherited environment. */
  env?: Readonly<Record<string, string>>;
  /** Keep stdout whole in the result (machine output) instead of passing it on line by line. */
  captureStdout?: boolean;
}

export interface ToolResult {
  /** The exit code; null when the process was killed (cancelled). */
  code: number | null;
  /** The last lines it printed (stdout and stderr together), for error messages. */
  tail: string[];
  /** All of stdout, when captured. */
  stdout?: string;
}

/** Runs a toolchain command; rejects with a ToolNotFoundError when the command is not installed. */
export type ToolRunner = (run: ToolRun, io: { token?: CancellationTokenLike; onLine?: (line: string) => void }) => Promise<ToolResult>;

export class ToolNotFoundError extends Error {
  constructor(readonly command: string) {
    super(`${command} was not found on PATH`);
    this.name = 'ToolNotFoundError';
  }
}

const TAIL_LINES = 40;
/** How long a cancelled tool gets to stop after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 3000;

/**
 * Spawns the command in a process group of its own, so cancelling stops what it started too (pip's
 * builds, npm's install scripts, make's compilers), and so a Ctrl-C meant for us reaches it only
 * through the token.
 */
export const spawnTool: ToolRunner = (run, io) =>
  new Promise((resolve, reject) => {
    if (io.token?.isCancellationRequested) {
      resolve({ code: null, tail: [] });
      return;
    }
    const group = process.platform !== 'win32';
    const child = spawn(run.command, [...run.args], {
      cwd: run.cwd,
      env: { ...process.env, ...run.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: group,
      windowsHide: true,
    });
    const tail: string[] = [];
    const line = (raw: string): void => {
      // Colour codes some tools print even without a terminal (Maven's) are noise in a log.
      const text = raw.replace(/\x1b\[[0-9;]*m/g, '');
      tail.push(text);
      if (tail.length > TAIL_LINES) tail.shift();
      io.onLine?.(text);
    };
    let stdout = '';
    if (run.captureStdout) {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => void (stdout += chunk));
    }
    for (const stream of run.captureStdout ? [child.stderr] : [child.stdout, child.stderr]) {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (pending + chunk).split(/\r?\n/);
        pending = lines.pop() ?? '';
        for (const l of lines) line(l);
      });
      stream.on('end', () => {
        if (pending) line(pending);
        pending = '';
      });
    }
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (signal: NodeJS.Signals): void => {
      try {
        if (group && child.pid !== undefined) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // Already gone.
      }
    };
    const sub = io.token?.onCancellationRequested(() => {
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      sub?.dispose();
      reject(err.code === 'ENOENT' ? new ToolNotFoundError(run.command) : err);
    });
    child.on('close', (code) => {
      sub?.dispose();
      if (killTimer) clearTimeout(killTimer);
      resolve({ code: io.token?.isCancellationRequested ? null : code, tail, ...(run.captureStdout ? { stdout } : {}) });
    });
  });

/** The command's path on PATH (with Windows' PATHEXT), or undefined. */
export function findOnPath(command: string, env: Record<string, string | undefined> = process.env): string | undefined {
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, command + ext);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here.
      }
    }
  }
  return undefined;
}
