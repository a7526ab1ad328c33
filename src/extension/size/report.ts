import * as vscode from 'vscode';
import { functionKey } from '../../core/model/key';
import type { FunctionSize } from '../../core/size';
import type { ModelStore } from '../model/store';
import { APPLY_SIZE_FINDING, type SizeFindingRequest } from './applyFinding';
import { sizeFixActions } from './quickFixes';
import { renderReport } from './reportHtml';

export const REPORT_VIEW_TYPE = 'lambdaWorkbench.sizeReport';

/** The only commands a report's links may run: a finding's fix, and a build. */
const REPORT_COMMANDS = [APPLY_SIZE_FINDING, 'lambdaWorkbench.buildFunction'];

/**
 * Size reports, one page per function: a report of another function opens a tab of its own beside
 * the first, and each follows its function's measurements while it is open.
 */
export class SizeReports implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  constructor(private readonly store: ModelStore) {}

  /** Opens the function's report, or brings it forward, showing these figures. */
  show(size: FunctionSize): vscode.WebviewPanel {
    const key = functionKey(size);
    let panel = this.panels.get(key);
    if (panel) panel.reveal(undefined, false);
    else {
      panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, `${size.logicalId} size`, vscode.ViewColumn.Active, { enableCommandUris: REPORT_COMMANDS, enableFindWidget: true });
      this.panels.set(key, panel);
      panel.onDidDispose(() => this.panels.delete(key));
    }
    panel.webview.html = this.render(size);
    return panel;
  }

  /** A new measurement: the function's open report shows it. */
  update(size: FunctionSize): void {
    const panel = this.panels.get(functionKey(size));
    if (panel) panel.webview.html = this.render(size);
  }

  private render(size: FunctionSize): string {
    const fn = this.store.findFunction(size.templatePath, size.logicalId);
    const ref = { templatePath: size.templatePath, logicalId: size.logicalId };
    return renderReport(size, {
      relativePath: (p) => vscode.workspace.asRelativePath(p),
      fixLinks: (index) => {
        const finding = size.findings[index];
        if (!fn) return [];
        return sizeFixActions(fn, finding).map((action, n) => {
          const request: SizeFindingRequest = { ...ref, code: finding.code, index, action: n };
          return { title: action.title, command: APPLY_SIZE_FINDING, args: [request] };
        });
      },
      buildLink: { title: 'Build Function', command: 'lambdaWorkbench.buildFunction', args: [ref] },
    });
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
  }
}
