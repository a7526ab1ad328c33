import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Engine } from '../../core/docker';
import { UserError } from '../../core/errors';
import type { DebugOptions, InvokeResult, LocalRunner, LogEntry } from '../../core/local';
import type { FunctionSpec } from '../../core/model/types';
import { onSettingsChanged, readSettings } from '../settings';
import type { Workbench } from '../workbench';
import { type ChosenEvent, readEvent } from './events';
import { ResultDocuments, RESULT_SCHEME, summary } from './results';

/**
 * Local invocations for the extension: one runner (and so one set of warm containers) for the
 * session, created on the first invoke and replaced when its settings change. Closing the window
 * removes its containers.
 */
export class LocalRuns implements vscode.Disposable {
  readonly results = new ResultDocuments();
  private readonly channel: vscode.OutputChannel;
  private runner: Promise<{ runner: LocalRunner; engine: Engine }> | undefined;
  private readonly lastEvents = new Map<string, ChosenEvent>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly finished = new vscode.EventEmitter<{ fn: FunctionSpec; result: InvokeResult; summary: string }>();
  /** Fires after every completed invocation (the tree shows it as the function's last run). */
  readonly onDidInvoke = this.finished.event;
  private readonly engineState = new vscode.EventEmitter<UserError | undefined>();
  /** The Docker engine could not be reached (the error says why and how to fix it), or can be again (undefined). */
  readonly onDidChangeEngine = this.engineState.event;
  engineProblem: UserError | undefined;

  constructor(private readonly wb: Workbench) {
    this.channel = vscode.window.createOutputChannel('Lambda Workbench: Local Runs');
    this.disposables.push(
      this.channel,
      this.results,
      this.finished,
      this.engineState,
      vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this.results),
      onSettingsChanged(() => void this.reset()),
    );
  }

  lastEvent(fn: FunctionSpec): ChosenEvent | undefined {
    return this.lastEvents.get(key(fn));
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
    this.lastEvents.set(key(fn), current);
    const { runner } = await this.ready(progress);
    this.channel.appendLine(`--- ${fn.logicalId} with ${current.name}${extra.debug ? ' (debugging)' : ''}`);
    const settings = readSettings();
    const envFile = extra.envFile ?? (settings.local.envFile ? this.resolveEnvFile(fn, settings.local.envFile) : undefined);
    const result = await runner.invoke(fn, {
      payload: current.payload,
      envFile,
      token,
      debug: extra.debug,
      onProgress: (p) => progress(p.message),
    });
    const text = summary(result);
    this.finished.fire({ fn, result, summary: text });
    await this.results.show(fn.logicalId, result, current.name);
    return result;
  }

  showLogs(): void {
    this.channel.show(true);
  }

  private ready(progress: (message: string) => void): Promise<{ runner: LocalRunner; engine: Engine }> {
    this.runner ??= this.create(progress).then(
      (r) => {
        this.setEngineProblem(undefined);
        return r;
      },
      (err: unknown) => {
        this.runner = undefined;
        if (err instanceof UserError && err.code?.startsWith('docker-')) this.setEngineProblem(err);
        throw err;
      },
    );
    return this.runner;
  }

  private async create(progress: (message: string) => void): Promise<{ runner: LocalRunner; engine: Engine }> {
    const settings = readSettings();
    progress('Connecting to Docker');
    const [{ openEngine }, { LocalRunner }] = await Promise.all([import('../../core/docker'), import('../../core/local')]);
    // Throws a UserError that says whether Docker is missing, stopped or unreachable, and the fix.
    const engine = await openEngine({
      dockerHost: settings.docker.host || undefined,
      dockerHostSource: 'the lambdaWorkbench.docker.host setting',
      runtimeApiAddress: settings.local.runtimeApiAddress || undefined,
      runtimeApiAddressSource: 'the lambdaWorkbench.local.runtimeApiAddress setting',
    });
    const cacheDir = path.join(this.wb.context.globalStorageUri.fsPath, 'local');
    const runner = await LocalRunner.create({
      engine,
      cacheDir,
      images: settings.local.images,
      idleTimeoutMs: settings.local.idleTimeoutSeconds * 1000,
      onLog: (e) => this.log(e),
    });
    this.wb.log.info(`local runs use the Docker engine at ${engine.endpoint.url} (Docker ${engine.info.version})`);
    return { runner, engine };
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
  async reset(): Promise<void> {
    const current = this.runner;
    this.runner = undefined;
    const r = await current?.catch(() => undefined);
    await r?.runner.dispose();
  }

  dispose(): void {
    void this.reset();
    for (const d of this.disposables) d.dispose();
  }
}

function key(fn: FunctionSpec): string {
  return `${fn.templatePath}#${fn.logicalId}`;
}
