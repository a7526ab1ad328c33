import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetFunctionCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { GetBucketLifecycleConfigurationCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { type AwsSession, type DeployContext, type DeployProgress, executeDeploy, type Packager, planDeploy } from '../../../src/core/deploy';
import type { FunctionSpec } from '../../../src/core/model/types';
import { NEVER_CANCELLED } from '../../../src/core/cancel';
import { contextFor, createRole, functionSpec, INDEX_JS, motoSession, resetMoto, scratch, testPackager, writeFiles } from './support';

async function deploy(ctx: DeployContext, functions: FunctionSpec[], confirm?: (q: string) => Promise<boolean>) {
  const events: DeployProgress[] = [];
  const plan = await planDeploy(ctx, { functions }, { onProgress: (e) => events.push(e) });
  try {
    const result = await executeDeploy(ctx, plan, { onProgress: (e) => events.push(e), confirm });
    return { plan, result, events };
  } finally {
    await plan.dispose();
  }
}

describe('deploy: zip functions against moto', () => {
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

  it('creates, updates, then skips an unchanged redeploy with 0 bytes uploaded; CodeSha256 matches the artifact', async () => {
    const code = writeFiles(join(work.dir, 'api'), { 'index.js': INDEX_JS, 'lib/util.js': 'module.exports = 1;\n' });
    const fn = functionSpec('Api', code, { functionName: 'lwb-api', role: roleArn, environment: { STAGE: 'test' } });
    const ctx = contextFor(session);

    const first = await deploy(ctx, [fn]);
    assert.equal(first.plan.functions[0].action, 'created', first.plan.functions[0].reason ?? '');
    assert.equal(first.plan.functions[0].via, 'direct');
    const created = first.result.functions[0];
    assert.equal(created.action, 'created', created.reason ?? '');
    assert.equal(created.via, 'direct');
    assert.ok(created.uploadedBytes > 0);
    assert.equal(created.uploadedBytes, first.plan.functions[0].codeSize);

    // The artifact's hash, computed here from a fresh package, is what Lambda reports.
    const out = scratch();
    try {
      const artifact = await testPackager.packageFunction(fn, out.dir, NEVER_CANCELLED);
      // Packaged before: the hash is known, and the zip is written only when asked for.
      assert.ok(artifact.materialize, 'a repeated package defers writing the zip');
      await artifact.materialize(NEVER_CANCELLED);
      const localSha = createHash('sha256').update(readFileSync(artifact.path)).digest('base64');
      assert.equal(artifact.codeSha256, localSha);
      const deployed = await session.lambda.send(new GetFunctionCommand({ FunctionName: 'lwb-api' }));
      assert.equal(deployed.Configuration?.CodeSha256, localSha);
      assert.equal(created.codeSha256, localSha);
      assert.deepEqual(deployed.Configuration?.Environment?.Variables, { STAGE: 'test' });
      assert.equal(deployed.Configuration?.Role, roleArn);
    } finally {
      out.remove();
    }

    writeFiles(code, { 'index.js': `${INDEX_JS}// v2\n` });
    const second = await deploy(ctx, [{ ...fn, memorySize: 256 }]);
    assert.deepEqual(second.plan.functions[0].changes.sort(), ['MemorySize', 'code']);
    const updated = second.result.functions[0];
    assert.equal(updated.action, 'updated', updated.reason ?? '');
    assert.ok(updated.uploadedBytes > 0);
    assert.ok(updated.done.some((d) => d.startsWith('code of lwb-api updated')));
    assert.ok(updated.done.some((d) => d.includes('configuration of lwb-api updated (MemorySize)')));
    const after = await session.lambda.send(new GetFunctionCommand({ FunctionName: 'lwb-api' }));
    assert.equal(after.Configuration?.MemorySize, 256);
    assert.equal(after.Configuration?.CodeSha256, second.plan.functions[0].codeSha256);
    assert.notEqual(after.Configuration?.CodeSha256, created.codeSha256);

    const third = await deploy(ctx, [{ ...fn, memorySize: 256 }]);
    assert.equal(third.plan.functions[0].action, 'unchanged');
    assert.equal(third.plan.functions[0].uploadBytes, 0);
    assert.equal(third.plan.totalUploadBytes, 0);
    const unchanged = third.result.functions[0];
    assert.equal(unchanged.action, 'unchanged');
    assert.equal(unchanged.uploadedBytes, 0);
    assert.equal(unchanged.via, null);
    assert.deepEqual(
      third.events.filter((e) => e.phase === 'start').map((e) => e.step).filter((s) => s !== 'measure' && s !== 'package' && s !== 'read deployed state'),
      [],
      'an unchanged redeploy runs no changing step',
    );
  });

  it('updates only the configuration when the code is the same, uploading nothing', async () => {
    const code = writeFiles(join(work.dir, 'cfg'), { 'index.js': INDEX_JS });
    const fn = functionSpec('Cfg', code, { role: roleArn });
    const ctx = contextFor(session);
    await deploy(ctx, [fn]);
    const { plan, result } = await deploy(ctx, [{ ...fn, timeout: 30, environment: { A: '1' } }]);
    assert.deepEqual(plan.functions[0].changes.sort(), ['Environment', 'Timeout']);
    assert.equal(plan.functions[0].uploadBytes, 0);
    assert.equal(result.functions[0].action, 'updated');
    assert.equal(result.functions[0].uploadedBytes, 0);
    const cfg = (await session.lambda.send(new GetFunctionCommand({ FunctionName: 'Cfg' }))).Configuration;
    assert.equal(cfg?.Timeout, 30);
    assert.deepEqual(cfg?.Environment?.Variables, { A: '1' });
  });

  it('sends a zip over 50 MiB through the S3 staging bucket, creating the bucket once confirmed', async () => {
    // Random bytes do not compress: the zip stays over the 52,428,800-byte direct-upload limit.
    const code = writeFiles(join(work.dir, 'big'), { 'index.js': INDEX_JS, 'blob.bin': randomBytes(53 * 1024 * 1024) });
    const fn = functionSpec('Big', code, { role: roleArn });

    const noBucket = await deploy(contextFor(session), [fn]);
    assert.equal(noBucket.result.functions[0].action, 'refused');
    assert.match(noBucket.result.functions[0].reason ?? '', /over the 52,428,800 bytes Lambda accepts in the request itself.*--s3-bucket/);
    // The code the editor offers the bucket setting for.
    assert.equal(noBucket.plan.functions[0].code, 'bucket-not-set');
    assert.equal(noBucket.result.functions[0].code, 'bucket-not-set');

    const ctx = contextFor(session, { s3Bucket: 'lwb-staging' });
    const questions: string[] = [];
    const { plan, result } = await deploy(ctx, [fn], async (q) => {
      questions.push(q);
      return true;
    });
    assert.equal(plan.functions[0].via, 's3');
    assert.ok(plan.confirmations.some((c) => c.includes('Create S3 bucket lwb-staging')));
    assert.equal(questions.length, 1);
    const r = result.functions[0];
    assert.equal(r.action, 'created', r.reason ?? '');
    assert.equal(r.via, 's3');
    assert.equal(r.uploadedBytes, plan.functions[0].codeSize);
    assert.ok((plan.functions[0].codeSize ?? 0) > 52_428_800);
    const cfg = (await session.lambda.send(new GetFunctionCommand({ FunctionName: 'Big' }))).Configuration;
    assert.equal(cfg?.CodeSha256, plan.functions[0].codeSha256);
    const key = r.done.find((d) => d.startsWith('zip staged at'))?.replace('zip staged at s3://lwb-staging/', '');
    assert.ok(key);
    const head = await session.s3.send(new HeadObjectCommand({ Bucket: 'lwb-staging', Key: key }));
    assert.equal(head.ContentLength, plan.functions[0].codeSize);
    const lifecycle = await session.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'lwb-staging' }));
    assert.deepEqual(lifecycle.Rules?.map((r) => [r.Filter?.Prefix, r.Expiration?.Days]), [['lambda-workbench/', 7]], 'staged zips expire');

    const again = await deploy(ctx, [fn]);
    assert.equal(again.result.functions[0].action, 'unchanged');
    assert.equal(again.result.functions[0].uploadedBytes, 0);
  });

  it('refuses a package over 262,144,000 bytes unzipped before uploading, and creates nothing', async () => {
    // 250 MB of zeros compresses to a few hundred KB: the check has to look at unzipped bytes.
    const code = writeFiles(join(work.dir, 'huge'), { 'index.js': INDEX_JS });
    writeFileSync(join(code, 'zeros.bin'), Buffer.alloc(0));
    const fd = join(code, 'zeros.bin');
    const { truncateSync } = await import('node:fs');
    truncateSync(fd, 262_144_001); // a sparse file: nothing on disk, 262,144,001 bytes to read
    const fn = functionSpec('Huge', code, { role: roleArn });

    // Three ways to find out: a measurer before packaging, the packager's own walk before it
    // compresses, and a packager that only knows the size once the zip is written.
    const afterTheFact: Packager = {
      packageFunction: (f, out, token) => testPackager.packageFunction(f, out, token),
      packageLayer: (l, out, token) => testPackager.packageLayer(l, out, token),
    };
    for (const [measurer, packager] of [[undefined, undefined], [null, undefined], [null, afterTheFact]] as const) {
      const ctx = contextFor(session, {}, { measurer, packager });
      const { plan, result, events } = await deploy(ctx, [fn]);
      const p = plan.functions[0];
      assert.equal(p.action, 'refused');
      assert.match(p.reason ?? '', /262,144,0\d\d bytes unzipped/);
      assert.match(p.reason ?? '', /limit of 262,144,000 bytes/);
      assert.match(p.reason ?? '', /esbuild/);
      assert.match(p.reason ?? '', /container image/);
      assert.equal(result.functions[0].action, 'refused');
      assert.equal(result.ok, false);
      if (measurer === undefined) {
        assert.ok(!events.some((e) => e.step === 'package'), 'with a measurer it is refused before packaging');
      }
      assert.ok(!events.some((e) => ['create function', 'update code', 'stage to S3'].includes(e.step)));
    }
    const listed = await session.lambda.send(new ListFunctionsCommand({}));
    assert.deepEqual(listed.Functions ?? [], [], 'no function was created');
  });
});
