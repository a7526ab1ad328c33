// What a local run mounts at /var/task: what deploy uploads. esbuild's bundle for functions built
// with it; the built artifact for functions a builder makes (built first when it is missing or out
// of date, through the same build engine as size and deploy); the code folder otherwise.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { isBuilt } from '../build/choose';
import type { BuildEngine } from '../build/engine';
import { buildForLocalRun, type EsbuildLoader } from '../build/esbuild';
import type { CancellationTokenLike } from '../cancel';
import { functionKey } from '../model/key';
import type { FunctionSpec } from '../model/types';
import type { Progress } from './images';

export interface RunCode {
  /** The folder to mount; undefined leaves it to prepareFunction (the code folder, inline code). */
  codeDir?: string;
  /** Where a debugger finds the sources of what runs (the code folder of an artifact). */
  sourceRoot?: string;
  /** The code is esbuild's bundle: a debugger maps it back through its source maps. */
  sourceMapped: boolean;
}

export interface RunCodeContext {
  builds?: Pick<BuildEngine, 'build' | 'status'>;
  cacheDir: string;
  loadEsbuild?: EsbuildLoader;
  token?: CancellationTokenLike;
  progress(p: Progress): void;
}

export async function codeForRun(fn: FunctionSpec, ctx: RunCodeContext): Promise<RunCode> {
  if (fn.packageType !== 'Zip' || !fn.codeUri) return { sourceMapped: false };
  if (fn.build?.method === 'esbuild') {
    // Source maps for stack traces and debuggers.
    ctx.progress({ message: `Bundling ${fn.logicalId} with esbuild` });
    const out = join(ctx.cacheDir, 'build', createHash('sha256').update(functionKey(fn)).digest('hex').slice(0, 16));
    return { codeDir: (await buildForLocalRun(fn, out, { token: ctx.token, loadEsbuild: ctx.loadEsbuild })).dir, sourceMapped: true };
  }
  if (!ctx.builds || !isBuilt(fn)) return { sourceMapped: false };
  const status = await ctx.builds.status(fn);
  // The build's own output goes to the build log; progress says that one runs.
  if (!status.upToDate) ctx.progress({ message: `Building ${fn.logicalId} (${status.builder})` });
  const built = await ctx.builds.build(fn, { token: ctx.token });
  // Sources keep their paths in the artifacts of the builders that copy them (pip, npm).
  return { codeDir: built.artifactDir ?? undefined, sourceRoot: fn.codeUri, sourceMapped: false };
}
