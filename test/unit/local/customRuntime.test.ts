import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { UserError } from '../../../src/core/errors';
import { DEBUG_PORTS, debuggable, DEBUGGER_LISTENING, debugLanguage, delveEntrypoint, javaToolOptionsForDebug } from '../../../src/core/local/debug';
import { addDebugger } from '../../../src/core/local/debugContainer';
import { LayerCache } from '../../../src/core/local/layerCache';
import { type PrepareContext, prepareFunction } from '../../../src/core/local/prepare';
import type { LayerSpec } from '../../../src/core/model/types';
import { NO_RANGE, testFunctionSpec } from '../../support/specs';

describe("local: a custom runtime's bootstrap is the container's entrypoint, found as Lambda finds it", () => {
  let work: string;
  let ctx: PrepareContext;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'lwb-custom-'));
    const docker = new Proxy({}, { get: () => () => assert.fail('no engine call while preparing a zip function') }) as unknown as Docker;
    ctx = { docker, cacheDir: join(work, 'cache'), images: {}, layers: new LayerCache(join(work, 'cache', 'layers')), region: 'us-east-1', salt: {}, builtImages: new Map() };
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  function folder(name: string, files: string[]): string {
    const dir = join(work, name);
    mkdirSync(dir, { recursive: true });
    for (const f of files) writeFileSync(join(dir, f), '');
    return dir;
  }

  function layer(dir: string): LayerSpec {
    return { logicalId: 'L', templatePath: join(work, 'template.yaml'), resourceType: 'AWS::Serverless::LayerVersion', contentUri: dir, compatibleRuntimes: [], compatibleArchitectures: [], ranges: { resource: NO_RANGE, logicalId: NO_RANGE, properties: {} } };
  }

  it("the package's /var/task/bootstrap first, with no arguments; then a layer's /opt/bootstrap", async () => {
    const withBoth = testFunctionSpec({ runtime: 'provided.al2023', handler: 'bootstrap', codeUri: folder('code', ['bootstrap']), templatePath: join(work, 'template.yaml'), layers: [{ kind: 'local', logicalId: 'L', layer: layer(folder('layer', ['bootstrap'])) }] });
    const own = await prepareFunction(ctx, withBoth, {});
    assert.deepEqual([own.entrypoint, own.cmd], [['/var/task/bootstrap'], []]);
    const fromLayer = await prepareFunction(ctx, { ...withBoth, codeUri: folder('empty', ['README.md']) }, {});
    assert.deepEqual(fromLayer.entrypoint, ['/opt/bootstrap']);
    assert.notEqual(own.fingerprint, fromLayer.fingerprint, 'another entrypoint is another environment');
  });

  it('none: refused in Lambda\'s words; managed runtimes keep the image\'s entrypoint with the handler', async () => {
    const none = testFunctionSpec({ runtime: 'provided.al2', handler: 'bootstrap', codeUri: folder('src', ['main.go']), templatePath: join(work, 'template.yaml') });
    await assert.rejects(prepareFunction(ctx, none, {}), (err: unknown) => err instanceof UserError && err.code === 'bootstrap-missing' && /\[\/var\/task\/bootstrap \/opt\/bootstrap\]/.test(err.message));
    const node = await prepareFunction(ctx, testFunctionSpec({ codeUri: folder('node', ['bootstrap', 'index.mjs']), templatePath: join(work, 'template.yaml') }), {});
    assert.deepEqual([node.entrypoint, node.cmd], [undefined, ['index.handler']]);
  });
});

describe('local: Debug Locally refuses what it cannot attach to, saying what to do instead', () => {
  const cases: [string, Parameters<typeof testFunctionSpec>[0], RegExp][] = [
    ['Go built another way', { runtime: 'provided.al2023', build: { method: 'makefile', properties: {} } }, /BuildMethod: go1\.x/],
    ['Rust', { runtime: 'provided.al2023', build: { method: 'rust-cargolambda', properties: {} } }, /cargo test, with the CodeLLDB extension/],
  ];
  for (const [name, patch, hint] of cases) {
    it(name, () => {
      assert.throws(() => debuggable(testFunctionSpec(patch)), (err: unknown) => {
        assert.ok(err instanceof UserError);
        assert.equal(err.code, 'debug-unsupported');
        assert.match(err.hint ?? '', hint);
        assert.match(err.hint ?? '', /Invoke Locally runs it in its container/);
        return true;
      });
    });
  }
});

describe('local: Debug Locally attaches to Java through the JVM\'s own JDWP agent', () => {
  it('java runtimes take the JDWP debugger', () => {
    assert.equal(debuggable(testFunctionSpec({ runtime: 'java21' })), 'java');
    assert.equal(debuggable(testFunctionSpec({ runtime: 'java17' })), 'java');
  });

  it("JAVA_TOOL_OPTIONS keeps the function's own options and loads one JDWP agent, paused until a debugger attaches", async () => {
    const env: Record<string, string> = { JAVA_TOOL_OPTIONS: '-XX:+UseSerialGC -agentlib:jdwp=transport=dt_socket,server=y,address=8000 -Dx=1' };
    const binds: string[] = [];
    const { port, entrypoint } = await addDebugger('java', false, tmpdir(), env, binds);
    assert.equal(port, DEBUG_PORTS.java);
    assert.equal(entrypoint, undefined, "the image's own entrypoint starts the JVM");
    assert.equal(env.JAVA_TOOL_OPTIONS, '-XX:+UseSerialGC -Dx=1 -agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=*:5005');
    assert.deepEqual(binds, [], 'nothing is mounted: the agent is part of the JVM');
    assert.equal(javaToolOptionsForDebug(undefined, '127.0.0.1:4000'), '-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:4000');
    assert.equal(javaToolOptionsForDebug('-Xrunjdwp:transport=dt_socket', '*:5005'), '-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=*:5005');
  });

  it("on the host network the agent listens on this machine's loopback only", async () => {
    const env: Record<string, string> = {};
    const { port } = await addDebugger('java', true, tmpdir(), env, []);
    assert.notEqual(port, DEBUG_PORTS.java);
    assert.equal(env.JAVA_TOOL_OPTIONS, `-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:${port}`);
  });

  it('the JVM\'s "listening" line is what the runner waits for', () => {
    assert.match('Listening for transport dt_socket at address: 5005', DEBUGGER_LISTENING);
    assert.doesNotMatch('Picked up JAVA_TOOL_OPTIONS: -agentlib:jdwp=transport=dt_socket', DEBUGGER_LISTENING);
  });
});

describe('local: Debug Locally runs a Go function under Delve', () => {
  it('a function the build stage builds with Go takes Delve; Rust and other custom runtimes do not', () => {
    assert.equal(debuggable(testFunctionSpec({ runtime: 'provided.al2023', build: { method: 'go1.x', properties: {} } })), 'go');
    assert.equal(debugLanguage({ runtime: 'provided.al2', build: { method: 'go1.x', properties: {} } }), 'go');
    assert.equal(debugLanguage({ runtime: 'provided.al2023', build: { method: 'rust-cargolambda', properties: {} } }), undefined);
    assert.equal(debugLanguage({ runtime: 'provided.al2023' }), undefined);
  });

  it("Delve, mounted read-only, starts the bootstrap headless, stopped until a debugger lets it run; the bootstrap's arguments follow --", async () => {
    const env: Record<string, string> = {};
    const binds: string[] = [];
    const added = await addDebugger('go', false, tmpdir(), env, binds, { delveDir: '/cache/delve', entrypoint: ['/var/task/bootstrap'] });
    assert.equal(added.port, DEBUG_PORTS.go);
    assert.deepEqual(added.entrypoint, ['/var/lambda-workbench-delve/dlv', 'exec', '/var/task/bootstrap', '--headless', '--listen=0.0.0.0:2345', '--api-version=2', '--accept-multiclient', '--only-same-user=false']);
    assert.deepEqual(binds, ['/cache/delve:/var/lambda-workbench-delve:ro']);
    assert.deepEqual(env, {}, 'the function sees its own environment');
    assert.deepEqual(delveEntrypoint(['/opt/bootstrap', '--flag'], '127.0.0.1:4000').slice(-3), ['--only-same-user=false', '--', '--flag']);
    assert.match('API server listening at: [::]:2345', DEBUGGER_LISTENING);
  });
});
