import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BuildEngine } from '../../../src/core/build';
import { UserError } from '../../../src/core/errors';
import type { FunctionSpec, LayerSpec } from '../../../src/core/model/types';
import { offlineSettings, type Project, project } from '../build/support';
import { functionSpec, type LocalFixture, localFixture } from './fixture';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: provided.al2023
    Handler: bootstrap
    MemorySize: 256
    Timeout: 10
    Environment:
      Variables:
        GREETING: hello from the template
Resources:
  Go:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: go/
    Metadata:
      BuildMethod: go1.x
  Rust:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: rust/
    Metadata:
      BuildMethod: rust-cargolambda
`;

/** How each runtime library reports a handler's error (what Lambda passes on as it is). */
const HANDLER_ERROR: Record<string, (e: { errorType: string; errorMessage: string }) => void> = {
  // aws-lambda-go: the error's Go type name.
  Go: (e) => assert.deepEqual(e, { errorType: 'errorString', errorMessage: 'the handler failed on purpose' }),
  // lambda_runtime: the Rust type name of the boxed error.
  Rust: (e) => {
    assert.equal(e.errorType, '&alloc::boxed::Box<dyn core::error::Error + core::marker::Send + core::marker::Sync>');
    assert.equal(e.errorMessage, 'the handler failed on purpose');
    assert.deepEqual(Object.keys(e).sort(), ['errorMessage', 'errorType']);
  },
};

/** How each ends when its init fails: Go exits 3 itself, Rust's main returns an Err (exit 1). */
const INIT_EXIT: Record<string, number> = { Go: 3, Rust: 1 };

// Go and Rust functions on the OS-only runtime, built by the build stage and run in the
// provided.al2023 test image (no runtime of its own: the function's bootstrap is the runtime).
describe('local invoke: Go and Rust on provided.al2023, their own bootstrap as the runtime (real builds, real Docker)', function () {
  this.timeout(600_000);
  let p: Project;
  let fx: LocalFixture;
  let fns: Record<string, FunctionSpec>;
  let engine: BuildEngine;

  before(async function () {
    if (process.arch !== 'x64') this.skip(); // the Rust function is built for this machine's CPU, as x86_64
    const image = process.env.LWB_TEST_IMAGE_PROVIDED;
    assert.ok(image, 'the runner imports the provided.al2023 test image (test/support/services.ts)');
    p = project(TEMPLATE, { go: 'go-outcomes', rust: 'rust' });
    engine = new BuildEngine({ cacheDir: p.cacheDir, settings: offlineSettings() });
    fx = await localFixture({ images: { 'provided.al2023': image }, builds: engine });
    fns = await p.functions();
  });
  after(async () => {
    await fx?.dispose();
    p?.cleanup();
  });

  for (const id of ['Go', 'Rust']) {
    describe(id, () => {
      it('built first, then the result with the template\'s environment; the next invoke is warm in the same process', async () => {
        const cold = await fx.runner.invoke(fns[id], { event: { action: 'hello' } });
        assert.equal(cold.error, null, JSON.stringify(cold.error));
        const payload = cold.payload as Record<string, unknown>;
        assert.equal(payload.greeting, 'hello from the template');
        assert.equal(payload.requestId, cold.requestId);
        assert.equal(String(payload.functionName), id);
        assert.equal(String(payload.memorySize), '256');
        assert.equal(payload.invocation, 1);
        assert.equal(cold.report.cold, true);
        assert.match(cold.reportLine, new RegExp(`^REPORT RequestId: ${cold.requestId}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms$`));
        const warm = await fx.runner.invoke(fns[id], { event: { action: 'hello' } });
        assert.equal(warm.report.cold, false);
        assert.equal((warm.payload as Record<string, unknown>).invocation, 2, 'the same runtime process served it');
        console.log(`      ${id}: cold Init Duration ${cold.report.initDurationMs} ms, Duration ${cold.report.durationMs} ms; warm Duration ${warm.report.durationMs} ms; Max Memory Used ${warm.report.maxMemoryUsedMb} MB`);
      });

      it("a handler's error as the runtime library reports it; the environment stays warm", async () => {
        const failed = await fx.runner.invoke(fns[id], { event: { action: 'fail' } });
        assert.equal(failed.payload, null);
        assert.ok(failed.error);
        HANDLER_ERROR[id](failed.error);
        assert.equal(failed.report.status, 'error');
        const next = await fx.runner.invoke(fns[id], { event: { action: 'hello' } });
        assert.equal(next.report.cold, false);
      });

      it('Max Memory Used is what the process really used', async () => {
        const small = await fx.runner.invoke(fns[id], { event: { action: 'hello' }, forceCold: true });
        const big = await fx.runner.invoke(fns[id], { event: { action: 'allocate', mb: 100 } });
        assert.equal(big.error, null, JSON.stringify(big.error));
        assert.equal((big.payload as { touchedPages: number }).touchedPages, 100 * 256);
        assert.ok(small.report.maxMemoryUsedMb < 60, `a fresh ${id} runtime uses ${small.report.maxMemoryUsedMb} MB`);
        assert.ok(big.report.maxMemoryUsedMb >= 100 && big.report.maxMemoryUsedMb <= 256, `after touching 100 MB: ${big.report.maxMemoryUsedMb} MB`);
      });

      it("a timeout: Lambda's error, and the environment is replaced", async () => {
        const result = await fx.runner.invoke(fns[id], { event: { action: 'sleep', ms: 5000 }, timeoutSeconds: 1 });
        assert.deepEqual(result.error, { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${result.requestId} Error: Task timed out after 1.00 seconds` });
        assert.equal(result.report.status, 'timeout');
        const after = await fx.runner.invoke(fns[id], { event: { action: 'hello' }, timeoutSeconds: 1 });
        assert.equal(after.report.cold, true);
      });

      it('over its memory: killed, reported as Runtime.OutOfMemory', async () => {
        const result = await fx.runner.invoke(fns[id], { event: { action: 'allocate', mb: 300 }, memoryMb: 128 });
        assert.deepEqual(result.error, { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: signal: killed` });
        assert.equal(result.report.errorType, 'Runtime.OutOfMemory');
        assert.equal(result.report.maxMemoryUsedMb, 128);
      });

      it('an init failure: the runtime exits before its first poll, reported as Runtime.ExitError with its exit status', async () => {
        const result = await fx.runner.invoke(fns[id], { event: {}, envOverrides: { FAIL_INIT: '1' } });
        assert.equal(result.payload, null);
        assert.equal(result.error?.errorType, 'Runtime.ExitError');
        assert.match(result.error?.errorMessage ?? '', new RegExp(`Runtime exited with error: exit status ${INIT_EXIT[id]}$`));
        assert.match(await result.settleLogs(), /init failed on purpose/);
      });
    });
  }

  it("a layer's bootstrap (/opt/bootstrap) runs when the function's package has none", async () => {
    const built = await engine.build(fns.Go);
    const layerDir = join(p.dir, 'runtime-layer');
    mkdirSync(layerDir);
    copyFileSync(join(built.artifactDir!, 'bootstrap'), join(layerDir, 'bootstrap'));
    const layer = layerSpec(p.dir, layerDir);
    const fn = functionSpec(p.dir, 'FromLayer', { 'README.md': 'the runtime comes from the layer\n' }, { runtime: 'provided.al2023', handler: 'anything', layers: [{ kind: 'local', logicalId: 'RuntimeLayer', layer }] });
    const result = await fx.runner.invoke(fn, { event: { action: 'hello' }, codeDir: fn.codeUri });
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.equal((result.payload as { message: string }).message, 'hello from Go');
  });

  it('no bootstrap anywhere: refused before anything starts, in Lambda\'s words, saying how to build one', async () => {
    const fn = functionSpec(p.dir, 'NoBootstrap', { 'main.go': 'package main\n' }, { runtime: 'provided.al2023', handler: 'bootstrap' });
    await assert.rejects(fx.runner.invoke(fn, { event: {}, codeDir: fn.codeUri }), (err: unknown) => {
      assert.ok(err instanceof UserError, String(err));
      assert.equal(err.code, 'bootstrap-missing');
      assert.match(err.message, /Couldn't find valid bootstrap\(s\): \[\/var\/task\/bootstrap \/opt\/bootstrap\]/);
      assert.match(err.hint ?? '', /BuildMethod go1\.x, rust-cargolambda or makefile/);
      return true;
    });
    assert.equal((await fx.containers('NoBootstrap')).length, 0);
  });
});

function layerSpec(root: string, contentUri: string): LayerSpec {
  const range = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };
  return {
    logicalId: 'RuntimeLayer',
    templatePath: join(root, 'template.yaml'),
    resourceType: 'AWS::Serverless::LayerVersion',
    contentUri,
    compatibleRuntimes: ['provided.al2023'],
    compatibleArchitectures: ['x86_64'],
    ranges: { resource: range, logicalId: range, properties: {} },
  };
}
