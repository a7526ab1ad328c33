import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { cancellationSource, CancelledError } from '../../../src/core/cancel';
import { UserError } from '../../../src/core/errors';
import { followDockerStream } from '../../../src/core/deploy/dockerStream';
import { listFunctions, listLayers, listLayerVersions } from '../../../src/core/deploy/listing';
import { mapBounded, once } from '../../../src/core/deploy/pool';
import { sleep, withRetry } from '../../../src/core/deploy/retry';
import { StepRunner } from '../../../src/core/deploy/steps';
import type { LambdaSend } from '../../../src/core/deploy/types';

/**
 * A Lambda API that pages its answers two at a time. The emulator answers every list in one
 * page, so NextMarker handling is checked against this instead.
 */
function pagingLambda(items: Record<string, unknown[]>): LambdaSend & { markers: (string | undefined)[] } {
  const markers: (string | undefined)[] = [];
  const key: Record<string, string> = { ListLayersCommand: 'Layers', ListLayerVersionsCommand: 'LayerVersions', ListFunctionsCommand: 'Functions' };
  return {
    markers,
    send: (async (cmd: { constructor: { name: string }; input: { Marker?: string } }) => {
      const field = key[cmd.constructor.name];
      if (!field) throw new Error(`unexpected ${cmd.constructor.name}`);
      markers.push(cmd.input.Marker);
      const start = Number(cmd.input.Marker ?? 0);
      const all = items[field] ?? [];
      return { [field]: all.slice(start, start + 2), NextMarker: start + 2 < all.length ? String(start + 2) : undefined };
    }) as LambdaSend['send'],
  };
}

describe('deploy mechanics: pagination, steps, retries, streams', () => {
  it('follows NextMarker to the last page in every listing', async () => {
    const lambda = pagingLambda({ Layers: [1, 2, 3, 4, 5].map((n) => ({ LayerName: `l${n}` })), LayerVersions: [{ Version: 2 }, { Version: 1 }], Functions: [] });
    const names: string[] = [];
    for await (const l of listLayers(lambda)) names.push(l.LayerName ?? '');
    assert.deepEqual(names, ['l1', 'l2', 'l3', 'l4', 'l5']);
    assert.deepEqual(lambda.markers, [undefined, '2', '4']);
    const versions: number[] = [];
    for await (const v of listLayerVersions(lambda, 'x')) versions.push(v.Version ?? 0);
    assert.deepEqual(versions, [2, 1]);
    const fns = [];
    for await (const f of listFunctions(lambda, { allVersions: true })) fns.push(f);
    assert.deepEqual(fns, []);
  });

  it('runs steps in order, records what they left, and names the failed step and what is not done', async () => {
    const events: string[] = [];
    const runner = new StepRunner({ kind: 'function', logicalId: 'Api', name: 'api' }, ['update code', 'update configuration', 'publish version'], (e) => events.push(`${e.step}:${e.phase}`), undefined, ['layer shared:4 published']);
    await runner.run('update code', async (report) => (report(5, 10), 'sha'), (sha) => `code updated (${sha})`);
    const failure = await runner.run('update configuration', async () => {
      throw new UserError('AWS denied it.', 'Ask for permission.');
    }).catch((err: unknown) => runner.failure(err));
    assert.deepEqual(events, ['update code:start', 'update code:progress', 'update code:done', 'update configuration:start']);
    assert.equal(failure.cancelled, false);
    assert.equal(
      failure.reason,
      'Step "update configuration" failed: AWS denied it. Ask for permission. Left behind: layer shared:4 published, code updated (sha); not done: update configuration, publish version. Run the deploy again to finish: completed steps are skipped.',
    );
  });

  it('stops before the next step once cancelled', async () => {
    const source = cancellationSource();
    const runner = new StepRunner({ kind: 'function', logicalId: 'Api', name: 'api' }, ['create function'], undefined, source.token);
    source.cancel();
    let ran = false;
    const err = await runner.run('create function', async () => (ran = true)).catch((e: unknown) => e);
    assert.ok(err instanceof CancelledError);
    assert.equal(ran, false);
    assert.equal(runner.failure(err).reason, 'Cancelled. Left behind: nothing changed for api; not done: create function. Run the deploy again to finish.');
  });

  it('retries only what the policy retries, and a cancelled wait ends at once', async () => {
    let calls = 0;
    const result = await withRetry(async () => (++calls < 3 ? Promise.reject(new Error('busy')) : 'ok'), { attempts: 5, retryIf: (e) => (e as Error).message === 'busy', delayMs: () => 1 });
    assert.equal(result, 'ok');
    assert.equal(calls, 3);
    calls = 0;
    await assert.rejects(withRetry(async () => (calls++, Promise.reject(new Error('fatal'))), { attempts: 5, retryIf: () => false, delayMs: () => 1 }), /fatal/);
    assert.equal(calls, 1);
    await assert.rejects(withRetry(async () => Promise.reject(new Error('busy')), { attempts: 2, retryIf: () => true, delayMs: () => 1 }), /busy/);
    const source = cancellationSource();
    const started = Date.now();
    const waiting = sleep(60_000, source.token);
    source.cancel();
    await assert.rejects(waiting, CancelledError);
    assert.ok(Date.now() - started < 1000);
  });

  it('keeps no more than the bound in flight and the results in input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapBounded([30, 5, 20, 1, 10], 2, async (ms, i) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return i;
    });
    assert.deepEqual(out, [0, 1, 2, 3, 4]);
    assert.equal(peak, 2);
    let made = 0;
    const shared = once(async () => ++made);
    assert.deepEqual(await Promise.all([shared(), shared(), shared()]), [1, 1, 1]);
  });

  it('reads Docker progress split across chunks, and fails with the engine error', async () => {
    const ok = new PassThrough();
    const seen: string[] = [];
    const done = followDockerStream(ok, (e) => seen.push(e.status ?? e.stream ?? ''));
    ok.write('{"status":"Pushing","progressDetail":{"current":1,"total":2},"id":"a"}\r\n{"str');
    ok.end('eam":"Step 1/2"}\n{"aux":{"Digest":"sha256:abc"}}');
    const events = await done;
    assert.deepEqual(seen, ['Pushing', 'Step 1/2', '']);
    assert.equal(events[2].aux?.Digest, 'sha256:abc');
    const bad = new PassThrough();
    const failed = followDockerStream(bad, () => undefined);
    bad.end('{"errorDetail":{"message":"COPY failed: file not found"},"error":"COPY failed"}\n');
    await assert.rejects(failed, /COPY failed: file not found/);
  });
});
