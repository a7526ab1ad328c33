import * as vscode from 'vscode';
import type { Workbench } from '../workbench';

export const CONTEXT_TEMPLATE = 'lambdaWorkbench.template';

const TEMPLATE_GLOB = '**/template.{yaml,yml}';
const EXCLUDE_GLOB = '{**/node_modules/**,**/.aws-sam/**}';

/** Templates in the workspace. Functions under each arrive with the template model. */
export class FunctionsTree implements vscode.TreeDataProvider<vscode.Uri> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private templates: vscode.Uri[] = [];

  constructor(private readonly wb: Workbench) {
    wb.own(this.changed);
  }

  async refresh(): Promise<void> {
    this.templates = (await vscode.workspace.findFiles(TEMPLATE_GLOB, EXCLUDE_GLOB)).sort((a, b) => a.path.localeCompare(b.path));
    await vscode.commands.executeCommand('setContext', 'lambdaWorkbench.hasTemplates', this.templates.length > 0);
    await vscode.commands.executeCommand('setContext', 'lambdaWorkbench.ready', true);
    this.wb.log.info(`found ${this.templates.length} template(s)`);
    this.changed.fire();
  }

  getChildren(element?: vscode.Uri): vscode.Uri[] {
    return element ? [] : this.templates;
  }

  getTreeItem(uri: vscode.Uri): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.workspace.asRelativePath(uri), vscode.TreeItemCollapsibleState.None);
    item.resourceUri = uri;
    item.contextValue = CONTEXT_TEMPLATE;
    item.iconPath = new vscode.ThemeIcon('file-code');
    item.command = { command: 'vscode.open', title: 'Open Template', arguments: [uri] };
    return item;
  }
}
