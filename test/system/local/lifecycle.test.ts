import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { cancellationSource, CancelledError } from '../../../src/core/cancel';
import { LocalRunner } from '../../../src/core/local';
import { runLabels, testEnv } from '../env';
import { functionSpec, type LocalFixture, localFixture } from './fixture';

const HANDLER = (version: string) => `const started = Math.random().toString(36).slice(2);
export const handler = async (e) => {
  if (e.sleep) await new Promise((r) => setTimeout(r, e.sleep));
  return { version: '${version}', container: started };
};
`;

describe('local invoke: warm containers, changes, cancel and cleanup (real Docker)', () => {
  let fx: LocalFixture;
  before(async () => {
    fx = await localFixture();
  });
  after(() => fx?.dispose());

  it('reuses the warm container, then starts cold after a code change or a configuration change', async () => {
    const fn = functionSpec(fx.root, 'Warm', { 'index.mjs': HANDLER('v1') });
    const first = await fx.runner.invoke(fn, {});
    const second = await fx.runner.invoke(fn, {});
    assert.equal(first.report.cold, true);
    assert.equal(second.report.cold, false);
    const p1 = first.payload as { version: string; container: string };
    const p2 = second.payload as { version: string; container: string };
    assert.equal(p2.container, p1.container, 'the same environment served both');
    assert.equal((await fx.containers('Warm')).length, 1);

    writeFileSync(join(fn.codeUri!, 'index.mjs'), HANDLER('v2'));
    const changed = await fx.runner.invoke(fn, {});
    assert.equal(changed.report.cold, true, 'a code change makes the next invoke cold');
    assert.deepEqual((changed.payload as { version: string }).version, 'v2');
    assert.notEqual((changed.payload as { container: string }).container, p1.container);
    assert.equal((await fx.containers('Warm')).length, 1, 'the stale container was removed');

    const warmAgain = await fx.runner.invoke(fn, {});
    assert.equal(warmAgain.report.cold, false);
    const bigger = await fx.runner.invoke({ ...fn, memorySize: 256 }, {});
    assert.equal(bigger.report.cold, true, 'a configuration change makes it cold too');
    assert.equal(bigger.report.memorySizeMb, 256);
  });

  it('removes a warm container once it has been idle for the idle timeout', async () => {
    const runner = await fx.another({ idleTimeoutMs: 300 });
    const fn = functionSpec(fx.root, 'Idle', { 'index.mjs': HANDLER('v1') });
    await runner.invoke(fn, {});
    assert.equal(runner.containerCount(fn), 1);
    const deadline = Date.now() + 10_000;
    while ((await fx.containers('Idle')).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await fx.containers('Idle')).length, 0);
    assert.equal((await runner.invoke(fn, {})).report.cold, true);
  });

  it('cancels an invocation in flight and removes its container', async () => {
    const fn = functionSpec(fx.root, 'Cancel', { 'index.mjs': HANDLER('v1') }, { timeout: 30 });
    await fx.runner.invoke(fn, {});
    const source = cancellationSource();
    const running = fx.runner.invoke(fn, { event: { sleep: 20_000 }, token: source.token });
    await new Promise((r) => setTimeout(r, 500));
    const cancelledAt = Date.now();
    source.cancel();
    await assert.rejects(running, (err: unknown) => err instanceof CancelledError);
    assert.ok(Date.now() - cancelledAt < 10_000, 'it stopped without waiting for the handler');
    assert.equal((await fx.containers('Cancel')).length, 0, 'its container is gone');
    assert.equal(fx.runner.containerCount(fn), 0);
    const next = await fx.runner.invoke(fn, {});
    assert.equal(next.report.cold, true);
  });

  it('does not start anything for a token already cancelled', async () => {
    const fn = functionSpec(fx.root, 'Precancelled', { 'index.mjs': HANDLER('v1') });
    const source = cancellationSource();
    source.cancel();
    await assert.rejects(fx.runner.invoke(fn, { token: source.token }), CancelledError);
    assert.equal((await fx.containers('Precancelled')).length, 0);
  });

  it('runs on the host network with the Runtime API on loopback', async () => {
    const runner = await fx.another({ network: 'host' });
    const fn = functionSpec(fx.root, 'HostNet', { 'index.mjs': 'export const handler = async () => process.env.AWS_LAMBDA_RUNTIME_API;\n' });
    const r = await runner.invoke(fn, {});
    assert.equal(r.error, null);
    // Its secret name (see runtimeAccess.test.ts), which the container resolves to loopback.
    assert.match(r.payload as string, /^[0-9a-f]{32}\.runtime\.lambda-workbench\.internal:\d+$/);
    const [info] = await fx.containers('HostNet');
    assert.equal(info.HostConfig.NetworkMode, 'host');
  });

  it('limits CPU in proportion to memory after init when asked to (1,769 MB = 1 vCPU)', async () => {
    const runner = await fx.another({ cpu: 'lambda' });
    const fn = functionSpec(fx.root, 'Cpu', { 'index.mjs': HANDLER('v1') }, { memorySize: 256 });
    const r = await runner.invoke(fn, {});
    assert.equal(r.error, null);
    const [info] = await fx.containers('Cpu');
    const inspect = await fx.engine.docker.getContainer(info.Id).inspect();
    assert.equal(inspect.HostConfig.CpuPeriod, 100_000);
    assert.equal(inspect.HostConfig.CpuQuota, Math.round((256 / 1769) * 100_000));
    assert.equal(inspect.HostConfig.Memory, 256 * 1024 * 1024);
    assert.equal(inspect.HostConfig.MemorySwap, 256 * 1024 * 1024, 'no swap');
    assert.equal(inspect.HostConfig.ReadonlyRootfs, true);
  });

  it('removes its containers on dispose, and a new runner removes what a crashed one left', async () => {
    const runner = await fx.another({});
    const fn = functionSpec(fx.root, 'Disposed', { 'index.mjs': HANDLER('v1') });
    await runner.invoke(fn, {});
    assert.equal((await fx.containers('Disposed')).length, 1);
    await runner.dispose();
    assert.equal((await fx.containers('Disposed')).length, 0);

    // A container owned by a process of this machine that no longer exists.
    const leftover = await fx.engine.docker.createContainer({
      Image: testEnv().image,
      Cmd: ['index.handler'],
      Labels: { ...runLabels(), 'lambda-workbench.owner': `${hostname()}/2147483646`, 'lambda-workbench.function': 'Leftover' },
    });
    const alive = await fx.engine.docker.createContainer({
      Image: testEnv().image,
      Cmd: ['index.handler'],
      Labels: { ...runLabels(), 'lambda-workbench.owner': `${hostname()}/${process.pid}`, 'lambda-workbench.function': 'Leftover' },
    });
    try {
      const fresh = await LocalRunner.create({ engine: fx.engine, cacheDir: join(fx.root, '.cache2') });
      await fresh.dispose();
      const ids = (await fx.containers('Leftover')).map((c) => c.Id);
      assert.equal(ids.includes(leftover.id), false, 'the crashed run\'s container was removed');
      assert.equal(ids.includes(alive.id), true, 'a live process\'s container stays');
    } finally {
      await alive.remove({ force: true });
      await leftover.remove({ force: true }).catch(() => undefined);
    }
  });
});
