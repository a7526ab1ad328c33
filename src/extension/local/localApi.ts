import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { LocalApi, ReloadEvent, ServedRoute, TemplateReloadEvent } from '../../core/serve';
import { describeTemplateReload } from '../../core/serve/templateReload';
import { formatRequest } from '../../core/serve/requestLog';
import type { CoreServices } from '../core';
import type { ModelStore } from '../model/store';
import { readSettings } from '../settings';
import type { Workbench } from '../workbench';

/** The context key the Functions view's title bar and the palette switch Start and Stop on. */
const RUNNING_KEY = 'lambdaWorkbench.localApiRunning';

/** A function's part in the running local API, as the Functions view shows it. */
export interface ServedState {
  routes: ServedRoute[];
  /** The last rebuild after a save: running, its time, or why it failed. */
  reload?: { phase: ReloadEvent['phase']; text: string };
}

/**
 * Lambda: Start Local API / Stop Local API. One local API at a time, on the core's runner (its
 * warm containers are the ones Invoke Locally uses); a status bar item shows its URL while it
 * runs, requests and rebuilds go to their own output channel, and the Functions view shows each
 * function's routes and last rebuild.
 */
export class LocalApiService implements vscode.Disposable {
  private api: LocalApi | undefined;
  private starting: Promise<LocalApi | undefined> | undefined;
  private readonly item = vscode.window.createStatusBarItem('lambdaWorkbench.localApi', vscode.StatusBarAlignment.Left, 49);
  private readonly channel = vscode.window.createOutputChannel('Lambda Workbench: Local API');
  private readonly changed = new vscode.EventEmitter<void>();
  /** Routes or rebuild states changed (the tree redraws). */
  readonly onDidChange = this.changed.event;
  private readonly served = new Map<string, ServedState>();
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly wb: Workbench,
    private readonly store: ModelStore,
    private readonly services: CoreServices,
  ) {
    this.item.name = 'Lambda local API';
    this.disposables = [
      this.item,
      this.channel,
      this.changed,
      // The runner is replaced when settings it depends on change: the API went with its containers.
      services.onDidApplySettings((r) => {
        if (r.runner && this.api) void this.stop('its settings changed');
      }),
    ];
  }

  get running(): boolean {
    return this.api !== undefined;
  }

  /** The routes and last rebuild of one function while the API runs. */
  stateOf(templatePath: string, logicalId: string): ServedState | undefined {
    return this.served.get(`${templatePath}#${logicalId}`);
  }

  async start(): Promise<LocalApi | undefined> {
    if (this.api) {
      await this.showRoutes();
      return this.api;
    }
    this.starting ??= this.launch().finally(() => (this.starting = undefined));
    return this.starting;
  }

  async stop(why?: string): Promise<void> {
    const api = this.api;
    this.api = undefined;
    this.served.clear();
    this.item.hide();
    void vscode.commands.executeCommand('setContext', RUNNING_KEY, false);
    this.changed.fire();
    if (!api) return;
    await api.stop();
    this.channel.appendLine(`--- stopped${why ? `: ${why}` : ''}`);
    if (why) void vscode.window.showInformationMessage(`The local API stopped: ${why}.`, 'Start Local API').then((a) => a && vscode.commands.executeCommand('lambdaWorkbench.startLocalApi'));
  }

  private async launch(): Promise<LocalApi | undefined> {
    await this.store.ready();
    const models = this.store.templates();
    if (models.length === 0) throw new UserError('No SAM template in this workspace to serve.', 'Create a function with Lambda: New Function, or open a folder with template.yaml.', 'serve-no-template');
    const settings = readSettings();
    const api = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Starting the local API', cancellable: true }, async (progress, token) => {
      const { LocalApi: Api } = await import('../../core/serve');
      const { runner } = await this.services.core.runner((m) => progress.report({ message: m }));
      return Api.start({
        runner,
        models,
        port: settings.serve.port,
        warm: settings.serve.warmContainers,
        concurrency: settings.serve.concurrency,
        token,
        onProgress: (m) => progress.report({ message: m }),
        onRequest: (r) => this.channel.appendLine(formatRequest(r)),
        onReload: (e) => this.reloaded(e),
        onTemplateReload: (e) => this.templateReloaded(e),
      });
    });
    this.api = api;
    this.fileRoutes(api);
    for (const w of api.warnings) this.channel.appendLine(`warning: ${w}`);
    for (const r of api.routes) this.channel.appendLine(`${r.logicalId} ${r.method} ${r.url}`);
    const base = api.listeners[0]?.url ?? '';
    this.item.text = `$(broadcast) ${base}`;
    this.item.command = 'lambdaWorkbench.startLocalApi';
    this.item.show();
    await vscode.commands.executeCommand('setContext', RUNNING_KEY, true);
    this.changed.fire();
    const warned = api.warnings.length > 0 ? ` ${api.warnings.length} warning${api.warnings.length === 1 ? '' : 's'} in the output.` : '';
    void vscode.window.showInformationMessage(`Local API serving ${api.routes.length} route${api.routes.length === 1 ? '' : 's'} at ${base}.${warned}`, 'Show Routes').then((a) => a && this.showRoutes());
    return api;
  }

  /** A pick of the routes: open one in the browser, or stop the API. */
  private async showRoutes(): Promise<void> {
    const api = this.api;
    if (!api) return;
    const stop = { label: '$(debug-stop) Stop Local API', route: undefined as ServedRoute | undefined };
    const picks = [...api.routes.map((r) => ({ label: `${r.method} ${r.url}`, description: r.logicalId, detail: r.kind, route: r as ServedRoute | undefined })), stop];
    const pick = await vscode.window.showQuickPick(picks, { placeHolder: 'Open a route in the browser' });
    if (pick === stop) return this.stop();
    if (pick?.route) await vscode.env.openExternal(vscode.Uri.parse(pick.route.url.replace(/\{[^}]+\}/g, 'x')));
  }

  /** Each function's routes as the API serves them now (the Functions view shows them), and the status bar's tooltip. */
  private fileRoutes(api: LocalApi): void {
    const reloads = new Map([...this.served].map(([k, v]) => [k, v.reload]));
    this.served.clear();
    for (const r of api.routes) {
      const key = `${r.templatePath}#${r.logicalId}`;
      const state = this.served.get(key) ?? { routes: [], ...(reloads.get(key) ? { reload: reloads.get(key) } : {}) };
      state.routes.push(r);
      this.served.set(key, state);
    }
    this.item.tooltip = `Local API: ${api.routes.length} route${api.routes.length === 1 ? '' : 's'} on ${api.listeners.length} port${api.listeners.length === 1 ? '' : 's'}. Click for the routes.`;
  }

  /** A saved template changed the routes (or could not be read): one line in the output and the status bar, the view redrawn. */
  private templateReloaded(e: TemplateReloadEvent): void {
    if (!this.api) return;
    const line = describeTemplateReload(e);
    this.channel.appendLine(line);
    void vscode.window.setStatusBarMessage(`$(broadcast) Local API: ${line}`, 8000);
    if (e.error) {
      this.wb.log.warn(`local API: ${line}`);
      return;
    }
    for (const w of e.warnings) this.channel.appendLine(`warning: ${w}`);
    this.fileRoutes(this.api);
    this.changed.fire();
  }

  private reloaded(e: ReloadEvent): void {
    const key = `${e.templatePath}#${e.logicalId}`;
    const state = this.served.get(key);
    if (!state) return;
    const ms = `${Math.round(e.durationMs)} ms`;
    state.reload = { phase: e.phase, text: e.phase === 'rebuilding' ? 'rebuilding…' : e.phase === 'rebuilt' ? `rebuilt in ${ms}` : `rebuild failed after ${ms}` };
    this.channel.appendLine(e.phase === 'failed' ? `${e.logicalId}: rebuild failed (the previous code keeps serving): ${e.error}` : `${e.logicalId}: ${state.reload.text} (${e.changed})`);
    if (e.phase === 'failed') this.wb.log.warn(`local API: ${e.logicalId} rebuild failed: ${e.error}`);
    this.changed.fire();
  }

  dispose(): Promise<void> {
    const stopping = this.stop();
    for (const d of this.disposables) d.dispose();
    return stopping;
  }
}
