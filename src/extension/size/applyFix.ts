import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { FileEdit } from '../../core/scaffold';
import { type FixPlan, type FixSources, planMoveToLayer, planSwitchToImage } from '../../core/scaffold/fixes';
import type { FixAction } from '../../core/size';
import type { ModelStore } from '../model/store';
import { windowPrompts } from '../prompts';
import type { Workbench } from '../workbench';

export const APPLY_SIZE_FIX = 'lambdaWorkbench.applySizeFix';

/** The fixes that move files and add resources: a code action runs the command with these. */
export interface SizeFixRequest {
  templatePath: string;
  logicalId: string;
  fix: Extract<FixAction, { kind: 'move-to-layer' | 'use-image' }>;
}

/**
 * A quick fix that moves files: plans it from the files as the editor has them, says exactly what
 * will change in a modal, and applies it as one WorkspaceEdit (so Undo takes it back where VS Code
 * can), or writes nothing when the person cancels. Returns the plan when it was applied.
 */
export async function applySizeFix(wb: Workbench, store: ModelStore, arg: unknown): Promise<FixPlan | undefined> {
  const { templatePath, logicalId, fix } = arg as SizeFixRequest;
  await store.ready();
  const fn = store.findFunction(templatePath, logicalId);
  if (!fn) throw new UserError(`${logicalId} is no longer in ${vscode.workspace.asRelativePath(templatePath)}.`, 'Save the template, then try the quick fix again.');
  const plan = fix.kind === 'move-to-layer' ? planMoveToLayer(fn, fix.packages, editorSources) : planSwitchToImage(fn, editorSources);
  const detail = [...plan.changes.map((c) => `• ${c}`), ...(plan.notes.length ? ['', ...plan.notes] : [])].join('\n');
  if (!(await windowPrompts.confirm(`${plan.title}?`, detail, fix.kind === 'move-to-layer' ? 'Move' : 'Switch'))) return undefined;

  const { edit, toSave } = await workspaceEdit(plan.edits);
  if (!(await vscode.workspace.applyEdit(edit, { isRefactoring: true }))) {
    throw new UserError(`VS Code did not apply "${plan.title}".`, 'Check that the files are writable, then try again.');
  }
  // Files that had no unsaved changes are saved, so what is measured on disk is what was planned.
  for (const doc of toSave) await doc.save();
  wb.log.info(`${plan.title}: ${plan.edits.map((e) => vscode.workspace.asRelativePath(e.path)).join(', ')}`);
  for (const note of plan.notes) wb.log.info(`${logicalId}: ${note}`);
  void vscode.window.showInformationMessage(`${plan.title}: done. ${plan.notes[0] ?? ''}`.trim());
  return plan;
}

/** The planners read what the editor shows: an open document's text, unsaved edits included, else the disk. */
const editorSources: FixSources = {
  readText: (path) => {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path);
    if (open) return open.getText();
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  },
};

/**
 * The plan as one WorkspaceEdit, after checking that nothing it relies on changed since it was
 * made: a file to change still has the planned text, a place to create or move to is still free.
 */
async function workspaceEdit(edits: readonly FileEdit[]): Promise<{ edit: vscode.WorkspaceEdit; toSave: vscode.TextDocument[] }> {
  const edit = new vscode.WorkspaceEdit();
  const toSave: vscode.TextDocument[] = [];
  const changed = (path: string): UserError => new UserError(`${vscode.workspace.asRelativePath(path)} changed since the fix was planned.`, 'Nothing was changed. Try the quick fix again.');
  for (const e of edits) {
    const uri = vscode.Uri.file(e.path);
    if (e.kind === 'update') {
      const doc = await vscode.workspace.openTextDocument(uri);
      if (doc.getText() !== e.before) throw changed(e.path);
      if (!doc.isDirty) toSave.push(doc);
      edit.replace(uri, new vscode.Range(doc.positionAt(e.change.start), doc.positionAt(e.change.end)), e.change.text);
      continue;
    }
    if (existsSync(e.path)) throw new UserError(`${vscode.workspace.asRelativePath(e.path)} already exists.`, 'Nothing was changed. Move it away, then try again.');
    if (e.kind === 'create') {
      edit.createFile(uri, { contents: Buffer.from(e.content, 'utf8') });
    } else {
      if (!existsSync(e.from)) throw changed(e.from);
      edit.renameFile(vscode.Uri.file(e.from), uri);
    }
  }
  return { edit, toSave };
}
