import * as vscode from 'vscode';

/** What a step of a flow returns when the person presses Back. */
export const BACK = Symbol('back');

/** Where a question stands in its flow: VS Code shows it as "(2/5)" after the title. */
export interface StepCounter {
  step: number;
  totalSteps: number;
}

/** A pick that is one step of a flow. */
export interface StepPickOptions<T> {
  title: string;
  placeHolder?: string;
  matchOnDetail?: boolean;
  /** The item Enter takes when the person types nothing: the default (else the first). */
  active?: T;
}

/** An input box that is one step of a flow. */
export interface StepInputOptions {
  title: string;
  prompt?: string;
  /** The default: Enter accepts it as it is. */
  value?: string;
  /** A refusal (an Error message) keeps the box open; other messages only inform. */
  validate?: (value: string) => string | vscode.InputBoxValidationMessage | undefined;
}

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
  /** A pick in a flow: its step counter, and a Back button from the second step on. */
  pickStep<T extends vscode.QuickPickItem>(items: readonly T[], options: StepPickOptions<T>, at: StepCounter): Thenable<T | typeof BACK | undefined>;
  /** An input box in a flow: its step counter, a Back button from the second step on, and its validation shown as the person types. */
  inputStep(options: StepInputOptions, at: StepCounter): Thenable<string | typeof BACK | undefined>;
}

// `vscode.window` is read at each call, not captured here: the tests' scripted dialogs take its place.
export const windowPrompts: Prompts = Object.freeze({
  pick: (items, options) => vscode.window.showQuickPick(items, options),
  input: (options) => vscode.window.showInputBox(options),
  confirm: async (message, detail, action) => (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
  pickStep: <T extends vscode.QuickPickItem>(items: readonly T[], options: StepPickOptions<T>, at: StepCounter) => {
    const qp = vscode.window.createQuickPick<T>();
    Object.assign(qp, { title: options.title, placeholder: options.placeHolder, matchOnDetail: options.matchOnDetail ?? false, items, ...at });
    if (options.active) qp.activeItems = [options.active];
    return stepResult<T>(qp, at, (finish) => qp.onDidAccept(() => finish(qp.selectedItems[0] ?? qp.activeItems[0])));
  },
  inputStep: (options: StepInputOptions, at: StepCounter) => {
    const box = vscode.window.createInputBox();
    Object.assign(box, { title: options.title, prompt: options.prompt, value: options.value ?? '', ...at });
    const check = (value: string): boolean => {
      box.validationMessage = options.validate?.(value);
      const m = box.validationMessage;
      return !m || (typeof m !== 'string' && m.severity !== vscode.InputBoxValidationSeverity.Error);
    };
    check(box.value);
    return stepResult<string>(box, at, (finish) => [box.onDidChangeValue(check), box.onDidAccept(() => check(box.value) && finish(box.value))]);
  },
} satisfies Prompts);

/** Shows a step and settles with its answer, Back, or undefined when it is closed. */
function stepResult<T>(input: vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[]; onDidTriggerButton: vscode.Event<vscode.QuickInputButton> }, at: StepCounter, accept: (finish: (v: T | typeof BACK | undefined) => void) => vscode.Disposable | vscode.Disposable[]): Promise<T | typeof BACK | undefined> {
  return new Promise((resolve) => {
    input.buttons = at.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    let done = false;
    const subs: vscode.Disposable[] = [];
    const finish = (value: T | typeof BACK | undefined): void => {
      if (done) return;
      done = true;
      resolve(value);
      for (const s of subs) s.dispose();
      input.dispose();
    };
    subs.push(
      ...[accept(finish)].flat(),
      input.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK)),
      input.onDidHide(() => finish(undefined)),
    );
    input.show();
  });
}

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
