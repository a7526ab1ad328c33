// Delve, the Go debugger, for Debug Locally: built once per CPU with the machine's own Go, from the
// Go module proxy (the same way the Go extension installs it), for Linux, static, and kept in the
// cache. Debug Locally mounts it in the function's container and starts the function under it.
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CancelledError, type CancellationTokenLike } from '../cancel';
import { UserError } from '../errors';
import type { Architecture } from '../model/types';
import type { BuildSettings } from './types';
import { findOnPath, ToolNotFoundError, type ToolRunner } from './tools';

/** The Delve release Debug Locally runs (its headless server speaks the Debug Adapter Protocol). */
export const DELVE_VERSION = 'v1.27.2';
const DELVE_MODULE = 'github.com/go-delve/delve';
const GOARCH: Readonly<Record<Architecture, string>> = { x86_64: 'amd64', arm64: 'arm64' };

export interface DelveContext {
  cacheDir: string;
  settings: BuildSettings;
  tools: ToolRunner;
  token?: CancellationTokenLike;
  log?: (line: string) => void;
}

/** The folder holding `dlv` for Linux on the CPU: built now unless the cache has it. */
export async function ensureDelve(architecture: Architecture, ctx: DelveContext): Promise<string> {
  const goarch = GOARCH[architecture];
  const dir = join(ctx.cacheDir, 'delve', `${DELVE_VERSION}-linux-${goarch}`);
  if (existsSync(join(dir, 'dlv'))) return dir;
  const env = { ...process.env, ...ctx.settings.env };
  const go = findOnPath('go', env);
  if (!go) throw delveError(`no go on PATH to build Delve ${DELVE_VERSION} with`, 'Install Go (https://go.dev/dl), which Go functions need to build too, then debug again.');
  mkdirSync(join(ctx.cacheDir, 'delve'), { recursive: true });
  // A module of its own, so that the version and its dependencies are resolved (and checked
  // against Go's checksum database) the way `go install` does; the result is moved in only when whole.
  const work = mkdtempSync(join(ctx.cacheDir, 'delve', '.build-'));
  try {
    writeFileSync(join(work, 'go.mod'), 'module lambda-workbench-delve\n');
    // The module has no vendor folder: whatever -mod the user's GOFLAGS says gives way to -mod=mod.
    const flags = (env.GOFLAGS ?? '').replace(/-mod=\S*/g, '').trim();
    const goEnv = { ...ctx.settings.env, GOOS: 'linux', GOARCH: goarch, CGO_ENABLED: '0', GOFLAGS: [flags, '-mod=mod'].filter(Boolean).join(' ') };
    ctx.log?.(`Building Delve ${DELVE_VERSION} for linux/${goarch} (once; kept in the cache)`);
    for (const args of [
      ['get', `${DELVE_MODULE}/cmd/dlv@${DELVE_VERSION}`],
      ['build', '-o', join(work, 'dlv'), `${DELVE_MODULE}/cmd/dlv`],
    ]) {
      const result = await ctx.tools({ command: go, args, cwd: work, env: goEnv }, { token: ctx.token, onLine: ctx.log }).catch((err: unknown) => {
        if (err instanceof ToolNotFoundError) throw delveError('no go on PATH', 'Install Go, then debug again.');
        throw err;
      });
      if (result.code === null) throw new CancelledError('building Delve');
      if (result.code !== 0) {
        throw delveError(`go ${args[0]} failed:\n${result.tail.slice(-8).join('\n')}`, 'Check that Go reaches its module proxy (GOPROXY), then debug again.');
      }
    }
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    renameSync(join(work, 'dlv'), join(dir, 'dlv'));
    return dir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function delveError(why: string, hint: string): UserError {
  return new UserError(`Debugging a Go function needs Delve ${DELVE_VERSION} for Linux, which could not be built: ${why}`, hint, 'delve-missing');
}
