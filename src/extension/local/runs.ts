import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError } from '../../core/cancel';
import { describeError, UserError } from '../../core/errors';
import type { DebugOptions, InvokeResult, LocalRunner, LogEntry } from '../../core/local';
import { functionKey } from '../../core/model/key';
import type { FunctionSpec } from '../../core/model/types';
import type { LocalRun } from '../../core/open';
import type { CoreServices } from '../core';
import { readSettings } from '../settings';
import type { Workbench } from '../workbench';
import { type ChosenEvent, readEvent } from './events';
import { ResultDocuments, RESULT_SCHEME, summary } from './results';
import { WarmContainers } from './warm';

/**
 * Local invocations for the extension, on the core's runner: one set of warm containers for the
 * session, made on the first invoke. The core replaces the runner when a setting it depends on
 * changes, and removes its containers when the window closes.
 */
export class LocalRuns implements vscode.Disposable {
  readonly results = new ResultDocuments();
  private readonly channel: vscode.OutputChannel;
  /** The runner the log last announced. */
  private announced: LocalRunner | undefined;
  private readonly lastEvents = new Map<string, ChosenEvent>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly finished = new vscode.EventEmitter<{ fn: FunctionSpec; result: InvokeResult; summary: string }>();
  /** Fires after every completed invocation (the tree shows it as the function's last run). */
  readonly onDidInvoke = this.finished.event;
  private readonly engineState = new vscode.EventEmitter<UserError | undefined>();
  /** The Docker engine could not be reached (the error says why and how to fix it), or can be again (undefined). */
  readonly onDidChangeEngine = this.engineState.event;
  engineProblem: UserError | undefined;
  /** Containers kept warm for the functions invoked in this window (lambdaWorkbench.local.minWarm). */
  readonly warm: WarmContainers;

  constructor(
    private readonly wb: Workbench,
    private readonly services: CoreServices,
  ) {
    this.channel = vscode.window.createOutputChannel('Lambda Workbench: Local Runs');
    this.warm = new WarmContainers(
      (line) => this.channel.appendLine(line),
      () => this.ready(() => undefined),
    );
    this.disposables.push(
      services.onDidApplySettings((r) => {
        // The runner is being replaced: the new one warms the same functions.
        if (r.runner) {
          this.warm.detach();
          this.warm.warmKept();
        }
      }),
      this.channel,
      this.results,
      this.finished,
      this.engineState,
      vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this.results),
      services.onDidLog((e) => this.log(e)),
    );
  }

  lastEvent(fn: FunctionSpec): ChosenEvent | undefined {
    return this.lastEvents.get(functionKey(fn));
  }

  /** Invokes the function; `extra.debug` runs it under a debugger, `extra.envFile` replaces the env file setting. */
  async invoke(
    fn: FunctionSpec,
    event: ChosenEvent,
    token: vscode.CancellationToken,
    progress: (message: string) => void,
    extra: { envFile?: string; debug?: DebugOptions } = {},
  ): Promise<InvokeResult> {
    // A saved event is read again, so edits made since the last invoke count.
    const current = event.file ? await readEvent(event.file) : event;
    this.lastEvents.set(functionKey(fn), current);
    this.channel.appendLine(`--- ${fn.logicalId} with ${current.name}${extra.debug ? ' (debugging)' : ''}`);
    let result: InvokeResult;
    try {
      const { runner } = await this.ready(progress);
      const settings = readSettings();
      const envFile = extra.envFile ?? (settings.local.envFile ? this.resolveEnvFile(fn, settings.local.envFile) : undefined);
      // Containers being replaced after a save are ready in a moment: this invocation takes one, warm.
      if (!extra.debug && this.warm.state(fn)?.starting) {
        progress(`Waiting for a warm container of ${fn.logicalId} on the saved code`);
        await this.warm.ready(fn, token);
      }
      result = await runner.invoke(fn, {
        payload: current.payload,
        envFile,
        token,
        debug: extra.debug,
        onProgress: (p) => progress(p.message),
      });
      this.warm.keep(fn, { envFile });
    } catch (err) {
      // The channel tells the run's whole story: a run that never started says why here too.
      this.channel.appendLine(err instanceof CancelledError ? `--- ${fn.logicalId}: cancelled` : `--- ${fn.logicalId} could not run: ${describeError(err)}`);
      throw err;
    }
    const text = summary(result);
    this.channel.appendLine(result.error ? `--- ${fn.logicalId} failed: ${result.error.errorType}: ${result.error.errorMessage}` : `--- ${fn.logicalId}: ${text}`);
    this.finished.fire({ fn, result, summary: text });
    await this.results.show(fn.logicalId, result, current.name);
    return result;
  }

  showLogs(): void {
    this.channel.show(true);
  }

  private async ready(progress: (message: string) => void): Promise<LocalRun> {
    let run: LocalRun;
    try {
      run = await this.services.core.runner(progress);
    } catch (err) {
      if (err instanceof UserError && err.code?.startsWith('docker-')) this.setEngineProblem(err);
      throw err;
    }
    this.setEngineProblem(undefined);
    this.warm.attach(run.runner);
    if (run.runner !== this.announced) {
      this.announced = run.runner;
      this.wb.log.info(`local runs use the Docker engine at ${run.engine.endpoint.url} (Docker ${run.engine.info.version})`);
    }
    return run;
  }

  private setEngineProblem(problem: UserError | undefined): void {
    if (this.engineProblem?.message === problem?.message) return;
    this.engineProblem = problem;
    this.engineState.fire(problem);
  }

  private log(e: LogEntry): void {
    const id = e.requestId ? e.requestId.slice(0, 8) : 'init';
    this.channel.appendLine(`[${e.logicalId} ${id}] ${e.line}`);
  }

  private resolveEnvFile(fn: FunctionSpec, file: string): string {
    if (path.isAbsolute(file)) return file;
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(fn.templatePath));
    return path.join(folder?.uri.fsPath ?? path.dirname(fn.templatePath), file);
  }

  /** Drops the runner (its warm containers go with it); the next invoke makes a new one. */
  reset(): Promise<void> {
    this.warm.detach();
    return this.services.core.restartRunner();
  }

  async dispose(): Promise<void> {
    // The pool stops before the runner (disposed later, with the core) removes the containers.
    await this.warm.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
