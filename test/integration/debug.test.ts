import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { InvokeResult } from '../../src/core/local';
import type { FunctionSpec } from '../../src/core/model/types';
import { until, workbenchApi, workspaceRoot } from './api';

interface Stop {
  session: vscode.DebugSession;
  threadId: number;
}

interface Frame {
  id: number;
  line: number;
  source?: { path?: string };
}

/** Resolves on the next time a debugger stops on a breakpoint, in any session. */
function nextBreakpointStop(): { stopped: Promise<Stop>; dispose(): void } {
  let resolve!: (s: Stop) => void;
  const stopped = new Promise<Stop>((r) => (resolve = r));
  const reg = vscode.debug.registerDebugAdapterTrackerFactory('*', {
    createDebugAdapterTracker: (session) => ({
      onDidSendMessage: (m: { type?: string; event?: string; body?: { reason?: string; threadId?: number } }) => {
        if (m.type === 'event' && m.event === 'stopped' && m.body?.reason === 'breakpoint') resolve({ session, threadId: m.body.threadId ?? 0 });
      },
    }),
  });
  return { stopped, dispose: () => reg.dispose() };
}

/** A frame's source as a path of this machine (a remote host, like code-server, names sources by URI). */
function framePath(frame: Frame): string {
  const source = frame.source?.path ?? '';
  return realpathSync(source.includes('://') ? vscode.Uri.parse(source).path : source);
}

/** Containers the product made for a function, on the real engine. */
function containersOf(logicalId: string): string[] {
  return execFileSync('docker', ['ps', '-aq', '--filter', `label=lambda-workbench.function=${logicalId}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** Watches debug sessions from now on: `ended()` resolves once every one started has terminated. */
function sessionWatch(): { ended(): Promise<void>; dispose(): void } {
  const live = new Set<string>();
  let started = 0;
  const subs = [
    vscode.debug.onDidStartDebugSession((s) => {
      started++;
      live.add(s.id);
    }),
    vscode.debug.onDidTerminateDebugSession((s) => live.delete(s.id)),
  ];
  return {
    async ended() {
      for (let i = 0; i < 100 && live.size > 0; i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(started > 0, 'a debug session was started');
      assert.equal(live.size, 0, 'the debug session ended with the invocation');
    },
    dispose: () => subs.forEach((d) => d.dispose()),
  };
}

/** Debug Locally inside the host: js-debug attached to the real container on the real Docker engine. */
describe('Debug Locally', function () {
  this.timeout(120_000);
  const local = vscode.workspace.getConfiguration('lambdaWorkbench.local');
  let fn: FunctionSpec;
  let handlerFile: string;
  let firstLine: number;
  let eventPath: string;

  before(async () => {
    const image = process.env.LWB_TEST_IMAGE_NODE;
    assert.ok(image, 'the runner passes the test image (LWB_TEST_IMAGE_NODE)');
    await local.update('images', { 'nodejs22.x': image }, vscode.ConfigurationTarget.Workspace);
    const { model } = await workbenchApi();
    fn = model.functions().find((f) => f.logicalId === 'HelloNode')!;
    handlerFile = join(fn.codeUri!, 'app.mjs');
    // The handler's first statement.
    firstLine = readFileSync(handlerFile, 'utf8').split('\n').findIndex((l) => l.includes('const name ='));
    assert.ok(firstLine > 0);
    eventPath = join(fn.templatePath, '..', 'events', 'HelloNode', 'get-hello.apigateway-http.json');
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(handlerFile), new vscode.Position(firstLine, 0)))]);
  });

  after(async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await local.update('images', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('stops on the handler\'s first line with the event in scope, then continues to the result', async () => {
    const watch = nextBreakpointStop();
    const sessions = sessionWatch();
    try {
      const pending = vscode.commands.executeCommand<InvokeResult | undefined>('lambdaWorkbench.debugLocally', { templatePath: fn.templatePath, logicalId: fn.logicalId, eventPath });
      const stop = await Promise.race([
        watch.stopped,
        Promise.resolve(pending).then((r) => assert.fail(`Debug Locally ended without stopping: ${JSON.stringify(r)}`)),
      ]);
      const { stackFrames } = (await stop.session.customRequest('stackTrace', { threadId: stop.threadId, startFrame: 0, levels: 1 })) as { stackFrames: Frame[] };
      const top = stackFrames[0];
      assert.equal(framePath(top), realpathSync(handlerFile), '/var/task maps back to the function folder');
      assert.equal(top.line, firstLine + 1);
      const { scopes } = (await stop.session.customRequest('scopes', { frameId: top.id })) as { scopes: { name: string; variablesReference: number }[] };
      const names: string[] = [];
      for (const scope of scopes.filter((s) => s.name !== 'Global')) {
        const { variables } = (await stop.session.customRequest('variables', { variablesReference: scope.variablesReference })) as { variables: { name: string }[] };
        names.push(...variables.map((v) => `${scope.name}:${v.name}`));
      }
      assert.ok(names.some((n) => /^Local\b.*:event$/.test(n)), `the event is a local variable: ${names.join(', ')}`);
      const path = (await stop.session.customRequest('evaluate', { expression: 'event.rawPath', frameId: top.id, context: 'watch' })) as { result: string };
      assert.equal(path.result, "'/hello'", 'it is the chosen event');

      await stop.session.customRequest('continue', { threadId: stop.threadId });
      const result = await pending;
      assert.ok(result, 'the invocation finished');
      assert.equal(result.error, null);
      assert.equal((result.payload as { statusCode: number }).statusCode, 200);
      await sessions.ended();
      assert.deepEqual(containersOf('HelloNode'), [], 'the debug container is gone');
    } finally {
      watch.dispose();
      sessions.dispose();
    }
  });

  it('stopping the debug session ends the invocation and removes its container', async () => {
    const watch = nextBreakpointStop();
    const sessions = sessionWatch();
    try {
      const pending = vscode.commands.executeCommand<InvokeResult | undefined>('lambdaWorkbench.debugLocally', { templatePath: fn.templatePath, logicalId: fn.logicalId, eventPath });
      const stop = await watch.stopped;
      assert.equal(containersOf('HelloNode').length, 1, 'the container runs while paused');
      await vscode.debug.stopDebugging(stop.session);
      assert.equal(await pending, undefined, 'the invocation ended without a result');
      await sessions.ended();
      assert.deepEqual(containersOf('HelloNode'), []);
    } finally {
      watch.dispose();
      sessions.dispose();
    }
  });

  it('reruns a saved launch configuration (F5) with its event file', async () => {
    const api = await workbenchApi();
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(fn.templatePath))!;
    const offered = await api.localDebugger.configurationsFor(folder);
    const config = offered.find((c) => c.function === 'HelloNode');
    assert.ok(config, `a configuration is offered for HelloNode: ${JSON.stringify(offered)}`);
    assert.ok(offered.some((c) => c.function === 'HelloPython'), 'and for the Python function');
    const watch = nextBreakpointStop();
    const sessions = sessionWatch();
    const invoked = new Promise<InvokeResult>((resolve) => {
      const sub = api.localRuns.onDidInvoke(({ result }) => {
        sub.dispose();
        resolve(result);
      });
    });
    try {
      await vscode.debug.startDebugging(folder, { ...config, event: '${workspaceFolder}/' + vscode.workspace.asRelativePath(eventPath, false) });
      const stop = await watch.stopped;
      await stop.session.customRequest('continue', { threadId: stop.threadId });
      const result = await invoked;
      assert.equal(result.error, null);
      assert.equal((result.payload as { statusCode: number }).statusCode, 200);
      await sessions.ended();
    } finally {
      watch.dispose();
      sessions.dispose();
    }
  });

  it('stops in the TypeScript source of an esbuild function, through the bundle\'s source maps', async () => {
    const { model } = await workbenchApi();
    const root = workspaceRoot().fsPath;
    const template = join(root, 'template.yaml');
    const original = readFileSync(template, 'utf8');
    const dir = join(root, 'hello-ts');
    mkdirSync(join(root, 'events', 'HelloTs'), { recursive: true });
    mkdirSync(dir, { recursive: true });
    const source = join(dir, 'app.ts');
    writeFileSync(source, "interface Greeting { name?: string }\n\nexport const handler = async (event: Greeting) => {\n  const greeting: string = `Hello, ${event.name ?? 'world'}`;\n  return { greeting };\n};\n");
    const event = join(root, 'events', 'HelloTs', 'ada.json');
    writeFileSync(event, '{"name":"Ada"}');
    const resource = '  HelloTs:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: app.handler\n      CodeUri: hello-ts/\n    Metadata:\n      BuildMethod: esbuild\n      BuildProperties:\n        EntryPoints:\n          - app.ts\n\n';
    const tsBreakpoint = new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(source), new vscode.Position(3, 0)));
    const watch = nextBreakpointStop();
    try {
      writeFileSync(template, original.replace('  WorkQueue:\n', `${resource}  WorkQueue:\n`));
      const ts = await until('the HelloTs function', model.onDidChange, () => model.functions().find((f) => f.logicalId === 'HelloTs'), 30_000);
      vscode.debug.addBreakpoints([tsBreakpoint]);
      const pending = vscode.commands.executeCommand<InvokeResult | undefined>('lambdaWorkbench.debugLocally', { templatePath: ts.templatePath, logicalId: ts.logicalId, eventPath: event });
      const stop = await Promise.race([watch.stopped, Promise.resolve(pending).then((r) => assert.fail(`Debug Locally ended without stopping: ${JSON.stringify(r?.error ?? r)}`))]);
      const { stackFrames } = (await stop.session.customRequest('stackTrace', { threadId: stop.threadId, startFrame: 0, levels: 1 })) as { stackFrames: Frame[] };
      assert.equal(framePath(stackFrames[0]), realpathSync(source), 'the debugger shows the TypeScript file, not the bundle');
      assert.equal(stackFrames[0].line, 4);
      await stop.session.customRequest('continue', { threadId: stop.threadId });
      const result = await pending;
      assert.deepEqual(result?.payload, { greeting: 'Hello, Ada' });
    } finally {
      watch.dispose();
      vscode.debug.removeBreakpoints([tsBreakpoint]);
      writeFileSync(template, original);
      rmSync(dir, { recursive: true, force: true });
      rmSync(join(root, 'events', 'HelloTs'), { recursive: true, force: true });
    }
  });

  it('says what Python debugging needs when the Python Debugger extension is missing', async () => {
    const api = await workbenchApi();
    const py = api.model.functions().find((f) => f.logicalId === 'HelloPython')!;
    assert.equal(vscode.extensions.getExtension('ms-python.debugpy'), undefined, 'this host has no Python extension');
    assert.throws(() => api.localDebugger.languageOf(py), /needs the Python Debugger extension \(ms-python\.debugpy\)/);
  });

  it('says what Java and Go debugging need when their debugger extensions are missing', async () => {
    const api = await workbenchApi();
    const java = { ...api.model.functions().find((f) => f.logicalId === 'HelloPython')!, logicalId: 'HelloJava', runtime: 'java21' };
    assert.equal(vscode.extensions.getExtension('vscjava.vscode-java-debug'), undefined, 'this host has no Java extension');
    assert.throws(() => api.localDebugger.languageOf(java), /Debugging Java functions needs the Debugger for Java extension \(vscjava\.vscode-java-debug\)/);
    const go = { ...java, logicalId: 'HelloGo', runtime: 'provided.al2023', build: { method: 'go1.x', properties: {} } };
    assert.equal(vscode.extensions.getExtension('golang.go'), undefined, 'this host has no Go extension');
    assert.throws(() => api.localDebugger.languageOf(go), /Debugging Go functions needs the Go extension \(golang\.go\)/);
  });
});
