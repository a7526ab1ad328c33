import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import type * as Esbuild from 'esbuild';
import { type CancellationTokenLike, CancelledError, throwIfCancelled } from '../../cancel';
import { UserError } from '../../errors';
import { type BundleSettings, esbuildOptions, type EsbuildTarget, VIRTUAL_OUTDIR } from './options';

export type EsbuildApi = Pick<typeof Esbuild, 'context' | 'version'>;

/** Finds esbuild: the project's own copy first (as SAM does), then the one this tool was installed with. */
export type EsbuildLoader = (projectDir: string) => Promise<EsbuildApi>;

export interface BundleOutput {
  /** Path in the package, relative and '/'-separated: 'app.js', 'app.js.map'. */
  path: string;
  contents: Uint8Array;
}

export interface BundleResult {
  outputs: BundleOutput[];
  /** esbuild's metafile, with its output paths rewritten to package paths (input paths are relative to CodeUri). */
  metafile: Esbuild.Metafile;
  warnings: string[];
  esbuildVersion: string;
}

export interface BundleOptions extends BundleSettings {
  token?: CancellationTokenLike;
  loadEsbuild?: EsbuildLoader;
}

/**
 * Runs esbuild the way SAM's esbuild build method does and returns the files it would put in the
 * package, in memory, with the metafile for attribution. The build can be cancelled mid-way.
 */
export async function bundleFunction(fn: EsbuildTarget, opts: BundleOptions = {}): Promise<BundleResult> {
  const options = esbuildOptions(fn, opts);
  const esbuild = await (opts.loadEsbuild ?? loadEsbuild)(options.absWorkingDir);
  throwIfCancelled(opts.token, 'bundling');
  const ctx = await esbuild.context(options);
  const sub = opts.token?.onCancellationRequested(() => void ctx.cancel());
  let result: Esbuild.BuildResult<typeof options>;
  try {
    result = await ctx.rebuild();
  } catch (err) {
    throwIfCancelled(opts.token, 'bundling');
    throw bundleError(fn, err);
  } finally {
    sub?.dispose();
    await ctx.dispose();
  }
  if (opts.token?.isCancellationRequested) throw new CancelledError('bundling');
  const outdir = options.outdir ?? join(options.absWorkingDir, VIRTUAL_OUTDIR);
  const toPackagePath = (abs: string): string => relative(outdir, abs).split(sep).join('/');
  const outputs = (result.outputFiles ?? []).map((f) => ({ path: toPackagePath(f.path), contents: f.contents }));
  const metafile = result.metafile as Esbuild.Metafile;
  const outputsByPackagePath: Esbuild.Metafile['outputs'] = {};
  for (const [p, o] of Object.entries(metafile.outputs)) outputsByPackagePath[toPackagePath(join(options.absWorkingDir, p))] = o;
  return {
    outputs,
    metafile: { inputs: metafile.inputs, outputs: outputsByPackagePath },
    warnings: result.warnings.map((w) => formatMessage(w)),
    esbuildVersion: esbuild.version,
  };
}

/**
 * The project's esbuild when it has one, else the one installed with this tool. `projectCopy:
 * false` (an untrusted workspace) never loads the project's: it would run the workspace's code in
 * this process.
 */
export async function loadEsbuild(projectDir: string, opts: { projectCopy?: boolean } = {}): Promise<EsbuildApi> {
  const candidates: string[] = [];
  try {
    if (opts.projectCopy !== false) candidates.push(createRequire(join(projectDir, 'package.json')).resolve('esbuild'));
  } catch {
    // Not a dependency of the project: fall back to ours.
  }
  candidates.push('esbuild');
  for (const id of candidates) {
    try {
      // A variable specifier keeps bundlers from inlining esbuild, which cannot be bundled.
      return (await import(id)) as EsbuildApi;
    } catch {
      // Try the next one.
    }
  }
  throw new UserError('esbuild is not installed, and the function uses BuildMethod esbuild.', `Install it in the function's project: npm install --save-dev esbuild (in ${projectDir}).`);
}

function formatMessage(m: Esbuild.Message): string {
  const where = m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : '';
  return `${where}${m.text}`;
}

function bundleError(fn: EsbuildTarget, err: unknown): Error {
  const errors = (err as { errors?: Esbuild.Message[] }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return err instanceof Error ? err : new Error(String(err));
  const first = formatMessage(errors[0]);
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  const unresolved = errors.some((e) => e.text.startsWith('Could not resolve'));
  return new UserError(
    `esbuild could not bundle ${fn.logicalId}: ${first}${more}`,
    unresolved ? `Install the function's dependencies (npm install in ${fn.codeUri}), or mark the module as External in BuildProperties.` : 'Fix the error in the code, then measure again.',
  );
}
