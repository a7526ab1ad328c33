import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { BACK_PRESSED, scriptedInputs } from './quickInputs';

/**
 * Scripted answers to the extension's real dialogs. These files sit in the extension's folder, so
 * the extension host gives them the same `vscode` API object the extension calls: replacing its
 * `window` functions answers exactly the dialogs a person would see, and the product keeps no door
 * of its own for tests. Every stub throws when it has no answer left: a question the test did not
 * expect is a defect, not something to wave through.
 */

/** A question the extension asked, as the person would have seen it. */
export interface Question {
  kind: 'pick' | 'input' | 'modal';
  /** A pick's or input box's title (else its placeholder or prompt), or a modal's message. */
  title: string;
  /** A modal's detail text. */
  detail?: string;
  /** A pick's items; empty for the others. */
  items: readonly vscode.QuickPickItem[];
  /** A modal's buttons (Cancel is implicit); empty for the others. */
  actions: string[];
  /** The options the dialog was shown with: a pick's, an input box's or a modal's. */
  options: vscode.QuickPickOptions & vscode.InputBoxOptions & vscode.MessageOptions;
  /** A step's buttons in its title bar ('Back'); empty for a dialog that is not a step. */
  buttons?: string[];
  /** The item Enter takes (a step's default). */
  active?: vscode.QuickPickItem;
}

/** A notification the extension showed (not a question: it stays real, and nothing answers it). */
export interface Notice {
  kind: 'error' | 'warning' | 'info';
  message: string;
  /** Its buttons. */
  actions: string[];
}

/** What the person does with the next question; it returns what the dialog would. */
export type Answer = (question: Question) => unknown;

/** Picks the item whose `id` or label is `match`, or the first one `match` accepts. */
export function pick(match: string | ((item: vscode.QuickPickItem) => boolean)): Answer {
  return (q) => {
    if (q.kind !== 'pick') throw new Error(`expected a pick, was asked: ${describe(q)}`);
    const accepts = typeof match === 'string' ? (i: vscode.QuickPickItem) => (i as { id?: unknown }).id === match || i.label === match : match;
    const item = q.items.find(accepts);
    assert.ok(item, `${typeof match === 'string' ? `'${match}'` : 'a matching item'} is offered for "${q.title}" (offered: ${q.items.map((i) => i.label).join(', ')})`);
    return item;
  };
}

/**
 * Types `text` and presses Enter; like the real input box, text that validateInput refuses (a
 * message, or one of Error severity; an Info or Warning message only informs) is not accepted.
 */
export function enter(text: string): Answer {
  return async (q) => {
    if (q.kind !== 'input') throw new Error(`expected an input box, was asked: ${describe(q)}`);
    const problem = await q.options.validateInput?.(text);
    const refused = typeof problem === 'string' ? problem !== '' : problem?.severity === vscode.InputBoxValidationSeverity.Error;
    assert.ok(!refused, `'${text}' is accepted for "${q.title}" (${typeof problem === 'string' ? problem : problem?.message})`);
    return text;
  };
}

/** Enter on a step as it was shown: its default item, or its input as it stands. */
export const accept: Answer = (q) => (q.kind === 'pick' ? (q.active ?? q.items[0]) : enter(q.options.value ?? '')(q));

/** The Back button of a step. */
export const back: Answer = (q) => {
  assert.ok(q.buttons?.includes('Back'), `"${q.title}" has a Back button (buttons: ${q.buttons?.join(', ') || 'none'})`);
  return BACK_PRESSED;
};

/** Chooses the modal's button `action`. */
export function choose(action: string): Answer {
  return (q) => {
    if (q.kind !== 'modal') throw new Error(`expected a modal dialog, was asked: ${describe(q)}`);
    assert.ok(q.actions.includes(action), `"${q.title}" offers ${action} (offers: ${q.actions.join(', ')})`);
    return action;
  };
}

/** Escape on a pick or an input box, Cancel on a modal. */
export const dismiss: Answer = () => undefined;

/**
 * Runs `run` with the dialogs answered by `script`, in order, and restores them afterwards. Fails
 * when a question had no answer left (even if a command's error boundary swallowed the throw) or
 * when an answer was not used; returns what `run` returned, every question asked and every
 * notification shown meanwhile.
 */
export async function answering<T>(script: readonly Answer[], run: () => Thenable<T>): Promise<{ result: T; asked: Question[]; notified: Notice[] }> {
  const win = vscode.window;
  // Only these are copied back: the window's other members include getters that cannot be assigned.
  const original = Object.fromEntries(STUBBED.map((name) => [name, win[name]])) as Pick<typeof win, (typeof STUBBED)[number]>;
  const answers = [...script];
  const asked: Question[] = [];
  const notified: Notice[] = [];
  const defects: unknown[] = [];
  const ask = async (q: Question): Promise<unknown> => {
    asked.push(q);
    const answer = answers.shift();
    try {
      if (!answer) throw new Error(`no scripted answer left for: ${describe(q)}`);
      return await answer(q);
    } catch (err) {
      defects.push(err);
      throw err;
    }
  };
  const unscripted = (name: string) => () => {
    const err = new Error(`vscode.window.${name} is not scripted: answer the flow through showQuickPick/showInputBox or extend dialogs.ts`);
    defects.push(err);
    throw err;
  };
  // A modal message is a question; a plain notification is not, and stays real (tests clear them).
  const modalOr = (kind: Notice['kind'], show: (...args: never[]) => Thenable<unknown>) =>
    (message: string, ...rest: unknown[]): Thenable<unknown> => {
      const options = typeof rest[0] === 'object' && rest[0] !== null && !('title' in rest[0]) ? (rest[0] as vscode.MessageOptions) : undefined;
      const items = (options ? rest.slice(1) : rest) as (string | vscode.MessageItem)[];
      const title = (i: string | vscode.MessageItem): string => (typeof i === 'string' ? i : i.title);
      if (!options?.modal) {
        notified.push({ kind, message, actions: items.map(title) });
        return (show as (...args: unknown[]) => Thenable<unknown>).call(win, message, ...rest);
      }
      return ask({ kind: 'modal', title: message, detail: options.detail, items: [], actions: items.map(title), options }).then((chosen) => items.find((i) => title(i) === chosen));
    };
  const stubs: Record<(typeof STUBBED)[number], unknown> = {
    showQuickPick: async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options: vscode.QuickPickOptions = {}) => {
      if (options.canPickMany) return unscripted('showQuickPick({canPickMany})')();
      return ask({ kind: 'pick', title: options.title ?? options.placeHolder ?? '', items: await items, actions: [], options });
    },
    showInputBox: (options: vscode.InputBoxOptions = {}) => ask({ kind: 'input', title: options.title ?? options.prompt ?? '', items: [], actions: [], options }),
    showWarningMessage: modalOr('warning', original.showWarningMessage),
    showInformationMessage: modalOr('info', original.showInformationMessage),
    showErrorMessage: modalOr('error', original.showErrorMessage),
    ...scriptedInputs(ask, (err) => defects.push(err)),
    showOpenDialog: unscripted('showOpenDialog'),
    showSaveDialog: unscripted('showSaveDialog'),
    showWorkspaceFolderPick: unscripted('showWorkspaceFolderPick'),
  };
  Object.assign(win, stubs);
  try {
    let result: T;
    try {
      result = await run();
    } catch (err) {
      throw defects[0] ?? err;
    }
    if (defects.length > 0) throw defects[0];
    assert.equal(answers.length, 0, `${answers.length} scripted answer(s) left unused; asked: ${asked.map(describe).join(' / ') || 'nothing'}`);
    return { result, asked, notified };
  } finally {
    Object.assign(win, original);
  }
}

const STUBBED = [
  'showQuickPick',
  'showInputBox',
  'showWarningMessage',
  'showInformationMessage',
  'showErrorMessage',
  'createQuickPick',
  'createInputBox',
  'showOpenDialog',
  'showSaveDialog',
  'showWorkspaceFolderPick',
] as const;

function describe(q: Question): string {
  return `${q.kind} "${q.title}"`;
}
