import { join } from 'node:path';
import { UserError } from '../errors';
import type { BuildEngine, BuildEngineOptions } from '../build/engine';
import type { Buildable } from '../build/choose';
import type { FunctionBuild } from '../build/types';
import type { DeployContext, DeployOptions } from '../deploy/context';
import type { ImageEngine } from '../deploy/image';
import type { AwsSession } from '../deploy/session';
import type { Engine, EngineOptions } from '../docker/engine';
import { lambdaLayerDownloader } from '../local/layerDownload';
import type { LocalRunner, LocalRunnerOptions } from '../local/runner';
import type { ArtifactSource } from '../size/code';
import type { SizeEngine, SizeEngineOptions } from '../size/engine';
import { AwsAccess, type CreateSession } from './aws';
import { type Restarts, restartsFor } from './restarts';
import { buildSettings, engineOptions, type SettingSources, type Settings } from './settings';

/**
 * The external systems the core opens. The defaults load the AWS SDK, dockerode and the engines on
 * first use, so opening the core (at activation) loads none of them; tests pass their own.
 */
export interface CoreDeps {
  createSession: CreateSession;
  openEngine(opts: EngineOptions): Promise<Engine>;
  createRunner(opts: LocalRunnerOptions): Promise<LocalRunner>;
  createSizeEngine(opts: SizeEngineOptions): Promise<SizeEngine>;
  createBuildEngine(opts: BuildEngineOptions): Promise<BuildEngine>;
  connectImageEngine(opts: { dockerHost?: string; dockerHostSource?: string }): Promise<ImageEngine>;
}

export const DEFAULT_DEPS: CoreDeps = {
  createSession: async (opts) => (await import('../deploy/session')).createAwsSession(opts),
  openEngine: async (opts) => (await import('../docker/engine')).openEngine(opts),
  createRunner: async (opts) => (await import('../local/runner')).LocalRunner.create(opts),
  createSizeEngine: async (opts) => new (await import('../size/engine')).SizeEngine(opts),
  createBuildEngine: async (opts) => new (await import('../build/engine')).BuildEngine(opts),
  connectImageEngine: async (opts) => (await import('../deploy/image')).connectImageEngine(opts),
};

/** Where a shell keeps the core's files, how it names settings, and what else it gives local runs. */
export interface CorePlace {
  /** The caches go under it: size/, local/ (layers, merged /opt trees, builds) and deploy/. */
  cacheDir: string;
  sources: SettingSources;
  /** Local-run options that are not settings: the CLI's --network, --label and --cpu, the editor's log channel. */
  local?: Pick<LocalRunnerOptions, 'network' | 'labels' | 'cpu' | 'onLog' | 'removal'>;
  /** For profile lookups; default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * Whether the workspace's code may run (the editor's workspace trust; the CLI is run by hand, so
   * trusted). Untrusted: nothing is built; sizes stay estimates, and what needs a build says so.
   */
  trusted?: () => boolean;
  /** Where the output of builds goes that size, local runs and deploys start (the log; the CLI's stderr). */
  buildLog?: (line: string) => void;
  /** Told after every build that put a new artifact in place (the editor re-measures the function). */
  onBuilt?: (spec: Buildable, build: FunctionBuild) => void;
}

/** A local runner and the engine it runs containers on. */
export interface LocalRun {
  runner: LocalRunner;
  engine: Engine;
}

/**
 * The core as both shells open it, from settings: the size engine (with the ARN layer lookup), the
 * local runner (with the engine, the region, the credentials when asked, the layer downloader) and
 * the AWS session and deploy context. Each part is made on first use; `update()` replaces only
 * what a change of settings affects; `dispose()` removes containers and stops workers.
 */
export class WorkbenchCore {
  private settings: Settings;
  private aws: AwsAccess;
  private size: Promise<SizeEngine> | undefined;
  private builds: Promise<BuildEngine> | undefined;
  private run: Promise<LocalRun> | undefined;
  /** Runners being shut down (after a change of settings, or at the end): their containers are being removed. */
  private readonly retiring = new Set<Promise<void>>();
  private disposed = false;

  constructor(
    settings: Settings,
    private readonly place: CorePlace,
    private readonly deps: CoreDeps = DEFAULT_DEPS,
  ) {
    this.settings = settings;
    this.aws = this.awsAccess();
  }

  /** The settings the core runs with now. */
  get current(): Settings {
    return this.settings;
  }

  /** The size engine: kept for the core's lifetime (its workers and caches make re-measuring cheap). */
  sizeEngine(): Promise<SizeEngine> {
    if (this.size) return this.size;
    const size = this.deps
      .createSizeEngine({
        cacheDir: join(this.place.cacheDir, 'size'),
        // Through the current AWS access, so new AWS settings need no new engine.
        layerResolver: { resolve: (arn, token) => this.aws.layerResolver.resolve(arn, token) },
        builds: this.artifacts(),
      })
      .catch((err: unknown) => {
        if (this.size === size) this.size = undefined;
        throw err;
      });
    this.size = size;
    return size;
  }

  /**
   * The build engine: one for the core's lifetime (or until build settings change), so a build
   * the editor's Build command, a local run or a deploy starts is one run, and all of them, and
   * the size engine, see the same artifacts.
   */
  buildEngine(): Promise<BuildEngine> {
    if (this.builds) return this.builds;
    const builds = this.deps
      .createBuildEngine({
        cacheDir: join(this.place.cacheDir, 'build'),
        settings: buildSettings(this.settings),
        sources: this.place.sources,
        trusted: () => this.trusted,
        onLog: this.place.buildLog,
        onBuilt: this.place.onBuilt,
        // The project's own esbuild would run in this process: only once the workspace is trusted.
        loadEsbuild: async (dir) => (await import('../build/esbuild/bundle')).loadEsbuild(dir, { projectCopy: this.trusted }),
      })
      .catch((err: unknown) => {
        if (this.builds === builds) this.builds = undefined;
        throw err;
      });
    this.builds = builds;
    return builds;
  }

  /** Whether the workspace's code may run (see CorePlace.trusted). */
  get trusted(): boolean {
    return this.place.trusted?.() ?? true;
  }

  /** Builds as size, local runs and deploys see them: through the current build engine, so new build settings need no new size engine. */
  private artifacts(): ArtifactSource & Pick<BuildEngine, 'build' | 'delve'> {
    const engine = (): Promise<BuildEngine> => this.buildEngine();
    const trusted = (): boolean => this.trusted;
    return {
      status: async (fn, run) => (await engine()).status(fn, run),
      preview: async (fn) => (await engine()).preview(fn),
      build: async (fn, run) => (await engine()).build(fn, run),
      delve: async (architecture, run) => (await engine()).delve(architecture, run),
      metafile: async (fn) => (await engine()).metafile(fn),
      get trusted() {
        return trusted();
      },
    };
  }

  /** The AWS session for deploys and the Cloud view. */
  session(): Promise<AwsSession> {
    return this.aws.session();
  }

  /** The local runner, connected on first use; `onProgress` hears about the connecting. */
  runner(onProgress?: (message: string) => void): Promise<LocalRun> {
    if (this.disposed) return Promise.reject(new Error('Lambda Workbench is shutting down.'));
    if (!this.trusted) return Promise.reject(untrusted('Functions are not run', "running one in a container runs the workspace's code"));
    if (this.run) return this.run;
    const run = this.createRunner(onProgress).catch((err: unknown) => {
      if (this.run === run) this.run = undefined;
      throw err;
    });
    this.run = run;
    return run;
  }

  /** What a deploy talks to: the session, a packager over the size engine, Docker for images. */
  async deployContext(options: DeployOptions): Promise<DeployContext> {
    if (!this.trusted) throw untrusted('Nothing is deployed', "a deploy sends the workspace's code to run in AWS under your credentials, and an image deploy runs its Dockerfile");
    const [{ deployContextFrom }, { sizeEnginePackager }] = await Promise.all([import('../deploy/context'), import('../deploy/sizeEnginePackager')]);
    const [session, engine] = await Promise.all([this.session(), this.sizeEngine()]);
    const docker = engineOptions(this.settings, this.place.sources);
    return deployContextFrom(session, {
      packager: sizeEnginePackager(engine, { cacheDir: join(this.place.cacheDir, 'deploy') }),
      builds: this.artifacts(),
      imageEngine: () => this.deps.connectImageEngine({ dockerHost: docker.dockerHost, dockerHostSource: docker.dockerHostSource }),
      options: { sources: this.place.sources, ...options },
    });
  }

  /**
   * Takes new settings and replaces what they make stale (see restartsFor): AWS sessions and
   * lookups at once (the next session asked for is the new one), the runner in the background
   * (its containers are removed; the next invoke makes a new one). Says what it replaced, so the
   * shell can re-measure what it must.
   */
  update(next: Settings): Restarts {
    const restarts = restartsFor(this.settings, next);
    this.settings = next;
    if (restarts.aws) {
      const old = this.aws;
      this.aws = this.awsAccess();
      old.close();
    }
    if (restarts.runner) this.retireRunner();
    // The next build asks for an engine with the new settings; a build running now finishes with the old.
    if (restarts.builds) this.builds = undefined;
    return restarts;
  }

  /** Drops the runner now and waits until its containers are removed; the next runner() makes a new one. */
  async restartRunner(): Promise<void> {
    this.retireRunner();
    await this.settled();
  }

  /** Resolves once the runners that update() replaced have removed their containers. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.retiring]);
  }

  /** Removes the runner's containers, saves the size caches and stops the engine's workers. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.aws.close();
    this.retireRunner();
    const size = this.size;
    this.size = undefined;
    const results = await Promise.allSettled([...this.retiring, size?.then((e) => e.dispose(), () => undefined)]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private awsAccess(): AwsAccess {
    return new AwsAccess(this.settings, this.deps.createSession, this.place.env, this.place.sources);
  }

  private async createRunner(onProgress?: (message: string) => void): Promise<LocalRun> {
    const s = this.settings;
    const aws = this.aws;
    onProgress?.('Connecting to Docker');
    // Throws a UserError that says whether Docker is missing, stopped or unreachable, and the fix.
    const engine = await this.deps.openEngine(engineOptions(s, this.place.sources));
    const [region, credentials] = await Promise.all([aws.runRegion(), s.local.passAwsCredentials ? aws.credentials() : undefined]);
    const runner = await this.deps.createRunner({
      engine,
      cacheDir: join(this.place.cacheDir, 'local'),
      images: s.local.images,
      sources: this.place.sources,
      idleTimeoutMs: s.local.idleTimeoutSeconds * 1000,
      region,
      credentials,
      // Through the current AWS access: a layer is fetched with the AWS settings of when it is needed.
      layerDownloader: lambdaLayerDownloader((layerRegion) => this.aws.lambdaIn(layerRegion)),
      builds: this.artifacts(),
      ...this.place.local,
    });
    return { runner, engine };
  }

  private retireRunner(): void {
    const current = this.run;
    this.run = undefined;
    if (!current) return;
    const done = current.then(
      (r) => r.runner.dispose(),
      () => undefined,
    );
    this.retiring.add(done);
    const forget = (): void => void this.retiring.delete(done);
    void done.then(forget, forget);
  }
}

/** What the core refuses in a workspace nobody trusted: anything that runs the workspace's code. */
function untrusted(what: string, why: string): UserError {
  return new UserError(
    `${what} in a workspace that is not trusted: ${why}.`,
    'Trust the workspace (Manage Workspace Trust), then try again. Sizes, the template and the Cloud view work without it.',
    'workspace-untrusted',
  );
}

/** Opens the core from settings: what the editor does at activation and the CLI once per call. */
export function openCore(settings: Settings, place: CorePlace, deps?: CoreDeps): WorkbenchCore {
  return new WorkbenchCore(settings, place, deps);
}
