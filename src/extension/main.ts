import * as vscode from 'vscode';
import { registerCommands } from './commands/index';
import { ModelStore } from './model/store';
import { FunctionsTree, SizeDecorationProvider } from './views/functionsTree';
import { Workbench } from './workbench';

let workbench: Workbench | undefined;

/** What activate() returns: the live model and views, for other extensions and the integration tests. */
export interface WorkbenchApi {
  model: ModelStore;
  functionsTree: FunctionsTree;
}

export function activate(context: vscode.ExtensionContext): WorkbenchApi {
  const started = Date.now();
  const wb = (workbench = new Workbench(context));
  const store = wb.own(new ModelStore(wb));
  const functions = wb.own(new FunctionsTree(wb, store));
  const functionsView = wb.own(vscode.window.createTreeView('lambdaWorkbench.functions', { treeDataProvider: functions, showCollapseAll: true }));
  functions.attach(functionsView);
  wb.own(vscode.window.registerFileDecorationProvider(new SizeDecorationProvider()));
  registerCommands(wb, { store, functions });
  void store.ready();
  wb.log.info(`activated in ${Date.now() - started} ms`);
  return { model: store, functionsTree: functions };
}

export function deactivate(): void {
  workbench?.dispose();
  workbench = undefined;
}
