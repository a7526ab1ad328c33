import * as vscode from 'vscode';
import type { Question } from './dialogs';

/** What an answer returns to press the Back button of a step. */
export const BACK_PRESSED = Symbol('Back pressed');

/** Asks the script (see answering in dialogs.ts) and returns its answer. */
type Ask = (q: Question) => Promise<unknown>;

/**
 * A quick pick or input box from window.createQuickPick / createInputBox, answered by the script:
 * the product sets it up as it would a real one, and on show() the script's answer is carried out
 * through the same events a person's keys would fire (accept, hide, the Back button, a typed value).
 */
class ScriptedInput<T extends vscode.QuickPickItem> {
  title: string | undefined;
  step: number | undefined;
  totalSteps: number | undefined;
  buttons: readonly vscode.QuickInputButton[] = [];
  placeholder: string | undefined;
  prompt: string | undefined;
  value = '';
  validationMessage: string | vscode.InputBoxValidationMessage | undefined;
  items: readonly T[] = [];
  activeItems: readonly T[] = [];
  selectedItems: readonly T[] = [];
  matchOnDescription = false;
  matchOnDetail = false;
  canSelectMany = false;
  busy = false;
  enabled = true;
  ignoreFocusOut = false;
  disposed = false;
  private readonly accepted = new vscode.EventEmitter<void>();
  private readonly hidden = new vscode.EventEmitter<void>();
  private readonly pressed = new vscode.EventEmitter<vscode.QuickInputButton>();
  private readonly typed = new vscode.EventEmitter<string>();
  private readonly selected = new vscode.EventEmitter<readonly T[]>();
  private readonly activeChanged = new vscode.EventEmitter<readonly T[]>();
  readonly onDidAccept = this.accepted.event;
  readonly onDidHide = this.hidden.event;
  readonly onDidTriggerButton = this.pressed.event;
  readonly onDidChangeValue = this.typed.event;
  readonly onDidChangeSelection = this.selected.event;
  readonly onDidChangeActive = this.activeChanged.event;
  readonly onDidTriggerItemButton = new vscode.EventEmitter<never>().event;

  constructor(
    private readonly kind: 'pick' | 'input',
    private readonly ask: Ask,
    private readonly defect: (err: Error) => void,
  ) {}

  show(): void {
    void this.answer();
  }

  hide(): void {
    this.hidden.fire();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.hidden.fire();
  }

  /** What the person is asked, as the workbench would show it. */
  private question(): Question {
    const title = this.step ? `${this.title ?? ''} (${this.step}/${this.totalSteps})` : (this.title ?? this.placeholder ?? this.prompt ?? '');
    const buttons = this.buttons.map((b) => (b === vscode.QuickInputButtons.Back ? 'Back' : (b.tooltip ?? '?')));
    if (this.kind === 'pick') {
      return { kind: 'pick', title, items: this.items, actions: [], buttons, active: this.activeItems[0], options: { title: this.title, placeHolder: this.placeholder, matchOnDetail: this.matchOnDetail } };
    }
    // Typing fires the box's change event, and the product sets the message the person would read.
    const validateInput = (text: string): string | vscode.InputBoxValidationMessage | undefined => {
      this.value = text;
      this.typed.fire(text);
      return this.validationMessage;
    };
    return { kind: 'input', title, items: [], actions: [], buttons, options: { title: this.title, prompt: this.prompt, value: this.value, placeHolder: this.placeholder, validateInput } };
  }

  private async answer(): Promise<void> {
    let answer: unknown;
    try {
      answer = await this.ask(this.question());
    } catch {
      // The script recorded the defect; the person would have closed the dialog.
      this.dispose();
      return;
    }
    if (answer === BACK_PRESSED) this.pressed.fire(vscode.QuickInputButtons.Back);
    else if (answer === undefined) this.dispose();
    else if (this.kind === 'pick') {
      this.selectedItems = [answer as T];
      this.selected.fire(this.selectedItems);
      this.accepted.fire();
    } else {
      this.value = String(answer);
      this.typed.fire(this.value);
      this.accepted.fire();
      // A real box stays open on a refused value: then the script's answer was not taken.
      if (!this.disposed) this.defect(new Error(`'${this.value}' was not accepted for "${this.title}": ${JSON.stringify(this.validationMessage)}`));
    }
  }
}

/** window.createQuickPick and window.createInputBox for answering(). */
export function scriptedInputs(ask: Ask, defect: (err: Error) => void): Pick<typeof vscode.window, 'createQuickPick' | 'createInputBox'> {
  return {
    createQuickPick: <T extends vscode.QuickPickItem>() => new ScriptedInput<T>('pick', ask, defect) as unknown as vscode.QuickPick<T>,
    createInputBox: () => new ScriptedInput('input', ask, defect) as unknown as vscode.InputBox,
  };
}
