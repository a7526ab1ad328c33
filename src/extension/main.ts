import * as vscode from 'vscode';
import { AwsServices } from './aws/sessions';
import { registerCommands } from './commands/index';
import { warmText } from '../core/local/warmPool';
import { CoreServices } from './core';
import { HandlerCodeLens } from './local/codeLens';
import { LocalApiService } from './local/localApi';
import { LocalDebugger } from './local/debug';
import { LocalRuns } from './local/runs';
import { SizeDiagnostics } from './size/diagnostics';
import { SizeQuickFixes } from './size/quickFixes';
import { SizeReports } from './size/report';
import { shortSize, sizeTooltip } from './size/summary';
import { SizeService } from './size/service';
import { SizeStatusBar } from './size/statusBar';
import { ModelStore } from './model/store';
import { CloudTree } from './views/cloudTree';
import { FunctionsTree, SizeDecorationProvider } from './views/functionsTree';
import { openWalkthroughOnce } from './walkthrough';
import { Workbench } from './workbench';

let workbench: Workbench | undefined;

const SIZE_FIX_FILES: vscode.DocumentSelector = ['**/template.{yaml,yml}', '**/package.json', '**/requirements.txt'].map((pattern) => ({ scheme: 'file', pattern }));
const HANDLER_FILES: vscode.DocumentSelector = ['javascript', 'typescript', 'python'].map((language) => ({ language, scheme: 'file' }));

/** What activate() returns: the live model and views, for other extensions and the integration tests. */
export interface WorkbenchApi {
  model: ModelStore;
  functionsTree: FunctionsTree;
  cloudTree: CloudTree;
  localRuns: LocalRuns;
  localDebugger: LocalDebugger;
  localApi: LocalApiService;
  sizes: SizeService;
  /** How long activate() took, in ms. */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): WorkbenchApi {
  const started = Date.now();
  const wb = (workbench = new Workbench(context));
  // Owned first, so it is disposed last: after everything that uses the runner or the size engine.
  const core = wb.own(new CoreServices(wb));
  const store = wb.own(new ModelStore(wb));
  const functions = wb.own(new FunctionsTree(wb, store));
  const functionsView = wb.own(vscode.window.createTreeView('lambdaWorkbench.functions', { treeDataProvider: functions, showCollapseAll: true }));
  functions.attach(functionsView);
  wb.own(vscode.window.registerFileDecorationProvider(new SizeDecorationProvider()));
  const runs = wb.own(new LocalRuns(wb, core));
  const debuggers = wb.own(new LocalDebugger(wb, store, runs));
  const aws = wb.own(new AwsServices(core));
  const localApi = wb.own(new LocalApiService(wb, store, core));
  wb.own(
    localApi.onDidChange(() => {
      for (const fn of store.functions()) {
        const state = localApi.stateOf(fn.templatePath, fn.logicalId);
        const served = state && { routes: state.routes.map((r) => `${r.method} ${r.url}`), reload: state.reload?.text, reloadFailed: state.reload?.phase === 'failed' };
        functions.decorate(fn.templatePath, fn.logicalId, { served });
      }
    }),
  );
  wb.own(runs.onDidChangeEngine((problem) => functions.setEngineProblem(problem)));
  wb.own(runs.onDidInvoke(({ fn, result, summary }) => functions.decorate(fn.templatePath, fn.logicalId, { lastRun: { summary, report: result.reportLine } })));
  wb.own(runs.warm.onDidChange((c) => functions.decorate(c.templatePath, c.logicalId, { warm: c.state && { ...warmText(c.state), failed: c.state.error !== undefined } })));
  wb.own(store.onDidChangeCode(({ path }) => runs.warm.codeChanged(path)));
  wb.own(store.onDidChange(() => runs.warm.templatesChanged((templatePath, logicalId) => store.findFunction(templatePath, logicalId))));
  wb.own(vscode.languages.registerCodeLensProvider(HANDLER_FILES, wb.own(new HandlerCodeLens(store))));
  const sizes = wb.own(new SizeService(wb, store, core));
  const sizeDiagnostics = wb.own(new SizeDiagnostics(store, sizes));
  const reports = wb.own(new SizeReports(store));
  wb.own(vscode.languages.registerCodeActionsProvider(SIZE_FIX_FILES, new SizeQuickFixes(sizeDiagnostics), { providedCodeActionKinds: SizeQuickFixes.kinds }));
  wb.own(new SizeStatusBar(store, sizes));
  wb.own(
    sizes.onDidMeasure((measured) => {
      for (const s of measured) {
        // Each decorate redraws at once; a batch is a few functions, and the tree asks only for visible rows.
        functions.decorate(s.templatePath, s.logicalId, { sizeText: shortSize(s), sizeStatus: s.status, sizeEstimate: s.estimate, sizeTooltip: sizeTooltip(s).join('\n\n') });
        reports.update(s);
      }
    }),
  );
  const cloud = wb.own(new CloudTree(wb, aws));
  cloud.attach(wb.own(vscode.window.createTreeView('lambdaWorkbench.cloud', { treeDataProvider: cloud, showCollapseAll: true })));
  registerCommands(wb, { services: core, store, functions, runs, debuggers, aws, sizes, reports, cloud, localApi });
  void store.ready();
  void openWalkthroughOnce(context, store).catch((err: unknown) => wb.log.warn(`could not open the walkthrough: ${String(err)}`));
  const activationMs = Date.now() - started;
  wb.log.info(`activated in ${activationMs} ms`);
  return {
    activationMs,
    model: store,
    functionsTree: functions,
    cloudTree: cloud,
    localRuns: runs,
    localDebugger: debuggers,
    localApi,
    sizes,
  };
}

/** VS Code waits for this: warm containers are removed and the size engine's workers stopped before the host exits. */
export async function deactivate(): Promise<void> {
  const wb = workbench;
  workbench = undefined;
  await wb?.dispose();
}
