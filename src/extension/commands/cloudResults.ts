import * as vscode from 'vscode';
import type { RemoteInvokeResult } from '../../core/cloud/invoke';

export const REMOTE_RESULT_SCHEME = 'lambda-workbench-remote';

/**
 * One read-only document per deployed function showing its latest remote invocation: the
 * outcome and REPORT as comments, the response as JSON, then the decoded log tail as comments,
 * so the whole document stays valid JSON with comments. Invoking again updates it in place.
 */
export class RemoteResultDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  uriFor(functionName: string, region: string): vscode.Uri {
    return vscode.Uri.from({ scheme: REMOTE_RESULT_SCHEME, path: `/${functionName} (${region}) result.jsonc` });
  }

  async show(result: RemoteInvokeResult, eventName: string, region: string): Promise<vscode.TextEditor> {
    const uri = this.uriFor(result.functionName, region);
    this.contents.set(uri.toString(), renderRemoteResult(result, eventName, region));
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { preview: false });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '// Invoke the function in AWS from the Cloud view to see its result here.\n';
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function renderRemoteResult(r: RemoteInvokeResult, eventName: string, region: string): string {
  const outcome = r.functionError ? `failed (${r.functionError})` : 'succeeded';
  const lines = [
    `// ${r.functionName} in ${region} with ${eventName}: ${outcome}, status ${r.statusCode}${r.executedVersion ? `, version ${r.executedVersion}` : ''}, ${r.durationMs} ms round trip`,
    ...(r.report ? [`// ${r.report}`] : []),
    '',
    r.payloadIsJson ? (JSON.stringify(r.payload, null, 2) ?? 'null') : JSON.stringify(r.payloadText),
    '',
    r.logTail === undefined ? '// No log tail: Lambda returned none for this invocation.' : '// Log tail (the last 4 KB Lambda returned):',
    ...(r.logTail === undefined ? [] : r.logTail.replace(/\n$/, '').split('\n').map((l) => `//   ${l.replace(/\t/g, '  ')}`)),
    '',
  ];
  return lines.join('\n');
}
