import assert from 'node:assert/strict';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import * as vscode from 'vscode';
import type { DeployResult, PruneEntry } from '../../src/core/deploy';
import { workbenchApi } from './api';
import { answering, choose, dismiss, type Question } from './dialogs';

/** The smallest valid zip (an end-of-central-directory record): a layer version's content. */
const EMPTY_ZIP = Buffer.from(`PK\x05\x06${'\0'.repeat(18)}`, 'binary');

/** Deploy Function inside the host, against the AWS API emulator the runner started. */
describe('Deploy Function', function () {
  this.timeout(120_000);
  const aws = vscode.workspace.getConfiguration('lambdaWorkbench.aws');
  let sdk: typeof import('@aws-sdk/client-lambda');
  let lambda: LambdaClient;

  /** Which versions of a layer the emulator holds, newest first. */
  async function layerVersions(name: string): Promise<number[]> {
    return ((await lambda.send(new sdk.ListLayerVersionsCommand({ LayerName: name }))).LayerVersions ?? []).map((v) => v.Version ?? 0);
  }

  async function helloNode(): Promise<{ templatePath: string; logicalId: string }> {
    const fn = (await workbenchApi()).model.functions().find((f) => f.logicalId === 'HelloNode')!;
    return { templatePath: fn.templatePath, logicalId: fn.logicalId };
  }

  before(async () => {
    const moto = process.env.LWB_TEST_MOTO_URL;
    assert.ok(moto, 'the runner passes the emulator (LWB_TEST_MOTO_URL)');
    await fetch(`${moto}/moto-api/reset`, { method: 'POST' });
    sdk = await import('@aws-sdk/client-lambda');
    lambda = new sdk.LambdaClient({ endpoint: moto, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await aws.update('endpointUrl', moto, vscode.ConfigurationTarget.Workspace);
    await aws.update('region', 'us-east-1', vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    lambda?.destroy();
    await aws.update('endpointUrl', undefined, vscode.ConfigurationTarget.Workspace);
    await aws.update('region', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('asks before deploying even when called with confirmed: true, and deploys nothing when declined', async () => {
    // Any extension can run the command with any argument: only the person's answer lets a deploy through.
    const arg = { ...(await helloNode()), confirmed: true };
    const { result, asked } = await answering([dismiss], () => vscode.commands.executeCommand('lambdaWorkbench.deployFunction', arg));
    assert.equal(result, undefined);
    assert.equal(asked.length, 1);
    assert.equal(asked[0].kind, 'modal');
    assert.equal(asked[0].title, 'Deploy HelloNode to us-east-1?');
    assert.match(asked[0].detail ?? '', /^layer shared: publish .*\nHelloNode \(hello-node\): created, uploads .* directly\nWill ask: Create IAM role /);
    await assert.rejects(lambda.send(new sdk.GetFunctionCommand({ FunctionName: 'hello-node' })), { name: 'ResourceNotFoundException' });
    assert.deepEqual(await layerVersions('shared'), [], 'no layer was published');
  });

  it('creates HelloNode with its layer once confirmed, then finds nothing to upload on a second deploy', async () => {
    const arg = await helloNode();
    const { result: first, asked } = await answering([choose('Deploy'), choose('Yes')], () => vscode.commands.executeCommand<DeployResult>('lambdaWorkbench.deployFunction', arg));
    assert.ok(first, 'the deploy ran');
    assert.match(asked[1].title, /^Create IAM role \S+ \(AWSLambdaBasicExecutionRole: CloudWatch Logs only\) for the new functions\?$/, 'the role is created only once confirmed');
    assert.equal(first.ok, true, JSON.stringify(first.functions.map((f) => f.reason)));
    assert.equal(first.functions[0].action, 'created');
    assert.equal(first.functions[0].functionName, 'hello-node');
    assert.ok(first.functions[0].uploadedBytes > 0);
    assert.deepEqual(first.layers.map((l) => [l.layerName, l.action]), [['shared', 'published']]);
    assert.match(first.functions[0].layers[0] ?? '', /:layer:shared:1$/);

    // Nothing would change, so nothing is asked.
    const { result: again } = await answering([], () => vscode.commands.executeCommand<DeployResult>('lambdaWorkbench.deployFunction', arg));
    assert.equal(again.functions[0].action, 'unchanged');
    assert.equal(again.functions[0].uploadedBytes, 0);
    assert.equal(again.functions[0].codeSha256, first.functions[0].codeSha256);
    assert.deepEqual(again.layers.map((l) => l.action), ['unchanged']);
  });

  it('publishes new layer versions as its content changes, and prunes all but the newest and the attached one once confirmed', async () => {
    const { model } = await workbenchApi();
    const layer = model.layers().find((l) => l.logicalId === 'SharedLayer')!;
    const file = vscode.Uri.joinPath(vscode.Uri.file(layer.contentUri!), 'nodejs', 'node_modules', 'shared-greeting', 'index.js');
    const original = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
    try {
      for (const n of [2, 3]) {
        await vscode.workspace.fs.writeFile(file, Buffer.from(`${original}// revision ${n}\n`));
        const { result: published, asked } = await answering([choose('Deploy')], () =>
          vscode.commands.executeCommand<DeployResult>('lambdaWorkbench.publishLayer', { layer, confirmed: true }),
        );
        assert.equal(asked[0].title, 'Deploy SharedLayer to us-east-1?');
        assert.deepEqual(published.layers.map((l) => [l.action, l.version]), [['published', n]]);
      }

      const prune = { layer, keep: 1, confirmed: true };
      const declined = await answering([dismiss], () => vscode.commands.executeCommand<PruneEntry[]>('lambdaWorkbench.pruneLayerVersions', prune));
      assert.equal(declined.result, undefined);
      assert.equal(declined.asked[0].title, 'Delete 1 version(s) of layer shared?');
      assert.match(declined.asked[0].detail ?? '', /^shared:3 keep \(one of the newest 1\)\nshared:2 delete\nshared:1 keep \(attached to function hello-node\S*\)$/);
      assert.deepEqual(await layerVersions('shared'), [3, 2, 1], 'declined: nothing deleted');

      // While the dialog is open, a deploy elsewhere publishes version 4: version 3 is no longer one of
      // the newest 1, but the person was told it stays, so it does.
      const publishMeanwhile = async (q: Question): Promise<unknown> => {
        await lambda.send(new sdk.PublishLayerVersionCommand({ LayerName: 'shared', Content: { ZipFile: EMPTY_ZIP } }));
        return choose('Delete')(q);
      };
      const { result: pruned } = await answering([publishMeanwhile], () => vscode.commands.executeCommand<PruneEntry[]>('lambdaWorkbench.pruneLayerVersions', prune));
      const byVersion = Object.fromEntries(pruned.map((e) => [e.version, e.action]));
      assert.deepEqual(byVersion, { 1: 'kept', 2: 'deleted', 3: 'kept', 4: 'kept' }, 'version 1 stays: hello-node uses it');
      assert.equal(pruned.find((e) => e.version === 3)?.reason, 'not among the versions confirmed for deletion');
      assert.deepEqual(await layerVersions('shared'), [4, 3, 1]);
    } finally {
      await vscode.workspace.fs.writeFile(file, Buffer.from(original));
    }
  });
});
