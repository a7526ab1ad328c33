import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DeployResult, PruneEntry } from '../../src/core/deploy';
import { workbenchApi } from './api';

/** Deploy Function inside the host, against the AWS API emulator the runner started. */
describe('Deploy Function', function () {
  this.timeout(120_000);
  const aws = vscode.workspace.getConfiguration('lambdaWorkbench.aws');

  before(async () => {
    const moto = process.env.LWB_TEST_MOTO_URL;
    assert.ok(moto, 'the runner passes the emulator (LWB_TEST_MOTO_URL)');
    await fetch(`${moto}/moto-api/reset`, { method: 'POST' });
    await aws.update('endpointUrl', moto, vscode.ConfigurationTarget.Workspace);
    await aws.update('region', 'us-east-1', vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await aws.update('endpointUrl', undefined, vscode.ConfigurationTarget.Workspace);
    await aws.update('region', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('creates HelloNode with its layer, then finds nothing to upload on a second deploy', async () => {
    const { model } = await workbenchApi();
    const fn = model.functions().find((f) => f.logicalId === 'HelloNode')!;
    const arg = { templatePath: fn.templatePath, logicalId: fn.logicalId, confirmed: true };

    const first = (await vscode.commands.executeCommand('lambdaWorkbench.deployFunction', arg)) as DeployResult;
    assert.ok(first, 'the deploy ran');
    assert.equal(first.ok, true, JSON.stringify(first.functions.map((f) => f.reason)));
    assert.equal(first.functions[0].action, 'created');
    assert.equal(first.functions[0].functionName, 'hello-node');
    assert.ok(first.functions[0].uploadedBytes > 0);
    assert.deepEqual(first.layers.map((l) => [l.layerName, l.action]), [['shared', 'published']]);
    assert.match(first.functions[0].layers[0] ?? '', /:layer:shared:1$/);

    const again = (await vscode.commands.executeCommand('lambdaWorkbench.deployFunction', arg)) as DeployResult;
    assert.equal(again.functions[0].action, 'unchanged');
    assert.equal(again.functions[0].uploadedBytes, 0);
    assert.equal(again.functions[0].codeSha256, first.functions[0].codeSha256);
    assert.deepEqual(again.layers.map((l) => l.action), ['unchanged']);
  });

  it('publishes new layer versions as its content changes, and prunes all but the newest and the attached one', async () => {
    const { model } = await workbenchApi();
    const layer = model.layers().find((l) => l.logicalId === 'SharedLayer')!;
    const file = vscode.Uri.joinPath(vscode.Uri.file(layer.contentUri!), 'nodejs', 'node_modules', 'shared-greeting', 'index.js');
    const original = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
    try {
      for (const n of [2, 3]) {
        await vscode.workspace.fs.writeFile(file, Buffer.from(`${original}// revision ${n}\n`));
        const published = (await vscode.commands.executeCommand('lambdaWorkbench.publishLayer', { layer, confirmed: true })) as DeployResult;
        assert.deepEqual(published.layers.map((l) => [l.action, l.version]), [['published', n]]);
      }
      const pruned = (await vscode.commands.executeCommand('lambdaWorkbench.pruneLayerVersions', { layer, keep: 1, confirmed: true })) as PruneEntry[];
      const byVersion = Object.fromEntries(pruned.map((e) => [e.version, e.action]));
      assert.deepEqual(byVersion, { 1: 'kept', 2: 'deleted', 3: 'kept' }, 'version 1 stays: hello-node uses it');
    } finally {
      await vscode.workspace.fs.writeFile(file, Buffer.from(original));
    }
  });
});
