import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { BuildEngine } from '../build/engine';
import { type CancellationTokenLike, throwIfCancelled } from '../cancel';
import type { Engine } from '../docker/engine';
import { engineIsLocal } from '../docker/locality';
import { UserError } from '../errors';
import type { Architecture } from '../limits';
import type { FunctionSpec } from '../model/types';
import { codeForRun, type RunCode } from './code';
import { type ContainerInvocation, FunctionContainer } from './container';
import { type AwsCredentials, lambdaEnvironment } from './environment';
import { InvocationClock } from './clock';
import { checkDebugpy, debuggable, type DebugLanguage, type DebugOptions } from './debug';
import { addDebugger, attachDebugger } from './debugContainer';
import { createDebugNetwork, type DebugNetwork, debugPlan, removeDebugNetwork } from './debugNetwork';
import { execFormatError, lambdaArchitecture } from './architecture';
import { ensureImage, type Progress } from './images';
import { LABEL_FUNCTION, LABEL_OWNER, LABEL_SESSION, ownerLabel, removeLeftovers } from './labels';
import { type Collector, eventPayload, type InvokeResult, makeResult, traceId } from './invokeResult';
import { timedOutLogLine } from './lambdaErrors';
import { CLI_SOURCES, type SettingSources } from '../sources';
import { type LayerDownloader, LayerCache } from './layerCache';
import type { LogEntry } from './logs';
import { type NetworkMode, planRuntimeAddress, type RuntimeAddressPlan } from './network';
import { functionKey, type PreparedFunction, prepareFunction } from './prepare';
import { buildReport, formatReportLine } from './report';
import type { ResponseStream } from './responseStream';

export interface LocalRunnerOptions {
  engine: Engine;
  /** Where remote layers, merged /opt trees and inline code are kept between runs. */
  cacheDir: string;
  /** runtime -> image, replacing the AWS base image (the lambdaWorkbench.local.images setting, --image). */
  images?: Readonly<Record<string, string>>;
  /** How messages name where images and the AWS profile are chosen (default: the CLI's flags). */
  sources?: Pick<SettingSources, 'images' | 'profile'>;
  /** How long a warm container waits for its next invocation before it is removed. */
  idleTimeoutMs?: number;
  network?: NetworkMode;
  /** 'lambda' limits CPU in proportion to memory after init, as Lambda does; 'host' leaves it free. */
  cpu?: 'host' | 'lambda';
  /** Extra labels on every container (tests add their run id). */
  labels?: Readonly<Record<string, string>>;
  /**
   * When a container's removal is over for this process. 'confirm' (the default): when the engine
   * answers that it is gone. 'handOff': as soon as its runtime's output has ended (every line it
   * printed is in), leaving the engine to release its network and files; for a process about to
   * exit (the CLI). Docker finishes a removal it has begun whether or not anyone waits for the
   * answer; other engines (Podman) always confirm.
   */
  removal?: 'confirm' | 'handOff';
  region?: string;
  /** AWS credentials for the function; passed only when the user opted in. */
  credentials?: AwsCredentials;
  layerDownloader?: LayerDownloader;
  /** Builds functions a builder makes before they run (the core's build engine); without it, code folders run as they are. */
  builds?: Pick<BuildEngine, 'build' | 'delve'>;
  /** Every log line of every invocation, as it arrives. */
  onLog?: (entry: LogEntry) => void;
  onProgress?: (p: Progress) => void;
}

export type { InvokeResult } from './invokeResult';

export interface InvokeOptions {
  /** The event as a value (serialized to JSON), or */
  event?: unknown;
  /** the event as JSON text, sent as it is. */
  payload?: string | Buffer;
  /** The folder to mount at /var/task instead of what deploy would upload (the bundle or artifact). */
  codeDir?: string;
  envFile?: string;
  envOverrides?: Record<string, string>;
  memoryMb?: number;
  timeoutSeconds?: number;
  /** Start a fresh container even when a warm one is there. */
  forceCold?: boolean;
  /** A version of the code from the caller's file watcher: saves walking the code folder on each invoke. */
  codeVersion?: string;
  clientContext?: unknown;
  cognitoIdentity?: unknown;
  token?: CancellationTokenLike;
  /** This invocation's log lines, as they arrive. */
  onLog?: (entry: LogEntry) => void;
  onProgress?: (p: Progress) => void;
  /**
   * Run under a debugger: a fresh container whose runtime waits for `debug.attach`, kept only for
   * this invocation. Stopping (cancelling) ends the invocation and removes the container.
   */
  debug?: DebugOptions;
  /**
   * Takes a response the function streams (Node.js awslambda.streamifyResponse) as it comes; the
   * result then has no payload. Without it a streamed response is buffered, as Invoke does.
   */
  onResponseStream?: (stream: ResponseStream) => void;
}
interface Slot {
  container: FunctionContainer;
  fingerprint: string;
  key: string;
  logicalId: string;
  idleTimer?: NodeJS.Timeout;
  /** A debug session's container: never reused. */
  debug?: boolean;
  /** The folder mounted at /var/task (debug slots: where the debugger finds the sources). */
  codeDir?: string;
  /** Its exit is watched (it is removed from the pool when it dies while idle). */
  watched?: boolean;
}

/** How a runner's containers changed: one was created, one prewarmed is through its init, or one died or was removed. */
export type ContainerChange = { key: string; logicalId: string; kind: 'added' | 'ready' | 'removed' };

/** Whether an idle container past its idle timeout stays: `live` counts the function's containers on its current code. */
export type IdleRetention = (key: string, live: number) => boolean;
const DEFAULT_IDLE_MS = 5 * 60_000;
const RETAIN_RECHECK_MS = 30_000;
const ACCOUNT = '123456789012';

/**
 * Runs functions locally the way Lambda runs them: one container per concurrent invocation,
 * kept warm between invocations and replaced when the code or configuration changes. Create one
 * per extension session (or CLI run) and dispose it at the end: that removes its containers.
 */
export class LocalRunner {
  private readonly slots = new Set<Slot>();
  private readonly collectors = new Map<string, Collector>();
  private readonly builtImages = new Map<string, { contextFingerprint: string; imageId: string }>();
  private readonly ensuredImages = new Map<string, Promise<void>>();
  private readonly layers: LayerCache;
  private readonly session = randomBytes(6).toString('hex');
  private plan: Promise<RuntimeAddressPlan> | undefined;
  private debugNetwork: Promise<DebugNetwork> | undefined;
  private disposed = false;
  /** Per function, the fingerprint of its last (non-debug) preparation: what "current code" means. */
  private readonly latest = new Map<string, string>();
  private readonly changeListeners = new Set<(change: ContainerChange) => void>();
  private readonly retention = new Set<IdleRetention>();

  private constructor(private readonly opts: LocalRunnerOptions) {
    this.layers = new LayerCache(join(opts.cacheDir, 'layers'), opts.layerDownloader, opts.sources?.profile);
  }

  /** Creates a runner, first removing containers that crashed runs left behind. */
  static async create(opts: LocalRunnerOptions): Promise<LocalRunner> {
    await removeLeftovers(opts.engine.docker).catch(() => 0);
    return new LocalRunner(opts);
  }

  get region(): string {
    return this.opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  }

  /** Warm (idle or busy) containers, for one function or all. */
  containerCount(fn?: Pick<FunctionSpec, 'templatePath' | 'logicalId'>): number {
    const key = fn && functionKey(fn);
    return [...this.slots].filter((s) => !s.container.dead && (!key || s.key === key)).length;
  }

  /** Containers of the function on its current code and configuration (idle or busy, never a debug one). */
  warmCount(fn: Pick<FunctionSpec, 'templatePath' | 'logicalId'>): number {
    const key = functionKey(fn);
    return [...this.slots].filter((s) => s.key === key && !s.debug && !s.container.dead && s.fingerprint === this.latest.get(key)).length;
  }

  /** Told whenever a container starts, dies or is removed (a warm pool tops itself up). */
  onDidChangeContainers(listener: (change: ContainerChange) => void): { dispose(): void } {
    this.changeListeners.add(listener);
    return { dispose: () => void this.changeListeners.delete(listener) };
  }

  /** Lets idle containers outlive the idle timeout while `retain` says so (a warm pool's minimum). */
  retainIdle(retain: IdleRetention): { dispose(): void } {
    this.retention.add(retain);
    return { dispose: () => void this.retention.delete(retain) };
  }

  /** Invokes the function once with the event; resolves with its result, REPORT figures and logs. */
  async invoke(fn: FunctionSpec, opts: InvokeOptions = {}): Promise<InvokeResult> {
    if (this.disposed) throw new Error('The local runner was disposed.');
    throwIfCancelled(opts.token, `invoking ${fn.logicalId}`);
    const payload = eventPayload(opts);
    const progress = this.progressFor(opts);
    const language = opts.debug ? debuggable(fn) : undefined;
    if (opts.debug && !(await engineIsLocal(this.opts.engine))) {
      throw new UserError(
        `Debugging needs a Docker engine on this machine; ${this.opts.engine.endpoint.url} (${this.opts.engine.endpoint.source}) runs containers elsewhere, where the debugger's port is published to that machine's loopback.`,
        `Debug with an engine on this machine (${(this.opts.engine.sources ?? CLI_SOURCES).chooseDockerHost}), or invoke without the debugger on this engine.`,
        'debug-remote-engine',
      );
    }
    const engineCpu = language === 'go' ? lambdaArchitecture(this.opts.engine.info.architecture) : undefined;
    if (engineCpu && engineCpu !== fn.architecture) {
      // Delve traces with ptrace, which an emulated CPU (QEMU's user mode) does not provide.
      throw new UserError(
        `${fn.logicalId} is an ${fn.architecture} function and the Docker engine runs ${engineCpu} code: Delve cannot debug a program the engine runs under emulation.`,
        `Debug it as ${engineCpu} (Architectures: [${engineCpu}] in the template while debugging), or with an engine on an ${fn.architecture} machine (${(this.opts.engine.sources ?? CLI_SOURCES).chooseDockerHost}).`,
        'debug-emulated',
      );
    }
    const { code, prepared } = await this.prepare(fn, opts, progress);
    const { sourceMapped } = code;

    const requestId = randomUUID();
    const collector: Collector = { entries: [], lastAt: Date.now(), onLog: opts.onLog };
    this.collectors.set(requestId, collector);
    const platform = (line: string): void => this.emit(collector, { logicalId: fn.logicalId, requestId, stream: 'platform', line, at: Date.now() });
    for (const w of prepared.warnings) platform(`WARNING ${w}`);

    const slot = opts.forceCold || opts.debug ? undefined : this.takeWarm(prepared);
    const target = slot ?? (await this.coldSlot(fn, prepared, progress, opts.token, language && { language, codeDir: code.sourceRoot ?? prepared.codeDir ?? '' }));
    if (target.idleTimer) clearTimeout(target.idleTimer);
    const clock = opts.debug?.clock ?? new InvocationClock();
    if (opts.debug && language) {
      try {
        await attachDebugger(fn.logicalId, target.container, target.codeDir ?? '', { language, debug: opts.debug, sourceMapped }, progress, opts.token);
      } catch (err) {
        await this.drop(target);
        this.collectors.delete(requestId);
        throw err;
      }
    }
    platform(`START RequestId: ${requestId} Version: $LATEST`);
    progress({ message: `Invoking ${fn.logicalId}${slot ? '' : ' (cold start)'}` });

    let run: ContainerInvocation;
    try {
      run = await target.container.invoke(
        {
          requestId,
          payload,
          timeoutMs: prepared.timeoutSeconds * 1000,
          functionArn: `arn:aws:lambda:${this.region}:${ACCOUNT}:function:${prepared.envInputs.functionName}`,
          traceId: traceId(),
          clientContext: opts.clientContext === undefined ? undefined : JSON.stringify(opts.clientContext),
          cognitoIdentity: opts.cognitoIdentity === undefined ? undefined : JSON.stringify(opts.cognitoIdentity),
        },
        opts.token,
        clock,
        opts.onResponseStream,
      );
    } finally {
      // The debugger lets go while the runtime is still there, then the container goes.
      if (opts.debug?.detach) await opts.debug.detach().catch(() => undefined);
      await this.release(target);
      setTimeout(() => this.collectors.delete(requestId), 30_000).unref();
    }

    const error = run.outcome.kind === 'error' ? run.outcome.error : null;
    if (run.outcome.kind === 'error' && run.outcome.status === 'timeout') platform(timedOutLogLine(requestId, prepared.timeoutSeconds, new Date()));
    if (run.outcome.kind === 'error' && run.outcome.error.errorType === 'Runtime.ExitError') platform(`RequestId: ${requestId} Error: ${run.outcome.error.errorMessage.replace(/^RequestId: \S+ Error: /, '')}\nRuntime.ExitError`);
    const report = buildReport({
      cold: run.cold,
      initDurationMs: run.initDurationMs,
      durationMs: run.durationMs,
      memorySizeMb: prepared.memoryMb,
      maxMemoryUsedBytes: run.maxMemoryBytes ?? 0,
      maxMemorySource: run.memorySource,
      status: run.outcome.kind === 'response' ? 'success' : run.outcome.status,
      errorType: run.outcome.kind === 'error' ? run.outcome.reportType : undefined,
    });
    const reportLine = formatReportLine(requestId, report);
    platform(`END RequestId: ${requestId}`);
    platform(reportLine);

    const rawPayload = run.outcome.kind === 'response' && !run.outcome.streamed ? run.outcome.body.toString('utf8') : null;
    return makeResult(fn.logicalId, requestId, rawPayload, error, report, reportLine, prepared.warnings, collector);
  }

  /**
   * Starts containers for the function until `count` of them are warm, each through its init (as
   * provisioned concurrency does): the invocations they take next are warm.
   */
  async prewarm(fn: FunctionSpec, count: number, opts: Pick<InvokeOptions, 'codeDir' | 'codeVersion' | 'envFile' | 'envOverrides' | 'token' | 'onProgress'> = {}): Promise<void> {
    if (this.disposed) throw new Error('The local runner was disposed.');
    const progress = this.progressFor(opts);
    const { prepared } = await this.prepare(fn, opts, progress);
    // The code or configuration changed since these started: fresh ones replace them (removed
    // once those are up, so the engine's work of removing does not slow their start).
    const stale = [...this.slots].filter((s) => s.key === prepared.key && !s.debug && s.fingerprint !== prepared.fingerprint);
    const have = [...this.slots].filter((s) => s.key === prepared.key && s.fingerprint === prepared.fingerprint && !s.debug && !s.container.dead).length;
    const started = await Promise.allSettled(
      Array.from({ length: Math.max(0, count - have) }, async () => {
        const slot = await this.coldSlot(fn, prepared, progress, opts.token);
        try {
          await slot.container.warmUp(opts.token);
        } catch (err) {
          await this.drop(slot);
          throw err;
        }
        await this.release(slot);
        this.changed(slot, 'ready');
      }),
    );
    for (const s of stale) if (s.container.idle && this.slots.has(s)) void this.drop(s);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * What a run of the function mounts at /var/task, built or bundled first when out of date (the
   * build stage invoke goes through): for a caller that keeps it between runs (the local API).
   */
  codeFor(fn: FunctionSpec, opts: Pick<InvokeOptions, 'token' | 'onProgress'> & { debug?: boolean } = {}): Promise<RunCode> {
    return codeForRun(fn, { builds: this.opts.builds, debug: opts.debug, token: opts.token, progress: this.progressFor(opts) });
  }

  private progressFor(opts: Pick<InvokeOptions, 'onProgress'>): (p: Progress) => void {
    return (p) => {
      opts.onProgress?.(p);
      this.opts.onProgress?.(p);
    };
  }

  /** What a container of this function is made from: the code to mount (built first when out of date) and its configuration. */
  private async prepare(fn: FunctionSpec, opts: Omit<InvokeOptions, 'event' | 'payload'>, progress: (p: Progress) => void): Promise<{ code: RunCode; prepared: PreparedFunction }> {
    // What deploy uploads: esbuild's bundle, or the built artifact (mounted read-only: its
    // dependency files are hard links into the build cache).
    const code: RunCode = opts.codeDir ? { codeDir: opts.codeDir, sourceMapped: false } : await this.codeFor(fn, { token: opts.token, onProgress: progress, debug: opts.debug !== undefined });
    const prepared = await prepareFunction(
      {
        docker: this.opts.engine.docker,
        cacheDir: this.opts.cacheDir,
        images: this.opts.images ?? {},
        imagesSource: this.opts.sources?.images,
        layers: this.layers,
        builds: this.opts.builds,
        region: this.region,
        credentials: this.opts.credentials,
        salt: { network: this.opts.network ?? 'bridge', cpu: this.opts.cpu ?? 'host' },
        builtImages: this.builtImages,
      },
      fn,
      // A built artifact is named by its build: no need to read it again to know it is unchanged.
      { ...opts, codeDir: code.codeDir, artifactVersion: code.version, onProgress: progress },
    );
    throwIfCancelled(opts.token, `invoking ${fn.logicalId}`);
    if (opts.debug === undefined) this.latest.set(prepared.key, prepared.fingerprint);
    return { code, prepared };
  }

  /** Removes the warm containers of one function (or all): the next invoke is cold. */
  async removeContainers(fn?: Pick<FunctionSpec, 'templatePath' | 'logicalId'>): Promise<void> {
    const key = fn && functionKey(fn);
    const doomed = [...this.slots].filter((s) => !key || s.key === key);
    for (const s of doomed) {
      if (s.idleTimer) clearTimeout(s.idleTimer);
      if (this.slots.delete(s)) this.changed(s, 'removed');
    }
    await Promise.all(doomed.map((s) => s.container.remove()));
  }

  /** Removes every container this runner started. Call when the extension or the CLI ends. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.removeContainers();
    const net = await this.debugNetwork?.catch(() => undefined);
    if (net) await removeDebugNetwork(this.opts.engine.docker, net);
  }

  private takeWarm(prepared: PreparedFunction): Slot | undefined {
    let found: Slot | undefined;
    for (const s of this.slots) {
      if (s.key !== prepared.key || s.debug) continue;
      if (s.container.dead) {
        if (this.slots.delete(s)) this.changed(s, 'removed');
        continue;
      }
      if (s.fingerprint !== prepared.fingerprint) {
        // Code or configuration changed: this environment is stale.
        if (s.container.idle) void this.drop(s);
        continue;
      }
      if (!found && s.container.idle) found = s;
    }
    if (found?.idleTimer) clearTimeout(found.idleTimer);
    return found;
  }

  /** Delve for the function's CPU, built by the build engine the first time (see build/delve.ts). */
  private async delveFor(fn: FunctionSpec, progress: (p: Progress) => void, token?: CancellationTokenLike): Promise<string> {
    const builds = this.opts.builds;
    if (!builds) throw new UserError(`Debugging ${fn.logicalId} needs the build stage, which builds it for the debugger.`, 'Debug it from the editor or the CLI, which build functions first.', 'delve-missing');
    progress({ message: `Getting Delve ready for ${fn.logicalId}` });
    return builds.delve(fn.architecture as Architecture, { token });
  }

  private async coldSlot(
    fn: FunctionSpec,
    prepared: PreparedFunction,
    progress: (p: Progress) => void,
    token?: CancellationTokenLike,
    debug?: { language: DebugLanguage; codeDir: string },
  ): Promise<Slot> {
    if (!prepared.built) {
      const key = `${prepared.image.image}|${fn.architecture}`;
      let ensured = this.ensuredImages.get(key);
      if (!ensured) {
        ensured = ensureImage(this.opts.engine.docker, { ...prepared.image, architecture: fn.architecture as Architecture }, { onProgress: progress, token, mapIn: this.opts.sources?.images });
        this.ensuredImages.set(key, ensured);
        ensured.catch(() => this.ensuredImages.delete(key));
      }
      await ensured;
    }
    throwIfCancelled(token, `invoking ${fn.logicalId}`);
    // The image is there now: ask it whether it can run debugpy before a container waits for it.
    if (debug?.language === 'python') await checkDebugpy(this.opts.engine.docker, prepared.image.image, this.opts.labels, token, this.opts.sources?.images);
    this.plan ??= planRuntimeAddress(this.opts.engine, this.opts.network ?? 'bridge');
    const plan = await this.plan.catch((err: unknown) => {
      this.plan = undefined;
      throw err;
    });
    progress({ message: `Starting a container for ${fn.logicalId}` });
    const { env } = lambdaEnvironment(prepared.envInputs);
    const binds = [...prepared.binds];
    let debugPort: number | undefined;
    let network: string | undefined;
    let containerPlan = plan;
    if (debug && plan.networkMode !== 'host') {
      // Its debugger listens on the container's address: no other container may share its network.
      this.debugNetwork ??= createDebugNetwork(this.opts.engine.docker, this.session, this.opts.labels);
      const net = await this.debugNetwork.catch((err: unknown) => {
        this.debugNetwork = undefined;
        throw new UserError(`Could not create the network for ${fn.logicalId}'s debug container: ${(err as Error).message}`, 'Check that the Docker engine can create bridge networks.', 'debug-network');
      });
      network = net.name;
      containerPlan = debugPlan(plan, net);
    }
    let entrypoint = prepared.entrypoint;
    if (debug) {
      const go = debug.language === 'go' ? { delveDir: await this.delveFor(fn, progress, token), entrypoint: prepared.entrypoint ?? [] } : undefined;
      const added = await addDebugger(debug.language, plan.networkMode === 'host', this.opts.cacheDir, env, binds, go);
      debugPort = added.port;
      entrypoint = added.entrypoint ?? entrypoint;
    }
    const slot: Partial<Slot> & { key: string } = { key: prepared.key, fingerprint: prepared.fingerprint, logicalId: fn.logicalId, debug: Boolean(debug), codeDir: debug?.codeDir };
    let container: FunctionContainer;
    try {
      container = await FunctionContainer.create(
        this.opts.engine,
        {
          logicalId: fn.logicalId,
          image: prepared.image.image,
          cmd: prepared.cmd,
          entrypoint,
          env,
          binds,
          memoryMb: prepared.memoryMb,
          timeoutSeconds: prepared.timeoutSeconds,
          labels: {
            ...(this.opts.labels ?? {}),
            [LABEL_OWNER]: ownerLabel(),
            [LABEL_SESSION]: this.session,
            [LABEL_FUNCTION]: fn.logicalId,
          },
          plan: containerPlan,
          network,
          cpu: this.opts.cpu ?? 'host',
          removal: this.opts.removal === 'handOff' && !this.opts.engine.info.podman ? 'handOff' : 'confirm',
          debug: debug && debugPort !== undefined ? { language: debug.language, port: debugPort } : undefined,
          credentials: prepared.envInputs.credentials,
          execFormatError: (line) =>
            execFormatError({
              logicalId: fn.logicalId,
              image: prepared.image.image,
              architecture: fn.architecture as Architecture,
              engineArchitecture: this.opts.engine.info.architecture,
              line,
              dockerHost: (this.opts.engine.sources ?? CLI_SOURCES).chooseDockerHost,
            }),
        },
        (stream, line) => {
          const requestId = slot.container?.currentRequestId;
          const collector = requestId ? this.collectors.get(requestId) : undefined;
          this.emit(collector, { logicalId: fn.logicalId, requestId, stream, line, at: Date.now() });
        },
      );
    } catch (err) {
      if (err instanceof UserError) throw err;
      const message = ((err as { json?: { message?: string } }).json?.message ?? (err as Error).message).trim();
      throw new UserError(`Could not create a container for ${fn.logicalId}: ${message}`, 'Check the image and that the code and layer folders can be shared with Docker.', 'container-create');
    }
    slot.container = container;
    const full = slot as Slot;
    if (this.disposed) {
      await container.remove();
      throw new Error('The local runner was disposed.');
    }
    this.slots.add(full);
    this.changed(full, 'added');
    return full;
  }

  private async release(slot: Slot): Promise<void> {
    // A debug container served its one invocation; it goes before the result is returned.
    if (slot.debug) return this.drop(slot);
    if (slot.container.dead || this.disposed) {
      if (this.slots.delete(slot)) this.changed(slot, 'removed');
      return;
    }
    if (!slot.watched) {
      slot.watched = true;
      // A container whose runtime dies while it waits for work leaves the pool at once.
      void slot.container.ended?.then(() => {
        if (this.slots.delete(slot)) this.changed(slot, 'removed');
      });
    }
    this.armIdleTimer(slot);
  }

  private armIdleTimer(slot: Slot, ms = this.opts.idleTimeoutMs ?? DEFAULT_IDLE_MS): void {
    slot.idleTimer = setTimeout(() => {
      const live = [...this.slots].filter((s) => s.key === slot.key && !s.debug && !s.container.dead && s.fingerprint === slot.fingerprint).length;
      // Kept for a pool: asked again later, never sooner than RETAIN_RECHECK_MS (an idle timeout of 0 must not spin).
      if (slot.fingerprint === this.latest.get(slot.key) && [...this.retention].some((r) => r(slot.key, live))) this.armIdleTimer(slot, Math.max(ms, RETAIN_RECHECK_MS));
      else void this.drop(slot);
    }, ms);
    slot.idleTimer.unref();
  }

  private drop(slot: Slot): Promise<void> {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    if (this.slots.delete(slot)) this.changed(slot, 'removed');
    return slot.container.remove();
  }

  private changed(slot: Slot, kind: ContainerChange['kind']): void {
    if (this.disposed) return;
    for (const l of [...this.changeListeners]) l({ key: slot.key, logicalId: slot.logicalId, kind });
  }

  private emit(collector: Collector | undefined, entry: LogEntry): void {
    if (collector) {
      collector.entries.push(entry);
      collector.lastAt = Date.now();
      collector.onLog?.(entry);
    }
    this.opts.onLog?.(entry);
  }
}
