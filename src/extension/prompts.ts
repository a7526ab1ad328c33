import * as vscode from 'vscode';

/**
 * The questions the product asks a person. The extension uses VS Code's own quick picks and input
 * boxes; the integration tests script the answers (a person clicking cannot exist there).
 */
export interface Prompts {
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  input(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  /** A modal question before a change: true only when the person chooses `action` (not Cancel). */
  confirm(message: string, detail: string, action: string): Thenable<boolean>;
}

export const windowPrompts: Prompts = {
  pick: (items, options) => vscode.window.showQuickPick(items, options),
  input: (options) => vscode.window.showInputBox(options),
  confirm: async (message, detail, action) => (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
};

/** Asks for a JSON document (an event), refusing text that does not parse. */
export function promptJson(prompts: Prompts, title: string): Thenable<string | undefined> {
  return prompts.input({
    title,
    prompt: 'Event JSON',
    value: '{}',
    validateInput: (v) => {
      try {
        JSON.parse(v);
        return undefined;
      } catch (err) {
        return `Not JSON: ${(err as Error).message}`;
      }
    },
  });
}
