import * as vscode from 'vscode';
import type { FunctionSpec } from '../../core/model/types';
import type { ModelStore } from '../model/store';
import { shortSize, sizeTooltip } from './summary';
import type { SizeService } from './service';

/** The active function's package size against the limits; a click opens its size report. */
export class SizeStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('lambdaWorkbench.size', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(
    private readonly store: ModelStore,
    private readonly sizes: SizeService,
  ) {
    this.item.name = 'Lambda package size';
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      sizes.onDidMeasure(() => this.update()),
      store.onDidChange(() => this.update()),
    );
  }

  /** The function the active editor belongs to: its handler's code folder, or its resource in the template. */
  activeFunction(): FunctionSpec | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.scheme !== 'file') return undefined;
    const file = editor.document.uri.fsPath;
    const fns = this.store.functions();
    const inTemplate = fns.filter((f) => f.templatePath === file);
    if (inTemplate.length) {
      const line = editor.selection.active.line;
      return inTemplate.find((f) => f.ranges.resource.start.line <= line && line <= f.ranges.resource.end.line) ?? (inTemplate.length === 1 ? inTemplate[0] : undefined);
    }
    // The deepest code folder holding the file wins (nested functions).
    return fns.filter((f) => f.codeUri && file.startsWith(f.codeUri.endsWith('/') ? f.codeUri : `${f.codeUri}/`)).sort((a, b) => (b.codeUri?.length ?? 0) - (a.codeUri?.length ?? 0))[0];
  }

  update(): void {
    const fn = this.activeFunction();
    const size = fn && this.sizes.get(fn);
    if (!fn || !size) {
      this.item.hide();
      return;
    }
    const icon = size.status === 'over' ? '$(error)' : size.status === 'warn' ? '$(warning)' : '$(package)';
    this.item.text = `${icon} ${fn.logicalId}: ${shortSize(size)}`;
    this.item.tooltip = [`${fn.logicalId}'s package`, ...sizeTooltip(size), 'Click for the size report.'].join('\n');
    this.item.backgroundColor = size.status === 'over' ? new vscode.ThemeColor('statusBarItem.errorBackground') : size.status === 'warn' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.command = { title: 'Show Size Report', command: 'lambdaWorkbench.showSizeReport', arguments: [{ templatePath: fn.templatePath, logicalId: fn.logicalId }] };
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
