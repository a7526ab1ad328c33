import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { InvokeResult } from '../../src/core/local';
import { workbenchApi } from './api';
import { answering } from './dialogs';

/** A message meant for a person in the editor: the editor's words, whole sentences. */
function assertEditorWords(message: string): void {
  assert.doesNotMatch(message, /(^|\s|\()--[a-z]/, `no command-line flag: ${message}`);
  assert.doesNotMatch(message, /on the command line/, message);
  assert.doesNotMatch(message, /\.\./, `no doubled stop: ${message}`);
  // A sentence that ends in a quoted reason is closed before the hint's next sentence starts.
  assert.doesNotMatch(message, /[a-z0-9)] [A-Z][a-z]+ it\b/, `sentences are punctuated: ${message}`);
}

/** Errors in the editor name settings and commands, and offer the button that fixes them. */
describe('messages in the editor', function () {
  this.timeout(120_000);

  afterEach(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a local run whose image cannot be had names the images setting and offers to open it', async () => {
    const { model } = await workbenchApi();
    const fn = model.functions().find((f) => f.logicalId === 'HelloNode')!;
    const local = vscode.workspace.getConfiguration('lambdaWorkbench.local');
    const eventPath = vscode.Uri.joinPath(vscode.Uri.file(fn.templatePath), '..', 'events', 'HelloNode', 'get-hello.apigateway-http.json').fsPath;
    await local.update('images', { 'nodejs22.x': 'lwb-no-such-image:1' }, vscode.ConfigurationTarget.Workspace);
    try {
      const { result, notified } = await answering([], () =>
        vscode.commands.executeCommand<InvokeResult | undefined>('lambdaWorkbench.invokeLocally', { templatePath: fn.templatePath, logicalId: fn.logicalId, eventPath }),
      );
      assert.equal(result, undefined, 'the run did not happen');
      const error = notified.find((n) => n.kind === 'error');
      assert.ok(error, `an error is shown (shown: ${JSON.stringify(notified)})`);
      assert.match(error.message, /The image lwb-no-such-image:1 is not on this Docker engine and pulling it failed: .*\. Pull it where its registry is reachable/);
      assert.match(error.message, /map nodejs22\.x to an image you have \(the lambdaWorkbench\.local\.images setting\)\.$/);
      assertEditorWords(error.message);
      assert.deepEqual(error.actions, ['Open Setting', 'Show Log']);
    } finally {
      await local.update('images', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a deploy with no AWS region says to choose one, with the command that does', async function () {
    // The SDK would take the region from the environment: then there is nothing to test here.
    if (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION) this.skip();
    const { model } = await workbenchApi();
    const fn = model.functions().find((f) => f.logicalId === 'HelloNode')!;
    const aws = vscode.workspace.getConfiguration('lambdaWorkbench.aws');
    const saved = { region: aws.inspect('region')?.workspaceValue, endpointUrl: aws.inspect('endpointUrl')?.workspaceValue };
    await aws.update('region', undefined, vscode.ConfigurationTarget.Workspace);
    await aws.update('endpointUrl', undefined, vscode.ConfigurationTarget.Workspace);
    try {
      const { notified } = await answering([], () => vscode.commands.executeCommand('lambdaWorkbench.deployFunction', { templatePath: fn.templatePath, logicalId: fn.logicalId }));
      const error = notified.find((n) => n.kind === 'error');
      assert.ok(error, `an error is shown (shown: ${JSON.stringify(notified)})`);
      assert.match(error.message, /^No AWS region is set for the default credential chain\. Choose a region \(Lambda: Choose AWS Region\), or add one to the profile/);
      assertEditorWords(error.message);
      assert.deepEqual(error.actions, ['Choose AWS Region', 'Show Log']);
    } finally {
      await aws.update('region', saved.region, vscode.ConfigurationTarget.Workspace);
      await aws.update('endpointUrl', saved.endpointUrl, vscode.ConfigurationTarget.Workspace);
    }
  });
});
