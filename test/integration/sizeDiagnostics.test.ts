import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FixPlan } from '../../src/core/scaffold/fixes';
import { EXTENSION_ID, until, workbenchApi, workspaceRoot } from './api';
import { answering, choose, dismiss } from './dialogs';

/** Every file under `dir` with its bytes' length: a cheap picture of "nothing changed". */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => `${join(e.parentPath, e.name).slice(dir.length)}:${readFileSync(join(e.parentPath, e.name)).length}`)
    .sort();
}

/** Package-size problems in the editor: found from real files, fixed by a real quick fix, then gone. */
describe('package size diagnostics', function () {
  this.timeout(90_000);
  const root = (): string => workspaceRoot().fsPath;
  let original = '';

  before(async () => {
    original = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.file(join(root(), 'template.yaml')))).toString('utf8');
    // A function that ships the AWS SDK v3 in its node_modules, although its runtime provides it.
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const dir = join(root(), 'fat');
    mkdirSync(join(dir, 'node_modules', '@aws-sdk'), { recursive: true });
    cpSync(join(ext.extensionPath, 'node_modules', '@aws-sdk', 'client-s3'), join(dir, 'node_modules', '@aws-sdk', 'client-s3'), { recursive: true });
    writeFileSync(join(dir, 'app.mjs'), "import { S3Client } from '@aws-sdk/client-s3';\nconst s3 = new S3Client({});\nexport const handler = async () => ({ region: await s3.config.region() });\n");
    writeFileSync(join(dir, 'package.json'), '{\n  "name": "fat",\n  "type": "module",\n  "dependencies": {\n    "@aws-sdk/client-s3": "^3.0.0"\n  }\n}\n');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (original) writeFileSync(join(root(), 'template.yaml'), original);
    for (const dir of ['fat', 'heavy', 'big', 'keyed', 'undeclared', 'layers/heavy-lib']) rmSync(join(root(), dir), { recursive: true, force: true });
  });

  it('reports a bundled AWS SDK on the template and on package.json, and the esbuild quick fix clears it', async () => {
    const { model, sizes } = await workbenchApi();
    const template = vscode.Uri.file(join(root(), 'template.yaml'));
    const withFat = original.replace(
      '  WorkQueue:\n',
      '  Fat:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: app.handler\n      CodeUri: fat/\n\n  WorkQueue:\n',
    );
    await vscode.workspace.fs.writeFile(template, Buffer.from(withFat));
    await until('the Fat function', model.onDidChange, () => (model.functions().some((f) => f.logicalId === 'Fat') ? true : undefined));

    const sdkProblem = (uri: vscode.Uri): vscode.Diagnostic | undefined => vscode.languages.getDiagnostics(uri).find((d) => d.code === 'aws-sdk-v3-bundled');
    const onTemplate = await until('the bundled-SDK problem on template.yaml', vscode.languages.onDidChangeDiagnostics, () => sdkProblem(template), 60_000);
    assert.match(onTemplate.message, /^Fat: /);
    assert.equal(withFat.split('\n')[onTemplate.range.start.line].trim(), 'CodeUri: fat/', 'the problem sits on CodeUri');
    const manifest = vscode.Uri.file(join(root(), 'fat', 'package.json'));
    const onManifest = sdkProblem(manifest);
    assert.ok(onManifest, 'the problem is also on package.json');
    assert.equal(onManifest.range.start.line, 4, 'on the @aws-sdk/client-s3 dependency line');
    const before = sizes.get({ templatePath: template.fsPath, logicalId: 'Fat' })!;
    assert.ok(before.unzippedBytes! > 1_000_000, `the SDK is in the package (${before.unzippedBytes} bytes)`);

    // Code actions are asked of an open document, as the editor's light bulb does.
    await vscode.window.showTextDocument(template);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', template, onTemplate.range);
    const bundle = actions.find((a) => /^Bundle Fat with esbuild/.test(a.title));
    assert.ok(bundle?.edit, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(bundle.edit));
    const doc = await vscode.workspace.openTextDocument(template);
    await doc.save();
    assert.match(doc.getText(), /  Fat:\n(.*\n)*?    Metadata:\n      BuildMethod: esbuild\n      BuildProperties:\n        External:\n          - '@aws-sdk\/\*'/);

    await until('the problem to clear', vscode.languages.onDidChangeDiagnostics, () => (sdkProblem(template) ? undefined : true), 60_000);
    const after = sizes.get({ templatePath: template.fsPath, logicalId: 'Fat' })!;
    assert.equal(model.functions().find((f) => f.logicalId === 'Fat')?.build?.method, 'esbuild');
    assert.ok(after.unzippedBytes! < 10_000, `bundled without the SDK: ${after.unzippedBytes} bytes`);
  });

  /** Adds a function to the template on disk, before WorkQueue, and waits for the model to have it. */
  async function addFunction(id: string, properties: string): Promise<void> {
    const { model } = await workbenchApi();
    const template = vscode.Uri.file(join(root(), 'template.yaml'));
    const text = Buffer.from(await vscode.workspace.fs.readFile(template)).toString('utf8');
    await vscode.workspace.fs.writeFile(template, Buffer.from(text.replace('  WorkQueue:\n', `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties:\n${properties}\n  WorkQueue:\n`)));
    await until(`the ${id} function`, model.onDidChange, () => (model.functions().some((f) => f.logicalId === id) ? true : undefined));
  }

  const problem = (uri: vscode.Uri, code: string, id: string): vscode.Diagnostic | undefined =>
    vscode.languages.getDiagnostics(uri).find((d) => d.code === code && d.message.startsWith(`${id}: `));

  /** The code action titled `title` on the problem, as the light bulb offers it. */
  async function codeAction(uri: vscode.Uri, diagnostic: vscode.Diagnostic, title: RegExp): Promise<vscode.Command> {
    await vscode.window.showTextDocument(uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range);
    const action = actions.find((a) => title.test(a.title));
    assert.ok(action?.command, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    return action.command;
  }

  it('warns that a private key is left out of the package, and "include it anyway" writes the .lambdaignore line that packs it', async () => {
    const { sizes } = await workbenchApi();
    const dir = join(root(), 'keyed');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'app.mjs'), 'export const handler = async () => 1;\n');
    writeFileSync(join(dir, 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE\n-----END OPENSSH PRIVATE KEY-----\n');
    await addFunction('Keyed', '      Runtime: nodejs22.x\n      Handler: app.handler\n      CodeUri: keyed/\n');
    const template = vscode.Uri.file(join(root(), 'template.yaml'));
    const warning = await until('the left-out key problem', vscode.languages.onDidChangeDiagnostics, () => problem(template, 'secret-left-out', 'Keyed'), 60_000);
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(warning.message, /^Keyed: id_rsa looks like a private key and is left out of the package\./);
    assert.equal(sizes.get({ templatePath: template.fsPath, logicalId: 'Keyed' })?.fileCount, 1, 'only app.mjs is packed');

    await vscode.window.showTextDocument(template);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', template, warning.range);
    const include = actions.find((a) => a.title === "Include id_rsa in Keyed's package anyway");
    assert.ok(include?.edit, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    // As the light bulb does: the edit, then the action's command, which shows the file it wrote.
    assert.ok(await vscode.workspace.applyEdit(include.edit));
    assert.ok(include.command, 'the fix shows what it changed');
    await vscode.commands.executeCommand(include.command.command, ...(include.command.arguments ?? []));
    const shown = vscode.window.activeTextEditor;
    assert.equal(shown?.document.uri.fsPath, join(dir, '.lambdaignore'), 'the new .lambdaignore is shown');
    assert.equal(shown.document.getText(shown.selection), '!/id_rsa', 'with the added line selected');
    // It is open and unsaved, as the person would see it; they save it.
    const ignoreDoc = shown.document;
    await ignoreDoc.save();
    assert.match(readFileSync(join(dir, '.lambdaignore'), 'utf8'), /^!\/id_rsa$/m);
    await until('the problem to clear', vscode.languages.onDidChangeDiagnostics, () => (problem(template, 'secret-left-out', 'Keyed') ? undefined : true), 60_000);
    assert.equal(sizes.get({ templatePath: template.fsPath, logicalId: 'Keyed' })?.fileCount, 2, 'the key is packed, as asked');
  });

  it('one finding about several dependency lines is one problem on the first, with the others as related locations', async () => {
    const dir = join(root(), 'undeclared');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'app.mjs'), 'export const handler = async () => 1;\n');
    writeFileSync(join(dir, 'package.json'), '{\n  "name": "undeclared",\n  "dependencies": {\n    "left-pad": "1.3.0",\n    "is-odd": "3.0.1",\n    "is-even": "1.0.0"\n  }\n}\n');
    await addFunction('Undeclared', '      Runtime: nodejs22.x\n      Handler: app.handler\n      CodeUri: undeclared/\n');
    const template = vscode.Uri.file(join(root(), 'template.yaml'));
    const manifest = vscode.Uri.file(join(dir, 'package.json'));
    const code = 'dependencies-not-counted';
    await until('the uncounted-dependencies problem', vscode.languages.onDidChangeDiagnostics, () => problem(manifest, code, 'Undeclared'), 60_000);
    const onManifest = vscode.languages.getDiagnostics(manifest).filter((d) => d.code === code);
    assert.equal(onManifest.length, 1, `one problem, not one per line: ${onManifest.map((d) => d.range.start.line).join(', ')}`);
    assert.equal(onManifest[0].range.start.line, 3, 'on the first of the lines, left-pad');
    assert.deepEqual(
      onManifest[0].relatedInformation?.map((r) => [r.location.uri.fsPath, r.location.range.start.line, r.message]),
      [
        [manifest.fsPath, 4, '"is-odd": "3.0.1",'],
        [manifest.fsPath, 5, '"is-even": "1.0.0"'],
        [template.fsPath, problem(template, code, 'Undeclared')!.range.start.line, 'Undeclared in the template'],
      ],
    );
    assert.deepEqual(problem(template, code, 'Undeclared')!.relatedInformation?.map((r) => r.location.range.start.line), [3, 4, 5], 'the template problem leads to the lines');
  });

  it('moves a dominant package into a new layer once confirmed, writes nothing when not, and the problem clears', async () => {
    const api = await workbenchApi();
    const template = vscode.Uri.file(join(root(), 'template.yaml'));
    const dir = join(root(), 'heavy');
    mkdirSync(join(dir, 'node_modules', 'heavy-lib'), { recursive: true });
    writeFileSync(join(dir, 'app.js'), "const lib = require('heavy-lib');\nexports.handler = async () => lib.size;\n");
    writeFileSync(join(dir, 'package.json'), '{\n  "name": "heavy",\n  "dependencies": {\n    "heavy-lib": "^1.0.0"\n  }\n}\n');
    writeFileSync(join(dir, 'node_modules', 'heavy-lib', 'package.json'), '{"name": "heavy-lib", "version": "1.0.3", "main": "index.js"}');
    writeFileSync(join(dir, 'node_modules', 'heavy-lib', 'index.js'), "exports.size = require('fs').statSync(__dirname + '/model.bin').size;\n");
    writeFileSync(join(dir, 'node_modules', 'heavy-lib', 'model.bin'), randomBytes(1_500_000));
    await addFunction('Heavy', '      Runtime: nodejs22.x\n      Handler: app.handler\n      CodeUri: heavy/\n');
    const onTemplate = await until('the dominant-package problem', vscode.languages.onDidChangeDiagnostics, () => problem(template, 'dominant-package', 'Heavy'), 60_000);
    assert.ok(problem(vscode.Uri.file(join(dir, 'package.json')), 'dominant-package', 'Heavy'), 'also on the heavy-lib line of package.json');
    const command = await codeAction(template, onTemplate, /^Move heavy-lib into a new layer/);

    const files = snapshot(root());
    const apply = (): Thenable<FixPlan | undefined> => vscode.commands.executeCommand<FixPlan | undefined>(command.command, ...(command.arguments ?? []));
    const { result: declined, asked } = await answering([dismiss], apply);
    assert.equal(declined, undefined);
    assert.deepEqual(snapshot(root()), files, 'cancelled: nothing written');
    assert.equal(asked[0].title, 'Move heavy-lib into a new layer, HeavyLibLayer?');
    assert.deepEqual(asked[0].actions, ['Move']);
    assert.match(asked[0].detail ?? '', /Move heavy-lib from heavy\/node_modules to layers\/heavy-lib\/nodejs\/node_modules/);
    assert.ok((await answering([choose('Move')], apply)).result, 'applied');
    assert.ok(existsSync(join(root(), 'layers/heavy-lib/nodejs/node_modules/heavy-lib/model.bin')));
    assert.ok(!existsSync(join(dir, 'node_modules', 'heavy-lib')));
    assert.equal(readFileSync(join(dir, 'package.json'), 'utf8'), '{\n  "name": "heavy",\n  "dependencies": {}\n}\n');
    const doc = await vscode.workspace.openTextDocument(template);
    assert.equal(doc.isDirty, false, 'the template is saved');
    assert.match(doc.getText(), /  Heavy:\n(.*\n)*?      Layers:\n        - !Ref HeavyLibLayer\n/);
    assert.match(doc.getText(), /\n  HeavyLibLayer:\n    Type: AWS::Serverless::LayerVersion\n    Properties:\n(.*\n)*?      ContentUri: layers\/heavy-lib\/\n/);

    await until('the problem to clear', vscode.languages.onDidChangeDiagnostics, () => (problem(template, 'dominant-package', 'Heavy') ? undefined : true), 60_000);
    const size = await until('Heavy measured with its layer', api.sizes.onDidMeasure, () => {
      const s = api.sizes.get({ templatePath: template.fsPath, logicalId: 'Heavy' });
      return s && s.layers.length === 1 ? s : undefined;
    });
    assert.ok((size.layersUnzippedBytes as number) > 1_500_000, 'the layer holds the package');
    assert.ok((size.unzippedBytes as number) < 10_000, `the function is small: ${size.unzippedBytes} bytes`);
  });

  it('switches a function to a container image once confirmed; the zip problem turns into the image estimate', async function () {
    this.timeout(180_000);
    const api = await workbenchApi();
    const template = vscode.Uri.file(join(root(), 'template.yaml'));
    const dir = join(root(), 'big');
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'app.py'), 'def lambda_handler(event, context):\n    return {"ok": True}\n');
    writeFileSync(join(dir, 'requirements.txt'), '');
    // Incompressible: the zip is past 80% of the 50 MiB direct upload limit.
    writeFileSync(join(dir, 'data', 'model.bin'), randomBytes(42 * 1024 * 1024));
    await addFunction('Big', '      Runtime: python3.13\n      Handler: app.lambda_handler\n      CodeUri: big/\n');
    const onTemplate = await until('the zip-near-direct-upload problem', vscode.languages.onDidChangeDiagnostics, () => problem(template, 'zip-near-direct-upload', 'Big'), 120_000);
    const command = await codeAction(template, onTemplate, /^Switch Big to a container image/);

    const files = snapshot(root());
    const apply = (): Thenable<FixPlan | undefined> => vscode.commands.executeCommand<FixPlan | undefined>(command.command, ...(command.arguments ?? []));
    const { result: declined, asked } = await answering([dismiss], apply);
    assert.equal(declined, undefined);
    assert.deepEqual(snapshot(root()), files, 'cancelled: nothing written');
    assert.deepEqual(asked[0].actions, ['Switch']);
    assert.match(asked[0].detail ?? '', /Create big\/Dockerfile: FROM public\.ecr\.aws\/lambda\/python:3\.13/);
    assert.ok((await answering([choose('Switch')], apply)).result, 'applied');
    assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /^FROM public\.ecr\.aws\/lambda\/python:3\.13\n(.*\n)*CMD \["app\.lambda_handler"\]\n$/);
    const text = (await vscode.workspace.openTextDocument(template)).getText();
    const big = text.slice(text.indexOf('  Big:\n'), text.indexOf('  WorkQueue:\n'));
    assert.equal(big, '  Big:\n    Type: AWS::Serverless::Function\n    Properties:\n      PackageType: Image\n    Metadata:\n      Dockerfile: Dockerfile\n      DockerContext: ./big\n      DockerTag: python3.13-v1\n\n');
    await until('the model to see the image', api.model.onDidChange, () => (api.model.functions().find((f) => f.logicalId === 'Big')?.packageType === 'Image' ? true : undefined));

    await until('the zip problem to clear', vscode.languages.onDidChangeDiagnostics, () => (problem(template, 'zip-near-direct-upload', 'Big') ? undefined : true), 60_000);
    const size = await until('Big measured as an image', api.sizes.onDidMeasure, () => {
      const s = api.sizes.get({ templatePath: template.fsPath, logicalId: 'Big' });
      return s?.source === 'image' ? s : undefined;
    });
    assert.deepEqual(size.findings.map((f) => f.code), ['image-size-estimated']);
    assert.ok(problem(template, 'image-size-estimated', 'Big'), 'the estimate is shown instead');
  });
});
