import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { InvokeResult } from '../../src/core/local';
import { until, workbenchApi } from './api';

/** lambdaWorkbench.local.minWarm inside the host, against the real Docker engine and the test image. */
describe('Warm containers (lambdaWorkbench.local.minWarm)', function () {
  this.timeout(120_000);
  const local = vscode.workspace.getConfiguration('lambdaWorkbench.local');

  before(async () => {
    const image = process.env.LWB_TEST_IMAGE_NODE;
    assert.ok(image, 'the runner passes the test image (LWB_TEST_IMAGE_NODE)');
    await local.update('images', { 'nodejs22.x': image }, vscode.ConfigurationTarget.Workspace);
    await local.update('minWarm', 2, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await local.update('minWarm', undefined, vscode.ConfigurationTarget.Workspace);
    await local.update('images', undefined, vscode.ConfigurationTarget.Workspace);
    await (await workbenchApi()).localRuns.reset();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('keeps two containers of an invoked function warm, shows them in the Functions view, and replaces them after a save', async () => {
    const { model, functionsTree, localRuns } = await workbenchApi();
    const fn = model.functions().find((f) => f.logicalId === 'HelloNode')!;
    const other = model.functions().find((f) => f.logicalId === 'HelloPython')!;
    const arg = { templatePath: fn.templatePath, logicalId: fn.logicalId, eventPath: join(fn.templatePath, '..', 'events', 'HelloNode', 'get-hello.apigateway-http.json') };
    const first = (await vscode.commands.executeCommand('lambdaWorkbench.invokeLocally', arg)) as InvokeResult;
    assert.equal(first.error, null);

    const row = async (): Promise<vscode.TreeItem> => (await functionsTree.getChildren()).find((n) => n.label === 'HelloNode')!;
    await until('two warm containers in the view', functionsTree.onDidChangeTreeData, async () => (/ · 2 warm$/.test(String((await row()).description)) ? true : undefined), 60_000);
    const children = await functionsTree.getChildren((await row()) as never);
    const warmRow = children.find((c) => c.label === '2 warm containers');
    assert.ok(warmRow, `a child row says so: ${children.map((c) => String(c.label)).join(', ')}`);
    assert.equal(localRuns.warm.state(fn)?.warm, 2);
    assert.equal(localRuns.warm.state(other), undefined, 'a function not run in this window is not kept warm');

    // A save to the handler: fresh containers on the new code; the next invoke is warm and runs it.
    const handler = join(fn.codeUri!, 'app.mjs');
    const before = readFileSync(handler, 'utf8');
    try {
      const saved = before.replace('path: event.rawPath', "path: event.rawPath, saved: 'again'");
      assert.notEqual(saved, before);
      writeFileSync(handler, saved);
      await until('the save to be seen', functionsTree.onDidChangeTreeData, () => (localRuns.warm.state(fn)?.starting ? true : undefined), 30_000);
      const after = (await vscode.commands.executeCommand('lambdaWorkbench.invokeLocally', arg)) as InvokeResult;
      assert.equal(after.error, null);
      assert.equal(after.report.cold, false, 'the first invoke after the save is warm');
      assert.equal((JSON.parse((after.payload as { body: string }).body) as { saved?: string }).saved, 'again', 'and runs the saved code');
      await until('both containers on the new code', functionsTree.onDidChangeTreeData, () => {
        const state = localRuns.warm.state(fn);
        return state && !state.starting && state.warm === 2 ? true : undefined;
      }, 30_000);
    } finally {
      writeFileSync(handler, before);
    }
  });
});
