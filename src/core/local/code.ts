// What a local run mounts at /var/task: what deploy uploads, the built artifact for functions a
// builder makes (built first when it is missing or out of date, through the same build engine as
// size and deploy); the code folder otherwise. Debug Locally mounts the debug artifact of a builder
// that makes one (esbuild: source maps, unminified), since a minified bundle has nowhere for a
// breakpoint to bind.
import { isBuilt } from '../build/choose';
import type { BuildEngine } from '../build/engine';
import type { CancellationTokenLike } from '../cancel';
import type { FunctionSpec } from '../model/types';
import type { Progress } from './images';

export interface RunCode {
  /** The folder to mount; undefined leaves it to prepareFunction (the code folder, inline code). */
  codeDir?: string;
  /** Where a debugger finds the sources of what runs (the code folder of an artifact). */
  sourceRoot?: string;
  /** The code is esbuild's bundle: a debugger maps it back through its source maps. */
  sourceMapped: boolean;
  /** Names the built artifact as its build wrote it: a run needs not read the folder to know it is unchanged. */
  version?: string;
}

export interface RunCodeContext {
  builds?: Pick<BuildEngine, 'build'>;
  /** For Debug Locally: the debug artifact where the builder makes one. */
  debug?: boolean;
  token?: CancellationTokenLike;
  progress(p: Progress): void;
}

export async function codeForRun(fn: FunctionSpec, ctx: RunCodeContext): Promise<RunCode> {
  if (fn.packageType !== 'Zip' || !fn.codeUri) return { sourceMapped: false };
  if (!ctx.builds || !isBuilt(fn)) return { sourceMapped: false };
  // One call: it finds the artifact up to date (one look at the inputs) or builds it. The build's
  // own output goes to the build log; progress says that one runs.
  const built = await ctx.builds.build(fn, { token: ctx.token, debug: ctx.debug, onBuilding: (builder) => ctx.progress({ message: `Building ${fn.logicalId} (${builder})` }) });
  const version = built.artifactVersion;
  // A bundle's maps lead from the artifact to the sources, relative to the artifact: the debugger
  // reads them there. Sources keep their paths in the artifacts of the builders that copy them (pip, npm).
  if (built.builder === 'esbuild') return { codeDir: built.artifactDir ?? undefined, sourceMapped: ctx.debug === true, version };
  return { codeDir: built.artifactDir ?? undefined, sourceRoot: fn.codeUri, sourceMapped: false, version };
}
