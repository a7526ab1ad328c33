import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'lambda-workbench.lambda-workbench';

describe('activation', () => {
  it('activates on the sample workspace and registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    await ext.activate();
    assert.equal(ext.isActive, true);
    const contributed = (ext.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 20, 'the manifest contributes the product commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], 'every contributed command has a handler');
  });

  it('loads no heavy dependency (AWS SDK, dockerode) while activating', async () => {
    const ext = vscode.extensions.getExtension<{ activationMs: number }>(EXTENSION_ID)!;
    const api = await ext.activate();
    console.log(`      activate() took ${api.activationMs} ms`);
    // The vendors are bundled apart (so the check below looks at real files), and none is loaded yet.
    const bundled = readdirSync(join(ext.extensionPath, 'dist', 'vendor')).filter((f) => f.endsWith('.js'));
    assert.ok(bundled.length > 0, 'dist/vendor holds the heavy vendors');
    const vendor = Object.keys(require.cache).filter((k) => /[\\/]dist[\\/]vendor[\\/]/.test(k));
    assert.deepEqual(vendor, []);
  });

  it('finds the sample template', async () => {
    const found = await vscode.workspace.findFiles('**/template.{yaml,yml}', '**/node_modules/**');
    assert.deepEqual(found.map((u) => vscode.workspace.asRelativePath(u)), ['template.yaml']);
    await vscode.commands.executeCommand('lambdaWorkbench.refresh');
    // Its Python function's dependency is counted only once it is built: that warning, and nothing else.
    const problems = vscode.languages.getDiagnostics(found[0]);
    assert.deepEqual(problems.filter((d) => d.code !== 'dependencies-not-counted').map((d) => d.message), [], 'the sample template has no other problems');
  });
});
