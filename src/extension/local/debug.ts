import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import { debuggable, debugLanguage } from '../../core/local/debug';
import type { DebugLanguage, DebugTarget, InvokeResult } from '../../core/local';
import { InvocationClock } from '../../core/local/clock';
import type { FunctionSpec } from '../../core/model/types';
import type { ModelStore } from '../model/store';
import { windowPrompts } from '../prompts';
import type { Workbench } from '../workbench';
import { type ChosenEvent, pickEvent, readEvent } from './events';
import type { LocalRuns } from './runs';

/** The launch configuration type users save in launch.json to rerun a debug session with F5. */
export const DEBUG_TYPE = 'lambda-workbench';
/** Marks the attach sessions we start, so their trackers find their invocation. */
const RUN_KEY = '__lambdaWorkbenchRun';
/** Requests after which the debuggee runs again. */
const RESUMING = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'goto', 'restartFrame']);
/** The extension each language's attach configuration needs. */
const DEBUGGERS: Record<DebugLanguage, { type: string; extension: string; name: string }> = {
  node: { type: 'node', extension: 'ms-vscode.js-debug', name: 'JavaScript Debugger' },
  python: { type: 'debugpy', extension: 'ms-python.debugpy', name: 'Python Debugger' },
  java: { type: 'java', extension: 'vscjava.vscode-java-debug', name: 'Debugger for Java' },
  go: { type: 'go', extension: 'golang.go', name: 'Go' },
};
/** How messages name each language's functions. */
const LANGUAGE_NAMES: Record<DebugLanguage, string> = { node: 'Node.js', python: 'Python', java: 'Java', go: 'Go' };

export interface LambdaDebugConfiguration extends vscode.DebugConfiguration {
  /** The function's logical id. */
  function?: string;
  /** The template that defines it, when more than one does. */
  template?: string;
  /** A JSON event file; without one, the event picker opens. */
  event?: string;
  /** KEY=VALUE lines (or SAM's env-vars JSON) over the template's environment. */
  envFile?: string;
}

interface ActiveRun {
  fn: FunctionSpec;
  clock: InvocationClock;
  cancel: vscode.CancellationTokenSource;
  sessions: vscode.DebugSession[];
  /** The invocation is over (or ending): stopping the session no longer cancels it. */
  done: boolean;
}

/** How long a debug session may take to end when the invocation is over. */
const DETACH_TIMEOUT_MS = 3_000;

/**
 * Debug Locally: starts the function's container with its runtime waiting for a debugger, starts a
 * VS Code debug session attached to it (Node: js-debug; Python: debugpy; Java: the Debugger for
 * Java over JDWP; Go: the Go extension's remote attach to Delve), and only then sends the
 * event, so a breakpoint on the handler's first line is hit. While the debugger is stopped the
 * invocation's timeout is paused; stopping the session ends the invocation and removes its container.
 */
export class LocalDebugger implements vscode.Disposable, vscode.DebugConfigurationProvider {
  private readonly runs = new Map<string, ActiveRun>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly wb: Workbench,
    private readonly store: ModelStore,
    private readonly local: LocalRuns,
  ) {
    this.disposables.push(
      vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, this),
      vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, { provideDebugConfigurations: (folder) => this.configurationsFor(folder) }, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
      vscode.debug.registerDebugAdapterTrackerFactory('*', { createDebugAdapterTracker: (session) => this.tracker(session) }),
      vscode.debug.onDidStartDebugSession((s) => this.runOf(s)?.sessions.push(s)),
      vscode.debug.onDidTerminateDebugSession((s) => {
        const run = this.runOf(s);
        if (!run) return;
        run.sessions = run.sessions.filter((x) => x !== s);
        this.wb.log.info(`debug session '${s.name}' of ${run.fn.logicalId} ended`);
        // The person stopped debugging: the invocation ends and its container goes.
        if (!run.done) run.cancel.cancel();
      }),
    );
  }

  /** Debugs one invocation of the function with the event; resolves with its result when it ends. */
  async debug(fn: FunctionSpec, event: ChosenEvent, opts: { envFile?: string } = {}): Promise<InvokeResult | undefined> {
    const language = this.languageOf(fn);
    const id = randomUUID();
    const run: ActiveRun = { fn, clock: new InvocationClock(), cancel: new vscode.CancellationTokenSource(), sessions: [], done: false };
    this.runs.set(id, run);
    let attached!: () => void;
    const attachedOrDone = new Promise<void>((r) => (attached = r));
    let report: (message: string) => void = () => undefined;
    try {
      this.local.showLogs();
      const invocation = this.local.invoke(fn, event, run.cancel.token, (m) => report(m), {
        envFile: opts.envFile,
        debug: {
          clock: run.clock,
          attach: async (target) => {
            await this.attach(id, fn, language, target);
            attached();
          },
          detach: () => this.detach(run),
        },
      });
      void invocation.then(attached, attached);
      // Progress with Cancel until the debugger is attached; from then on the debug toolbar's Stop ends it.
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Debugging locally', cancellable: true }, async (progress, token) => {
        report = (message) => progress.report({ message });
        const sub = token.onCancellationRequested(() => run.cancel.cancel());
        await attachedOrDone;
        sub.dispose();
      });
      const result = await invocation;
      if (result.error) void vscode.window.showWarningMessage(`${fn.logicalId} failed: ${result.error.errorType}: ${result.error.errorMessage}`);
      return result;
    } finally {
      await this.detach(run);
      this.runs.delete(id);
      run.cancel.dispose();
    }
  }

  /** Ends the invocation's debug session (its root stops the rest) and waits, briefly, until it has. */
  private async detach(run: ActiveRun): Promise<void> {
    run.done = true;
    const live = new Set(run.sessions);
    if (live.size === 0) return;
    const ended = new Promise<void>((resolve) => {
      const timer = setTimeout(finish, DETACH_TIMEOUT_MS);
      const sub = vscode.debug.onDidTerminateDebugSession((s) => {
        live.delete(s);
        if (live.size === 0) finish();
      });
      function finish(): void {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
    const roots = run.sessions.filter((s) => !s.parentSession || !run.sessions.includes(s.parentSession));
    run.sessions = [];
    for (const s of roots) void vscode.debug.stopDebugging(s).then(undefined, () => undefined);
    await ended;
  }

  /** Which debugger the function takes, checked before any container starts. */
  languageOf(fn: FunctionSpec): DebugLanguage {
    const language = debuggable(fn);
    const debuggerInfo = DEBUGGERS[language];
    if (!vscode.extensions.getExtension(debuggerInfo.extension)) {
      throw new UserError(
        `Debugging ${LANGUAGE_NAMES[language]} functions needs the ${debuggerInfo.name} extension (${debuggerInfo.extension}), which is not installed.`,
        `Install ${debuggerInfo.extension} from the Extensions view, then run Debug Locally again.`,
        'debugger-missing',
      );
    }
    return language;
  }

  private async attach(id: string, fn: FunctionSpec, language: DebugLanguage, target: DebugTarget): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(fn.templatePath));
    const name = `${fn.logicalId} (local)`;
    const config: vscode.DebugConfiguration =
      language === 'go'
        ? {
            type: DEBUGGERS.go.type,
            request: 'attach',
            // Delve's headless server in the container speaks the Debug Adapter Protocol itself; the
            // debug build keeps this machine's source paths, so breakpoints need no path mapping.
            mode: 'remote',
            debugAdapter: 'dlv-dap',
            name,
            host: target.host,
            port: target.port,
            [RUN_KEY]: id,
          }
        : language === 'java'
        ? {
            type: DEBUGGERS.java.type,
            request: 'attach',
            name,
            hostName: target.host,
            port: target.port,
            // The JVM waits (suspend=y) until the debugger attaches; the Java debugger finds sources
            // through the Java language server, and in the Maven or Gradle source folder besides.
            ...javaSourcePaths(fn),
            [RUN_KEY]: id,
          }
        : language === 'node'
        ? {
            type: DEBUGGERS.node.type,
            request: 'attach',
            name,
            address: target.host,
            port: target.port,
            localRoot: target.localRoot,
            remoteRoot: target.remoteRoot,
            // The runtime waits on its first line (--inspect-brk) until breakpoints are set.
            continueOnAttach: true,
            restart: false,
            sourceMaps: true,
            skipFiles: ['<node_internals>/**', '/var/runtime/**'],
            ...(target.sourceMapped
              ? { outFiles: [path.join(target.localRoot, '**', '*.js')], resolveSourceMapLocations: [path.join(target.localRoot, '**'), '!**/node_modules/**'] }
              : {}),
            [RUN_KEY]: id,
          }
        : {
            type: DEBUGGERS.python.type,
            request: 'attach',
            name,
            connect: { host: target.host, port: target.port },
            pathMappings: [{ localRoot: target.localRoot, remoteRoot: target.remoteRoot }],
            justMyCode: true,
            [RUN_KEY]: id,
          };
    const started = await vscode.debug.startDebugging(folder, config, { suppressSaveBeforeStart: true });
    if (!started) {
      throw new UserError(
        `The debugger could not attach to ${fn.logicalId} at ${target.host}:${target.port}.`,
        'See the Debug Console and the Local Runs output for what the debugger and the runtime said, then try again.',
        'debugger-attach',
      );
    }
    this.wb.log.info(`debugging ${fn.logicalId}: ${language} debugger attached to 127.0.0.1:${target.port} (container ${target.containerId.slice(0, 12)})`);
  }

  /** Pauses the invocation's clock while the debugger is stopped, and restarts it when it runs. */
  private tracker(session: vscode.DebugSession): vscode.DebugAdapterTracker | undefined {
    const run = this.runOf(session);
    if (!run) return undefined;
    return {
      onDidSendMessage: (m: { type?: string; event?: string }) => {
        if (m.type !== 'event') return;
        if (m.event === 'stopped') run.clock.pause();
        else if (m.event === 'continued') run.clock.resume();
      },
      onWillReceiveMessage: (m: { type?: string; command?: string }) => {
        if (m.type !== 'request' || !m.command) return;
        if (RESUMING.has(m.command)) run.clock.resume();
        // Stop: end the invocation before the debugger lets go of the runtime, which would run on.
        else if ((m.command === 'disconnect' || m.command === 'terminate') && !run.done) run.cancel.cancel();
      },
    };
  }

  /** The invocation a session (or the session it was started from) belongs to. */
  private runOf(session: vscode.DebugSession | undefined): ActiveRun | undefined {
    for (let s = session; s; s = s.parentSession) {
      const id = (s.configuration as Record<string, unknown>)[RUN_KEY];
      if (typeof id === 'string') return this.runs.get(id);
    }
    return undefined;
  }

  /** F5 on a saved lambda-workbench configuration: debug that function with that event. */
  async resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, config: LambdaDebugConfiguration): Promise<undefined> {
    // VS Code opens launch.json for `null`; `undefined` ends the launch quietly: our own attach session follows.
    try {
      if (!config.type && !config.request && !config.name) {
        // F5 with no launch.json and this debugger chosen: the same as the command.
        await vscode.commands.executeCommand('lambdaWorkbench.debugLocally');
        return undefined;
      }
      const fn = await this.functionOf(folder, config);
      const event = config.event ? await readEvent(vscode.Uri.file(this.resolvePath(folder, config.event))).catch((err: unknown) => {
        throw new UserError(`Cannot read the event file ${config.event}: ${(err as Error).message}`, "Fix the launch configuration's event path (relative to the workspace folder), or remove it to pick an event.", 'event-missing');
      }) : await pickEvent(fn, windowPrompts);
      if (!event) return undefined;
      // Not awaited: this launch must end so that the attach session can start.
      void this.debug(fn, event, { envFile: config.envFile ? this.resolvePath(folder, config.envFile) : undefined }).catch((err: unknown) => this.wb.showError('Debug Locally', err));
    } catch (err) {
      this.wb.showError('Debug Locally', err);
    }
    return undefined;
  }

  private async functionOf(folder: vscode.WorkspaceFolder | undefined, config: LambdaDebugConfiguration): Promise<FunctionSpec> {
    await this.store.ready();
    if (!config.function) {
      throw new UserError(`The launch configuration '${config.name}' names no function.`, 'Add "function": "<LogicalId>" to it (the resource name in template.yaml).', 'launch-config');
    }
    const template = config.template ? this.resolvePath(folder, config.template) : undefined;
    const matches = this.store.functions().filter((f) => f.logicalId === config.function && (!template || path.resolve(f.templatePath) === path.resolve(template)));
    if (matches.length === 0) {
      throw new UserError(
        `No function '${config.function}' in ${template ? path.basename(template) : 'the templates of this workspace'}.`,
        'Check "function" (the logical id in the template) and "template" in the launch configuration.',
        'launch-config',
      );
    }
    if (matches.length > 1) {
      throw new UserError(`More than one template defines '${config.function}'.`, 'Add "template": "<path to template.yaml>" to the launch configuration.', 'launch-config');
    }
    return matches[0];
  }

  private resolvePath(folder: vscode.WorkspaceFolder | undefined, p: string): string {
    return path.isAbsolute(p) ? p : path.join(folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '', p);
  }

  /** What "Add Configuration" and the Run view's dynamic list offer: one per debuggable function. */
  async configurationsFor(folder: vscode.WorkspaceFolder | undefined): Promise<LambdaDebugConfiguration[]> {
    await this.store.ready();
    const root = folder?.uri.fsPath;
    return this.store
      .functions()
      .filter((f) => f.packageType === 'Zip' && debugLanguage(f) !== undefined && (!root || f.templatePath.startsWith(root)))
      .map((f) => ({
        type: DEBUG_TYPE,
        request: 'launch',
        name: `Debug ${f.logicalId} locally`,
        function: f.logicalId,
        template: root ? `\${workspaceFolder}/${path.relative(root, f.templatePath).split(path.sep).join('/')}` : f.templatePath,
      }));
  }

  provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<LambdaDebugConfiguration[]> {
    return this.configurationsFor(folder);
  }

  dispose(): void {
    for (const run of this.runs.values()) run.cancel.cancel();
    for (const d of this.disposables) d.dispose();
  }
}

/** The function's Java source folder (Maven's and Gradle's layout), when it has one. */
function javaSourcePaths(fn: FunctionSpec): { sourcePaths?: string[] } {
  const dir = fn.codeUri && path.join(fn.codeUri, 'src', 'main', 'java');
  return dir && existsSync(dir) ? { sourcePaths: [dir] } : {};
}
