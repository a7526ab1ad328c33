import { functionKey, usesLayer } from '../../core/model/key';
import * as vscode from 'vscode';
import type { FunctionSpec } from '../../core/model/types';
import type { ModelStore } from '../model/store';
import type { Workbench } from '../workbench';
import { RefreshScheduler } from './refresh';
import { type FunctionDecorations, FunctionNode, LayerNode, MessageNode, type Node, TemplateNode } from './nodes';

/**
 * Workspace functions: templates -> functions and layers -> handler, layers, saved events, last
 * run. Automatic refreshes (model changes, new sizes) are debounced and wait while the view is
 * hidden; a refresh the user asks for is immediate.
 */
export class FunctionsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly decorations = new Map<string, FunctionDecorations>();
  private readonly refresh = new RefreshScheduler(() => this.changed.fire(undefined));
  private readonly disposables: vscode.Disposable[] = [this.changed, this.refresh];
  private engineProblem: { message: string; hint?: string } | undefined;
  private view: vscode.TreeView<Node> | undefined;

  constructor(
    private readonly wb: Workbench,
    private readonly store: ModelStore,
  ) {
    this.disposables.push(store.onDidChange(() => this.refreshSoon()));
  }

  attach(view: vscode.TreeView<Node>): void {
    this.view = view;
    this.refresh.attach(view);
  }

  /** The function of the row selected in the view (a function's row, or one under it), as it is now in the model. */
  selectedFunction(): FunctionSpec | undefined {
    const fn = (this.view?.selection[0] as { fn?: FunctionSpec } | undefined)?.fn;
    return fn && this.store.findFunction(fn.templatePath, fn.logicalId);
  }

  /** Shows (or clears) a row saying Docker cannot be reached and how to fix it. */
  setEngineProblem(problem: { message: string; hint?: string } | undefined): void {
    this.engineProblem = problem;
    this.refreshNow();
  }

  /**
   * Size, last run and such, shown on a function's row. Redrawn at once: these come from a finished
   * measurement (already debounced) or run, and the Problems panel shows the same measurement now.
   */
  decorate(templatePath: string, logicalId: string, patch: Partial<FunctionDecorations>): void {
    const key = functionKey({ templatePath, logicalId });
    this.decorations.set(key, { ...this.decorations.get(key), ...patch });
    this.refreshNow();
  }

  decorationsOf(templatePath: string, logicalId: string): FunctionDecorations {
    return this.decorations.get(functionKey({ templatePath, logicalId })) ?? {};
  }

  refreshNow(): void {
    this.refresh.now();
  }

  refreshSoon(): void {
    this.refresh.soon();
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node) return node.children();
    await this.store.ready();
    const templates = this.store.templates();
    if (templates.length === 0) return [];
    // One template: skip its level, the functions are what people look for.
    const rows = templates.length === 1 ? this.templateChildren(templates[0]) : templates.map((t) => new TemplateChildren(t, (m) => this.templateChildren(m)));
    if (this.engineProblem) {
      const row = new MessageNode('Docker is not reachable', this.engineProblem.hint ?? this.engineProblem.message, { command: 'lambdaWorkbench.doctor', title: 'Check Docker and AWS Access' }, 'warning');
      row.tooltip = [this.engineProblem.message, this.engineProblem.hint].filter(Boolean).join('\n');
      rows.push(row);
    }
    return rows;
  }

  private templateChildren(model: TemplateNode['model']): Node[] {
    const media = vscode.Uri.joinPath(this.wb.context.extensionUri, 'media');
    const nodes: Node[] = [
      ...model.functions.map((fn) => new FunctionNode(fn, this.decorationsOf(fn.templatePath, fn.logicalId), media)),
      ...model.layers.map((l) => new LayerNode(l, model.functions.filter((fn) => usesLayer(fn, l)).map((fn) => fn.logicalId))),
    ];
    const errors = model.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      nodes.push(
        new MessageNode(
          `${errors.length} problem${errors.length === 1 ? '' : 's'} in ${vscode.workspace.asRelativePath(model.path)}`,
          errors[0].message,
          { command: 'workbench.actions.view.problems', title: 'Show Problems' },
          'error',
        ),
      );
    }
    if (nodes.length === 0) {
      nodes.push(new MessageNode('No functions in this template', 'New Function…', { command: 'lambdaWorkbench.newFunction', title: 'New Function' }));
    }
    return nodes;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

class TemplateChildren extends TemplateNode {
  constructor(
    model: TemplateNode['model'],
    private readonly make: (m: TemplateNode['model']) => Node[],
  ) {
    super(model);
  }

  override children(): Node[] {
    return this.make(this.model);
  }
}

/** Colours a function's row when its package is near (warning colour) or over (error colour) a limit. */
export class SizeDecorationProvider implements vscode.FileDecorationProvider {
  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== 'lambda-workbench-size') return undefined;
    if (uri.query === 'over') return new vscode.FileDecoration('!', 'Over a Lambda limit', new vscode.ThemeColor('list.errorForeground'));
    if (uri.query === 'warn') return new vscode.FileDecoration(undefined, 'Near a Lambda limit', new vscode.ThemeColor('list.warningForeground'));
    return undefined;
  }
}
