import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type CancellationTokenLike, throwIfCancelled } from '../cancel';
import { describeError, UserError } from '../errors';
import { functionKey } from '../model/key';
import type { Architecture } from '../model/types';
import { BUILDERS } from './builders';
import { type Buildable, type BuildPlan, isLayer, planFor } from './choose';
import { DependencyCache } from './depsCache';
import { ensureDelve } from './delve';
import { readsFingerprint } from './fingerprint';
import { buildKey } from './key';
import { artifactDir, stateFile } from './layout';
import { type BuildState, readState, removeState, writeState } from './state';
import { spawnTool, type ToolRunner } from './tools';
import { CLI_SOURCES } from '../sources';
import type { EsbuildLoader } from './esbuild';
import type { Builder, BuilderId, BuildSettings, BuildSources, BuildUnit, DependencyPreview, FunctionBuild, NotBuiltKind } from './types';
import { putInPlace, startWork } from './workspace';

export interface BuildEngineOptions {
  /** The shared dependency cache: installs reused by every function with the same inputs. */
  cacheDir: string;
  settings?: BuildSettings;
  /** How the shell names what a person sets, for hints; default the CLI's. */
  sources?: BuildSources;
  /** Runs toolchain commands (spawnTool: real processes). */
  tools?: ToolRunner;
  /**
   * Whether the workspace's code may run. A build runs it (pip and npm run install scripts, make
   * runs the Makefile), so in an untrusted workspace nothing is built; artifacts already built
   * are still used. Asked at each build: trust can be granted while the engine lives.
   */
  trusted?: () => boolean;
  /** Where build output goes when a run gives no onLog of its own (the log of the shell). */
  onLog?: (line: string) => void;
  /** Told after each build that put a new artifact in place, so what shows its size can re-measure. */
  onBuilt?: (spec: Buildable, build: FunctionBuild) => void;
  /** Finds esbuild for functions built with it (default: the project's own copy, else this tool's). */
  loadEsbuild?: EsbuildLoader;
}

export interface BuildRunOptions {
  token?: CancellationTokenLike;
  /** Each line of build output: the builder's steps and what the toolchains print. */
  onLog?: (line: string) => void;
  /** Build even when the artifact is up to date. */
  force?: boolean;
  /**
   * The Debug Locally artifact, for builders that make one (esbuild: maps, unminified); for the
   * others it is the one artifact.
   */
  debug?: boolean;
  /** Called when the build runs, after its artifact was found missing or out of date (never for an up-to-date one). */
  onBuilding?: (builder: BuilderId) => void;
}

/** Where a function's artifact stands, without building it. */
export interface BuildStatusReport {
  builder: BuilderId | NotBuiltKind;
  /** The artifact folder when one exists. */
  artifactDir: string | null;
  /** True when the artifact exists and was built from the function's current inputs. */
  upToDate: boolean;
}

/** What a function's artifact would hold, known without building it (see BuildEngine.preview). */
export type BuildPreview = { builder: BuilderId; codeDir: string; /** Where in the artifact the build's output goes (a layer's python/ or nodejs/); '' for functions. */ subdir: string } & ({ kind: 'dependencies'; dependencies: DependencyPreview } | { kind: 'opaque'; reason: string });

/**
 * Turns functions into artifact folders, the way `sam build` would, skipping those whose inputs
 * have not changed since their last build. One engine per window or CLI call: builds of the same
 * function share one run, and dependency installs are shared through the cache folder.
 */
export class BuildEngine {
  private readonly deps: DependencyCache;
  private readonly tools: ToolRunner;
  private readonly settings: BuildSettings;
  private readonly opts: BuildEngineOptions;
  private readonly running = new Map<string, Promise<FunctionBuild>>();
  private readonly delves = new Map<Architecture, Promise<string>>();

  constructor(opts: BuildEngineOptions) {
    this.deps = new DependencyCache(opts.cacheDir);
    this.tools = opts.tools ?? spawnTool;
    this.settings = opts.settings ?? {};
    this.opts = opts;
  }

  /**
   * The folder holding Delve for Linux on the CPU, for Debug Locally of a Go function: built with
   * the machine's Go and this engine's toolchain environment the first time (see delve.ts).
   */
  delve(architecture: Architecture, run: { token?: CancellationTokenLike; log?: (line: string) => void } = {}): Promise<string> {
    let running = this.delves.get(architecture);
    if (!running) {
      running = ensureDelve(architecture, { cacheDir: this.opts.cacheDir, settings: this.settings, tools: this.tools, ...run });
      this.delves.set(architecture, running);
      void running.catch(() => this.delves.delete(architecture));
    }
    return running;
  }

  /** Whether builds may run now (see BuildEngineOptions.trusted). */
  get trusted(): boolean {
    return this.opts.trusted?.() ?? true;
  }

  /** Builds one function or layer; a failure throws (UserError, CancelledError) and leaves the previous artifact as it was. */
  build(fn: Buildable, run: BuildRunOptions = {}): Promise<FunctionBuild> {
    // One run per artifact: the debug one only where the builder makes a separate one.
    const id = `${functionKey(fn)}${run.debug && makesDebugArtifact(fn) ? ' debug' : ''}`;
    const started = this.running.get(id);
    if (started) return started;
    const work = this.buildNow(fn, run).finally(() => this.running.delete(id));
    this.running.set(id, work);
    return work;
  }

  /** Builds each function in turn; failures are results (status 'failed'), not exceptions. */
  async buildAll(fns: readonly Buildable[], run: BuildRunOptions = {}): Promise<FunctionBuild[]> {
    const results: FunctionBuild[] = [];
    for (const fn of fns) {
      const started = performance.now();
      try {
        results.push(await this.build(fn, run));
      } catch (err) {
        const dir = artifactDir(fn.templatePath, fn.logicalId);
        results.push({
          logicalId: fn.logicalId,
          templatePath: fn.templatePath,
          ...(isLayer(fn) ? { kind: 'layer' as const } : {}),
          builder: builderOf(fn),
          artifactDir: existsSync(dir) ? dir : null,
          cached: false,
          durationMs: Math.round(performance.now() - started),
          status: 'failed',
          reason: err instanceof UserError ? err.message : describeError(err),
          ...(err instanceof UserError && err.hint ? { hint: err.hint } : {}),
        });
      }
    }
    return results;
  }

  async status(fn: Buildable, run: Pick<BuildRunOptions, 'debug'> = {}): Promise<BuildStatusReport> {
    const plan = planFor(fn);
    if (plan.kind === 'skip') return { builder: plan.builder, artifactDir: null, upToDate: true };
    const { builder, unit, name } = this.resolve(plan, run);
    const dir = artifactDir(fn.templatePath, name);
    if (!existsSync(dir)) return { builder: plan.builder, artifactDir: null, upToDate: false };
    const [key, state] = await Promise.all([this.key(builder, unit), readState(stateFile(fn.templatePath, name))]);
    return { builder: plan.builder, artifactDir: dir, upToDate: state?.key === key && readsUnchanged(unit.codeDir, state) };
  }

  /** The builder's account of the artifact in place (esbuild's metafile), from its state: no input is looked at. */
  async metafile(fn: Buildable): Promise<unknown> {
    return (await readState(stateFile(fn.templatePath, fn.logicalId)))?.metafile;
  }

  /** The builder, the unit as it builds (the debug artifact where the builder makes one), and the artifact's name. */
  private resolve(plan: Extract<BuildPlan, { kind: 'build' }>, run: Pick<BuildRunOptions, 'debug'>): { builder: Builder; unit: BuildUnit; name: string } {
    const builder = BUILDERS[plan.builder];
    // Logical ids are alphanumeric: '-debug' cannot be another resource's artifact.
    if (run.debug && builder.debugArtifact) return { builder, unit: { ...plan.unit, debug: true }, name: `${plan.unit.logicalId}-debug` };
    return { builder, unit: plan.unit, name: plan.unit.logicalId };
  }

  /** The build's key; for a builder that may run untrusted, trust too: it decides which esbuild bundles. */
  private key(builder: Builder, unit: BuildUnit): Promise<string> {
    return buildKey(builder, unit, this.settings, builder.runsProjectCode === false ? { trusted: this.trusted } : undefined);
  }

  /**
   * What the function's artifact would hold besides its sources, from its manifest and the
   * dependency cache, without running anything: what a size estimate is made of. Null for
   * functions nothing is built for (esbuild, images, inline code, archives).
   */
  async preview(fn: Buildable): Promise<BuildPreview | null> {
    const plan = planFor(fn);
    if (plan.kind === 'skip') return null;
    const base = { builder: plan.builder, codeDir: plan.unit.codeDir, subdir: plan.unit.subdir };
    const builder = BUILDERS[plan.builder];
    if (!builder.preview) return { ...base, kind: 'opaque', reason: `${plan.builder} compiles or assembles the artifact, so the sources say nothing of its size` };
    return { ...base, kind: 'dependencies', dependencies: await builder.preview(plan.unit, this.settings, this.deps) };
  }

  private async buildNow(fn: Buildable, run: BuildRunOptions): Promise<FunctionBuild> {
    const started = performance.now();
    const log = run.onLog ?? this.opts.onLog ?? ((): void => undefined);
    const base = { logicalId: fn.logicalId, templatePath: fn.templatePath, ...(isLayer(fn) ? { kind: 'layer' as const } : {}) };
    const plan = planFor(fn);
    if (plan.kind === 'skip') {
      return { ...base, builder: plan.builder, artifactDir: null, cached: false, durationMs: Math.round(performance.now() - started), status: 'skipped', reason: plan.reason };
    }
    const { builder, unit, name } = this.resolve(plan, run);
    const dir = artifactDir(fn.templatePath, name);
    const statePath = stateFile(fn.templatePath, name);
    const [key, state] = await Promise.all([this.key(builder, unit), readState(statePath)]);
    if (!run.force && state?.key === key && existsSync(dir) && readsUnchanged(unit.codeDir, state)) {
      return { ...base, builder: builder.id, artifactDir: dir, cached: true, durationMs: Math.round(performance.now() - started), status: 'cached', artifactVersion: artifactVersion(state) };
    }
    if (!this.trusted && builder.runsProjectCode !== false) throw untrustedBuild(fn);
    throwIfCancelled(run.token, 'the build');
    run.onBuilding?.(builder.id);
    log(`Building ${unit.kind === 'layer' ? 'layer ' : ''}${fn.logicalId}${unit.debug ? ' for Debug Locally' : ''} (${builder.id}, ${unit.runtime ?? unit.method}, ${unit.architecture}) from ${unit.codeDir}`);
    const work = await startWork(fn.templatePath, name);
    let outcome: Awaited<ReturnType<Builder['build']>>;
    try {
      // A layer's python/ or nodejs/: the builder fills it as it would fill a function's artifact.
      const staging = unit.subdir ? join(work.staging, unit.subdir) : work.staging;
      if (unit.subdir) await fs.mkdir(staging, { recursive: true });
      outcome = await builder.build({
        unit,
        staging,
        artifact: unit.subdir ? join(dir, unit.subdir) : dir,
        scratch: work.scratch,
        settings: this.settings,
        sources: this.opts.sources ?? CLI_SOURCES,
        deps: this.deps,
        tools: this.tools,
        token: run.token,
        loadEsbuild: this.opts.loadEsbuild,
        log,
      });
      throwIfCancelled(run.token, 'the build');
      // No state while the folder changes: a crash in between reads as "not built", never as up to date.
      await removeState(statePath);
      await putInPlace(work.staging, dir);
    } finally {
      await work.dispose();
    }
    const durationMs = Math.round(performance.now() - started);
    // The reads' fingerprint is taken after the build: a file changed while it ran is missed (as
    // a source saved during the build would be, but for the next save).
    const reads = outcome?.reads?.length ? { paths: outcome.reads, fingerprint: readsFingerprint(unit.codeDir, outcome.reads) } : undefined;
    const written: BuildState = { key, builder: builder.id, builtAt: new Date().toISOString(), durationMs, ...(outcome?.metafile !== undefined ? { metafile: outcome.metafile } : {}), ...(reads ? { reads } : {}) };
    await writeState(statePath, written);
    log(`Built ${fn.logicalId} in ${durationMs} ms: ${dir}`);
    const result: FunctionBuild = { ...base, builder: builder.id, artifactDir: dir, cached: false, durationMs, status: 'built', artifactVersion: artifactVersion(written) };
    this.opts.onBuilt?.(fn, result);
    return result;
  }
}

/**
 * Names the artifact in place: its inputs' key, and when it was written (a forced rebuild of the
 * same inputs replaces the folder, which a container's bind mount of the old one would not see).
 */
function artifactVersion(state: { key: string; builtAt: string }): string {
  return `${state.key}@${state.builtAt}`;
}

/** Building runs the project's own code (install scripts, Makefiles): never in a workspace nobody trusted. */
function untrustedBuild(fn: Buildable): UserError {
  return new UserError(
    `${fn.logicalId} needs a build (its artifact is missing or out of date), and this workspace is not trusted: building runs the project's own code (pip and npm install scripts, make).`,
    'Trust the workspace (Manage Workspace Trust) to build it; until then its size is an estimate and it cannot be run or deployed.',
    'build-untrusted',
  );
}

/** Whether the function's builder makes a Debug Locally artifact of its own (esbuild). */
function makesDebugArtifact(fn: Buildable): boolean {
  try {
    const plan = planFor(fn);
    return plan.kind === 'build' && BUILDERS[plan.builder].debugArtifact === true;
  } catch {
    return false;
  }
}

/** The builder a function would get, for reporting a failure (planBuild itself may be what failed). */
function builderOf(fn: Buildable): BuilderId | NotBuiltKind {
  try {
    return planFor(fn).builder;
  } catch {
    return 'none';
  }
}

/** Whether what the last build read beyond its key's sources is as it was (true when it recorded nothing). */
function readsUnchanged(codeDir: string, state: Readonly<BuildState>): boolean {
  return !state.reads || readsFingerprint(codeDir, state.reads.paths) === state.reads.fingerprint;
}
