import * as vscode from 'vscode';
import { CancelledError } from '../core/cancel';
import { disposeAll } from '../core/dispose';
import { describeError, UserError } from '../core/errors';
import { errorAction, type ErrorAction } from './errorActions';

/**
 * The one object that owns the extension's long-lived parts. Every disposable goes through
 * `own()`, so deactivation releases everything in one place, and waits for the parts whose
 * dispose is asynchronous (the local runner's containers, the size engine's workers).
 */
export class Workbench implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly context: vscode.ExtensionContext) {
    this.log = this.own(vscode.window.createOutputChannel('Lambda Workbench', { log: true }));
  }

  own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  /**
   * How a failed action is shown: a UserError as it is (what went wrong and what to do), with the
   * button that fixes it where a setting or a command does; a cancellation not at all; anything
   * else briefly, with the full stack in the log. A UserError is an expected failure: the log
   * gets its words, not a stack through the bundle.
   */
  showError(what: string, err: unknown): void {
    if (err instanceof CancelledError) return;
    if (err instanceof UserError) this.log.warn(`${what} failed: ${describeError(err)}`);
    else this.log.error(`${what} failed:`, err instanceof Error ? (err.stack ?? err.message) : String(err));
    const fix = errorAction(err);
    this.offerFixes(describeError(err), fix ? [fix] : []);
  }

  /** An error message with the buttons that fix it and Show Log; runs the one chosen. */
  offerFixes(message: string, fixes: readonly ErrorAction[]): void {
    const buttons = [...fixes.map((f) => f.title), 'Show Log'];
    // Not awaited: the action ends now; the message stays until the person closes it.
    void vscode.window.showErrorMessage(message, ...buttons).then((chosen) => {
      const fix = fixes.find((f) => f.title === chosen);
      if (chosen === 'Show Log') this.log.show();
      else if (fix) void vscode.commands.executeCommand(fix.command, ...(fix.arguments ?? []));
    });
  }

  /** Disposes in reverse order, awaiting each dispose that returns a promise; a failure is logged and the rest still run. */
  async dispose(): Promise<void> {
    await disposeAll(this.disposables.splice(0), (err) => {
      const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
      try {
        this.log.error(`dispose failed: ${text}`);
      } catch {
        // The log itself is gone: it is the last thing disposed.
      }
      console.error('Lambda Workbench: dispose failed', err);
    });
  }
}
