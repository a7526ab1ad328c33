import * as vscode from 'vscode';
import type { ModelStore } from '../model/store';
import type { SizeReports } from '../size/report';
import type { SizeService } from '../size/service';
import { pickFunction } from './pick';

/** Lambda: Show Size Report — the function's figures against each limit, findings and largest contributors. */
export async function showSizeReport(store: ModelStore, sizes: SizeService, reports: SizeReports, arg: unknown): Promise<vscode.Uri | undefined> {
  const fn = await pickFunction(store, arg, 'show the size of');
  if (!fn) return undefined;
  let size = sizes.get(fn);
  if (!size) {
    sizes.schedule([fn]);
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Measuring ${fn.logicalId}` }, () => sizes.flush());
    size = sizes.get(fn);
  }
  if (!size) throw new Error(`${fn.logicalId} could not be measured; the log says why.`);
  const uri = reports.update(size);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
  // The rendered preview when the Markdown extension is there; the text otherwise.
  await vscode.commands.executeCommand('markdown.showPreview', uri).then(undefined, () => vscode.window.showTextDocument(doc, { preview: true }));
  return uri;
}
