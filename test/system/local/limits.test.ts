import assert from 'node:assert/strict';
import { UserError } from '../../../src/core/errors';
import { functionSpec, type LocalFixture, localFixture } from './fixture';

const SIX_MIB = 6 * 1024 * 1024;

describe('local invoke: timeout, memory and payload limits like Lambda\'s (real Docker)', () => {
  let fx: LocalFixture;
  before(async () => {
    fx = await localFixture();
  });
  after(() => fx?.dispose());

  it('stops a handler at its timeout with Lambda\'s wording, and replaces the container', async () => {
    const fn = functionSpec(
      fx.root,
      'Slow',
      { 'index.mjs': `const id = Math.random();\nexport const handler = async (e) => { if (e.sleep) await new Promise((r) => setTimeout(r, 10_000)); return id; };\n` },
      { timeout: 1 },
    );
    const first = await fx.runner.invoke(fn, { event: {} });
    const warmId = first.payload;
    const result = await fx.runner.invoke(fn, { event: { sleep: true } });
    assert.deepEqual(result.error, { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${result.requestId} Error: Task timed out after 1.00 seconds` });
    assert.equal(result.report.status, 'timeout');
    assert.equal(result.report.durationMs, 1000);
    assert.equal(result.report.billedDurationMs, 1000);
    assert.match(result.reportLine, /\tStatus: timeout$/);
    const logs = await result.settleLogs();
    assert.match(logs, new RegExp(`\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z ${result.requestId} Task timed out after 1\\.00 seconds\\nEND RequestId`));
    assert.equal((await fx.containers('Slow')).length, 0, 'the timed-out container is removed');
    const after = await fx.runner.invoke(fn, { event: {} });
    assert.equal(after.report.cold, true, 'a fresh environment');
    assert.notEqual(after.payload, warmId);
  });

  it('kills a handler that goes over its memory, reporting it as Lambda does', async () => {
    const fn = functionSpec(
      fx.root,
      'Hungry',
      {
        'index.mjs': `const keep = [];
export const handler = async () => { for (let i = 0; i < 400; i++) keep.push(Buffer.alloc(1024 * 1024, 1)); return keep.length; };
`,
      },
      { memorySize: 128, timeout: 20 },
    );
    const result = await fx.runner.invoke(fn, {});
    assert.deepEqual(result.error, { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: signal: killed` });
    assert.equal(result.report.errorType, 'Runtime.OutOfMemory');
    assert.equal(result.report.maxMemoryUsedMb, 128, 'it used all it had');
    assert.match(result.reportLine, /Max Memory Used: 128 MB\t(Init Duration: [\d.]+ ms\t)?Status: error\tError Type: Runtime.OutOfMemory$/);
    assert.match(await result.settleLogs(), /Runtime exited with error: signal: killed\nRuntime\.ExitError/);
    assert.equal(fx.runner.containerCount(fn), 0);
  });

  it('takes an event of exactly 6 MiB and refuses one byte more before starting anything', async () => {
    const fn = functionSpec(fx.root, 'BigEvent', { 'index.mjs': 'export const handler = async (e) => e.length;\n' }, { memorySize: 512 });
    const exact = `"${'a'.repeat(SIX_MIB - 2)}"`;
    assert.equal(Buffer.byteLength(exact), 6_291_456);
    const ok = await fx.runner.invoke(fn, { payload: exact });
    assert.equal(ok.error, null);
    assert.equal(ok.payload, SIX_MIB - 2);
    const before = (await fx.containers('BigEvent')).length;
    await assert.rejects(fx.runner.invoke(fn, { payload: `"${'a'.repeat(SIX_MIB - 1)}"` }), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.equal(err.code, 'RequestEntityTooLargeException');
      assert.match(err.message, /^Request must be smaller than 6291456 bytes for the InvokeFunction operation/);
      return true;
    });
    assert.equal((await fx.containers('BigEvent')).length, before, 'nothing started for the refused event');
  });

  it('returns a response of exactly Lambda\'s limit and refuses one byte more with Lambda\'s error', async () => {
    // A string result is serialized with its two quotes: n characters make n + 2 bytes.
    const fn = functionSpec(fx.root, 'BigResponse', { 'index.mjs': "export const handler = async (e) => 'A'.repeat(e.n);\n" }, { memorySize: 512 });
    const ok = await fx.runner.invoke(fn, { event: { n: 6_291_556 - 2 } });
    assert.equal(ok.error, null);
    assert.equal(ok.rawPayload?.length, 6_291_556);
    const over = await fx.runner.invoke(fn, { event: { n: 6_291_556 - 1 } });
    assert.equal(over.payload, null);
    assert.deepEqual(over.error, { errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).' });
    const after = await fx.runner.invoke(fn, { event: { n: 3 } });
    assert.equal(after.payload, 'AAA', 'the next invocation works');
  });
});
