import * as vscode from 'vscode';
import type { Buildable } from '../core/build/choose';
import type { FunctionBuild } from '../core/build/types';
import type { LogEntry } from '../core/local';
import { EDITOR_SOURCES, openCore, type Restarts, restartsAnything, type WorkbenchCore } from '../core/open';
import { onSettingsChanged, readSettings } from './settings';
import type { Workbench } from './workbench';

/**
 * The core opened from the settings through the same factory as the CLI: size engine, local
 * runner, AWS session. A change of settings replaces only what it affects (a change elsewhere
 * keeps warm containers and measurements); closing the window awaits container removal and the
 * size engine's shutdown.
 */
export class CoreServices implements vscode.Disposable {
  readonly core: WorkbenchCore;
  private readonly applied = new vscode.EventEmitter<Restarts>();
  /** Settings changed and the core took them: what was replaced, so views can refresh what they show. */
  readonly onDidApplySettings = this.applied.event;
  private readonly logs = new vscode.EventEmitter<LogEntry>();
  /** Every log line of every local invocation. */
  readonly onDidLog = this.logs.event;
  private readonly built = new vscode.EventEmitter<{ spec: Buildable; build: FunctionBuild }>();
  /** A build put a new artifact in place (whoever started it: a command, a local run, a deploy). */
  readonly onDidBuild = this.built.event;
  private readonly subs: vscode.Disposable[];

  constructor(private readonly wb: Workbench) {
    this.core = openCore(readSettings(), {
      cacheDir: wb.context.globalStorageUri.fsPath,
      sources: EDITOR_SOURCES,
      local: { onLog: (e) => this.logs.fire(e) },
      // Read at each build: trust can be granted while the window is open.
      trusted: () => vscode.workspace.isTrusted,
      buildLog: (line) => wb.log.info(`[build] ${line}`),
      onBuilt: (spec, build) => this.built.fire({ spec, build }),
    });
    this.subs = [onSettingsChanged(() => this.apply())];
  }

  /** The core takes the new settings at once: what is asked for next is made with them. */
  private apply(): void {
    const restarts = this.core.update(readSettings());
    if (!restartsAnything(restarts)) return;
    const what = [restarts.aws && 'AWS sessions', restarts.runner && 'the local runner', restarts.sizes !== 'none' && `sizes (${restarts.sizes})`].filter(Boolean);
    this.wb.log.info(`settings changed: renewing ${what.join(', ')}`);
    this.applied.fire(restarts);
  }

  /** Removes the runner's containers and stops the size engine's workers, and waits for both. */
  async dispose(): Promise<void> {
    for (const s of this.subs) s.dispose();
    try {
      await this.core.dispose();
    } finally {
      this.applied.dispose();
      this.logs.dispose();
      this.built.dispose();
    }
  }
}
