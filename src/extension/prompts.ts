import * as vscode from 'vscode';

/**
 * The questions the product asks a person, as one narrow interface the commands take. There is
 * one implementation, VS Code's own dialogs: nothing in the product can replace it, so no other
 * extension can answer a confirmation on the person's behalf. The integration tests answer these
 * dialogs where the UI asks them, on the `vscode.window` the extension itself calls.
 */
export interface Prompts {
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  input(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  /** A modal question before a change: true only when the person chooses `action` (not Cancel). */
  confirm(message: string, detail: string | undefined, action: string): Thenable<boolean>;
}

// `vscode.window` is read at each call, not captured here: the tests' scripted dialogs take its place.
export const windowPrompts: Prompts = Object.freeze({
  pick: (items, options) => vscode.window.showQuickPick(items, options),
  input: (options) => vscode.window.showInputBox(options),
  confirm: async (message, detail, action) => (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
} satisfies Prompts);

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
