import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { FunctionConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import * as vscode from 'vscode';
import type { RemoteInvokeResult } from '../../src/core/cloud/invoke';
import type { LayerUpdateResult } from '../../src/core/cloud/layers';
import { CLOUD_CONTEXT } from '../../src/extension/views/cloudNodes';
import { AUTO_REFRESH_DELAY_MS } from '../../src/extension/views/refresh';
import type { CloudTree } from '../../src/extension/views/cloudTree';
import { makeZip } from '../unit/local/zipFixture';
import { EXTENSION_ID, workbenchApi, workspaceRoot } from './api';
import { type Answer, answering, choose, dismiss, enter, pick } from './dialogs';

const FUNCTIONS = 300;
const ZIP = makeZip([{ name: 'index.js', data: 'exports.handler = async (event) => event;\n' }]);
const AWS_KEYS = ['profile', 'region', 'endpointUrl'] as const;

function label(node: vscode.TreeItem): string {
  return typeof node.label === 'string' ? node.label : (node.label?.label ?? '');
}

/** The Cloud view's welcomes, as the manifest contributes them. */
function welcomes(): { contents: string; when: string }[] {
  const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { viewsWelcome: { view: string; contents: string; when: string }[] } };
  return manifest.contributes.viewsWelcome.filter((w) => w.view === 'lambdaWorkbench.cloud');
}

function tooltip(node: vscode.TreeItem): string {
  return node.tooltip instanceof vscode.MarkdownString ? node.tooltip.value : String(node.tooltip ?? '');
}

/** The Cloud view against the AWS API emulator, with a few hundred functions and some layers. */
describe('Cloud view', function () {
  this.timeout(240_000);
  const moto = process.env.LWB_TEST_MOTO_URL ?? '';
  const saved = new Map<string, unknown>();
  let sdk: typeof import('@aws-sdk/client-lambda');
  let lambda: LambdaClient;
  let role = '';
  let tree: CloudTree;
  const layerArn = (name: string, v: number): string => `arn:aws:lambda:us-east-1:123456789012:layer:${name}:${v}`;
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('lambdaWorkbench.aws');

  async function motoConfig(useDocker: boolean): Promise<void> {
    const res = await fetch(`${moto}/moto-api/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lambda: { use_docker: useDocker } }) });
    assert.ok(res.ok, `moto config answered ${res.status}`);
  }

  async function createFunction(name: string, layers: string[] = []): Promise<void> {
    await lambda.send(new sdk.CreateFunctionCommand({ FunctionName: name, Role: role, Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { ZipFile: ZIP }, Layers: layers }));
  }

  async function rowsOf(node?: vscode.TreeItem): Promise<vscode.TreeItem[]> {
    return tree.getChildren(node as Parameters<CloudTree['getChildren']>[0]);
  }

  async function groups(): Promise<{ functions: vscode.TreeItem; layers: vscode.TreeItem }> {
    const roots = await rowsOf();
    assert.equal(roots.length, 1);
    assert.equal(roots[0].contextValue, CLOUD_CONTEXT.account, `the account row, not: ${label(roots[0])}`);
    const [functions, layers] = await rowsOf(roots[0]);
    return { functions, layers };
  }

  /** Every function row, following "Load more…" to the end; also how many pages it took. */
  async function allFunctionRows(): Promise<{ rows: vscode.TreeItem[]; pages: number }> {
    const { functions } = await groups();
    let rows = await rowsOf(functions);
    let pages = 1;
    while (rows.at(-1)?.contextValue === CLOUD_CONTEXT.loadMore) {
      await vscode.commands.executeCommand('lambdaWorkbench.cloud.loadMore', rows.at(-1));
      rows = await rowsOf(functions);
      pages++;
    }
    return { rows, pages };
  }

  async function layerVersionRows(layerName: string): Promise<vscode.TreeItem[]> {
    const { layers } = await groups();
    const layer = (await rowsOf(layers)).find((n) => label(n) === layerName);
    assert.ok(layer, `layer ${layerName} is listed`);
    return rowsOf(layer);
  }

  /**
   * Runs a command that must refuse. Its error boundary shows the refusal and waits for the
   * message's button, so the message is dismissed until the command returns.
   */
  async function refused(command: string, arg: unknown): Promise<unknown> {
    let done = false;
    const pending = Promise.resolve(vscode.commands.executeCommand(command, arg)).finally(() => (done = true));
    for (let i = 0; i < 100 && !done; i++) {
      await new Promise((r) => setTimeout(r, 100));
      await vscode.commands.executeCommand('notifications.clearAll');
    }
    assert.ok(done, `${command} ended once its message was dismissed`);
    return pending;
  }

  async function configuration(name: string): Promise<FunctionConfiguration> {
    return lambda.send(new sdk.GetFunctionConfigurationCommand({ FunctionName: name }));
  }

  before(async () => {
    assert.ok(moto, 'the runner passes the emulator (LWB_TEST_MOTO_URL)');
    sdk = await import('@aws-sdk/client-lambda');
    const iam = await import('@aws-sdk/client-iam');
    const config = { endpoint: moto, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    lambda = new sdk.LambdaClient(config);
    await fetch(`${moto}/moto-api/reset`, { method: 'POST' });
    await motoConfig(true);
    const iamClient = new iam.IAMClient(config);
    role =
      (await iamClient.send(new iam.CreateRoleCommand({ RoleName: 'lwb-cloud-view', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) }))).Role?.Arn ?? '';
    iamClient.destroy();

    // Layers: shared (3 versions, Node), py-tools (2 versions, Python), arm-only (arm64).
    for (let v = 1; v <= 3; v++) await lambda.send(new sdk.PublishLayerVersionCommand({ LayerName: 'shared', Content: { ZipFile: ZIP }, CompatibleRuntimes: ['nodejs22.x'] }));
    for (let v = 1; v <= 2; v++) await lambda.send(new sdk.PublishLayerVersionCommand({ LayerName: 'py-tools', Content: { ZipFile: ZIP }, CompatibleRuntimes: ['python3.13'] }));
    await lambda.send(new sdk.PublishLayerVersionCommand({ LayerName: 'arm-only', Content: { ZipFile: ZIP }, CompatibleArchitectures: ['arm64'] }));

    // fn-000..fn-004 use shared:2, fn-005 uses shared:1, the rest none. Created in parallel batches.
    const names = Array.from({ length: FUNCTIONS }, (_, i) => `fn-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < names.length; i += 25) {
      await Promise.all(names.slice(i, i + 25).map((n, j) => createFunction(n, i + j < 5 ? [layerArn('shared', 2)] : i + j === 5 ? [layerArn('shared', 1)] : [])));
    }

    for (const key of AWS_KEYS) saved.set(key, settings().inspect(key)?.workspaceValue);
    await settings().update('profile', undefined, vscode.ConfigurationTarget.Workspace);
    await settings().update('endpointUrl', moto, vscode.ConfigurationTarget.Workspace);
    await settings().update('region', 'us-east-1', vscode.ConfigurationTarget.Workspace);
    tree = (await workbenchApi()).cloudTree;
  });

  after(async () => {
    for (const key of AWS_KEYS) await settings().update(key, saved.get(key), vscode.ConfigurationTarget.Workspace);
    if (moto) {
      await motoConfig(true);
      await fetch(`${moto}/moto-api/reset`, { method: 'POST' });
    }
    lambda?.destroy();
    tree?.refreshNow();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the endpoint and region, the first page of functions, and "Load more…" pages through all of them', async () => {
    tree.refreshNow();
    const roots = await rowsOf();
    assert.equal(label(roots[0]), `${moto} · us-east-1`);
    assert.deepEqual((await rowsOf(roots[0])).map(label), ['Functions', 'Layers']);

    const first = await rowsOf((await groups()).functions);
    assert.equal(first.length, 51, 'a page of 50, then "Load more…"');
    assert.equal(label(first[50]), 'Load more…');
    assert.equal(first[0].contextValue, CLOUD_CONTEXT.function);
    assert.match(String(first[0].description), /^nodejs22\.x · \d+ bytes · (just now|\d+ minutes? ago)$/);
    assert.match(tooltip(first[0]), /nodejs22\.x · index\.handler · x86_64 · 128 MB · 3 s/);
    assert.match(tooltip(first[0]), /State: Active/);

    const { rows, pages } = await allFunctionRows();
    assert.equal(pages, FUNCTIONS / 50);
    assert.equal(rows.length, FUNCTIONS, 'every function, and no "Load more…" after the last page');
    assert.deepEqual(new Set(rows.map(label)), new Set(Array.from({ length: FUNCTIONS }, (_, i) => `fn-${String(i).padStart(3, '0')}`)));
    // A function with a layer shows it as a child.
    const withLayer = rows.find((r) => label(r) === 'fn-000')!;
    assert.deepEqual((await rowsOf(withLayer)).map(label), ['shared:2']);
  });

  it('shows layers and their versions with size, runtimes and which listed functions use each', async () => {
    tree.refreshNow();
    const { layers } = await groups();
    const layerRows = await rowsOf(layers);
    assert.deepEqual(layerRows.map(label).sort(), ['arm-only', 'py-tools', 'shared']);
    assert.match(String(layerRows.find((l) => label(l) === 'shared')?.description), /latest 3 · nodejs22\.x/);

    // The emulator answers ListFunctions with every function at once, so the users found are all of them.
    const versions = await layerVersionRows('shared');
    assert.equal((await tree.functions()).complete, true);
    assert.deepEqual(versions.map(label), ['version 3', 'version 2', 'version 1']);
    assert.equal(versions[1].contextValue, CLOUD_CONTEXT.layerVersion);
    assert.equal(versions[0].description, `${ZIP.length} bytes · nodejs22.x · unused`);
    assert.equal(versions[1].description, `${ZIP.length} bytes · nodejs22.x · used by 5`);
    assert.match(tooltip(versions[1]), /Used by: fn-000, fn-001, fn-002, fn-003, fn-004/);
    assert.equal(versions[2].description, `${ZIP.length} bytes · nodejs22.x · used by fn-005`);
  });

  it('attaches a layer version to a function and detaches it once confirmed, changing the function in the emulator', async () => {
    const { rows } = await allFunctionRows();
    const fn = rows.find((r) => label(r) === 'fn-100')!;
    const attach = await answering([pick('shared'), pick('3'), choose('Attach')], () => vscode.commands.executeCommand<LayerUpdateResult>('lambdaWorkbench.cloud.attachLayer', fn));
    assert.deepEqual(attach.asked.map((q) => q.title), ['Layer to attach to fn-100', 'Version of shared', 'Attach shared:3 to fn-100 in us-east-1?']);
    assert.equal(attach.asked[2].detail, 'fn-100 will have 1 of 5 layers: shared:3.');
    assert.deepEqual(attach.result.layers, [layerArn('shared', 3)]);
    assert.deepEqual((await configuration('fn-100')).Layers?.map((l) => l.Arn), [layerArn('shared', 3)]);
    // The row shows the new layer without listing again.
    const updated = (await allFunctionRows()).rows.find((r) => label(r) === 'fn-100')!;
    const layerRow = (await rowsOf(updated))[0];
    assert.equal(label(layerRow), 'shared:3');
    assert.equal(layerRow.contextValue, CLOUD_CONTEXT.functionLayer);

    // A Python layer on a Node function is refused before anything changes, without asking to confirm.
    const python = await answering([pick('py-tools'), pick('2')], () => refused('lambdaWorkbench.cloud.attachLayer', updated));
    assert.equal(python.result, undefined);
    assert.deepEqual(python.asked.map((q) => q.title), ['Layer to attach to fn-100', 'Version of py-tools'], 'refused after the version was chosen');
    assert.deepEqual((await configuration('fn-100')).Layers?.map((l) => l.Arn), [layerArn('shared', 3)]);

    // Declined: the layer stays. Any extension can pass the row; only the person's answer detaches.
    const declined = await answering([dismiss], () => vscode.commands.executeCommand('lambdaWorkbench.cloud.detachLayer', layerRow));
    assert.equal(declined.result, undefined);
    assert.deepEqual(declined.asked.map((q) => q.title), ['Detach shared:3 from fn-100 in us-east-1?']);
    assert.deepEqual((await configuration('fn-100')).Layers?.map((l) => l.Arn), [layerArn('shared', 3)]);

    const detached = await answering([choose('Detach')], () => vscode.commands.executeCommand<LayerUpdateResult>('lambdaWorkbench.cloud.detachLayer', layerRow));
    assert.deepEqual(detached.result.layers, []);
    assert.deepEqual((await configuration('fn-100')).Layers ?? [], []);
  });

  it('refuses to delete a layer version a function uses, and deletes an unused one only once confirmed, whatever the arguments', async () => {
    const listVersions = async () => ((await lambda.send(new sdk.ListLayerVersionsCommand({ LayerName: 'shared' }))).LayerVersions ?? []).map((v) => v.Version);
    const used = await answering([], () => refused('lambdaWorkbench.cloud.deleteLayerVersion', { arn: layerArn('shared', 2), confirmed: true }));
    assert.equal(used.result, undefined);
    assert.deepEqual(await listVersions(), [3, 2, 1], 'nothing was deleted');

    // {confirmed: true} is no answer: the person is asked, and Cancel deletes nothing.
    const unused = { arn: layerArn('shared', 3), confirmed: true };
    const declined = await answering([dismiss], () => vscode.commands.executeCommand('lambdaWorkbench.cloud.deleteLayerVersion', unused));
    assert.equal(declined.result, undefined);
    assert.deepEqual(declined.asked.map((q) => [q.kind, q.title, q.actions]), [['modal', 'Delete layer version shared:3 in us-east-1?', ['Delete']]]);
    assert.match(declined.asked[0].detail ?? '', /^None of the \d+ functions and published function versions in us-east-1 uses it\./);
    assert.deepEqual(await listVersions(), [3, 2, 1], 'declined: nothing was deleted');

    const deleted = await answering([choose('Delete')], () => vscode.commands.executeCommand('lambdaWorkbench.cloud.deleteLayerVersion', unused));
    assert.equal(deleted.result, layerArn('shared', 3));
    assert.deepEqual(await listVersions(), [2, 1]);
    assert.deepEqual((await layerVersionRows('shared')).map(label), ['version 2', 'version 1']);
  });

  it('downloads code only into a new or empty folder, and leaves nothing when the download fails', async () => {
    const root = workspaceRoot().fsPath;
    const fn = (await rowsOf((await groups()).functions)).find((r) => label(r) === 'fn-001');
    // The emulator's code location names an S3 host that cannot be reached: the download fails after GetFunction.
    const { result, asked } = await answering([enter('downloads/fn-001')], () => refused('lambdaWorkbench.cloud.downloadCode', fn));
    assert.equal(result, undefined);
    const folder = asked[0].options;
    assert.equal(folder.value, path.join(root, 'fn-001'));
    assert.match(String(await folder.validateInput?.('events')), /events is not empty/);
    assert.equal(await folder.validateInput?.('some/new/folder'), undefined);
    assert.equal(existsSync(path.join(root, 'downloads')), false, 'the folder it created for the download is gone');
  });

  it('copies a function ARN to the clipboard', async () => {
    const { functions } = await groups();
    const fn = (await rowsOf(functions))[0] as vscode.TreeItem & { arn: string };
    assert.match(fn.arn, /^arn:aws:lambda:us-east-1:123456789012:function:fn-\d{3}$/);
    const before = await vscode.env.clipboard.readText();
    try {
      const copied = await vscode.commands.executeCommand('lambdaWorkbench.cloud.copyArn', fn);
      assert.equal(copied, fn.arn);
      assert.equal(await vscode.env.clipboard.readText(), fn.arn);
    } finally {
      await vscode.env.clipboard.writeText(before);
    }
  });

  it('invokes a function in AWS with the saved event of the workspace function of that name, and shows the result', async () => {
    // The emulator answers Invoke without Docker only in this mode, which keeps its own functions.
    await motoConfig(false);
    try {
      await createFunction('hello-node');
      tree.refreshNow();
      const row = (await rowsOf((await groups()).functions)).find((r) => label(r) === 'hello-node');
      assert.ok(row, 'hello-node is listed');

      const invoke = (...script: Answer[]) => answering(script, () => vscode.commands.executeCommand<RemoteInvokeResult>('lambdaWorkbench.cloud.invoke', row));
      const { result, asked: first } = await invoke(pick('get-hello.apigateway-http.json'));
      assert.ok(result, 'the invoke ran');
      const event = JSON.parse(
        Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceRoot(), 'events', 'HelloNode', 'get-hello.apigateway-http.json'))).toString('utf8'),
      ) as unknown;
      assert.equal(result.statusCode, 200);
      assert.deepEqual(result.payload, event, 'the emulator echoes the event it received');
      const doc = vscode.window.activeTextEditor?.document;
      assert.equal(doc?.uri.scheme, 'lambda-workbench-remote');
      assert.match(doc.getText(), /^\/\/ hello-node in us-east-1 with get-hello\.apigateway-http\.json: succeeded, status 200/);
      assert.match(doc.getText(), /No log tail/);
      assert.deepEqual(JSON.parse(doc.getText().split('\n').filter((l) => !l.startsWith('//')).join('\n')), event, 'the document holds the response as JSON');

      const { result: typed, asked: second } = await invoke(pick('typed'), enter('{"n": 7}'));
      assert.deepEqual(typed.payload, { n: 7 });
      assert.deepEqual([...first, ...second].map((q) => q.title), ['Event for hello-node (in AWS)', 'Event for hello-node (in AWS)', 'Event for hello-node']);
    } finally {
      await motoConfig(true);
    }
  });

  it('refreshes once, debounced, when the AWS settings change while it is visible, and waits while it is hidden', async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await vscode.commands.executeCommand('lambdaWorkbench.cloud.focus');
    await sleep(500);
    const fired: number[] = [];
    const sub = tree.onDidChangeTreeData(() => fired.push(Date.now()));
    // When each change reached the extension: on a loaded machine two writes of the settings file
    // can land further apart than the debounce, and then two refreshes are right.
    const changes: number[] = [];
    const onChange = vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('lambdaWorkbench.aws.region') && changes.push(Date.now()));
    try {
      await settings().update('region', 'us-west-2', vscode.ConfigurationTarget.Workspace);
      await settings().update('region', 'us-east-1', vscode.ConfigurationTarget.Workspace);
      await sleep(1_200);
      assert.equal(changes.length, 2);
      // Changes further apart than the debounce are separate bursts; near the boundary either reading
      // is right, since this listener and the extension's see each change at slightly different times.
      const bursts = (gap: number): number => changes.filter((at, i) => i === 0 || at - changes[i - 1] >= gap).length;
      const [fewest, most] = [bursts(AUTO_REFRESH_DELAY_MS + 150), bursts(AUTO_REFRESH_DELAY_MS - 150)];
      assert.ok(fired.length >= fewest && fired.length <= most, `${fired.length} refresh(es) for changes ${changes[1] - changes[0]} ms apart: one per burst`);
      assert.ok(fired[fired.length - 1] - changes[1] >= AUTO_REFRESH_DELAY_MS - 50, `the refresh waited for the changes to settle (${fired[fired.length - 1] - changes[1]} ms)`);

      await vscode.commands.executeCommand('workbench.view.explorer');
      await sleep(300);
      fired.splice(0);
      await settings().update('region', 'us-west-2', vscode.ConfigurationTarget.Workspace);
      await sleep(1_000);
      assert.deepEqual(fired, [], 'nothing is reloaded while the view is hidden');
      await vscode.commands.executeCommand('lambdaWorkbench.cloud.focus');
      await sleep(500);
      assert.equal(fired.length, 1, 'shown again, it reloads at once');
      assert.match(label((await rowsOf())[0]), /us-west-2$/);
    } finally {
      sub.dispose();
      onChange.dispose();
      await settings().update('region', 'us-east-1', vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.view.explorer');
    }
  });

  it('shows its welcome, with the missing profile\'s whole message and hint, when the profile does not exist', async () => {
    try {
      await settings().update('profile', 'lwb-no-such-profile', vscode.ConfigurationTarget.Workspace);
      assert.deepEqual(await rowsOf(), [], 'no truncated error row: the welcome shows instead');
      assert.equal(tree.setupProblem?.code, 'aws-profile-missing');
      // The welcome for this problem says it in full, hint included.
      assert.match(welcomes().find((w) => w.when === "lambdaWorkbench.cloud.setup == 'aws-profile-missing'")?.contents ?? '', /is not in ~\/\.aws\/config or ~\/\.aws\/credentials\. Create it with `aws configure --profile NAME`/);
    } finally {
      await settings().update('profile', undefined, vscode.ConfigurationTarget.Workspace);
    }
    assert.equal((await rowsOf())[0].contextValue, CLOUD_CONTEXT.account, 'set up again: the account row');
    assert.equal(tree.setupProblem, undefined);
  });

  it('shows its welcome when no region is set, with buttons to choose a profile, a region or an endpoint', async function () {
    // The SDK would take the region from the environment: then there is nothing to test here.
    if (process.env.AWS_REGION) this.skip();
    try {
      await settings().update('region', undefined, vscode.ConfigurationTarget.Workspace);
      assert.deepEqual(await rowsOf(), []);
      assert.equal(tree.setupProblem?.code, 'aws-region-missing');
    } finally {
      await settings().update('region', 'us-east-1', vscode.ConfigurationTarget.Workspace);
    }
    assert.match(welcomes().find((w) => w.when === "lambdaWorkbench.cloud.setup == 'aws-region-missing'")?.contents ?? '', /No AWS region is set/);
    const buttons = welcomes().find((w) => w.when === 'lambdaWorkbench.cloud.setup');
    for (const command of ['lambdaWorkbench.chooseProfile', 'lambdaWorkbench.chooseRegion', 'lambdaWorkbench.chooseEndpoint']) assert.ok(buttons?.contents.includes(`(command:${command})`), command);
  });

  it('the region picker says where it saves the region and which region is in use now', async () => {
    const { asked } = await answering([pick('eu-west-1')], () => vscode.commands.executeCommand('lambdaWorkbench.chooseRegion'));
    try {
      assert.equal(asked[0].title, "AWS region for Lambda Workbench (saved in this workspace's settings)", 'the workspace sets a region: a user setting would change nothing');
      assert.equal(asked[0].options.placeHolder, 'Now: us-east-1 (the lambdaWorkbench.aws.region setting)');
      assert.equal(settings().inspect('region')?.workspaceValue, 'eu-west-1');
    } finally {
      await settings().update('region', 'us-east-1', vscode.ConfigurationTarget.Workspace);
    }
  });

  it('shows an error row that leads to the log when the endpoint does not answer', async () => {
    const net = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    try {
      await settings().update('endpointUrl', `http://127.0.0.1:${port}`, vscode.ConfigurationTarget.Workspace);
      const rows = await rowsOf((await groups()).functions);
      assert.equal(rows.length, 1);
      assert.match(label(rows[0]), new RegExp(`Could not reach the AWS endpoint http://127\\.0\\.0\\.1:${port} while listing functions`));
      assert.deepEqual([rows[0].command?.command, ...(rows[0].command?.arguments ?? [])], ['workbench.action.openSettings', 'lambdaWorkbench.aws.endpointUrl'], 'it leads to the endpoint setting');
    } finally {
      await settings().update('endpointUrl', moto, vscode.ConfigurationTarget.Workspace);
    }
  });
});
