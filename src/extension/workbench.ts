import * as vscode from 'vscode';
import { type Prompts, windowPrompts } from './prompts';

/**
 * The one object that owns the extension's long-lived parts. Every disposable goes through
 * `own()`, so deactivation releases everything in one place.
 */
export class Workbench implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  /** Where questions go: VS Code's dialogs, or scripted answers in the integration tests. */
  prompts: Prompts = windowPrompts;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly context: vscode.ExtensionContext) {
    this.log = this.own(vscode.window.createOutputChannel('Lambda Workbench', { log: true }));
  }

  own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (err) {
        console.error('Lambda Workbench: dispose failed', err);
      }
    }
  }
}
