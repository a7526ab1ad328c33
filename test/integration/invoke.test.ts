import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { InvokeResult } from '../../src/core/local';
import { workbenchApi } from './api';
import { answering, pick } from './dialogs';

/** Invoke Locally inside the host, against the real Docker engine and the Lambda-like test image. */
describe('Invoke Locally', function () {
  this.timeout(120_000);
  const images = vscode.workspace.getConfiguration('lambdaWorkbench.local');

  before(async () => {
    const image = process.env.LWB_TEST_IMAGE_NODE;
    assert.ok(image, 'the runner passes the test image (LWB_TEST_IMAGE_NODE)');
    await images.update('images', { 'nodejs22.x': image }, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await images.update('images', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs HelloNode with its saved event in a container, with the shared layer at /opt, and shows the result', async () => {
    const { model, functionsTree } = await workbenchApi();
    const fn = model.functions().find((f) => f.logicalId === 'HelloNode')!;
    const eventPath = vscode.Uri.joinPath(vscode.Uri.file(fn.templatePath), '..', 'events', 'HelloNode', 'get-hello.apigateway-http.json').fsPath;
    const result = (await vscode.commands.executeCommand('lambdaWorkbench.invokeLocally', {
      templatePath: fn.templatePath,
      logicalId: fn.logicalId,
      eventPath,
    })) as InvokeResult;
    assert.equal(result.error, null);
    const body = JSON.parse((result.payload as { body: string }).body) as { message: string };
    assert.equal(body.message, 'Hello, Lambda!', 'the handler ran with the layer package and the template environment');
    assert.equal(result.report.cold, true);
    assert.ok(result.report.maxMemoryUsedMb > 0 && result.report.maxMemoryUsedMb <= 256);

    const shown = vscode.window.activeTextEditor?.document;
    assert.equal(shown?.uri.scheme, 'lambda-workbench-result');
    assert.match(shown.getText(), /REPORT RequestId: /);
    assert.match(shown.getText(), /Hello, Lambda!/);
    // The REPORT one field a line, the cost in dollars people read.
    assert.match(shown.getText(), /^\/\/ REPORT RequestId: [0-9a-f-]+\n\/\/   Duration: [\d.]+ ms\n\/\/   Billed Duration: \d+ ms\n/m);
    assert.ok(shown.getText().split('\n').every((l) => l.length <= 90), `no line runs past the editor:\n${shown.getText()}`);
    assert.match(shown.getText(), /^\/\/ Cost of this invocation:\n\/\/   \$0\.0+\d\d? \(\$\d+\.\d\d per million\) on x86_64\n\/\/   \$0\.0+\d\d? \(\$\d+\.\d\d per million\) on arm64$/m);
    // The figures only: ids and trace headers elsewhere in the document are hex, which can hold "3e-4".
    const figures = shown.getText().split('\n').filter((l) => /^\/\/ {3}(\$|[A-Z][A-Za-z ]+: )/.test(l));
    assert.ok(figures.length >= 5, figures.join('\n'));
    assert.ok(figures.every((l) => !/\d(\.\d+)?e-\d/.test(l)), `no exponent:\n${figures.join('\n')}`);

    const again = (await vscode.commands.executeCommand('lambdaWorkbench.invokeAgain', { templatePath: fn.templatePath, logicalId: fn.logicalId })) as InvokeResult;
    assert.equal(again.report.cold, false, 'the second invoke reuses the warm container');
    assert.notEqual(again.requestId, result.requestId);
    const lastRun = functionsTree.decorationsOf(fn.templatePath, fn.logicalId).lastRun;
    assert.match(lastRun?.summary ?? '', /^ok · .* · warm$/);
  });

  it('offers the sample catalog with the function\'s own event source first, and runs the chosen sample', async () => {
    const api = await workbenchApi();
    const fn = api.model.functions().find((f) => f.logicalId === 'HelloNode')!;
    const arg = { templatePath: fn.templatePath, logicalId: fn.logicalId };
    const { result, asked } = await answering([pick((i) => /sample/.test(i.description ?? ''))], () => vscode.commands.executeCommand<InvokeResult>('lambdaWorkbench.invokeLocally', arg));
    const offered = asked[0].items.map((i) => `${i.label} | ${i.description ?? ''}`);
    assert.match(offered[0], /get-hello/, 'saved events come first');
    assert.match(offered.find((o) => o.includes('sample')) ?? '', /apigateway-http · this function's event source/);
    assert.equal(result.error, null);
    assert.equal((result.payload as { statusCode: number }).statusCode, 200);
  });

  it('says when Docker cannot be reached, in the Functions view and from the doctor command, and recovers', async () => {
    const api = await workbenchApi();
    const fn = api.model.functions().find((f) => f.logicalId === 'HelloNode')!;
    const eventPath = vscode.Uri.joinPath(vscode.Uri.file(fn.templatePath), '..', 'events', 'HelloNode', 'get-hello.apigateway-http.json').fsPath;
    const arg = { templatePath: fn.templatePath, logicalId: fn.logicalId, eventPath };
    const docker = vscode.workspace.getConfiguration('lambdaWorkbench.docker');
    const labels = async (): Promise<string[]> => (await api.functionsTree.getChildren()).map((n) => String(n.label));
    await docker.update('host', 'unix:///nonexistent/docker.sock', vscode.ConfigurationTarget.Workspace);
    try {
      assert.equal(await vscode.commands.executeCommand('lambdaWorkbench.invokeLocally', arg), undefined, 'the invoke stops with an error message');
      assert.ok((await labels()).includes('Docker is not reachable'));
      const report = (await vscode.commands.executeCommand('lambdaWorkbench.doctor')) as { docker: { ok: boolean; error: string; hint: string } };
      assert.equal(report.docker.ok, false);
      assert.match(`${report.docker.error} ${report.docker.hint}`, /nonexistent\/docker\.sock/);
    } finally {
      await docker.update('host', undefined, vscode.ConfigurationTarget.Workspace);
    }
    const result = (await vscode.commands.executeCommand('lambdaWorkbench.invokeLocally', arg)) as InvokeResult;
    assert.equal(result.error, null);
    assert.ok(!(await labels()).includes('Docker is not reachable'), 'the row goes once Docker answers');
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
