import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Engine, openEngine, resolveEndpoint } from '../../../src/core/docker';
import { UserError } from '../../../src/core/errors';
import { LocalRunner } from '../../../src/core/local';
import { runLabels, testEnv } from '../env';
import { functionSpec } from './fixture';
import { nonLoopbackAddress, startTcpProxy, type TcpProxy } from './tcpProxy';

const SOCKET = resolveEndpoint().socketPath ?? '/var/run/docker.sock';

describe('local invoke on a tcp engine, here and elsewhere (real engine through a TCP proxy)', () => {
  let root: string;
  const proxies: TcpProxy[] = [];
  const runners: LocalRunner[] = [];
  const runner = async (engine: Engine): Promise<LocalRunner> => {
    const r = await LocalRunner.create({ engine, cacheDir: join(root, 'cache'), images: { 'nodejs22.x': testEnv().image }, labels: runLabels() });
    runners.push(r);
    return r;
  };
  const proxy = async (host: string): Promise<TcpProxy> => {
    const p = await startTcpProxy(host, SOCKET);
    proxies.push(p);
    return p;
  };
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'lwb-remote-invoke-'));
  });
  after(async () => {
    await Promise.all(runners.map((r) => r.dispose()));
    await Promise.all(proxies.map((p) => p.close()));
    rmSync(root, { recursive: true, force: true });
  });

  const handler = "import { readFileSync } from 'node:fs';\nexport const handler = async (e) => ({ n: e.n * 2, data: readFileSync(new URL('./data.txt', import.meta.url), 'utf8') });\n";

  it('runs a function on tcp://127.0.0.1 like on the socket: this machine\'s engine, folders bound', async () => {
    const p = await proxy('127.0.0.1');
    const r = await runner(await openEngine({ dockerHost: p.url }));
    const fn = functionSpec(root, 'TcpHere', { 'index.mjs': handler, 'data.txt': 'bound' });
    const result = await r.invoke(fn, { event: { n: 2 } });
    assert.equal(result.error, null, result.logText());
    assert.deepEqual(result.payload, { n: 4, data: 'bound' });
    assert.match(result.report.maxMemorySource, /^rss-/);
  });

  it('runs a function on an engine elsewhere: code copied in, the Runtime API on the address toward the engine (simulated on a non-loopback address)', async function () {
    const address = nonLoopbackAddress();
    if (!address) return this.skip(); // No interface but loopback: no second address to play the other machine's route.
    const p = await proxy(address);
    const engine = await openEngine({ dockerHost: p.url });
    // What a remote engine reports: another machine's host name.
    const r = await runner({ ...engine, info: { ...engine.info, name: 'build-box' } });
    const fn = functionSpec(root, 'Elsewhere', { 'index.mjs': handler, 'data.txt': 'copied' });
    const cold = await r.invoke(fn, { event: { n: 21 } });
    assert.equal(cold.error, null, cold.logText());
    assert.deepEqual(cold.payload, { n: 42, data: 'copied' });
    assert.equal(cold.report.initDurationMs !== undefined, true);
    // Its processes are not this machine's: memory comes from the engine's stats.
    assert.match(cold.report.maxMemorySource, /^stats-/);
    const warm = await r.invoke(fn, { event: { n: 1 } });
    assert.deepEqual(warm.payload, { n: 2, data: 'copied' });
    assert.equal(r.containerCount(fn), 1);
    // A debugger port published on that machine's loopback is out of reach: said before any container starts.
    await assert.rejects(
      r.invoke(fn, { debug: { attach: async () => assert.fail('nothing to attach to') } }),
      (err: unknown) => err instanceof UserError && err.code === 'debug-remote-engine' && /\(--docker-host, or the DOCKER_HOST variable\)/.test(err.hint ?? ''),
    );
    assert.equal(r.containerCount(fn), 1, 'no debug container was made');
  });

  it('says the container could not reach the Runtime API at a chosen address, and what to set, instead of an exit or init timeout', async () => {
    const engine = await openEngine({ runtimeApiAddress: '127.0.0.1' });
    const r = await runner(engine);
    const fn = functionSpec(root, 'Unreached', { 'index.mjs': 'export const handler = async () => 1;\n' });
    const started = Date.now();
    await assert.rejects(r.invoke(fn, {}), (err: unknown) => {
      assert.ok(err instanceof UserError, String(err));
      assert.equal(err.code, 'runtime-api-unreachable');
      assert.match(err.message, /^The container for Unreached could not reach the Runtime API at 127\.0\.0\.1:\d+ \(the lambdaWorkbench\.local\.runtimeApiAddress setting\): it exited \(code \d+\) without ever connecting/);
      assert.match(err.hint ?? '', /the Runtime API address \(--runtime-api-address, or the LAMBDA_WORKBENCH_RUNTIME_API_ADDRESS variable\)\.$/);
      return true;
    });
    assert.ok(Date.now() - started < 10_000, 'at once, not after the init phase');
    assert.equal(r.containerCount(fn), 0);
  });
});
