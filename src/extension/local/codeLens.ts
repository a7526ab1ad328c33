import * as vscode from 'vscode';
import { debugLanguage } from '../../core/local/debug';
import { locateHandler } from '../../core/model';
import type { ModelStore } from '../model/store';

/** "Invoke Locally" and "Debug Locally" above each handler a template points at. */
export class HandlerCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly store: ModelStore) {
    this.sub = store.onDidChange(() => this.changed.fire());
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    await this.store.ready();
    const file = doc.uri.fsPath;
    const candidates = this.store.functions().filter((f) => f.packageType === 'Zip' && f.codeUri && file.startsWith(f.codeUri));
    const lenses: vscode.CodeLens[] = [];
    for (const fn of candidates) {
      if (token.isCancellationRequested) break;
      const found = await locateHandler(fn);
      if (found?.file !== file) continue;
      const range = new vscode.Range(found.line, 0, found.line, 0);
      const arg = { templatePath: fn.templatePath, logicalId: fn.logicalId };
      lenses.push(new vscode.CodeLens(range, { title: `$(play) Invoke ${fn.logicalId} Locally`, command: 'lambdaWorkbench.invokeLocally', arguments: [arg] }));
      if (debugLanguage(fn)) {
        lenses.push(new vscode.CodeLens(range, { title: '$(debug-alt) Debug Locally', command: 'lambdaWorkbench.debugLocally', arguments: [arg] }));
      }
    }
    return lenses;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
