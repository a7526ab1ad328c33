import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { type CancellationTokenLike, CancelledError } from '../cancel';
import type { Engine } from '../docker/engine';
import { engineIsLocal } from '../docker/locality';
import { UserError } from '../errors';
import { InvocationClock, type ClockTimer } from './clock';
import { codeMounts, copyBindsIn } from './codeCopy';
import { credentialLines, credentialsEntry, feed, openStdin } from './credentialsIn';
import { type DebugLanguage, DEBUGGER_LISTENING, LISTEN_TIMEOUT_MS } from './debug';
import type { AwsCredentials } from './environment';
import { type LambdaError, RESPONSE_LIMIT_BYTES, responseTooLarge, runtimeExited, timedOut } from './lambdaErrors';
import { type AttachedLines, attachLines, loggedLines } from './logs';
import { type MemoryProbe, openMemoryProbe } from './memory';
import { allowedOnceRunning, initialAllowed, type RuntimeAddressPlan } from './network';
import { bufferStream, type ResponseStream } from './responseStream';
import { type RuntimeInvocation, RuntimeApiServer } from './runtimeApi';
import { type ColdStartEvidence, runtimeApiReachError } from './runtimeReach';
import { EXEC_FORMAT_ERROR } from './architecture';

/** What an image must do for its runtime's debugger to open, by language. */
const LISTEN_HINTS: Record<DebugLanguage, string> = {
  node: "The image's bootstrap must start node so that it honours NODE_OPTIONS (the AWS base images do).",
  python: 'The image must run its Python runtime with the site module (the AWS base images do).',
  java: "The image's JVM must honour JAVA_TOOL_OPTIONS and include the JDWP agent (jdk.jdwp.agent; the AWS base images do).",
  go: 'Delve starts the bootstrap itself: see the function log in the Local Runs output for what it said.',
};

/** Everything a function container is made from. */
export interface ContainerConfig {
  logicalId: string;
  image: string;
  /** The image's command: [handler] for the AWS base images; undefined keeps the image's own. */
  cmd?: string[];
  /** Replaces the image's entrypoint when given. */
  entrypoint?: string[];
  env: Record<string, string>;
  binds: string[];
  memoryMb: number;
  timeoutSeconds: number;
  labels: Record<string, string>;
  plan: RuntimeAddressPlan;
  /** A network to attach to instead of the plan's network mode (a debug container's own, see debugNetwork.ts). */
  network?: string;
  /** 'lambda': after init, CPU is limited in proportion to memory as Lambda does (1,769 MB = 1 vCPU). */
  cpu: 'host' | 'lambda';
  /** When remove() resolves: see LocalRunnerOptions.removal (the runner gives 'confirm' for engines other than Docker). */
  removal?: 'confirm' | 'handOff';
  /** A debugger's port inside the container, published to 127.0.0.1 (on the host network it is this machine's port already). */
  debug?: { language: DebugLanguage; port: number };
  /** AWS credentials for the function, handed over on stdin at start (see credentialsIn.ts), never in `env`. */
  credentials?: AwsCredentials;
  /** The error for a container whose program the kernel could not run (an exec format error: built for another CPU), given the line it printed. */
  execFormatError?: (line: string) => UserError;
}

/** How one invocation in this container went, before it becomes a report. */
export interface ContainerInvocation {
  cold: boolean;
  initDurationMs: number | null;
  durationMs: number;
  /** `streamed`: the body went to the caller's stream reader as it came (see ResponseStream). */
  outcome: { kind: 'response'; body: Buffer; streamed?: boolean } | { kind: 'error'; error: LambdaError; status: 'error' | 'timeout'; reportType?: string };
  maxMemoryBytes: number | undefined;
  memorySource: MemoryProbe['source'] | 'limit';
}

/** Lambda's init phase may take 10 s, then it is retried within the invocation's own timeout. */
const INIT_PHASE_MS = 10_000;
/** How long a debug session's runtime connection may sit idle (stopped at a breakpoint). */
const DEBUG_IDLE_MS = 12 * 60 * 60_000;
const MB = 1024 * 1024;

type Exit = { code: number; oomKilled: boolean; at: number };

/** Errors after which the runtime's state is unknown: its environment is not reused. */
const IN_DOUBT = new Set(['Function.ResponseSizeTooLarge', 'Runtime.ResponseAborted']);

/**
 * One execution environment: a container running the runtime's bootstrap against its own
 * Runtime API server. It is created once, initialises on its first invocation (cold), then
 * serves invocations one at a time (warm) until it is removed. Any failure that leaves the
 * runtime in doubt (timeout, crash, out of memory, init error, cancel) removes it.
 */
export class FunctionContainer {
  /** The invocation whose output is arriving now; late lines of the last one keep its id. */
  currentRequestId: string | undefined;
  private state: 'created' | 'ready' | 'busy' | 'dead' = 'created';
  private startedAt = 0;
  private firstPoll: Promise<number>;
  private resolveFirstPoll!: (at: number) => void;
  private initError: Promise<{ error: LambdaError; at: number }>;
  private resolveInitError!: (e: { error: LambdaError; at: number }) => void;
  private exited: Promise<Exit> | undefined;
  private probe: MemoryProbe | undefined;
  private removing: Promise<void> | undefined;
  private logs: AttachedLines | undefined;
  private exitListener: ((exit: Exit) => void) | undefined;
  private exit: Exit | undefined;
  private started = false;
  private debuggerListening: Promise<void>;
  private resolveListening!: () => void;
  /** The container's stdin while the credentials wait to be handed over at start. */
  private stdin: Duplex | undefined;
  /** Ends the requests that would outlive a handed-off removal: the wait for the exit, and the removal's own. */
  private readonly requests = new AbortController();

  private constructor(
    readonly config: ContainerConfig,
    private readonly server: RuntimeApiServer,
    readonly container: Docker.Container,
    /** The engine runs containers on this machine: binds work, and its process ids are this machine's. */
    private readonly local: boolean,
    /** How the engine's shell names what a person sets, for the hint when the Runtime API was not reached. */
    private readonly sources: Engine['sources'],
  ) {
    this.firstPoll = new Promise((r) => (this.resolveFirstPoll = r));
    this.initError = new Promise((r) => (this.resolveInitError = r));
    this.debuggerListening = new Promise((r) => (this.resolveListening = r));
  }

  /** Creates the container and its Runtime API, attached to its output but not started. */
  static async create(engine: Engine, config: ContainerConfig, onLine: (stream: 'stdout' | 'stderr', line: string) => void): Promise<FunctionContainer> {
    let self: FunctionContainer | undefined;
    const local = await engineIsLocal(engine);
    const server = await RuntimeApiServer.listen({
      host: config.plan.bindHost,
      allowed: initialAllowed(config.plan),
      // The runtime's own connection is idle while its handler runs: never closed for that. A
      // debugger may hold the handler much longer than its timeout.
      // A streamed response is one request that lasts as long as the function runs.
      limits: config.debug ? { idleMs: DEBUG_IDLE_MS, requestMs: DEBUG_IDLE_MS } : { idleMs: INIT_PHASE_MS + config.timeoutSeconds * 1000 + 30_000, requestMs: config.timeoutSeconds * 1000 + 30_000 },
      listener: {
        onFirstPoll: (at) => self?.resolveFirstPoll(at),
        onInitError: (error, at) => self?.resolveInitError({ error, at }),
      },
    });
    try {
      const env = { ...config.env, AWS_LAMBDA_RUNTIME_API: server.runtimeApi };
      const debugPort = config.debug && config.plan.networkMode !== 'host' ? `${config.debug.port}/tcp` : undefined;
      // A remote engine's machine has none of these folders: they are copied in before start.
      const code = codeMounts(config.binds, local);
      if (config.credentials) credentialLines(config.credentials);
      const entry = config.credentials ? await credentialsEntry(engine.docker, config.image, config.cmd, config.entrypoint) : { Cmd: config.cmd, ...(config.entrypoint ? { Entrypoint: config.entrypoint } : {}) };
      const container = await engine.docker.createContainer({
        name: `lambda-workbench-${config.logicalId}-${randomBytes(4).toString('hex')}`,
        Image: config.image,
        ...entry,
        ...(config.credentials ? { OpenStdin: true, StdinOnce: true, AttachStdin: true } : {}),
        Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
        Labels: config.labels,
        AttachStdout: true,
        AttachStderr: true,
        ...(debugPort ? { ExposedPorts: { [debugPort]: {} } } : {}),
        HostConfig: {
          // Published to loopback only, on a port the engine picks: nothing else on the network reaches the debugger.
          ...(debugPort ? { PortBindings: { [debugPort]: [{ HostIp: '127.0.0.1', HostPort: '' }] } } : {}),
          Binds: code.binds,
          // Delve traces the function with ptrace, and turns address randomisation off for it (a
          // syscall Docker's default seccomp profile refuses): allowed for a debug container only.
          ...(config.debug?.language === 'go' ? { CapAdd: ['SYS_PTRACE'], SecurityOpt: ['seccomp=unconfined'] } : {}),
          NetworkMode: config.network ?? config.plan.networkMode,
          // The Runtime API's secret name, for this container only (see RuntimeApiServer.hostName).
          ExtraHosts: [server.hostsEntry(config.plan.containerHost)],
          Memory: config.memoryMb * MB,
          // Equal to Memory: the function cannot swap, like Lambda.
          MemorySwap: config.memoryMb * MB,
          // Lambda's file system is read-only but for /tmp.
          ReadonlyRootfs: true,
          Mounts: [...code.mounts, { Type: 'volume', Source: '', Target: '/tmp' }],
          // Lambda's file descriptor limit. (Its process limit is left out: RLIMIT_NPROC counts the
          // user's processes on the whole host, which would make it depend on this machine.)
          Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 1024 }],
        },
      });
      self = new FunctionContainer(config, server, container, local, engine.sources);
      if (!local) await copyBindsIn(container, config.binds);
      if (config.credentials) self.stdin = await openStdin(container);
      const listening = self;
      self.logs = await attachLines(engine.docker, container, (stream, line) => {
        if (config.debug && DEBUGGER_LISTENING.test(line)) listening.resolveListening();
        onLine(stream, line);
      });
      return self;
    } catch (err) {
      await server.close();
      if (self) await self.remove();
      throw err;
    }
  }

  get id(): string {
    return this.container.id;
  }

  get dead(): boolean {
    return this.state === 'dead';
  }

  get idle(): boolean {
    return this.state === 'ready';
  }

  /** Settles when the started container has exited (undefined before it was started). */
  get ended(): Promise<unknown> | undefined {
    return this.exited;
  }

  /**
   * Runs one invocation; the first one in this container includes its init (cold). A response the
   * runtime streams goes to `onStream` as it comes (without one, it is buffered like Invoke does).
   */
  async invoke(invocation: RuntimeInvocation, token?: CancellationTokenLike, clock = new InvocationClock(), onStream?: (stream: ResponseStream) => void): Promise<ContainerInvocation> {
    if (this.state === 'busy' || this.state === 'dead') throw new Error(`container ${this.id.slice(0, 12)} is ${this.state}`);
    const cold = this.state === 'created';
    this.state = 'busy';
    this.currentRequestId = invocation.requestId;
    const { requestId } = invocation;
    const timeoutMs = this.config.timeoutSeconds * 1000;

    let settled = false;
    let resolveDone!: (r: ContainerInvocation | Error) => void;
    const done = new Promise<ContainerInvocation | Error>((r) => (resolveDone = r));
    const settle = (r: ContainerInvocation | Error): void => {
      if (settled) return;
      settled = true;
      resolveDone(r);
    };
    const timers: ClockTimer[] = [];
    const cancel = token?.onCancellationRequested(() => settle(new CancelledError(`invoking ${this.config.logicalId}`)));
    let initDurationMs: number | null = null;
    /** Ends the invocation with an error; `memory` is given when the figure is known without reading (OOM: the limit). */
    const fail = async (error: LambdaError, status: 'error' | 'timeout', durationMs: number, reportType: string, memory?: number): Promise<void> => {
      const peak = memory ?? (await this.probe?.peak());
      const memorySource = memory !== undefined ? 'limit' : (this.probe?.source ?? 'limit');
      settle({ cold, initDurationMs, durationMs, outcome: { kind: 'error', error, status, reportType }, maxMemoryBytes: peak, memorySource });
    };
    const onExit = (exit: Exit, durationMs: number): Promise<void> => {
      this.state = 'dead';
      const error = runtimeExited(requestId, exit.code);
      return exit.oomKilled ? fail(error, 'error', durationMs, 'Runtime.OutOfMemory', this.config.memoryMb * MB) : fail(error, 'error', durationMs, error.errorType);
    };

    try {
      if (cold) {
        if (!this.started) await this.start();
        const init = await Promise.race([
          this.firstPoll.then((at) => ({ kind: 'ready' as const, at })),
          this.initError.then((e) => ({ kind: 'init-error' as const, ...e })),
          this.exited!.then((e) => ({ kind: 'exit' as const, ...e })),
          done.then(() => ({ kind: 'settled' as const, at: performance.now() })),
          new Promise<{ kind: 'timeout'; at: number }>((r) => timers.push(clock.setTimeout(() => r({ kind: 'timeout', at: performance.now() }), INIT_PHASE_MS + timeoutMs))),
        ]);
        initDurationMs = Math.max(0, init.at - this.startedAt - clock.pausedMs);
        if (init.kind === 'init-error') {
          // The runtime exits after reporting; this environment is over.
          this.state = 'dead';
          await fail(init.error, 'error', 0, init.error.errorType);
        } else if (init.kind === 'exit') {
          const unreachable = (await this.otherCpuError(init.code)) ?? this.reachError({ kind: 'exit', code: init.code, oomKilled: init.oomKilled });
          if (unreachable) throw unreachable;
          await onExit(init, 0);
        } else if (init.kind === 'timeout') {
          const unreachable = this.reachError({ kind: 'init-timeout', afterMs: INIT_PHASE_MS + timeoutMs });
          if (unreachable) throw unreachable;
          await fail(timedOut(requestId, this.config.timeoutSeconds), 'timeout', timeoutMs, 'Sandbox.Timedout');
        } else if (init.kind === 'ready' && this.config.cpu === 'lambda') {
          await this.limitCpu();
        }
      } else {
        // Warm: measure this invocation's own peak.
        this.probe?.reset();
      }

      if (!settled) {
        const pending = this.server.submit(invocation);
        let deliveredAt: number | undefined;
        let pausedBefore = 0;
        // Time stopped in a debugger is not the function's time.
        const ran = (at: number): number => Math.max(0, at - deliveredAt! - (clock.pausedMs - pausedBefore));
        void pending.delivered.then((at) => {
          deliveredAt = at;
          pausedBefore = clock.pausedMs;
          timers.push(
            clock.setTimeout(() => {
              if (settled) return;
              const error = timedOut(requestId, this.config.timeoutSeconds);
              this.server.settle(requestId, { kind: 'error', error, at: performance.now() });
              void fail(error, 'timeout', timeoutMs, 'Sandbox.Timedout');
            }, timeoutMs),
          );
        });
        void pending.outcome.then(async (outcome) => {
          if (settled || deliveredAt === undefined) return;
          if (outcome.kind === 'stream') {
            // The invocation lasts until the stream ends: the caller reads it meanwhile, or it is buffered like Invoke does.
            const buffered = onStream ? undefined : bufferStream(outcome.stream, RESPONSE_LIMIT_BYTES, responseTooLarge);
            onStream?.(outcome.stream);
            const end = await outcome.stream.ended;
            const whole = await buffered;
            if (settled) return;
            const error = end.kind === 'error' ? end.error : whole && 'error' in whole ? whole.error : undefined;
            if (error) return fail(error, 'error', ran(end.at), error.errorType);
            const peak = await this.probe?.peak();
            const body = whole && 'body' in whole ? whole.body : Buffer.alloc(0);
            settle({ cold, initDurationMs, durationMs: ran(end.at), outcome: { kind: 'response', body, streamed: Boolean(onStream) }, maxMemoryBytes: peak, memorySource: this.probe?.source ?? 'limit' });
            return;
          }
          const durationMs = ran(outcome.at);
          if (outcome.kind === 'response') {
            const peak = await this.probe?.peak();
            settle({ cold, initDurationMs, durationMs, outcome: { kind: 'response', body: outcome.body }, maxMemoryBytes: peak, memorySource: this.probe?.source ?? 'limit' });
          } else {
            await fail(outcome.error, 'error', durationMs, outcome.error.errorType);
          }
        });
        this.exitListener = (exit) => {
          if (settled) return;
          this.server.settle(requestId, { kind: 'error', error: runtimeExited(requestId, exit.code), at: exit.at });
          void onExit(exit, deliveredAt === undefined ? 0 : ran(exit.at));
        };
        // It may have ended between invocations, or just now.
        if (this.exit) this.exitListener(this.exit);
        // A runtime that never asks for the event must not hang the caller.
        timers.push(
          clock.setTimeout(() => {
            if (settled || deliveredAt !== undefined) return;
            const error = timedOut(requestId, this.config.timeoutSeconds);
            this.server.settle(requestId, { kind: 'error', error, at: performance.now() });
            void fail(error, 'timeout', timeoutMs, 'Sandbox.Timedout');
          }, INIT_PHASE_MS + timeoutMs),
        );
      }

      const result = await done;
      if (result instanceof Error) throw result;
      // Anything that leaves the runtime in doubt ends this environment, as in Lambda.
      const doubt = result.outcome.kind === 'error' && (result.outcome.status === 'timeout' || IN_DOUBT.has(result.outcome.error.errorType));
      if (doubt || this.state === 'dead') await this.remove();
      else this.state = 'ready';
      return result;
    } catch (err) {
      await this.remove();
      throw err;
    } finally {
      this.exitListener = undefined;
      for (const t of timers) t.dispose();
      cancel?.dispose();
    }
  }

  /**
   * Starts the container and waits for its init to finish (its runtime's first /next), without an
   * invocation: the next one is warm, as with provisioned concurrency. An init that fails removes
   * the container and throws what the runtime reported.
   */
  async warmUp(token?: CancellationTokenLike): Promise<void> {
    if (this.state !== 'created') return;
    this.state = 'busy';
    await this.startPhase(`starting ${this.config.logicalId}`, INIT_PHASE_MS, token, async (deadline) => {
      if (!this.started) await this.start();
      const init = await Promise.race([
        this.firstPoll.then(() => ({ kind: 'ready' as const })),
        this.initError.then((e) => ({ kind: 'init-error' as const, error: e.error })),
        this.exited!.then((e) => ({ kind: 'exit' as const, code: e.code, oomKilled: e.oomKilled })),
        deadline.then(() => ({ kind: 'timeout' as const })),
      ]);
      if (init.kind === 'ready') {
        if (this.config.cpu === 'lambda') await this.limitCpu();
        this.state = 'ready';
        return;
      }
      if (init.kind === 'exit') {
        const otherCpu = await this.otherCpuError(init.code);
        if (otherCpu) throw otherCpu;
      }
      if (init.kind !== 'init-error') {
        const unreachable = this.reachError(init.kind === 'exit' ? { kind: 'exit', code: init.code, oomKilled: init.oomKilled } : { kind: 'init-timeout', afterMs: INIT_PHASE_MS });
        if (unreachable) throw unreachable;
      }
      const why = init.kind === 'init-error' ? `${init.error.errorType}: ${init.error.errorMessage}` : init.kind === 'exit' ? `its runtime exited (code ${init.code})` : `its init took over ${INIT_PHASE_MS / 1000} s`;
      throw new UserError(`${this.config.logicalId} could not start: ${why}.`, 'See the function log for what its init printed.', 'init-failed');
    });
  }

  /**
   * A start-up phase (init, a debugger's listen) with a deadline it may race: cancelling removes
   * the container, and so does any failure, which is then thrown.
   */
  private async startPhase<T>(what: string, ms: number, token: CancellationTokenLike | undefined, phase: (deadline: Promise<void>) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((r) => (timer = setTimeout(r, ms)));
    const cancel = token?.onCancellationRequested(() => void this.remove());
    try {
      const result = await phase(deadline);
      if (token?.isCancellationRequested) throw new CancelledError(what);
      return result;
    } catch (err) {
      await this.remove();
      throw token?.isCancellationRequested ? new CancelledError(what) : err;
    } finally {
      if (timer) clearTimeout(timer);
      cancel?.dispose();
    }
  }

  /**
   * Starts the container with its debugger waiting (config.debug) and resolves with the port on
   * 127.0.0.1 where the debugger listens. The runtime stays paused until a debugger attaches.
   */
  async startDebuggee(token?: CancellationTokenLike): Promise<number> {
    const debug = this.config.debug;
    if (!debug) throw new Error('this container was not created for debugging');
    await this.start();
    return this.startPhase(`debugging ${this.config.logicalId}`, LISTEN_TIMEOUT_MS, token, async (deadline) => {
      const outcome = await Promise.race([this.debuggerListening.then(() => 'listening' as const), this.exited!.then((e) => e), deadline.then(() => 'timeout' as const)]);
      if (outcome === 'timeout') {
        throw new UserError(
          `The runtime in ${this.config.image} did not open its debugger within ${LISTEN_TIMEOUT_MS / 1000} s.`,
          LISTEN_HINTS[debug.language],
          'debugger-not-listening',
        );
      }
      if (outcome !== 'listening') {
        const otherCpu = await this.otherCpuError(outcome.code);
        if (otherCpu) throw otherCpu;
        throw new UserError(
          `The runtime in ${this.config.image} exited (code ${outcome.code}) before its debugger listened.`,
          'See the function log in the Local Runs output for what the runtime printed.',
          'debugger-not-listening',
        );
      }
      if (this.config.plan.networkMode === 'host') return debug.port;
      const info = await this.container.inspect();
      const bound = (info.NetworkSettings?.Ports as Record<string, { HostIp: string; HostPort: string }[] | null> | undefined)?.[`${debug.port}/tcp`];
      const port = Number(bound?.find((b) => b.HostIp === '127.0.0.1')?.HostPort ?? bound?.[0]?.HostPort);
      if (!port) throw new UserError(`The engine did not publish the debugger port of ${this.config.logicalId}.`, 'Check that the Docker engine supports port publishing.', 'debugger-port');
      return port;
    });
  }

  /** The debugger is attached: the init phase (and its Init Duration) starts now. */
  markAttached(): void {
    this.startedAt = performance.now();
  }

  private async start(): Promise<void> {
    this.started = true;
    this.startedAt = performance.now();
    try {
      await this.container.start();
      if (this.stdin && this.config.credentials) feed(this.stdin, this.config.credentials);
      this.stdin = undefined;
    } catch (err) {
      const message = ((err as { json?: { message?: string } }).json?.message ?? (err as Error).message).trim();
      if (this.config.execFormatError && EXEC_FORMAT_ERROR.test(message)) throw this.config.execFormatError(message);
      throw new UserError(
        `The container for ${this.config.logicalId} (${this.config.image}) did not start: ${message}`,
        'Check that the image is a Lambda base image (or one built like it) and that the code and layer folders exist.',
        'container-start',
      );
    }
    const info = await this.container.inspect();
    const settings = info.NetworkSettings as { IPAddress?: string; Networks?: Record<string, { IPAddress?: string }> } | undefined;
    const ip = settings?.IPAddress || Object.values(settings?.Networks ?? {}).find((n) => n.IPAddress)?.IPAddress;
    const allowed = allowedOnceRunning(this.config.plan, ip);
    if (allowed) this.server.allow(allowed);
    // A remote engine's process ids are not this machine's: its figures come from the engine's stats.
    this.probe = openMemoryProbe(this.container, this.local ? info.State?.Pid || undefined : undefined);
    this.exited = this.watchExit();
  }

  /**
   * The container ended before its runtime's first poll because the kernel could not run its
   * program (an exec format error: the entrypoint or bootstrap is for another CPU), or undefined.
   * Read from its log, which holds everything it printed by the time it has exited.
   */
  private async otherCpuError(code: number): Promise<UserError | undefined> {
    if (code === 0 || !this.config.execFormatError) return undefined;
    const lines = await loggedLines(this.container, 20).catch(() => []);
    const line = lines.find((l) => EXEC_FORMAT_ERROR.test(l));
    return line ? this.config.execFormatError(line) : undefined;
  }

  /** The container could not reach its Runtime API (see runtimeApiReachError), or undefined. */
  private reachError(ended: ColdStartEvidence['ended']): UserError | undefined {
    return runtimeApiReachError({
      logicalId: this.config.logicalId,
      plan: this.config.plan,
      runtimeApi: `${this.config.plan.containerHost}:${this.server.port}`,
      contacted: this.server.contacted,
      refused: this.server.refused,
      ended,
      ownRuntime: this.config.entrypoint !== undefined,
      sources: this.sources,
    });
  }

  private watchExit(): Promise<Exit> {
    return this.container.wait({ abortSignal: this.requests.signal }).then(
      async (r: { StatusCode?: number }) => {
        const at = performance.now();
        this.logs?.flush();
        const state = await this.container.inspect().then(
          (i) => i.State,
          () => undefined,
        );
        // Nothing else will clean up after a runtime that died waiting for work: it goes now.
        const idle = this.state === 'ready';
        this.state = 'dead';
        const exit = { code: r.StatusCode ?? state?.ExitCode ?? -1, oomKilled: state?.OOMKilled === true, at };
        this.exit = exit;
        this.exitListener?.(exit);
        if (idle) void this.remove();
        return exit;
      },
      () => ({ code: -1, oomKilled: false, at: performance.now() }),
    );
  }

  private async limitCpu(): Promise<void> {
    const period = 100_000;
    const quota = Math.max(1_000, Math.round((this.config.memoryMb / 1769) * period));
    await this.container.update({ CpuPeriod: period, CpuQuota: quota }).catch(() => undefined);
  }

  /** Removes the container and closes its Runtime API; safe to call more than once. */
  remove(): Promise<void> {
    this.state = 'dead';
    this.removing ??= (async () => {
      this.stdin?.destroy();
      this.probe?.close();
      // Still running as far as is known: its output will end because of this removal.
      const running = this.started && this.exit === undefined && this.logs !== undefined && !this.logs.isEnded;
      const removed = this.container.remove({ force: true, v: true, abortSignal: this.requests.signal }).catch(() => undefined);
      // The engine ends the output stream of a container that ran once its runtime is gone: then
      // every line it printed has been handed on (bounded, for an engine that keeps a stream open).
      // One that never started printed nothing, and its stream is never ended.
      if (this.config.removal === 'handOff' && running && !this.config.network) {
        // The stream ends when the engine has killed the runtime for this removal, some tens of ms
        // before it has released the container's network and files and answers. It finishes
        // without us (Docker's removal does not watch its request), so the requests still open
        // are ended and nothing holds this process. A removal lost all the same (the engine
        // stopped) leaves a container the next runner removes as a leftover (labels.ts). A
        // container on a network of its own (debugging) is always seen gone: its network goes next.
        await waitAtMost(this.logs?.ended, LOGS_END_MS);
        this.requests.abort();
      } else {
        await removed;
        if (this.started) await waitAtMost(this.logs?.ended, LOGS_END_MS);
      }
      this.logs?.close();
      await this.server.close();
    })();
    return this.removing;
  }
}

/** How long a removal waits for the engine to end the container's output stream. */
const LOGS_END_MS = 2_000;

function waitAtMost(p: Promise<void> | undefined, ms: number): Promise<void> {
  if (!p) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<void>((r) => (timer = setTimeout(r, ms)))]).finally(() => clearTimeout(timer));
}
