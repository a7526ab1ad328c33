import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LocalRunner, type PoolTimers, WarmPool } from '../../../src/core/local';
import type { FunctionSpec } from '../../../src/core/model/types';
import { functionSpec, type LocalFixture, localFixture } from './fixture';

// A warm pool keeps N containers of a function started through their init: invocations find them
// warm, a code change replaces them with ones on the new code, one that dies is replaced, the idle
// timeout removes none of them, and a function that cannot start is retried after growing waits.

const HANDLER = (version: string): string => `const started = Math.random().toString(36).slice(2);
export const handler = async () => ({ version: '${version}', container: started });
`;

const BROKEN = `throw new Error('broken at import');
export const handler = async () => 'never';
`;

/** Waits (at most 20 s) for a condition the engine reaches on its own, such as a container's exit being noticed. */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Timers the test fires itself: it sees every wait the pool asks for. */
function manualTimers(): PoolTimers & { waits: { ms: number; fire(): void }[] } {
  const waits: { ms: number; fire(): void; cleared: boolean }[] = [];
  return {
    waits,
    set(callback, ms) {
      const w = { ms, cleared: false, fire: () => !w.cleared && callback() };
      waits.push(w);
      return w;
    },
    clear(handle) {
      (handle as { cleared: boolean }).cleared = true;
    },
  };
}

describe('local warm pool: minimum warm containers per function (real Docker)', function () {
  this.timeout(120_000);
  let fx: LocalFixture;
  before(async () => {
    fx = await localFixture();
  });
  after(() => fx?.dispose());

  const running = async (logicalId: string): Promise<number> => (await fx.containers(logicalId)).filter((c) => c.State === 'running').length;

  it('after an invoke with a minimum of 2, two containers wait; a code change replaces them and the next invoke is warm on the new code', async () => {
    const pool = new WarmPool(fx.runner, { minimum: 2, settleMs: 50 });
    try {
      const fn = functionSpec(fx.root, 'Pooled', { 'index.mjs': HANDLER('v1') });
      const first = await fx.runner.invoke(fn, {});
      assert.equal(first.report.cold, true);
      pool.keep(fn);
      await pool.settled(fn);
      assert.equal(fx.runner.warmCount(fn), 2);
      assert.equal(await running('Pooled'), 2, 'two containers on the engine');
      assert.deepEqual(pool.state(fn), { logicalId: 'Pooled', templatePath: fn.templatePath, target: 2, warm: 2, starting: false });

      const warm = await fx.runner.invoke(fn, {});
      assert.equal(warm.report.cold, false);

      writeFileSync(join(fn.codeUri!, 'index.mjs'), HANDLER('v2'));
      pool.changed(fn);
      assert.equal(pool.state(fn)?.starting, true, 'the change is settling');
      // An invoke right after the save waits for the first fresh container, not for every one.
      await pool.ready(fn);
      const after = await fx.runner.invoke(fn, {});
      assert.equal(after.report.cold, false, 'the first invoke after the change is warm');
      assert.equal((after.payload as { version: string }).version, 'v2', 'and runs the new code');
      await pool.settled(fn);
      assert.equal(fx.runner.warmCount(fn), 2);
      await until(async () => (await fx.containers('Pooled')).length === 2, 'the stale containers to be removed');
    } finally {
      await pool.dispose();
    }
  });

  it('the idle timeout removes only the containers above the minimum, and one that dies is replaced', async () => {
    const runner = await fx.another({ idleTimeoutMs: 300 });
    const pool = new WarmPool(runner, { minimum: 2 });
    try {
      const fn = functionSpec(fx.root, 'Kept', { 'index.mjs': HANDLER('v1') });
      pool.keep(fn);
      await pool.settled(fn);
      const kept = new Set((await fx.containers('Kept')).map((c) => c.Id));
      assert.equal(kept.size, 2);

      // A function the pool does not keep, run after the pool's two went idle: once its container
      // has timed out, the pool's two (idle since before it) have passed their timeout too.
      const other = functionSpec(fx.root, 'NotKept', { 'index.mjs': HANDLER('v1') });
      await runner.invoke(other, {});
      await until(async () => (await fx.containers('NotKept')).length === 0, 'the unkept container to time out');
      assert.deepEqual(new Set((await fx.containers('Kept')).map((c) => c.Id)), kept, 'the minimum outlived the idle timeout');

      // A third, from an invoke that wants a fresh one, is above the minimum: it goes when idle.
      await runner.invoke(fn, { forceCold: true });
      assert.equal(runner.warmCount(fn), 3);
      await until(async () => (await fx.containers('Kept')).length === 2, 'the extra container to time out');
      assert.equal((await runner.invoke(fn, {})).report.cold, false);

      const removed = countChanges(runner, fn, 'removed');
      const [victim] = (await fx.containers('Kept')).map((c) => c.Id);
      await fx.engine.docker.getContainer(victim).kill();
      await until(() => removed.count > 0, 'the dead container to be noticed');
      await pool.settled(fn);
      assert.equal(runner.warmCount(fn), 2, 'the pool replaced it');
      assert.equal(await running('Kept'), 2);
      assert.equal((await runner.invoke(fn, {})).report.cold, false);
    } finally {
      await pool.dispose();
      await runner.dispose();
    }
    assert.equal((await fx.containers('Kept')).length, 0, 'disposing the pool and the runner removes every container');
  });

  it('leaves nothing behind when disposed while containers are starting', async () => {
    const runner = await fx.another({});
    const pool = new WarmPool(runner, { minimum: 3 });
    const fn = functionSpec(fx.root, 'Disposed', { 'index.mjs': HANDLER('v1') });
    const added = countChanges(runner, fn, 'added');
    pool.keep(fn);
    await until(() => added.count > 0, 'a container to be created');
    await pool.dispose();
    pool.keep(fn);
    assert.equal(pool.state(fn), undefined, 'a disposed pool keeps nothing');
    await runner.dispose();
    assert.equal((await fx.containers('Disposed')).length, 0);
  });

  it('does not retry a function whose container cannot start in a loop: each retry waits twice as long, and the error is reported', async () => {
    const timers = manualTimers();
    const errors: string[] = [];
    const pool = new WarmPool(fx.runner, { minimum: 2, timers, firstRetryMs: 1_000, onError: (_, err) => errors.push(String((err as Error).message)) });
    try {
      const fn = functionSpec(fx.root, 'Broken', { 'index.mjs': BROKEN });
      const starts = countChanges(fx.runner, fn, 'added');
      pool.keep(fn);
      await pool.settled(fn);
      assert.equal(errors.length, 1);
      assert.match(errors[0], /Broken could not start: .*broken at import/);
      const state = pool.state(fn)!;
      assert.equal(state.warm, 0);
      assert.equal(state.starting, false);
      assert.match(state.error!, /broken at import/);
      assert.equal(state.retryInMs, 1_000);
      assert.deepEqual(timers.waits.map((w) => w.ms), [1_000], 'one retry, after a wait');
      const afterFirst = starts.count;
      assert.ok(afterFirst >= 1 && afterFirst <= 2, `one round of starts (${afterFirst})`);
      assert.equal((await fx.containers('Broken')).length, 0, 'the failed containers are removed');

      timers.waits[0].fire();
      await pool.settled(fn);
      assert.equal(errors.length, 2);
      assert.deepEqual(timers.waits.map((w) => w.ms), [1_000, 2_000], 'the next wait is twice as long');
      assert.ok(starts.count <= afterFirst * 2, 'nothing started between the two tries');

      // A save may be the fix: it is tried at once, and works.
      writeFileSync(join(fn.codeUri!, 'index.mjs'), HANDLER('fixed'));
      pool.changed(fn);
      timers.waits[2].fire();
      await pool.settled(fn);
      assert.equal(pool.state(fn)?.error, undefined);
      assert.equal(fx.runner.warmCount(fn), 2);
    } finally {
      await pool.dispose();
    }
  });
});

/** Counts the runner's container changes of one kind for the function. */
function countChanges(runner: LocalRunner, fn: FunctionSpec, kind: 'added' | 'removed'): { count: number } {
  const counter = { count: 0 };
  runner.onDidChangeContainers((c) => {
    if (c.logicalId === fn.logicalId && c.kind === kind) counter.count++;
  });
  return counter;
}
