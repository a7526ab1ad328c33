import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { workbenchApi } from './api';

describe('navigation commands', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('Open Handler opens the handler file at its export', async () => {
    const { model } = await workbenchApi();
    const fn = model.functions().find((f) => f.logicalId === 'HelloNode')!;
    await vscode.commands.executeCommand('lambdaWorkbench.openHandler', { templatePath: fn.templatePath, logicalId: fn.logicalId });
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor is open');
    assert.match(editor.document.uri.fsPath, /hello-node[\\/]app\.mjs$/);
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /export const handler/);
  });

  it('Open in Template selects the function\'s logical id in template.yaml', async () => {
    const { model } = await workbenchApi();
    const fn = model.functions().find((f) => f.logicalId === 'HelloPython')!;
    await vscode.commands.executeCommand('lambdaWorkbench.openInTemplate', { templatePath: fn.templatePath, logicalId: fn.logicalId });
    const editor = vscode.window.activeTextEditor!;
    assert.match(editor.document.uri.fsPath, /template\.yaml$/);
    assert.equal(editor.document.getText(editor.selection), 'HelloPython');
  });
});
