// What a zip function's package is made of: the artifact its builder made, when that is up to
// date; else an estimate of it from the sources and the manifest (a function is measured before
// anyone builds it); or, for a runtime nothing here builds, the code folder as it is. The size
// report and deploy both go through this choice, so they never disagree about the bytes.
import { type Buildable, BUILDERS, type BuildEngine, type BuildPreview, planFor } from '../build';
import type { CancellationTokenLike } from '../cancel';
import { UserError } from '../errors';
import type { FunctionBuildState } from './types';

/** What sizes and deploys ask of builds: where artifacts stand, what one would hold, and a quick build. */
export type ArtifactSource = Pick<BuildEngine, 'status' | 'preview' | 'trusted' | 'build' | 'metafile'>;

export type CodeChoice =
  /** No builder applies (a runtime not built here): the folder as it is, and why. */
  | { kind: 'folder'; notBuildable?: string }
  /** The built artifact, up to date (with esbuild's metafile for a bundle). */
  | { kind: 'artifact'; dir: string; state: FunctionBuildState; metafile?: unknown }
  /** Not built, or built from older inputs: estimated from what the build would take in. */
  | { kind: 'estimate'; preview: BuildPreview; state: FunctionBuildState };

/**
 * Chooses for a function with a local code folder (not an archive), or a layer with a local
 * ContentUri; without builds, the folder.
 */
export async function chooseCode(spec: Buildable, builds: ArtifactSource | undefined, token?: CancellationTokenLike): Promise<CodeChoice> {
  if (!builds) return { kind: 'folder' };
  let sourceDir: string;
  let quick = false;
  try {
    const plan = planFor(spec);
    if (plan.kind === 'skip') return { kind: 'folder' };
    sourceDir = plan.unit.codeDir;
    quick = BUILDERS[plan.builder].quick === true && BUILDERS[plan.builder].runsProjectCode === false;
  } catch (err) {
    if (err instanceof UserError) return { kind: 'folder', notBuildable: err.message };
    throw err;
  }
  if (quick) {
    // Quicker to build than to estimate, and runs no project code: measured as it will be
    // deployed. build() finds it up to date or builds it, looking at its inputs once.
    const built = await builds.build(spec, { token });
    const dir = built.artifactDir as string;
    const metafile = await builds.metafile(spec);
    return { kind: 'artifact', dir, state: { builder: built.builder, artifactDir: dir, upToDate: true, sourceDir, uncounted: [] }, ...(metafile !== undefined ? { metafile } : {}) };
  }
  const status = await builds.status(spec);
  const state: FunctionBuildState = { builder: status.builder, artifactDir: status.artifactDir, upToDate: status.upToDate, sourceDir, uncounted: [] };
  if (status.upToDate && status.artifactDir) return { kind: 'artifact', dir: status.artifactDir, state };
  const preview = await builds.preview(spec);
  if (!preview) return { kind: 'folder' };
  return { kind: 'estimate', preview, state: { ...state, ...(builds.trusted ? {} : { untrusted: true }) } };
}

/** The refusal to package an estimate: deploy and `package` upload built artifacts only. */
export function notBuiltError(fn: Buildable, state: FunctionBuildState): UserError {
  const what = state.artifactDir ? 'its build is out of date (its sources, manifest or settings changed since)' : 'it has not been built';
  return new UserError(
    `${fn.logicalId} cannot be packaged: ${what}, and its source folder is not what Lambda runs (${state.builder} puts its dependencies in the artifact).`,
    state.untrusted ? 'Trust the workspace so it can be built, then try again.' : `Build it first (Lambda: Build Function, or lambda-workbench build ${fn.logicalId}); deploys build it themselves.`,
    'not-built',
  );
}
