import assert from 'node:assert/strict';
import { request } from 'node:http';
import * as vscode from 'vscode';
import type { LocalApi } from '../../src/core/serve';
import { until, workbenchApi } from './api';

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** Lambda: Start Local API / Stop Local API in the host, on the real engine and the Lambda-like test image. */
describe('Local API', function () {
  this.timeout(120_000);
  const local = vscode.workspace.getConfiguration('lambdaWorkbench.local');
  const serve = vscode.workspace.getConfiguration('lambdaWorkbench.serve');

  before(async () => {
    await local.update('images', { 'nodejs22.x': process.env.LWB_TEST_IMAGE_NODE }, vscode.ConfigurationTarget.Workspace);
    await serve.update('port', 0, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await vscode.commands.executeCommand('lambdaWorkbench.stopLocalApi');
    await serve.update('port', undefined, vscode.ConfigurationTarget.Workspace);
    await local.update('images', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('serves the template\'s HTTP API, shows its routes and rebuilds in the Functions view, and stops', async () => {
    const api = await workbenchApi();
    const started = (await vscode.commands.executeCommand('lambdaWorkbench.startLocalApi')) as LocalApi;
    assert.ok(started, 'the command returns the running API');
    assert.equal(api.localApi.running, true);
    const route = started.routes.find((r) => r.logicalId === 'HelloNode')!;
    assert.deepEqual([route.method, new URL(route.url).pathname], ['GET', '/hello']);
    const reply = await get(`${route.url}?name=Ada`);
    assert.equal(reply.status, 200, reply.body);
    assert.deepEqual(JSON.parse(reply.body), { message: 'Hello, Ada!', path: '/hello' });

    const fn = api.model.functions().find((f) => f.logicalId === 'HelloNode')!;
    const served = api.functionsTree.decorationsOf(fn.templatePath, fn.logicalId).served;
    assert.deepEqual(served?.routes, [`GET ${route.url}`], 'the Functions view shows the route');

    // A save rebuilds it; the view shows the rebuild and its time; the next request runs the new code.
    const file = vscode.Uri.joinPath(vscode.Uri.file(fn.codeUri!), 'app.mjs');
    const original = await vscode.workspace.fs.readFile(file);
    try {
      await vscode.workspace.fs.writeFile(file, Buffer.from(Buffer.from(original).toString().replace("path: event.rawPath", "path: event.rawPath, edited: true")));
      const text = await until('the rebuild', api.localApi.onDidChange, () => {
        const reload = api.functionsTree.decorationsOf(fn.templatePath, fn.logicalId).served?.reload;
        return reload && /^rebuilt in \d+ ms$/.test(reload) ? reload : undefined;
      }, 30_000);
      assert.match(text, /^rebuilt in \d+ ms$/);
      assert.equal((JSON.parse((await get(route.url)).body) as { edited?: boolean }).edited, true);
    } finally {
      await vscode.workspace.fs.writeFile(file, original);
    }

    // A saved template: the new route answers and shows in the Functions view, the changed setting applies.
    const template = vscode.Uri.file(fn.templatePath);
    const saved = await vscode.workspace.fs.readFile(template);
    try {
      const text = Buffer.from(saved).toString();
      const edited = text.replace('GREETING: Hello', 'GREETING: Howdy').replace('            Path: /hello\n            Method: get\n', '            Path: /hello\n            Method: get\n        Bye:\n          Type: HttpApi\n          Properties:\n            Path: /bye\n            Method: get\n');
      assert.notEqual(edited, text);
      await vscode.workspace.fs.writeFile(template, Buffer.from(edited));
      const bye = `${new URL(route.url).origin}/bye`;
      await until('the template reload', api.localApi.onDidChange, () => api.functionsTree.decorationsOf(fn.templatePath, fn.logicalId).served?.routes.includes(`GET ${bye}`) || undefined, 30_000);
      assert.deepEqual(JSON.parse((await get(`${bye}?name=Ada`)).body), { message: 'Howdy, Ada!', path: '/bye' });
    } finally {
      await vscode.workspace.fs.writeFile(template, saved);
    }

    await vscode.commands.executeCommand('lambdaWorkbench.stopLocalApi');
    assert.equal(api.localApi.running, false);
    assert.equal(api.functionsTree.decorationsOf(fn.templatePath, fn.logicalId).served, undefined);
    await assert.rejects(get(route.url), /ECONNREFUSED/);
  });
});
