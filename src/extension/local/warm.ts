import * as vscode from 'vscode';
import type { CancellationTokenLike } from '../../core/cancel';
import { describeError } from '../../core/errors';
import type { LocalRunner, WarmState } from '../../core/local';
import { WarmPool, type WarmOptions } from '../../core/local/warmPool';
import { functionKey } from '../../core/model/key';
import { functionUsesPath } from '../../core/model/workspace';
import type { FunctionSpec } from '../../core/model/types';
import { onSettingsChanged, readSettings } from '../settings';

/** A function's warm containers changed (no state: none are kept on the current runner). */
export interface WarmChange {
  templatePath: string;
  logicalId: string;
  state?: WarmState;
}

/**
 * The editor's warm pool (lambdaWorkbench.local.minWarm): keeps that many containers of each
 * function invoked or debugged in this window, on the runner invocations use now. Only those
 * functions, so a workspace of many functions does not start many containers. A new runner (after
 * a change of settings) gets a new pool that warms the same functions.
 */
export class WarmContainers implements vscode.Disposable {
  private current: { runner: LocalRunner; pool: WarmPool } | undefined;
  /** The functions invoked in this window, with the options of their last invocation. */
  private readonly kept = new Map<string, { fn: FunctionSpec; opts: WarmOptions }>();
  private readonly changes = new vscode.EventEmitter<WarmChange>();
  readonly onDidChange = this.changes.event;
  private readonly subs: vscode.Disposable[];
  private retired: Promise<void>[] = [];

  constructor(
    private readonly log: (line: string) => void,
    /** Makes a runner (and so attaches one): for kept functions when no runner is there. */
    private readonly startRunner: () => Promise<unknown>,
  ) {
    this.subs = [
      this.changes,
      onSettingsChanged(() => {
        if (this.current) this.current.pool.setMinimum(this.minimum);
        else this.warmKept();
      }),
    ];
  }

  /** With no runner (the last one was replaced), makes one when functions are to be kept warm. */
  warmKept(): void {
    if (this.current || this.minimum === 0 || this.kept.size === 0) return;
    this.startRunner().catch((err: unknown) => this.log(`--- warm containers could not start: ${describeError(err)}`));
  }

  /** How many containers each kept function has (the setting, 0 in an untrusted workspace). */
  get minimum(): number {
    return readSettings().local.minWarm;
  }

  /** The runner invocations use now: a new one gets a pool of its own, which warms the functions kept so far. */
  attach(runner: LocalRunner): void {
    if (this.current?.runner === runner) return;
    this.detach();
    const pool = new WarmPool(runner, {
      minimum: this.minimum,
      onChange: (state) => this.changes.fire({ templatePath: state.templatePath, logicalId: state.logicalId, state }),
      onError: (fn, err) => this.log(`--- ${fn.logicalId}: its warm containers could not start: ${describeError(err)}`),
    });
    this.current = { runner, pool };
    for (const { fn, opts } of this.kept.values()) pool.keep(fn, opts);
  }

  /** The runner is going (its containers with it): its pool stops. */
  detach(): void {
    const old = this.current;
    this.current = undefined;
    if (!old) return;
    this.retired.push(old.pool.dispose());
    for (const { fn } of this.kept.values()) this.changes.fire({ templatePath: fn.templatePath, logicalId: fn.logicalId });
  }

  /** Waits until the function's containers are replaced after a save, so the invocation finds them warm. */
  ready(fn: FunctionSpec, token?: CancellationTokenLike): Promise<void> {
    return this.current?.pool.ready(fn, token) ?? Promise.resolve();
  }

  /** The function was invoked (or debugged) with these options: it is kept warm from now on. */
  keep(fn: FunctionSpec, opts: WarmOptions): void {
    this.kept.set(functionKey(fn), { fn, opts });
    this.current?.pool.keep(fn, opts);
  }

  /** A file changed on disk: the kept functions that run it get fresh containers once saves settle. */
  codeChanged(path: string): void {
    for (const { fn } of this.kept.values()) if (functionUsesPath(fn, path)) this.current?.pool.changed(fn);
  }

  /** The templates were read again: kept functions take their new settings, and removed ones are let go. */
  templatesChanged(find: (templatePath: string, logicalId: string) => FunctionSpec | undefined): void {
    for (const [key, { fn, opts }] of [...this.kept]) {
      const now = find(fn.templatePath, fn.logicalId);
      if (!now) {
        this.kept.delete(key);
        this.current?.pool.forget(fn);
        this.changes.fire({ templatePath: fn.templatePath, logicalId: fn.logicalId });
      } else if (JSON.stringify(now) !== JSON.stringify(fn)) this.keep(now, opts);
    }
  }

  state(fn: Pick<FunctionSpec, 'templatePath' | 'logicalId'>): WarmState | undefined {
    return this.current?.pool.state(fn);
  }

  /** Stops the pool and waits for starts in progress to end; the runner removes the containers. */
  async dispose(): Promise<void> {
    this.detach();
    for (const s of this.subs) s.dispose();
    await Promise.allSettled(this.retired);
  }
}
