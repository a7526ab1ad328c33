import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FunctionBuild } from '../../src/core/build/types';
import { offlineSettings } from '../system/build/support';
import { until, workbenchApi, workspaceRoot } from './api';
import { makeZip } from '../unit/local/zipFixture';
import { answering, pick } from './dialogs';

/** Bytes of every file under a folder. */
function bytesUnder(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((n, e) => n + statSync(join(e.parentPath, e.name)).size, 0);
}

/** A pure-Python wheel whose package carries a 2 MiB data folder beside it, as numpy carries numpy.libs. */
function heavyWheel(dir: string): void {
  const info = 'heavydata-1.0.dist-info';
  const files: Record<string, string | Buffer> = {
    'heavydata/__init__.py': 'import os\nBLOB = os.path.join(os.path.dirname(__file__), "..", "heavydata.libs", "blob.bin")\n',
    'heavydata.libs/blob.bin': randomBytes(2 * 1024 * 1024),
    [`${info}/METADATA`]: 'Metadata-Version: 2.1\nName: heavydata\nVersion: 1.0\n',
    [`${info}/WHEEL`]: 'Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
  };
  files[`${info}/RECORD`] = [...Object.keys(files), `${info}/RECORD`].map((f) => `${f},,`).join('\n');
  writeFileSync(join(dir, 'heavydata-1.0-py3-none-any.whl'), makeZip(Object.entries(files).map(([name, data]) => ({ name, data }))));
}

/** Build Function from the palette, on a copy of the sample Python function that now needs six. */
describe('Build Function', function () {
  this.timeout(120_000);
  const root = (): string => workspaceRoot().fsPath;
  const template = (): vscode.Uri => vscode.Uri.file(join(root(), 'template.yaml'));
  let original = '';
  let ownWheels = '';

  before(async () => {
    original = Buffer.from(await vscode.workspace.fs.readFile(template())).toString('utf8');
    cpSync(join(root(), 'hello-python'), join(root(), 'built-python'), { recursive: true });
    writeFileSync(join(root(), 'built-python', 'requirements.txt'), 'six==1.17.0\n');
    ownWheels = mkdtempSync(join(tmpdir(), 'lwb-wheels-'));
    heavyWheel(ownWheels);
    // pip installs from the wheels the test setup fetched, as a user's mirror setting would point it.
    await vscode.workspace.getConfiguration('lambdaWorkbench').update('build.pipArgs', [...(offlineSettings().pipArgs ?? []), '--find-links', ownWheels], vscode.ConfigurationTarget.Global);
    const withBuilt = original.replace('  WorkQueue:\n', '  BuiltPy:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.lambda_handler\n      CodeUri: built-python/\n\n  WorkQueue:\n');
    await vscode.workspace.fs.writeFile(template(), Buffer.from(withBuilt));
  });

  after(async () => {
    await vscode.workspace.getConfiguration('lambdaWorkbench').update('build.pipArgs', undefined, vscode.ConfigurationTarget.Global);
    if (original) writeFileSync(template().fsPath, original);
    for (const dir of ['built-python', '.lambda-workbench']) rmSync(join(root(), dir), { recursive: true, force: true });
    if (ownWheels) rmSync(ownWheels, { recursive: true, force: true });
  });

  it('builds the function picked from the palette, and its size goes from the estimate to the artifact\'s, in the tree too', async () => {
    const { model, sizes, functionsTree } = await workbenchApi();
    const ref = { templatePath: template().fsPath, logicalId: 'BuiltPy' };
    await until('the BuiltPy function', model.onDidChange, () => (model.functions().some((f) => f.logicalId === 'BuiltPy') ? true : undefined));
    const row = async (): Promise<vscode.TreeItem | undefined> => (await functionsTree.getChildren()).find((n) => n.label === 'BuiltPy');
    const estimated = await until('BuiltPy estimated, with the pip setting applied', sizes.onDidMeasure, () => {
      const s = sizes.get(ref);
      return s?.estimate && s.build?.uncounted.length === 0 ? s : undefined;
    }, 60_000);
    assert.equal(estimated.source, 'folder');
    const before = await until('the tree to show the estimate', sizes.onDidMeasure, async () => {
      const r = await row();
      return r && /\(est\.\)$/.test(String(r.description)) ? r : undefined;
    });
    assert.match(String(before.tooltip instanceof vscode.MarkdownString ? before.tooltip.value : before.tooltip), /An estimate: not built yet/);

    const { result, asked } = await answering([pick('BuiltPy')], () => vscode.commands.executeCommand<FunctionBuild>('lambdaWorkbench.buildFunction'));
    assert.equal(asked[0].title, 'Function to build');
    assert.deepEqual([result?.status, result?.builder], ['built', 'python-pip']);

    const built = await until('BuiltPy measured as its artifact', sizes.onDidMeasure, () => {
      const s = sizes.get(ref);
      return s && !s.estimate ? s : undefined;
    }, 30_000);
    assert.deepEqual([built.source, built.codePath], ['artifact', result?.artifactDir]);
    assert.equal(built.unzippedBytes, bytesUnder(result!.artifactDir!), 'the artifact, six included');
    assert.ok(built.unzippedBytes! > bytesUnder(join(root(), 'built-python')) * 10);
    const after = await until('the tree to show the built size', sizes.onDidMeasure, async () => {
      const r = await row();
      return r && !/\(est\.\)/.test(String(r.description)) ? r : undefined;
    });
    assert.match(String(after.description), /^(<1|\d+)% of (50|250) MiB$/);
    assert.notEqual(after.description, before.description);
  });

  it('reports a dominant dependency of the artifact on its requirements.txt line, an estimate until it is built', async () => {
    const { sizes } = await workbenchApi();
    const requirements = vscode.Uri.file(join(root(), 'built-python', 'requirements.txt'));
    writeFileSync(requirements.fsPath, 'six==1.17.0\nheavydata==1.0\n');
    const onLine = (estimated: boolean) => () =>
      vscode.languages.getDiagnostics(requirements).find((d) => d.code === 'dominant-package' && d.message.startsWith('BuiltPy: ') && /\(Estimated: /.test(d.message) === estimated);
    // The edit makes the artifact stale: the wheel it would install is counted, and the problem says it is an estimate.
    const estimated = await until('the estimate\'s problem on the heavydata line', vscode.languages.onDidChangeDiagnostics, onLine(true), 60_000);
    assert.equal(estimated.range.start.line, 1);
    assert.match(estimated.message, /One package makes up most of the package: heavydata/);

    const { result } = await answering([pick('BuiltPy')], () => vscode.commands.executeCommand<FunctionBuild>('lambdaWorkbench.buildFunction'));
    assert.equal(result?.status, 'built');
    const built = await until('the artifact\'s problem on the heavydata line', vscode.languages.onDidChangeDiagnostics, onLine(false), 30_000);
    assert.equal(built.range.start.line, 1, 'heavydata/ and heavydata.libs/ are one distribution, by its RECORD');
    const size = sizes.get({ templatePath: template().fsPath, logicalId: 'BuiltPy' })!;
    assert.equal(size.source, 'artifact');
    assert.deepEqual([size.topContributors[0].name, size.topContributors[0].kind], ['heavydata', 'package']);
  });
});
