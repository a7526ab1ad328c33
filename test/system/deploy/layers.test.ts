import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GetFunctionConfigurationCommand, GetLayerVersionCommand, PublishLayerVersionCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import {
  type AwsSession,
  type LambdaSend,
  executeDeploy,
  hashFromDescription,
  listLayers,
  listLayerVersions,
  planDeploy,
  pruneLayerVersions,
} from '../../../src/core/deploy';
import type { FunctionSpec, LayerSpec } from '../../../src/core/model/types';
import { contextFor, createRole, functionSpec, INDEX_JS, interceptedLambda, layerSpec, motoSession, resetMoto, scratch, writeFiles } from './support';

async function collectLayerVersions(lambda: LambdaSend, name: string) {
  const out = [];
  for await (const v of listLayerVersions(lambda, name)) out.push(v);
  return out;
}

describe('deploy: layers against moto', () => {
  let session: AwsSession;
  let roleArn: string;
  let work: ReturnType<typeof scratch>;

  beforeEach(async () => {
    await resetMoto();
    session = await motoSession();
    roleArn = await createRole(session);
    work = scratch();
  });
  afterEach(() => {
    session.destroy();
    work.remove();
  });

  function layer(name: string, files: Record<string, string>): LayerSpec {
    return layerSpec(name, writeFiles(join(work.dir, 'layers', name), files), { layerName: name });
  }
  function fnWith(layers: LayerSpec[], patch: Partial<FunctionSpec> = {}): FunctionSpec {
    const code = writeFiles(join(work.dir, 'fn'), { 'index.js': INDEX_JS });
    return functionSpec('WithLayers', code, { role: roleArn, layers: layers.map((l) => ({ kind: 'local' as const, logicalId: l.logicalId, layer: l })), ...patch });
  }

  it('publishes a layer with its content hash, skips an unchanged re-publish, and attaches layers in template order', async () => {
    const shared = layer('shared', { 'nodejs/node_modules/shared/index.js': 'module.exports = "s";\n' });
    const utils = layer('utils', { 'nodejs/node_modules/utils/index.js': 'module.exports = "u";\n' });
    const ctx = contextFor(session);

    const plan = await planDeploy(ctx, { functions: [fnWith([utils, shared])] });
    assert.deepEqual(plan.layers.map((l) => [l.layerName, l.action]), [['utils', 'publish'], ['shared', 'publish']]);
    const result = await executeDeploy(ctx, plan);
    await plan.dispose();
    assert.equal(result.ok, true, JSON.stringify(result.functions.map((f) => f.reason)));
    assert.deepEqual(result.layers.map((l) => [l.layerName, l.action, l.version]), [['utils', 'published', 1], ['shared', 'published', 1]]);

    // The hash reads back from the version's description and equals the zip's CodeSha256.
    const v1 = await session.lambda.send(new GetLayerVersionCommand({ LayerName: 'shared', VersionNumber: 1 }));
    assert.equal(hashFromDescription(v1.Description), v1.Content?.CodeSha256);
    assert.equal(v1.Content?.CodeSha256, plan.layers[1].codeSha256);

    const cfg = await session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'WithLayers' }));
    assert.deepEqual(
      cfg.Layers?.map((l) => l.Arn),
      result.layers.map((l) => l.arn),
      'attached in template order: utils then shared',
    );
    assert.deepEqual(result.functions[0].layers, cfg.Layers?.map((l) => l.Arn));

    const again = await planDeploy(ctx, { functions: [fnWith([utils, shared])] });
    assert.deepEqual(again.layers.map((l) => l.action), ['unchanged', 'unchanged']);
    assert.equal(again.functions[0].action, 'unchanged');
    const againResult = await executeDeploy(ctx, again);
    await again.dispose();
    assert.deepEqual(againResult.layers.map((l) => [l.action, l.version, l.uploadedBytes]), [['unchanged', 1, 0], ['unchanged', 1, 0]]);
    assert.equal((await collectLayerVersions(session.lambda, 'shared')).length, 1, 'no second version was published');

    // A change to one layer publishes it alone and moves the function to the new version.
    writeFiles(shared.contentUri!, { 'nodejs/node_modules/shared/extra.js': '1;\n' });
    const changed = await planDeploy(ctx, { functions: [fnWith([utils, shared])] });
    assert.deepEqual(changed.layers.map((l) => l.action), ['unchanged', 'publish']);
    assert.deepEqual(changed.functions[0].changes, ['Layers']);
    const changedResult = await executeDeploy(ctx, changed);
    await changed.dispose();
    assert.equal(changedResult.functions[0].action, 'updated');
    const cfg2 = await session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'WithLayers' }));
    assert.deepEqual(cfg2.Layers?.map((l) => l.Arn?.split(':').slice(-2).join(':')), ['utils:1', 'shared:2']);
  });

  it('refuses a sixth layer before calling AWS for that function', async () => {
    const six = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6'].map((n) => layer(n, { [`${n}.txt`]: n }));
    const lambda = interceptedLambda(session.lambda, () => undefined);
    const ctx = contextFor(session, {}, { lambda });
    const fn = fnWith([]);
    const plan = await planDeploy(ctx, { functions: [{ ...fn, layers: six.map((l) => ({ kind: 'arn' as const, arn: `arn:aws:lambda:us-east-1:123456789012:layer:${l.logicalId}:1` })) }] });
    assert.equal(plan.functions[0].action, 'refused');
    assert.match(plan.functions[0].reason ?? '', /lists 6 layers; Lambda attaches at most 5/);
    assert.equal(plan.functions[0].code, 'refused-by-template', 'the fix is in the template');
    assert.deepEqual(lambda.calls, [], 'no AWS call was made');
    const result = await executeDeploy(ctx, plan);
    await plan.dispose();
    assert.equal(result.functions[0].action, 'refused');
    assert.equal(result.ok, false);
    assert.deepEqual(lambda.calls, []);
  });

  it('counts layers in the 262,144,000-byte budget before any upload', async () => {
    const { truncateSync } = await import('node:fs');
    const big = layer('big', { 'placeholder.txt': 'x' });
    truncateSync(join(big.contentUri!, 'placeholder.txt'), 200_000_000);
    const code = writeFiles(join(work.dir, 'fn2'), { 'index.js': INDEX_JS });
    truncateSync(join(code, 'index.js'), 70_000_000);
    const fn = functionSpec('Budget', code, { role: roleArn, layers: [{ kind: 'local', logicalId: 'big', layer: big }] });
    const ctx = contextFor(session);
    const plan = await planDeploy(ctx, { functions: [fn] });
    assert.equal(plan.functions[0].action, 'refused');
    assert.match(plan.functions[0].reason ?? '', /270,000,000 bytes unzipped \(code 70,000,000 bytes \+ layers 200,000,000 bytes\)/);
    assert.equal(plan.layers[0].action, 'refused', 'its layer is not published either');
    assert.equal(plan.totalUploadBytes, 0);
    const result = await executeDeploy(ctx, plan);
    assert.equal(result.layers[0].action, 'refused');
    assert.deepEqual(await collectLayerVersions(session.lambda, 'big'), []);
    await plan.dispose();
  });

  it('lists layers and versions, and prunes old versions but keeps the newest N and any attached one', async () => {
    const ctx = contextFor(session);
    const zipDir = writeFiles(join(work.dir, 'p'), { 'a.txt': 'a' });
    const l = layerSpec('pruned', zipDir, { layerName: 'pruned' });
    // Seven versions: publish through the product, changing the content each time.
    for (let i = 1; i <= 7; i++) {
      writeFiles(zipDir, { 'a.txt': `version ${i}` });
      const plan = await planDeploy(ctx, { functions: [], layers: [l] });
      const res = await executeDeploy(ctx, plan);
      await plan.dispose();
      assert.equal(res.layers[0].version, i);
    }
    // Version 2 stays attached to a function; version 3 only to a published version of one.
    const v = (n: number) => `arn:aws:lambda:us-east-1:123456789012:layer:pruned:${n}`;
    const code = writeFiles(join(work.dir, 'user'), { 'index.js': INDEX_JS });
    const userPlan = await planDeploy(ctx, { functions: [functionSpec('User', code, { role: roleArn, layers: [{ kind: 'arn', arn: v(3) }] })] });
    await executeDeploy(contextFor(session, { publishVersion: true }), userPlan);
    await userPlan.dispose();
    await session.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'User', Layers: [v(2)] }));
    await session.lambda.send(new PublishLayerVersionCommand({ LayerName: 'other', Content: { ZipFile: Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'binary') } }));

    const names: string[] = [];
    for await (const item of listLayers(session.lambda)) names.push(item.LayerName ?? '');
    assert.deepEqual(names.sort(), ['other', 'pruned']);

    const dry = await pruneLayerVersions(ctx, 'pruned', 2, { dryRun: true });
    assert.deepEqual(dry.filter((e) => e.action === 'deleted').map((e) => e.version), [5, 4, 1]);
    assert.equal((await collectLayerVersions(session.lambda, 'pruned')).length, 7, 'a dry run deletes nothing');

    const entries = await pruneLayerVersions(ctx, 'pruned', 2);
    assert.deepEqual(
      entries.map((e) => [e.version, e.action, e.reason]),
      [
        [7, 'kept', 'one of the newest 2'],
        [6, 'kept', 'one of the newest 2'],
        [5, 'deleted', null],
        [4, 'deleted', null],
        [3, 'kept', 'attached to function User:1'],
        [2, 'kept', 'attached to function User'],
        [1, 'deleted', null],
      ],
    );
    const left = (await collectLayerVersions(session.lambda, 'pruned')).map((x) => x.Version).sort();
    assert.deepEqual(left, [2, 3, 6, 7]);
    await assert.rejects(pruneLayerVersions(ctx, 'no-such-layer', 1), /Layer no-such-layer has no versions/);
  });
});
