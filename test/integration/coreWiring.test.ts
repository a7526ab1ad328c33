import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { InvokeResult } from '../../src/core/local';
import type { FunctionSpec } from '../../src/core/model/types';
import { formatBytes } from '../../src/core/size/format';
import { makeZip } from '../unit/local/zipFixture';
import { until, workbenchApi, workspaceRoot } from './api';
import { type LayerArchiveFront, startLayerArchiveFront } from './layerArchives';

const SETTINGS = ['aws.endpointUrl', 'aws.region', 'aws.profile', 'local.images', 'local.idleTimeoutSeconds', 'deploy.s3Bucket'] as const;
const MESSAGE = 'hello from a published layer\n'.repeat(40);
const REGION = 'eu-west-2';

function label(node: vscode.TreeItem): string {
  return typeof node.label === 'string' ? node.label : (node.label?.label ?? '');
}

/**
 * The editor opens the core as the CLI does: a layer published in the emulator and given by ARN
 * is measured in the Functions view and mounted at /opt in Invoke Locally, with the region
 * setting as AWS_REGION; a settings change restarts only what it affects.
 */
describe('Editor wiring: ARN layers and settings changes', function () {
  this.timeout(180_000);
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('lambdaWorkbench');
  const saved = new Map<string, unknown>();
  const template = vscode.Uri.joinPath(workspaceRoot(), 'template.yaml');
  const code = vscode.Uri.joinPath(workspaceRoot(), 'arn-layer-probe');
  let original = '';
  let front: LayerArchiveFront;
  let eventDir = '';
  let eventPath = '';
  let fn: FunctionSpec;

  async function set(key: (typeof SETTINGS)[number], value: unknown): Promise<void> {
    await config().update(key, value, vscode.ConfigurationTarget.Workspace);
    // Settings changes arrive as an event; once the value reads back, the extension has had it.
    await until(`${key} to change`, vscode.workspace.onDidChangeConfiguration, () => (JSON.stringify(config().get(key)) === JSON.stringify(value ?? config().inspect(key)?.defaultValue) ? true : undefined));
  }

  async function invoke(): Promise<InvokeResult> {
    const result = (await vscode.commands.executeCommand('lambdaWorkbench.invokeLocally', { templatePath: fn.templatePath, logicalId: fn.logicalId, eventPath })) as InvokeResult | undefined;
    assert.ok(result, 'the invoke ran (no error message)');
    assert.equal(result.error, null, JSON.stringify(result.error));
    return result;
  }

  before(async () => {
    const moto = process.env.LWB_TEST_MOTO_URL;
    const image = process.env.LWB_TEST_IMAGE_NODE;
    assert.ok(moto, 'the runner passes the emulator (LWB_TEST_MOTO_URL)');
    assert.ok(image, 'the runner passes the test image (LWB_TEST_IMAGE_NODE)');
    for (const key of SETTINGS) saved.set(key, config().inspect(key)?.workspaceValue);

    // A layer published in the emulator, as someone else's shared layer would be.
    const { LambdaClient, PublishLayerVersionCommand } = await import('@aws-sdk/client-lambda');
    const lambda = new LambdaClient({ endpoint: moto, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const zip = makeZip([{ name: 'probe/' }, { name: 'probe/message.txt', data: MESSAGE }]);
    let arn: string;
    try {
      const published = await lambda.send(new PublishLayerVersionCommand({ LayerName: `wiring-probe-${Date.now()}`, Content: { ZipFile: zip }, CompatibleRuntimes: ['nodejs22.x'] }));
      assert.ok(published.LayerVersionArn);
      arn = published.LayerVersionArn;
    } finally {
      lambda.destroy();
    }
    front = await startLayerArchiveFront(moto);
    front.serve(arn, zip);

    await set('aws.profile', undefined);
    await set('aws.endpointUrl', front.url);
    await set('aws.region', REGION);
    await set('local.images', { 'nodejs22.x': image });

    // A function in the workspace that reads the layer's file from /opt.
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(code, 'index.mjs'),
      Buffer.from("import { readFileSync } from 'node:fs';\nexport const handler = async () => ({ fromLayer: readFileSync('/opt/probe/message.txt', 'utf8'), region: process.env.AWS_REGION });\n"),
    );
    eventDir = mkdtempSync(join(tmpdir(), 'lwb-wiring-'));
    eventPath = join(eventDir, 'empty.json');
    writeFileSync(eventPath, '{}');
    original = Buffer.from(await vscode.workspace.fs.readFile(template)).toString('utf8');
    const withProbe = original.replace(
      '  WorkQueue:\n',
      `  ArnLayerProbe:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: index.handler\n      CodeUri: arn-layer-probe/\n      Layers:\n        - ${arn}\n\n  WorkQueue:\n`,
    );
    assert.notEqual(withProbe, original);
    await vscode.workspace.fs.writeFile(template, Buffer.from(withProbe));
    const { model } = await workbenchApi();
    fn = await until('the function with the ARN layer', model.onDidChange, () => model.functions().find((f) => f.logicalId === 'ArnLayerProbe'));
  });

  after(async () => {
    const { model } = await workbenchApi();
    if (original) {
      await vscode.workspace.fs.writeFile(template, Buffer.from(original));
      await until('the template without the probe', model.onDidChange, () => (model.functions().some((f) => f.logicalId === 'ArnLayerProbe') ? undefined : true));
    }
    await vscode.workspace.fs.delete(code, { recursive: true }).then(undefined, () => undefined);
    for (const key of SETTINGS) await config().update(key, saved.get(key), vscode.ConfigurationTarget.Workspace);
    await front?.close();
    if (eventDir) rmSync(eventDir, { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('measures the ARN layer in the Functions view and mounts it at /opt in Invoke Locally, with the region setting as AWS_REGION', async () => {
    const { sizes, functionsTree } = await workbenchApi();
    await sizes.flush();
    const size = sizes.get(fn);
    assert.ok(size, 'the function is measured');
    assert.equal(size.layers[0].status, 'measured', `the layer is looked up, not unknown: ${size.layers[0].detail}`);
    assert.equal(size.layersUnzippedBytes, Buffer.byteLength(MESSAGE));
    assert.equal(size.totalUnzippedBytes, size.unzippedBytes! + Buffer.byteLength(MESSAGE));
    assert.equal(size.status, 'ok');
    assert.ok(front.requests().ranged > 0, 'the unzipped size came from the archive directory, read by ranges');

    const row = (await functionsTree.getChildren()).find((n) => label(n) === 'ArnLayerProbe');
    assert.ok(row, 'the function has a row');
    // Not built yet: the row says its figures are an estimate.
    assert.equal(size.estimate, true);
    // The row's one number counts the ARN layer: with it, the unzipped limit is the nearer one.
    assert.equal(row.description, '<1% of 250 MiB (est.)');
    assert.ok((row.tooltip as vscode.MarkdownString).value.includes(`${formatBytes(size.totalUnzippedBytes!)} together`), 'the hover has the total with the layer');
    assert.equal(functionsTree.decorationsOf(fn.templatePath, fn.logicalId).sizeStatus, 'ok');

    const result = await invoke();
    assert.deepEqual(result.payload, { fromLayer: MESSAGE, region: REGION });
  });

  it('keeps warm containers and measurements through an unrelated setting, and restarts the runner for its own', async () => {
    const { sizes } = await workbenchApi();
    await invoke();
    await sizes.flush();
    const measured = sizes.get(fn);
    assert.ok(measured);

    await set('deploy.s3Bucket', 'wiring-unrelated');
    // Longer than the size service's debounce: a re-measure would have started.
    await new Promise((r) => setTimeout(r, 1000));
    await sizes.flush();
    assert.equal(sizes.get(fn), measured, 'not measured again');
    assert.equal((await invoke()).report.cold, false, 'the invoke after the change is warm');

    await set('local.idleTimeoutSeconds', 301);
    assert.equal((await invoke()).report.cold, true, 'a setting the runner is made with starts it afresh');
    assert.equal(sizes.get(fn), measured, 'and the measurements stay');
  });
});
