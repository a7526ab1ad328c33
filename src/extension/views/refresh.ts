import type * as vscode from 'vscode';

/** How long a change that came by itself waits for more before the tree redraws. */
export const AUTO_REFRESH_DELAY_MS = 500;

/**
 * When a tree redraws: at once when the user asks; debounced when something changed by itself;
 * and not at all while the view is hidden — it redraws when shown again.
 */
export class RefreshScheduler implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private stale = false;
  private view: vscode.TreeView<unknown> | undefined;
  private visibility: vscode.Disposable | undefined;

  constructor(private readonly redraw: () => void) {}

  attach(view: vscode.TreeView<unknown>): void {
    this.view = view;
    this.visibility = view.onDidChangeVisibility((e) => {
      if (e.visible && this.stale) this.now();
    });
  }

  now(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.stale = false;
    this.redraw();
  }

  soon(): void {
    if (this.view && !this.view.visible) {
      this.stale = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.now(), AUTO_REFRESH_DELAY_MS);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.visibility?.dispose();
  }
}
