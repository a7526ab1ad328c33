import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BuildEngine } from '../../../src/core/build';
import { DELVE_VERSION } from '../../../src/core/build/delve';
import { UserError } from '../../../src/core/errors';
import { type DebugTarget, InvocationClock } from '../../../src/core/local';
import type { FunctionSpec } from '../../../src/core/model/types';
import { Dap, type StackFrame } from '../../support/dap';
import { offlineSettings, type Project, project } from '../build/support';
import { type LocalFixture, localFixture } from './fixture';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  GoDebuggee:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: go/
      Runtime: provided.al2023
      Handler: bootstrap
      MemorySize: 128
      Timeout: 1
    Metadata:
      BuildMethod: go1.x
`;

// Debug Locally of a Go function: the build stage makes its debug build (no optimisation, this
// machine's source paths), the build engine builds Delve with this machine's Go (from the module
// cache setup fills), and the function starts under Delve's headless server in the provided.al2023
// test image. Driven here over the Debug Adapter Protocol the way the Go extension's "remote"
// attach drives it.
describe('local debug of Go functions: Delve over the Debug Adapter Protocol (real go build, real Docker)', function () {
  this.timeout(600_000);
  let p: Project;
  let fx: LocalFixture;
  let fn: FunctionSpec;
  let engine: BuildEngine;

  before(async () => {
    const image = process.env.LWB_TEST_IMAGE_PROVIDED;
    assert.ok(image, 'the runner imports the provided.al2023 test image (test/support/services.ts)');
    p = project(TEMPLATE, { go: 'go-outcomes' });
    engine = new BuildEngine({ cacheDir: p.cacheDir, settings: offlineSettings() });
    fx = await localFixture({ images: { 'provided.al2023': image }, builds: engine });
    fn = (await p.functions()).GoDebuggee;
  });
  after(async () => {
    await fx?.dispose();
    p?.cleanup();
  });

  it('stops on a breakpoint in the handler with the event in scope; the paused time does not count against the timeout', async () => {
    const source = join(p.dir, 'go', 'main.go');
    const line = readFileSync(source, 'utf8').split('\n').findIndex((l) => l.includes('invocations++')) + 1;
    assert.ok(line > 0);
    // The first session builds Delve and the debug build; the second finds both.
    const sessions: number[] = [];
    for (let session = 0; session < 2; session++) {
      const clock = new InvocationClock();
      let dap: Dap | undefined;
      let seen: { target: DebugTarget; frame: StackFrame; event: string; hostIps: string[]; stoppedMs: number } | undefined;
      const started = performance.now();
      const result = await fx.runner.invoke(fn, {
        event: { action: 'hello' },
        debug: {
          clock,
          detach: async () => dap?.close(),
          attach: async (target) => {
            const hostIps = await fx.publishedOn(target.containerId, 2345);
            dap = await Dap.connect(target.host, target.port);
            const d = dap;
            // Stays stopped longer than the function's 1 s timeout.
            d.onStop(clock, 'e', 1500, (stop) => {
              seen = { target, frame: stop.frame, event: stop.value, hostIps, stoppedMs: stop.at - started };
            });
            await d.request('initialize', { clientID: 'lambda-workbench-test', adapterID: 'go', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
            const initialized = d.once('initialized');
            await d.request('attach', { mode: 'remote' });
            await initialized;
            const set = await d.request<{ breakpoints: { verified: boolean }[] }>('setBreakpoints', { source: { path: source }, breakpoints: [{ line }] });
            assert.equal(set.breakpoints[0]?.verified, true, 'the debug build binds the breakpoint to the file on this machine');
            // Delve lets the function run once the configuration is done.
            await d.request('configurationDone');
          },
        },
      });
      dap?.close();
      assert.equal(result.error, null, `paused past the timeout, yet not timed out: ${JSON.stringify(result.error)}`);
      assert.equal((result.payload as { message: string }).message, 'hello from Go');
      assert.ok(seen, 'the breakpoint was hit');
      assert.equal(seen.frame.name, 'main.handle');
      assert.equal(seen.frame.line, line);
      assert.equal(seen.frame.source?.path, source, 'the frame is the file on this machine');
      assert.match(seen.event, /^main\.event \{Action: "hello", Ms: 0, Mb: 0\}$/, 'the event is in scope at the breakpoint');
      assert.deepEqual(seen.hostIps, ['127.0.0.1'], 'Delve is published on loopback only');
      assert.deepEqual([seen.target.language, seen.target.localRoot], ['go', fn.codeUri]);
      assert.equal(fx.runner.containerCount(fn), 0, 'a debug container is not kept warm');
      sessions.push(seen.stoppedMs);
    }
    assert.ok(existsSync(join(p.cacheDir, 'delve', `${DELVE_VERSION}-linux-amd64`, 'dlv')), 'Delve was built into the cache, once');
    // Invoke (not debug) runs the deploy build, not the debug one: built now, then a cold start timed.
    const plain = await fx.runner.invoke(fn, { event: { action: 'hello' } });
    assert.equal(plain.error, null, JSON.stringify(plain.error));
    const started = performance.now();
    const cold = await fx.runner.invoke(fn, { event: { action: 'hello' }, forceCold: true });
    const toHandler = performance.now() - started - cold.report.durationMs;
    // Printed, never asserted.
    console.log(`      Go: invoke -> stopped at the breakpoint ${sessions[0].toFixed(0)} ms (first session: Delve and the debug build made), ${sessions[1].toFixed(0)} ms (later); a cold invoke reaches its handler in ${toHandler.toFixed(0)} ms`);
  });

  it('an arm64 function on this x86_64 engine: refused before anything is built, since Delve cannot trace an emulated CPU', async function () {
    if (process.arch !== 'x64') this.skip();
    const arm = { ...fn, architecture: 'arm64' as const };
    await assert.rejects(
      fx.runner.invoke(arm, { debug: { attach: async () => assert.fail('nothing to attach to') } }),
      (err: unknown) => err instanceof UserError && err.code === 'debug-emulated' && /Architectures: \[x86_64\]/.test(err.hint ?? ''),
    );
    assert.equal(existsSync(join(p.cacheDir, 'delve', `${DELVE_VERSION}-linux-arm64`)), false);
  });
});
