import { type CancellationTokenLike, throwIfCancelled } from '../cancel';
import { UserError } from '../errors';
import type { LocalRunner } from '../local/runner';
import { functionKey } from '../model/key';
import type { FunctionSpec, TemplateModel } from '../model/types';
import { DEFAULT_CONCURRENCY, DEFAULT_SERVE_PORT } from './defaults';
import { FrontDoor, type InvokeFunction, type RequestLog } from './frontDoor';
import { FunctionCode, type ReloadEvent, watchCode } from './functionCode';
import { Gate } from './gate';
import { buildServeTable } from './table';
import type { FrontDoor as FrontDoorKind, ListenerSpec } from './types';

export interface LocalApiOptions {
  runner: Pick<LocalRunner, 'invoke' | 'prewarm' | 'region' | 'codeFor'>;
  models: readonly TemplateModel[];
  /** The first listener's port, the next ones after it; 0 picks free ports. Default 3000. */
  port?: number;
  /** Containers per function started (and through their init) before serving. Default 0. */
  warm?: number;
  /** Concurrent invocations per function when the template sets no ReservedConcurrentExecutions. Default 10. */
  concurrency?: number;
  /** Rebuild a function when its sources change (default true). */
  watch?: boolean;
  envFile?: string;
  token?: CancellationTokenLike;
  onProgress?(message: string): void;
  onRequest?(log: RequestLog): void;
  onReload?(event: ReloadEvent): void;
}

/** One route as `serve` prints it: `ROUTE <LogicalId> <METHOD or ANY> <url>`. */
export interface ServedRoute {
  logicalId: string;
  /** The template of the route's function. */
  templatePath: string;
  method: string;
  url: string;
  kind: FrontDoorKind;
  /** The API, URL function or load balancer listener it belongs to. */
  listener: string;
}


/**
 * The templates' HTTP front doors, served on 127.0.0.1 over the local runner: API routes on a
 * port per API, each function URL and load balancer listener on its own. Functions are built
 * before serving, rebuilt when their sources or dependency manifests change, and run at most
 * their concurrency at once, each concurrent request in a container of its own.
 */
export class LocalApi {
  private constructor(
    private readonly doors: FrontDoor[],
    private readonly watcher: { close(): void } | undefined,
    private readonly gates: ReadonlyMap<string, Gate>,
    readonly routes: ServedRoute[],
    readonly warnings: string[],
  ) {}

  static async start(opts: LocalApiOptions): Promise<LocalApi> {
    const table = buildServeTable(opts.models);
    if (table.listeners.length === 0) {
      throw new UserError(
        'Nothing to serve: no function of the templates has an HttpApi or Api event, a FunctionUrlConfig, or a load balancer target group.',
        'Add an HTTP event to a function (New Function scaffolds one), then start the local API again.',
        'serve-nothing',
      );
    }
    const progress = (m: string): void => opts.onProgress?.(m);
    const functions = servedFunctions(table.listeners);
    const codes = new Map<string, FunctionCode>();
    const gates = new Map<string, Gate>();
    for (const fn of functions) {
      codes.set(functionKey(fn), new FunctionCode(fn, (f, progress) => opts.runner.codeFor(f, { token: opts.token, onProgress: progress && ((p) => progress(p.message)) })));
      gates.set(functionKey(fn), new Gate(Math.max(1, fn.reservedConcurrency ?? opts.concurrency ?? DEFAULT_CONCURRENCY)));
    }
    for (const code of codes.values()) {
      throwIfCancelled(opts.token, 'starting the local API');
      await code.prepare(progress);
    }
    for (const fn of functions) {
      const zero = fn.reservedConcurrency === 0;
      if (zero) table.warnings.push(`${fn.logicalId} has ReservedConcurrentExecutions 0: every request to it is throttled, as in Lambda.`);
      const warm = Math.min(opts.warm ?? 0, gates.get(functionKey(fn))!.limit);
      if (warm <= 0 || zero) continue;
      throwIfCancelled(opts.token, 'starting the local API');
      progress(`Starting ${warm} warm container${warm === 1 ? '' : 's'} for ${fn.logicalId}`);
      const code = codes.get(functionKey(fn))!;
      await opts.runner.prewarm(fn, warm, { codeDir: code.codeDir, codeVersion: String(code.version), envFile: opts.envFile, token: opts.token });
    }

    const invoke: InvokeFunction = async (fn, event, { onStream, abandon }) => {
      const key = functionKey(fn);
      const code = codes.get(key)!;
      if (fn.reservedConcurrency === 0) return 'throttled';
      await code.ready;
      const release = await gates.get(key)!.acquire(abandon);
      if (typeof release === 'string') return release;
      try {
        const result = await opts.runner.invoke(fn, { event, codeDir: code.codeDir, codeVersion: String(code.version), envFile: opts.envFile, onResponseStream: onStream });
        return { payload: result.rawPayload, error: result.error };
      } finally {
        release();
      }
    };

    const doors: FrontDoor[] = [];
    try {
      const base = opts.port ?? DEFAULT_SERVE_PORT;
      for (const [i, listener] of table.listeners.entries()) {
        doors.push(await FrontDoor.listen(listener, base === 0 ? 0 : base + i, { invoke, region: opts.runner.region, accountId: '123456789012', onRequest: opts.onRequest }));
      }
    } catch (err) {
      await Promise.all(doors.map((d) => d.close()));
      throw err;
    }
    const watcher = opts.watch === false ? undefined : watchCode(codes.values(), (e) => opts.onReload?.(e));
    return new LocalApi(doors, watcher, gates, doors.flatMap(routesOf), table.warnings);
  }

  /** A served function's requests now: running (each in a container of its own) and waiting for one. */
  load(fn: Pick<FunctionSpec, 'templatePath' | 'logicalId'>): { running: number; waiting: number; limit: number } | undefined {
    const gate = this.gates.get(functionKey(fn));
    return gate && { running: gate.active, waiting: gate.queued, limit: gate.limit };
  }

  /** Each listener's base URL. */
  get listeners(): { listener: ListenerSpec; url: string }[] {
    return this.doors.map((d) => ({ listener: d.listener, url: d.url }));
  }

  /** Stops listening and watching. The runner's containers are the runner's to remove. */
  async stop(): Promise<void> {
    this.watcher?.close();
    await Promise.all(this.doors.map((d) => d.close()));
  }
}

/** The functions routes run, and the authorizer functions they call, once each. */
function servedFunctions(listeners: ListenerSpec[]): FunctionSpec[] {
  const out = new Map<string, FunctionSpec>();
  for (const route of listeners.flatMap((l) => l.routes)) {
    out.set(functionKey(route.fn), route.fn);
    const a = route.authorizer;
    if (a?.kind === 'lambda' && a.fn) out.set(functionKey(a.fn), a.fn);
  }
  return [...out.values()];
}

function routesOf(door: FrontDoor): ServedRoute[] {
  const { listener } = door;
  const stage = listener.stage === '$default' ? '' : `/${listener.stage}`;
  return listener.routes.map((r) => ({
    logicalId: r.fn.logicalId,
    templatePath: r.fn.templatePath,
    method: r.method,
    url: `${door.url}${stage}${r.path === '$default' ? '/' : r.path}`,
    kind: listener.kind,
    listener: listener.name,
  }));
}
