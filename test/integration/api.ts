import * as vscode from 'vscode';
import type { WorkbenchApi } from '../../src/extension/main';

export const EXTENSION_ID = 'lambda-workbench.lambda-workbench';

export async function workbenchApi(): Promise<WorkbenchApi> {
  const ext = vscode.extensions.getExtension<WorkbenchApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need the sample workspace open');
  return folder.uri;
}

/** Resolves when `probe` returns a value, checking after each `event` and at the start; rejects after `timeoutMs`. */
export async function until<T>(what: string, event: vscode.Event<unknown>, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const first = await probe();
  if (first !== undefined) return first;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const sub = event(() => {
      void Promise.resolve(probe()).then((v) => {
        if (v === undefined) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(v);
      });
    });
  });
}
