import * as vscode from 'vscode';
import { Workbench } from './workbench';
import { registerCommands } from './commands';
import { FunctionsTree } from './views/functionsTree';

let workbench: Workbench | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = Date.now();
  workbench = new Workbench(context);
  const functions = new FunctionsTree(workbench);
  workbench.own(vscode.window.createTreeView('lambdaWorkbench.functions', { treeDataProvider: functions, showCollapseAll: true }));
  registerCommands(workbench, { functions });
  void functions.refresh();
  workbench.log.info(`activated in ${Date.now() - started} ms`);
}

export function deactivate(): void {
  workbench?.dispose();
  workbench = undefined;
}
