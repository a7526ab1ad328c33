import * as vscode from 'vscode';
import { functionInEditor } from '../commands/pick';
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
      // In the template, the function is the one under the cursor.
      vscode.window.onDidChangeTextEditorSelection((e) => e.textEditor === vscode.window.activeTextEditor && this.update()),
      sizes.onDidMeasure(() => this.update()),
      store.onDidChange(() => this.update()),
    );
  }

  update(): void {
    const fn = functionInEditor(this.store);
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
