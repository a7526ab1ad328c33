import * as vscode from 'vscode';
import { locateHandler } from '../../core/model';
import type { SourceRange } from '../../core/model/types';
import type { ModelStore } from '../model/store';
import { pickFunction } from './pick';

export async function openHandler(store: ModelStore, arg: unknown): Promise<void> {
  const fn = await pickFunction(store, arg, 'open', (f) => f.packageType === 'Zip');
  if (!fn) return;
  const found = await locateHandler(fn);
  if (!found) {
    const action = await vscode.window.showWarningMessage(
      `The handler of ${fn.logicalId} ('${fn.handler ?? 'none'}') was not found in its code folder. Check Handler and CodeUri in the template.`,
      'Open in Template',
    );
    if (action) await openInTemplate(store, fn);
    return;
  }
  const pos = new vscode.Position(found.line, 0);
  await vscode.window.showTextDocument(vscode.Uri.file(found.file), { selection: new vscode.Range(pos, pos) });
}

export async function openInTemplate(store: ModelStore, arg: unknown): Promise<void> {
  const fn = await pickFunction(store, arg, 'show in its template');
  if (!fn) return;
  await revealRange(fn.templatePath, fn.ranges.logicalId);
}

export async function revealRange(path: string, range: SourceRange): Promise<void> {
  const r = new vscode.Range(range.start.line, range.start.column, range.end.line, range.end.column);
  await vscode.window.showTextDocument(vscode.Uri.file(path), { selection: r });
}
