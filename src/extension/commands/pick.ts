import * as vscode from 'vscode';
import type { FunctionSpec } from '../../core/model/types';
import type { ModelStore } from '../model/store';

/** A function named by a command's argument: a tree node, a CodeLens' {templatePath, logicalId}, or a spec. */
export function functionFromArg(store: ModelStore, arg: unknown): FunctionSpec | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as { fn?: FunctionSpec; templatePath?: string; logicalId?: string };
  const ref = a.fn ?? (a.templatePath && a.logicalId ? { templatePath: a.templatePath, logicalId: a.logicalId } : undefined);
  // Look it up again: the argument may hold a model from before the last edit.
  return ref ? store.findFunction(ref.templatePath, ref.logicalId) : undefined;
}

/**
 * The function a command acts on: the one its argument names, else the only one, else the one the
 * user picks. Undefined when the user cancels or there is none (they are told what to do).
 */
export async function pickFunction(store: ModelStore, arg: unknown, purpose: string, filter?: (fn: FunctionSpec) => boolean): Promise<FunctionSpec | undefined> {
  const given = functionFromArg(store, arg);
  if (given) return given;
  await store.ready();
  const all = store.functions().filter(filter ?? (() => true));
  if (all.length === 0) {
    const action = await vscode.window.showInformationMessage(`No function to ${purpose}: this workspace has no SAM template with one.`, 'New Function');
    if (action) await vscode.commands.executeCommand('lambdaWorkbench.newFunction');
    return undefined;
  }
  if (all.length === 1) return all[0];
  const active = vscode.window.activeTextEditor?.document.uri.fsPath;
  const items = all.map((fn) => ({
    label: fn.logicalId,
    description: fn.packageType === 'Image' ? 'image' : fn.runtime,
    detail: vscode.workspace.asRelativePath(fn.templatePath),
    fn,
  }));
  // The function whose code is open in the editor comes first.
  items.sort((a, b) => Number(isUnder(active, b.fn.codeUri)) - Number(isUnder(active, a.fn.codeUri)));
  const picked = await vscode.window.showQuickPick(items, { title: `Function to ${purpose}`, matchOnDescription: true, matchOnDetail: true });
  return picked?.fn;
}

function isUnder(file: string | undefined, dir: string | undefined): boolean {
  return !!file && !!dir && (file === dir || file.startsWith(dir.endsWith('/') ? dir : `${dir}/`));
}

/** The function the active editor belongs to: the resource under the cursor in a template, or the code folder holding the file. */
export function functionInEditor(store: ModelStore): FunctionSpec | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme !== 'file') return undefined;
  const file = editor.document.uri.fsPath;
  const fns = store.functions();
  const inTemplate = fns.filter((f) => f.templatePath === file);
  if (inTemplate.length) {
    const line = editor.selection.active.line;
    return inTemplate.find((f) => f.ranges.resource.start.line <= line && line <= f.ranges.resource.end.line) ?? (inTemplate.length === 1 ? inTemplate[0] : undefined);
  }
  // The deepest code folder holding the file wins (nested functions).
  return fns.filter((f) => isUnder(file, f.codeUri)).sort((a, b) => (b.codeUri?.length ?? 0) - (a.codeUri?.length ?? 0))[0];
}
