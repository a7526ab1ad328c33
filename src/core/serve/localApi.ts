import { basename } from 'node:path';
import { type CancellationTokenLike, throwIfCancelled } from '../cancel';
import { describeError, UserError } from '../errors';
import type { LocalRunner } from '../local/runner';
import { WarmPool } from '../local/warmPool';
import { functionKey } from '../model/key';
import type { FunctionSpec, TemplateModel } from '../model/types';
import { loadTemplate } from '../model/workspace';
import { DEFAULT_CONCURRENCY, DEFAULT_SERVE_PORT } from './defaults';
import { FrontDoor, type InvokeFunction, type RequestLog } from './frontDoor';
import { FunctionCode, type ReloadEvent, watchCode } from './functionCode';
import { Gate } from './gate';
import { buildServeTable } from './table';
import { changedFunctions, routesMissingFrom, settings, type TemplateReloadEvent, unusableTemplate, watchTemplates } from './templateReload';
import type { ListenerSpec, ServedRoute, ServeTable } from './types';

export interface LocalApiOptions {
  runner: Pick<LocalRunner, 'invoke' | 'prewarm' | 'region' | 'codeFor' | 'warmCount' | 'onDidChangeContainers' | 'retainIdle'>;
  models: readonly TemplateModel[];
  /** The first listener's port, the next ones after it; 0 picks free ports. Default 3000. */
  port?: number;
  /** Containers per function started (and through their init) before serving. Default 0. */
  warm?: number;
  /**
   * Containers per function kept started while serving (see WarmPool): started before serving,
   * replaced after a rebuild, topped up when one dies, never removed by the idle timeout. Default 0.
   */
  minWarm?: number;
  /** A function's warm containers could not be started; the pool tries again later. */
  onWarmError?(logicalId: string, error: string): void;
  /** Concurrent invocations per function when the template sets no ReservedConcurrentExecutions. Default 10. */
  concurrency?: number;
  /** Rebuild a function when its sources change, and re-read a template when it is saved (default true). */
  watch?: boolean;
  envFile?: string;
  token?: CancellationTokenLike;
  onProgress?(message: string): void;
  onRequest?(log: RequestLog): void;
  onReload?(event: ReloadEvent): void;
  onTemplateReload?(event: TemplateReloadEvent): void;
}

/**
 * The templates' HTTP front doors, served on 127.0.0.1 over the local runner: API routes on a
 * port per API, each function URL and load balancer listener on its own. Functions are built
 * before serving, rebuilt when their sources or dependency manifests change, and run at most
 * their concurrency at once, each concurrent request in a container of its own. A saved template
 * is read again: its routes replace the old ones on the same ports, requests running finish on
 * what they matched, and a template that cannot be read leaves the old routes serving.
 */
export class LocalApi {
  /** By listener (see listenerKey), in the order they were opened. */
  private readonly doors = new Map<string, FrontDoor>();
  private readonly codes = new Map<string, FunctionCode>();
  private readonly gates = new Map<string, Gate>();
  private codeWatcher: { close(): void } | undefined;
  private templateWatcher: { close(): void } | undefined;
  private reloads: Promise<void> = Promise.resolve();
  private stopped = false;
  private pool: WarmPool | undefined;
  routes: ServedRoute[] = [];
  warnings: string[] = [];

  private constructor(
    private readonly opts: LocalApiOptions,
    private models: TemplateModel[],
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
    const api = new LocalApi(opts, [...opts.models]);
    const progress = (m: string): void => opts.onProgress?.(m);
    const functions = servedFunctions(table.listeners);
    for (const fn of functions) api.adopt(fn);
    for (const code of api.codes.values()) {
      throwIfCancelled(opts.token, 'starting the local API');
      await code.prepare(progress);
    }
    for (const fn of functions) {
      const zero = fn.reservedConcurrency === 0;
      if (zero) table.warnings.push(throttledWarning(fn));
      const warm = Math.min(Math.max(opts.warm ?? 0, opts.minWarm ?? 0), api.gates.get(functionKey(fn))!.limit);
      if (warm <= 0 || zero) continue;
      throwIfCancelled(opts.token, 'starting the local API');
      progress(`Starting ${warm} warm container${warm === 1 ? '' : 's'} for ${fn.logicalId}`);
      const code = api.codes.get(functionKey(fn))!;
      await opts.runner.prewarm(fn, warm, { codeDir: code.codeDir, codeVersion: String(code.version), envFile: opts.envFile, token: opts.token });
    }
    if ((opts.minWarm ?? 0) > 0) {
      api.pool = new WarmPool(opts.runner, { minimum: opts.minWarm ?? 0, onError: (fn, err) => opts.onWarmError?.(fn.logicalId, describeError(err)) });
      for (const fn of functions) api.keepWarm(fn);
    }
    try {
      const base = opts.port ?? DEFAULT_SERVE_PORT;
      for (const [i, listener] of table.listeners.entries()) api.doors.set(listenerKey(listener), await api.open(listener, base === 0 ? 0 : base + i));
    } catch (err) {
      await Promise.all([...api.doors.values()].map((d) => d.close()));
      await api.pool?.dispose();
      throw err;
    }
    api.routes = [...api.doors.values()].flatMap(routesOf);
    api.warnings = table.warnings;
    if (opts.watch !== false) {
      api.watchCode();
      api.templateWatcher = watchTemplates(
        api.models.map((m) => m.path),
        (path) => {
          // One reload at a time, in order; a failure is said and the next save is read again.
          api.reloads = api.reloads
            .then(() => api.reloadTemplate(path))
            .catch((err: unknown) => opts.onTemplateReload?.({ templatePath: path, added: [], removed: [], changed: [], error: describeError(err), warnings: [] }));
        },
      );
    }
    return api;
  }

  /** A served function's requests now: running (each in a container of its own) and waiting for one. */
  load(fn: Pick<FunctionSpec, 'templatePath' | 'logicalId'>): { running: number; waiting: number; limit: number } | undefined {
    const gate = this.gates.get(functionKey(fn));
    return gate && { running: gate.active, waiting: gate.queued, limit: gate.limit };
  }

  /** Each listener's base URL. */
  get listeners(): { listener: ListenerSpec; url: string }[] {
    return [...this.doors.values()].map((d) => ({ listener: d.listener, url: d.url }));
  }

  /** Stops listening and watching. The runner's containers are the runner's to remove. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.templateWatcher?.close();
    this.codeWatcher?.close();
    for (const code of this.codes.values()) code.dispose();
    await Promise.all([...this.doors.values()].map((d) => d.close()));
    await this.pool?.dispose();
  }

  /** Warm containers of a served function, as its pool keeps them (undefined without --min-warm). */
  warmState(fn: Pick<FunctionSpec, 'templatePath' | 'logicalId'>): ReturnType<WarmPool['state']> {
    return this.pool?.state(fn);
  }

  /** Keeps the function's containers warm on the code it serves now (a throttled one has none). */
  private keepWarm(fn: FunctionSpec): void {
    const key = functionKey(fn);
    const code = this.codes.get(key);
    const gate = this.gates.get(key);
    if (!this.pool || !code || !gate) return;
    if (fn.reservedConcurrency === 0) return this.pool.forget(fn);
    this.pool.keep(fn, { codeDir: code.codeDir, codeVersion: String(code.version), envFile: this.opts.envFile }, gate.limit);
  }

  /** A rebuild's event: told on, and a rebuilt function's warm containers are replaced with ones on the new code. */
  private readonly reloaded = (e: ReloadEvent): void => {
    this.opts.onReload?.(e);
    const code = this.codes.get(functionKey(e));
    if (e.phase === 'rebuilt' && code && !this.stopped) this.keepWarm(code.fn);
  };

  /** Runs a route's function: after its build, within its concurrency. */
  private readonly invoke: InvokeFunction = async (fn, event, { onStream, abandon }) => {
    const key = functionKey(fn);
    const code = this.codes.get(key);
    if (!code) throw new Error(`${fn.logicalId} is no longer served`);
    if (fn.reservedConcurrency === 0) return 'throttled';
    await code.ready;
    // Warm containers being replaced after a rebuild are ready in a moment: the request takes one.
    await this.pool?.ready(fn);
    const release = await this.gates.get(key)!.acquire(abandon);
    if (typeof release === 'string') return release;
    try {
      const result = await this.opts.runner.invoke(fn, { event, codeDir: code.codeDir, codeVersion: String(code.version), envFile: this.opts.envFile, onResponseStream: onStream });
      return { payload: result.rawPayload, error: result.error };
    } finally {
      release();
    }
  };

  private async open(listener: ListenerSpec, port: number): Promise<FrontDoor> {
    return FrontDoor.listen(listener, port, { invoke: this.invoke, region: this.opts.runner.region, accountId: '123456789012', onRequest: this.opts.onRequest });
  }

  /** Takes a served function in (its code and its concurrency), or its new settings after a reload. */
  private adopt(fn: FunctionSpec): 'new' | 'same' | 'changed' {
    const key = functionKey(fn);
    const limit = Math.max(1, fn.reservedConcurrency ?? this.opts.concurrency ?? DEFAULT_CONCURRENCY);
    // A gate with another limit is replaced; invocations holding the old one release it as they end.
    if (this.gates.get(key)?.limit !== limit) this.gates.set(key, new Gate(limit));
    const code = this.codes.get(key);
    if (!code) {
      this.codes.set(key, new FunctionCode(fn, (f, progress) => this.opts.runner.codeFor(f, { token: this.opts.token, onProgress: progress && ((p) => progress(p.message)) })));
      return 'new';
    }
    const same = settings(code.fn) === settings(fn);
    code.fn = fn;
    return same ? 'same' : 'changed';
  }

  private watchCode(): void {
    this.codeWatcher?.close();
    this.codeWatcher = watchCode(this.codes.values(), this.reloaded);
  }

  /** A template was saved: its routes and functions replace the old ones, or the old ones stay and the event says why. */
  private async reloadTemplate(path: string): Promise<void> {
    if (this.stopped) return;
    const say = (e: Omit<TemplateReloadEvent, 'templatePath'>): void => this.opts.onTemplateReload?.({ templatePath: path, ...e });
    let model: TemplateModel;
    try {
      model = await loadTemplate(path);
    } catch (err) {
      return say({ added: [], removed: [], changed: [], error: describeError(err), warnings: [] });
    }
    const problem = unusableTemplate(model);
    if (problem) return say({ added: [], removed: [], changed: [], error: problem, warnings: [] });
    const models = this.models.map((m) => (m.path === path ? model : m));
    const table = buildServeTable(models);
    if (this.stopped) return;
    this.models = models;
    const before = { routes: this.routes, functions: [...this.codes.values()].map((c) => c.fn) };
    await this.apply(table, basename(path));
    this.routes = [...this.doors.values()].flatMap(routesOf);
    say({
      added: routesMissingFrom(this.routes, before.routes),
      removed: routesMissingFrom(before.routes, this.routes),
      changed: changedFunctions(before.functions, servedFunctions(table.listeners)),
      warnings: this.warnings,
    });
  }

  /** Serves a new route table: listeners kept, replaced, closed (after their requests) or opened on a new port. */
  private async apply(table: ServeTable, templateName: string): Promise<void> {
    const functions = servedFunctions(table.listeners);
    const keep = new Set(functions.map(functionKey));
    for (const key of [...this.codes.keys()]) {
      if (keep.has(key)) continue;
      this.pool?.forget(this.codes.get(key)!.fn);
      this.codes.get(key)!.dispose();
      this.codes.delete(key);
      this.gates.delete(key);
    }
    for (const fn of functions) {
      const how = this.adopt(fn);
      const code = this.codes.get(functionKey(fn))!;
      if (fn.reservedConcurrency === 0) table.warnings.push(throttledWarning(fn));
      // New, or its build settings may have changed: built again before its next request (a build
      // that is up to date takes no time).
      if (how !== 'same') code.rebuildNext(templateName, this.reloaded);
      else if (fn.reservedConcurrency === 0) this.pool?.forget(fn);
    }
    const next = new Map(table.listeners.map((l) => [listenerKey(l), l]));
    for (const [key, door] of [...this.doors]) {
      if (next.has(key)) continue;
      this.doors.delete(key);
      void door.close(true);
    }
    for (const [key, listener] of next) {
      const door = this.doors.get(key);
      if (door) {
        door.replace(listener);
        continue;
      }
      try {
        this.doors.set(key, await this.openNext(listener));
      } catch (err) {
        table.warnings.push(`${listener.name} could not be served: ${describeError(err)}`);
      }
    }
    this.warnings = table.warnings;
    if (this.opts.watch !== false) this.watchCode();
  }

  /** A listener a reload added: the port after the highest in use (a free one with --port 0). */
  private async openNext(listener: ListenerSpec): Promise<FrontDoor> {
    if ((this.opts.port ?? DEFAULT_SERVE_PORT) === 0) return this.open(listener, 0);
    let port = Math.max(0, ...[...this.doors.values()].map((d) => d.port)) + 1;
    for (let tries = 0; ; tries++, port++) {
      try {
        return await this.open(listener, port);
      } catch (err) {
        if (!(err instanceof UserError && err.code === 'serve-port') || tries >= 20) throw err;
      }
    }
  }
}

function listenerKey(l: ListenerSpec): string {
  return `${l.kind}|${l.templatePath}|${l.name}`;
}

function throttledWarning(fn: FunctionSpec): string {
  return `${fn.logicalId} has ReservedConcurrentExecutions 0: every request to it is throttled, as in Lambda.`;
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
