import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { until, workbenchApi, workspaceRoot } from '../api';

/**
 * The sample workspace opened in Restricted Mode (the runner's untrusted host), its
 * .vscode/settings.json pointing the engine, AWS calls, images, env file and credentials
 * elsewhere. The extension runs there with what runs none of the workspace's code, and takes only
 * the user's values of the settings that choose where code and secrets go.
 */
describe('Restricted Mode: an untrusted workspace', function () {
  this.timeout(120_000);
  const moto = process.env.LWB_TEST_MOTO_URL ?? '';
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('lambdaWorkbench');
  const target = async (logicalId: string) => {
    const { model } = await workbenchApi();
    await model.ready();
    const fn = model.functions().find((f) => f.logicalId === logicalId);
    assert.ok(fn, `${logicalId} is in the sample template`);
    return fn;
  };

  /** Runs a command and returns the error messages it showed (the notifications themselves stay real). */
  async function errorsOf(command: string, ...args: unknown[]): Promise<string[]> {
    const win = vscode.window as { showErrorMessage: (...a: unknown[]) => Thenable<unknown> };
    const original = win.showErrorMessage;
    const shown: string[] = [];
    win.showErrorMessage = (message: unknown, ...rest: unknown[]) => {
      shown.push(String(message));
      return original.call(vscode.window, message, ...rest);
    };
    try {
      await vscode.commands.executeCommand(command, ...args);
    } finally {
      win.showErrorMessage = original;
    }
    return shown;
  }

  it('opens untrusted, and the extension is active there, reading the template', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the host opened the workspace in Restricted Mode');
    const api = await workbenchApi();
    await api.model.ready();
    assert.deepEqual(
      api.model.functions().map((f) => f.logicalId).sort(),
      ['HelloNode', 'HelloPython'],
    );
    // The workspace does ask for another endpoint and engine, and its settings file is read (warnAt
    // counts); the editor itself hides the values of the settings the manifest restricts.
    const file = JSON.parse(readFileSync(join(workspaceRoot().fsPath, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(file['lambdaWorkbench.aws.endpointUrl'], 'http://127.0.0.1:9');
    assert.equal(config().inspect('size.warnAt')?.workspaceValue, 0.5);
    for (const key of ['aws.endpointUrl', 'docker.host', 'local.envFile', 'local.images', 'local.passAwsCredentials']) {
      assert.equal(config().inspect(key)?.workspaceValue, undefined, `${key}: the workspace's value is not used`);
    }
  });

  it("talks to the user's AWS endpoint, not the one the workspace names", async () => {
    assert.ok(moto, 'the runner passes the emulator (LWB_TEST_MOTO_URL)');
    const tree = (await workbenchApi()).cloudTree;
    tree.refreshNow();
    const roots = await tree.getChildren(undefined as never);
    const label = roots[0]?.label;
    assert.equal(typeof label === 'string' ? label : label?.label, `${moto} · us-east-1`);
  });

  it('refuses to run, debug or deploy a function, saying to trust the workspace', async () => {
    const fn = await target('HelloNode');
    const eventPath = vscode.Uri.joinPath(workspaceRoot(), 'events', 'HelloNode', 'get-hello.apigateway-http.json').fsPath;
    const arg = { templatePath: fn.templatePath, logicalId: fn.logicalId, eventPath };
    for (const command of ['lambdaWorkbench.invokeLocally', 'lambdaWorkbench.debugLocally']) {
      const shown = await errorsOf(command, arg);
      assert.equal(shown.length, 1, `${command}: ${shown.join(' / ')}`);
      assert.match(shown[0], /^Functions are not run in a workspace that is not trusted: running one in a container runs the workspace's code\. Trust the workspace \(Manage Workspace Trust\), then try again\./);
    }
    const deployed = await errorsOf('lambdaWorkbench.deployFunction', arg);
    assert.equal(deployed.length, 1, deployed.join(' / '));
    assert.match(deployed[0], /^Nothing is deployed in a workspace that is not trusted: a deploy sends the workspace's code to run in AWS.*Trust the workspace \(Manage Workspace Trust\)/);
  });

  it('still measures sizes, with the threshold the workspace may choose', async () => {
    const api = await workbenchApi();
    const fn = await target('HelloNode');
    api.sizes.schedule([fn]);
    const size = await until('HelloNode measured', api.sizes.onDidMeasure, () => api.sizes.get(fn));
    assert.ok((size.zippedBytes ?? 0) > 0, 'a size in bytes');
    assert.equal(size.warnAt, 0.5, 'size.warnAt is not restricted: the workspace value counts');
  });
});
