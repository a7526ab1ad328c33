import * as vscode from 'vscode';
import type { InvokeResult } from '../../core/local';
import { formatInvocationCost } from '../../core/local/report';

export const RESULT_SCHEME = 'lambda-workbench-result';

/**
 * One read-only document per function showing its latest local invocation: the REPORT as a
 * comment, then the response (or the error) as JSON. Invoking again updates it in place.
 */
export class ResultDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  uriFor(logicalId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${logicalId} result.jsonc` });
  }

  async show(logicalId: string, result: InvokeResult, eventName: string): Promise<vscode.TextEditor> {
    const uri = this.uriFor(logicalId);
    this.contents.set(uri.toString(), render(result, eventName));
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { preview: false });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '// Invoke the function locally to see its result here.\n';
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function render(result: InvokeResult, eventName: string): string {
  const r = result.report;
  // The REPORT line, one field a line: as one line it runs far past the editor's width.
  const [first, ...fields] = result.reportLine.split('\t');
  const lines = [
    `// ${result.logicalId} with ${eventName}: ${result.error ? `failed (${result.error.errorType})` : 'succeeded'}, ${r.cold ? 'cold start' : 'warm'}`,
    `// ${first}`,
    ...fields.map((f) => `//   ${f}`),
    '// Cost of this invocation:',
    `//   ${formatInvocationCost(r.costUsd.x86_64)} on x86_64`,
    `//   ${formatInvocationCost(r.costUsd.arm64)} on arm64`,
    ...result.warnings.map((w) => `// Warning: ${w}`),
    '',
    JSON.stringify(result.error ?? result.payload, null, 2) ?? 'null',
    '',
  ];
  return lines.join('\n');
}

/** The short form the tree shows on a function's "Last run" row. */
export function summary(result: InvokeResult): string {
  const r = result.report;
  const outcome = result.error ? result.error.errorType : 'ok';
  return `${outcome} · ${r.durationMs.toFixed(1)} ms · ${r.maxMemoryUsedMb}/${r.memorySizeMb} MB · ${r.cold ? 'cold' : 'warm'}`;
}
