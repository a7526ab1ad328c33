import { cancellationSource, type CancellationTokenLike, CancelledError } from '../cancel';
import { describeError } from '../errors';
import { functionKey } from '../model/key';
import type { FunctionSpec } from '../model/types';
import type { InvokeOptions, LocalRunner } from './runner';

/** What the pool asks of the runner. */
export type WarmPoolRunner = Pick<LocalRunner, 'prewarm' | 'warmCount' | 'onDidChangeContainers' | 'retainIdle'>;

/** How each function's containers are made: the options its invocations use, so the warm ones match them. */
export type WarmOptions = Pick<InvokeOptions, 'codeDir' | 'codeVersion' | 'envFile' | 'envOverrides'>;

/** A function's pool as views show it. */
export interface WarmState {
  logicalId: string;
  templatePath: string;
  /** Containers the pool keeps. */
  target: number;
  /** Containers on the current code, idle or busy. */
  warm: number;
  /** Containers are being started (or replaced after a change). */
  starting: boolean;
  /** Why the last start failed; cleared by the next success. */
  error?: string;
  /** After a failure: the wait before the next try. */
  retryInMs?: number;
}

/** Timers, passed in so a test can see the retry waits the pool asks for and fire them itself. */
export interface PoolTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface WarmPoolOptions {
  /** Containers per function. 0 keeps none. */
  minimum: number;
  onChange?(state: WarmState): void;
  /** A function's containers could not be started (its state says so too); the pool tries again later. */
  onError?(fn: FunctionSpec, error: unknown): void;
  timers?: PoolTimers;
  /** The first wait after a failure, doubled after each further one up to maxRetryMs. */
  firstRetryMs?: number;
  maxRetryMs?: number;
  /** How long saves settle before a code change replaces the containers. */
  settleMs?: number;
}

interface Entry {
  fn: FunctionSpec;
  opts: WarmOptions;
  /** At most this many for this function (the local API's concurrency for it). */
  cap?: number;
  running?: Promise<void>;
  /** Another fill was asked for while one ran. */
  again: boolean;
  /** That fill is for changed code or options: what the running one starts is already stale. */
  againNewer?: boolean;
  settle?: unknown;
  retry?: unknown;
  retryInMs?: number;
  failures: number;
  error?: string;
  /** ready(): told when a fresh container is through its init, or nothing runs. */
  waiters: (() => void)[];
  /** settled(): told when nothing runs. */
  settledWaiters: (() => void)[];
}

const NODE_TIMERS: PoolTimers = {
  set: (callback, ms) => setTimeout(callback, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Keeps `minimum` containers of each function it is given started through their init, so
 * invocations find them warm (Lambda's provisioned concurrency, Nuclio's minimum replicas): it
 * starts the missing ones when a function is kept, when one of its containers dies or is removed,
 * and after a code change replaces the stale ones with fresh ones; while it keeps them, the
 * runner's idle timeout removes none of those. A function whose containers cannot start is tried
 * again after a wait that doubles (2 s up to 5 min), never in a loop; the error is reported.
 */
export class WarmPool {
  private readonly entries = new Map<string, Entry>();
  private readonly stop = cancellationSource();
  private readonly timers: PoolTimers;
  private readonly subs: { dispose(): void }[];
  private minimum: number;
  private disposed = false;

  constructor(
    private readonly runner: WarmPoolRunner,
    private readonly opts: WarmPoolOptions,
  ) {
    this.minimum = clampMinimum(opts.minimum);
    this.timers = opts.timers ?? NODE_TIMERS;
    this.subs = [
      runner.retainIdle((key, live) => {
        const entry = this.entries.get(key);
        return entry !== undefined && live <= this.target(entry);
      }),
      runner.onDidChangeContainers((change) => {
        const entry = this.entries.get(change.key);
        if (!entry) return;
        // One died or went: top up (unless a failure's wait is running; its timer tries again).
        if (change.kind === 'removed' && entry.retry === undefined) this.fill(entry);
        // One is ready on the code of the running start (unless a newer start waits behind it).
        if (change.kind === 'ready' && !entry.againNewer) for (const w of entry.waiters.splice(0)) w();
        this.emit(entry);
      }),
    ];
  }

  /** Containers per function now. */
  get size(): number {
    return this.minimum;
  }

  /**
   * Keeps the function warm with these options (an invocation's), at most `cap` containers of it;
   * starts what is missing.
   */
  keep(fn: FunctionSpec, opts: WarmOptions = {}, cap?: number): void {
    if (this.disposed) return;
    const key = functionKey(fn);
    const entry = this.entries.get(key);
    if (!entry) {
      const fresh: Entry = { fn, opts, cap, again: false, failures: 0, waiters: [], settledWaiters: [] };
      this.entries.set(key, fresh);
      this.fill(fresh);
      return;
    }
    const changed = JSON.stringify(entry.opts) !== JSON.stringify(opts) || JSON.stringify(entry.fn) !== JSON.stringify(fn);
    entry.fn = fn;
    entry.opts = opts;
    entry.cap = cap;
    if (changed) this.restart(entry);
    else if (entry.retry === undefined && this.runner.warmCount(fn) < this.target(entry)) this.fill(entry);
  }

  /**
   * The function's code changed (a save): once the saves settle, its containers are replaced with
   * ones on the new code. A failure's wait is forgotten: the change may be the fix.
   */
  changed(fn: Pick<FunctionSpec, 'templatePath' | 'logicalId'>, opts?: WarmOptions): void {
    const entry = this.entries.get(functionKey(fn));
    if (!entry || this.disposed) return;
    if (opts) entry.opts = opts;
    if (entry.settle !== undefined) this.timers.clear(entry.settle);
    entry.settle = this.timers.set(() => {
      entry.settle = undefined;
      this.restart(entry);
    }, this.opts.settleMs ?? 300);
  }

  /** Stops keeping the function warm: its containers age out with the idle timeout. */
  forget(fn: Pick<FunctionSpec, 'templatePath' | 'logicalId'>): void {
    const key = functionKey(fn);
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.clearTimers(entry);
    this.wake(entry);
  }

  /** A new minimum for every function (0 keeps none warm, and lets the idle timeout remove them). */
  setMinimum(n: number): void {
    this.minimum = clampMinimum(n);
    for (const entry of this.entries.values()) {
      if (entry.retry === undefined) this.fill(entry);
      this.emit(entry);
    }
  }

  /** The functions kept warm. */
  kept(): FunctionSpec[] {
    return [...this.entries.values()].map((e) => e.fn);
  }

  state(fn: Pick<FunctionSpec, 'templatePath' | 'logicalId'>): WarmState | undefined {
    const entry = this.entries.get(functionKey(fn));
    if (!entry) return undefined;
    return {
      logicalId: entry.fn.logicalId,
      templatePath: entry.fn.templatePath,
      target: this.target(entry),
      warm: this.runner.warmCount(entry.fn),
      starting: entry.running !== undefined || entry.settle !== undefined,
      ...(entry.error !== undefined ? { error: entry.error, retryInMs: entry.retryInMs } : {}),
    };
  }

  /**
   * Resolves once a container of the function is warm on its current code, or no start is running:
   * an invocation that waits for it takes a warm one. A change still settling is started at once
   * (the invocation is the reason to stop waiting for more saves). Never rejects; a cancelled
   * token stops the wait.
   */
  ready(fn: Pick<FunctionSpec, 'templatePath' | 'logicalId'>, token?: CancellationTokenLike): Promise<void> {
    const entry = this.entries.get(functionKey(fn));
    if (entry?.settle !== undefined) {
      this.timers.clear(entry.settle);
      entry.settle = undefined;
      this.restart(entry);
    }
    return this.wait(entry, 'waiters', token);
  }

  /** Resolves once no change is settling and no start is running for the function (all its containers are up, or failed). */
  settled(fn: Pick<FunctionSpec, 'templatePath' | 'logicalId'>, token?: CancellationTokenLike): Promise<void> {
    return this.wait(this.entries.get(functionKey(fn)), 'settledWaiters', token);
  }

  private wait(entry: Entry | undefined, list: 'waiters' | 'settledWaiters', token?: CancellationTokenLike): Promise<void> {
    if (!entry || !this.busy(entry)) return Promise.resolve();
    return new Promise((resolve) => {
      const sub = token?.onCancellationRequested(resolve);
      entry[list].push(() => {
        sub?.dispose();
        resolve();
      });
    });
  }

  /** Stops keeping anything, cancels starts in progress and waits for them; the runner removes the containers. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.stop.cancel();
    for (const s of this.subs) s.dispose();
    const running = [...this.entries.values()].flatMap((e) => (e.running ? [e.running] : []));
    for (const entry of this.entries.values()) {
      this.clearTimers(entry);
      this.wake(entry);
    }
    this.entries.clear();
    await Promise.allSettled(running);
  }

  /** A change: forget any failure's wait and start the containers on the new code. */
  private restart(entry: Entry): void {
    if (entry.retry !== undefined) this.timers.clear(entry.retry);
    entry.retry = undefined;
    entry.failures = 0;
    this.fill(entry, true);
  }

  private target(entry: Entry): number {
    return Math.min(this.minimum, entry.cap ?? this.minimum);
  }

  private fill(entry: Entry, newer = false): void {
    if (this.disposed || this.target(entry) <= 0 || this.entries.get(functionKey(entry.fn)) !== entry) return this.wake(entry);
    if (entry.running) {
      entry.again = true;
      entry.againNewer ||= newer;
      return;
    }
    entry.again = false;
    entry.againNewer = false;
    const opts = { ...entry.opts, token: this.stop.token };
    // One first, alone: an invocation waiting in ready() takes it as soon as a cold start would have
    // given it a container, with no second init competing for the CPU; then the rest.
    const run = this.runner
      .prewarm(entry.fn, 1, opts)
      .then(async () => {
        if (this.target(entry) > 1 && !this.disposed) await this.runner.prewarm(entry.fn, this.target(entry), opts);
      })
      .then(
        () => {
          entry.failures = 0;
          entry.error = undefined;
          entry.retryInMs = undefined;
        },
        (err: unknown) => {
          if (this.disposed || err instanceof CancelledError) return;
          // Whatever was asked meanwhile waits for the retry: a failing start must not loop.
          entry.again = false;
          entry.againNewer = false;
          entry.failures++;
          entry.error = describeError(err);
          const wait = Math.min(this.opts.maxRetryMs ?? 300_000, (this.opts.firstRetryMs ?? 2_000) * 2 ** (entry.failures - 1));
          entry.retryInMs = wait;
          entry.retry = this.timers.set(() => {
            entry.retry = undefined;
            this.fill(entry);
          }, wait);
          this.opts.onError?.(entry.fn, err);
        },
      )
      .finally(() => {
        entry.running = undefined;
        if (entry.again) this.fill(entry);
        else this.wake(entry);
        this.emit(entry);
      });
    entry.running = run;
    this.emit(entry);
  }

  private busy(entry: Entry): boolean {
    return entry.running !== undefined || entry.settle !== undefined;
  }

  /** Tells those waiting in ready() and settled() once nothing is settling or running. */
  private wake(entry: Entry): void {
    if (this.busy(entry) && !this.disposed && this.entries.get(functionKey(entry.fn)) === entry) return;
    for (const w of [...entry.waiters.splice(0), ...entry.settledWaiters.splice(0)]) w();
  }

  private clearTimers(entry: Entry): void {
    if (entry.settle !== undefined) this.timers.clear(entry.settle);
    if (entry.retry !== undefined) this.timers.clear(entry.retry);
    entry.settle = entry.retry = undefined;
  }

  private emit(entry: Entry): void {
    if (this.disposed || this.entries.get(functionKey(entry.fn)) !== entry) return;
    const state = this.state(entry.fn);
    if (state) this.opts.onChange?.(state);
  }
}

/** The most containers per function a pool keeps: each is a runtime holding its memory. */
export const MAX_MIN_WARM = 10;

function clampMinimum(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.min(MAX_MIN_WARM, Math.floor(n))) : 0;
}

/** The Functions view's words for a function's pool: its row's note, and its child row's. */
export function warmText(state: WarmState): { short: string; detail: string } {
  const { warm, target } = state;
  const containers = (n: number): string => `${n} warm container${n === 1 ? '' : 's'}`;
  if (target === 0) return { short: '', detail: 'not kept warm (lambdaWorkbench.local.minWarm is 0)' };
  if (state.error !== undefined) {
    const retry = state.retryInMs === undefined ? '' : `; trying again in ${formatWait(state.retryInMs)}`;
    return { short: `${warm}/${target} warm`, detail: `${containers(warm)} of ${target}: could not start: ${state.error}${retry}` };
  }
  if (state.starting) return { short: `${warm}/${target} warm`, detail: `${containers(warm)} of ${target}, starting…` };
  return { short: `${warm} warm`, detail: warm >= target ? containers(warm) : `${containers(warm)} of ${target}` };
}

function formatWait(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}
