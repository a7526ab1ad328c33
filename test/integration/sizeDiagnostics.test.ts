import assert from 'node:assert/strict';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, until, workbenchApi, workspaceRoot } from './api';

/** Package-size problems in the editor: found from real files, fixed by a real quick fix, then gone. */
describe('package size diagnostics', function () {
  this.timeout(90_000);
  const root = (): string => workspaceRoot().fsPath;
  let original = '';

  before(() => {
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
    rmSync(join(root(), 'fat'), { recursive: true, force: true });
  });

  it('reports a bundled AWS SDK on the template and on package.json, and the esbuild quick fix clears it', async () => {
    const { model, sizes } = await workbenchApi();
    const template = vscode.Uri.file(join(root(), 'template.yaml'));
    original = Buffer.from(await vscode.workspace.fs.readFile(template)).toString('utf8');
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
});
