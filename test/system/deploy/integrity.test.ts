import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateRepositoryCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetAliasCommand, GetFunctionConfigurationCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { cancellationSource } from '../../../src/core/cancel';
import { type AwsSession, type DeployContext, deployContextFrom, executeDeploy, planDeploy } from '../../../src/core/deploy';
import { stageZip } from '../../../src/core/deploy/s3Staging';
import type { FunctionSpec } from '../../../src/core/model/types';
import { type FrontAction, type FrontRequest, LAMBDA, SERVICE_EXCEPTION, startAwsFront } from './awsFront';
import { contextFor, createRole, functionSpec, INDEX_JS, motoSession, resetMoto, scratch, testPackager, writeFiles } from './support';

/** A deploy that says done is done: what Lambda and S3 stored is checked, and a rerun finishes what a failure left. */
describe('deploy: done is done', () => {
  let session: AwsSession;
  let roleArn: string;
  let work: ReturnType<typeof scratch>;
  let fn: FunctionSpec;
  let route: (req: FrontRequest) => FrontAction;
  let front: Awaited<ReturnType<typeof startAwsFront>>;
  let frontSession: AwsSession;

  beforeEach(async () => {
    await resetMoto();
    session = await motoSession();
    roleArn = await createRole(session);
    work = scratch();
    fn = functionSpec('Checked', writeFiles(join(work.dir, 'c'), { 'index.js': INDEX_JS }), { role: roleArn });
    route = () => undefined;
    front = await startAwsFront((req) => route(req));
    frontSession = await front.session();
  });
  afterEach(async () => {
    session.destroy();
    frontSession.destroy();
    await front.close();
    work.remove();
  });

  /** A context whose Lambda calls go through the front. */
  const fronted = (options: DeployContext['options'] = {}): DeployContext => contextFor(session, options, { lambda: frontSession.lambda });

  async function deploy(ctx: DeployContext, spec: FunctionSpec, token = cancellationSource().token) {
    const plan = await planDeploy(ctx, { functions: [spec] });
    try {
      return { plan: plan.functions[0], result: (await executeDeploy(ctx, plan, { token })).functions[0] };
    } finally {
      await plan.dispose();
    }
  }

  it('fails an update whose CodeSha256 in Lambda is not the zip uploaded, saying the code was changed', async () => {
    await deploy(contextFor(session), fn);
    writeFiles(fn.codeUri!, { 'index.js': `${INDEX_JS}// v2\n` });
    const other = createHash('sha256').update('other bytes').digest('base64');
    route = (req) => (LAMBDA.updateCode(req, 'Checked') ? { rewrite: (json) => ({ ...json, CodeSha256: other }) } : undefined);
    const { plan, result } = await deploy(fronted(), fn);
    assert.equal(result.action, 'failed');
    assert.match(
      result.reason ?? '',
      new RegExp(`^Step "update code" failed: Lambda stored code with CodeSha256 ${escape(other)} for Checked, but the zip deployed has CodeSha256 ${escape(plan.codeSha256!)}: the function does not run the code that was deployed\\.`),
    );
    assert.match(result.reason ?? '', new RegExp(`Left behind: code of Checked updated \\(CodeSha256 ${escape(other)}\\)`));
    assert.equal((result.error as { code?: string }).code, 'code-sha-mismatch');
  });

  it('fails a create whose CodeSha256 is not the zip uploaded', async () => {
    route = (req) => (LAMBDA.createFunction(req) ? { rewrite: (json) => ({ ...json, CodeSha256: 'AAAA' }) } : undefined);
    const { result } = await deploy(fronted(), fn);
    assert.equal(result.action, 'failed');
    assert.match(result.reason ?? '', /^Step "create function" failed: Lambda stored code with CodeSha256 AAAA for Checked/);
    assert.match(result.reason ?? '', /Left behind: function Checked created \(CodeSha256 AAAA\)/);
  });

  it('after a failed PublishVersion, the rerun publishes and moves the alias instead of calling the function unchanged', async () => {
    const ctx = contextFor(session, { alias: 'live', publishVersion: true });
    assert.equal((await deploy(ctx, fn)).result.version, '1');
    writeFiles(fn.codeUri!, { 'index.js': `${INDEX_JS}// v2\n` });

    route = (req) => (LAMBDA.publishVersion(req, 'Checked') ? SERVICE_EXCEPTION : undefined);
    const failed = await deploy(fronted({ alias: 'live', publishVersion: true }), fn);
    assert.equal(failed.result.action, 'failed');
    assert.match(failed.result.reason ?? '', /^Step "publish version" failed: .*Left behind: code of Checked updated \(CodeSha256 [^)]+\); not done: publish version, update alias/s);
    assert.equal((await session.lambda.send(new GetAliasCommand({ FunctionName: 'Checked', Name: 'live' }))).FunctionVersion, '1', 'the alias is still on the old code');

    const rerun = await deploy(ctx, fn);
    assert.equal(rerun.plan.action, 'updated');
    assert.deepEqual(rerun.plan.changes, ['version']);
    assert.ok(rerun.plan.notes.some((n) => /^Alias live points at version 1, which is not the deployed code and configuration .*: publishes a version and moves the alias\.$/.test(n)), rerun.plan.notes.join(' | '));
    assert.equal(rerun.plan.uploadBytes, 0, 'the code is not uploaded again');
    assert.deepEqual([rerun.result.action, rerun.result.version], ['updated', '2'], rerun.result.reason ?? '');
    const alias = await session.lambda.send(new GetAliasCommand({ FunctionName: 'Checked', Name: 'live' }));
    assert.equal(alias.FunctionVersion, '2');
    const [latest, v2] = await Promise.all([
      session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'Checked' })),
      session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'Checked', Qualifier: '2' })),
    ]);
    assert.equal(v2.CodeSha256, latest.CodeSha256, 'the alias runs the deployed code');

    const settled = await deploy(ctx, fn);
    assert.deepEqual([settled.plan.action, settled.result.action, settled.result.version], ['unchanged', 'unchanged', '2'], 'then nothing is left to do');
  });

  it('with an alias to publish and nothing changed, says in the plan that it publishes a version for the new alias', async () => {
    await deploy(contextFor(session), fn);
    const ctx = contextFor(session, { alias: 'live', publishVersion: true });
    const { plan, result } = await deploy(ctx, fn);
    assert.equal(plan.action, 'updated', 'not "unchanged" while a version is published');
    assert.deepEqual(plan.changes, ['version']);
    assert.ok(plan.notes.includes('Alias live does not exist yet: publishes a version of the deployed code and creates the alias.'), plan.notes.join(' | '));
    assert.deepEqual([result.action, result.version], ['updated', '1']);
    assert.equal((await session.lambda.send(new GetAliasCommand({ FunctionName: 'Checked', Name: 'live' }))).FunctionVersion, '1');
    const again = await deploy(ctx, fn);
    assert.deepEqual([again.plan.action, again.result.version], ['unchanged', '1']);
    const versions = await session.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'Checked' }));
    assert.deepEqual(versions.Versions?.map((v) => v.Version), ['$LATEST', '1'], 'no version published unasked');
  });

  it('a cancel while Lambda applies the code update says the code was updated and the configuration was not', async () => {
    await deploy(contextFor(session), fn);
    writeFiles(fn.codeUri!, { 'index.js': `${INDEX_JS}// v3\n` });
    const cancel = cancellationSource();
    let updated = false;
    route = (req) => {
      if (LAMBDA.updateCode(req, 'Checked')) {
        updated = true;
        // The person presses Cancel while Lambda is applying the update.
        return { rewrite: (json) => (cancel.cancel(), json) };
      }
      // As Lambda answers while an update is being applied (GetFunctionConfiguration, and GetFunction for the SDK's waiter).
      if (updated && LAMBDA.configuration(req, 'Checked')) return { rewrite: (json) => ({ ...json, LastUpdateStatus: 'InProgress' }) };
      if (updated && LAMBDA.getFunction(req, 'Checked')) return { rewrite: (json) => ({ ...json, Configuration: { ...(json.Configuration as object), LastUpdateStatus: 'InProgress' } }) };
      return undefined;
    };
    const { result } = await deploy(fronted(), { ...fn, memorySize: 512 }, cancel.token);
    assert.equal(result.action, 'cancelled');
    assert.match(result.reason ?? '', /^Cancelled\. Left behind: code of Checked updated \(CodeSha256 [^)]+\); not done: update configuration\. Run the deploy again to finish\.$/);
    const cfg = await session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'Checked' }));
    assert.equal(cfg.MemorySize, 128, 'the configuration was not changed');
  });

  it('stages zips with their SHA-256 for S3 to check, in a bucket the account must own, and uploads again when the staged object is not that zip', async () => {
    const s3Front = frontSession.s3;
    await session.s3.send(new CreateBucketCommand({ Bucket: 'lwb-staging' }));
    const ctx = await deployContextFrom(session, { packager: testPackager });
    const account = await ctx.account?.();
    assert.equal(account, '123456789012', "the account comes from the session's credentials");
    const zip = join(work.dir, 'code.zip');
    const bytes = Buffer.from('PK\u0005\u0006'.padEnd(22, '\u0000'), 'latin1');
    writeFileSync(zip, bytes);
    const artifact = { path: zip, bytes: bytes.length, codeSha256: createHash('sha256').update(bytes).digest('base64'), unzippedBytes: 0 };
    const staging = { bucket: 'lwb-staging', owner: account };

    assert.equal(await stageZip(s3Front, staging, 'k.zip', artifact, () => undefined), bytes.length);
    const put = front.requests.find((r) => r.method === 'PUT' && r.path.startsWith('/lwb-staging/k.zip'));
    assert.ok(put, 'the upload went through the front');
    assert.equal(put.headers['x-amz-checksum-sha256'], artifact.codeSha256);
    assert.equal(put.headers['x-amz-expected-bucket-owner'], '123456789012');
    assert.equal(await stageZip(s3Front, staging, 'k.zip', artifact, () => undefined), 0, 'the same zip is not sent twice');
    const head = front.requests.filter((r) => r.method === 'HEAD' && r.path.startsWith('/lwb-staging/k.zip'));
    assert.ok(head.length === 2 && head.every((h) => h.headers['x-amz-checksum-mode'] === 'ENABLED' && h.headers['x-amz-expected-bucket-owner'] === '123456789012'));

    // Someone replaces the staged object (same size, other bytes, and the metadata a zip would have).
    const forged = Buffer.from(bytes).fill(1, 4);
    await session.s3.send(new PutObjectCommand({ Bucket: 'lwb-staging', Key: 'k.zip', Body: forged, Metadata: { codesha256: artifact.codeSha256 } }));
    assert.equal(await stageZip(s3Front, staging, 'k.zip', artifact, () => undefined), bytes.length, 'uploaded again');
    const stored = await session.s3.send(new GetObjectCommand({ Bucket: 'lwb-staging', Key: 'k.zip' }));
    assert.deepEqual(Buffer.from(await stored.Body!.transformToByteArray()), bytes);
  });

  it('updates an image function whose ImageUri tag now names another image, though the URI reads the same', async () => {
    const repo = '123456789012.dkr.ecr.us-east-1.amazonaws.com/tagged';
    await session.ecr.send(new CreateRepositoryCommand({ repositoryName: 'tagged' }));
    const push = async (marker: string): Promise<string> => {
      const manifest = { schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7, digest: `sha256:${'0'.repeat(64)}` }, layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 1, digest: `sha256:${createHash('sha256').update(marker).digest('hex')}` }] };
      const out = await session.ecr.send(new PutImageCommand({ repositoryName: 'tagged', imageManifest: JSON.stringify(manifest), imageTag: 'v1' }));
      return out.image!.imageId!.imageDigest!;
    };
    let tagged = await push('one');
    // Lambda resolves the tag when it takes the image, and reports that digest from then on.
    let resolved = '';
    const updates: string[] = [];
    route = (req) => {
      if (LAMBDA.createFunction(req) || LAMBDA.updateCode(req, 'Tagged')) {
        resolved = tagged;
        if (LAMBDA.updateCode(req, 'Tagged')) updates.push((JSON.parse(req.body.toString('utf8')) as { ImageUri: string }).ImageUri);
      }
      if (LAMBDA.getFunction(req, 'Tagged')) return { rewrite: (json) => ({ ...json, Code: { ...(json.Code as object), ResolvedImageUri: `${repo}@${resolved}` } }) };
      return undefined;
    };
    const image = functionSpec('Tagged', work.dir, { packageType: 'Image', imageUri: `${repo}:v1`, runtime: undefined, handler: undefined, codeUri: undefined, role: roleArn });
    assert.equal((await deploy(fronted(), image)).result.action, 'created');
    assert.equal((await deploy(fronted(), image)).plan.action, 'unchanged', 'the tag still names the image Lambda runs');

    const before = tagged;
    tagged = await push('two');
    assert.notEqual(tagged, before);
    const moved = await deploy(fronted(), image);
    assert.deepEqual([moved.plan.action, moved.plan.changes], ['updated', ['code']]);
    assert.ok(moved.plan.notes.includes(`The tag of ${repo}:v1 now names ${tagged}; the function runs ${before}: updates it to the image the tag names.`), moved.plan.notes.join(' | '));
    assert.equal(moved.result.action, 'updated', moved.result.reason ?? '');
    assert.deepEqual(updates, [`${repo}:v1`], 'Lambda was asked to take the tag again');
    assert.equal((await deploy(fronted(), image)).plan.action, 'unchanged', 'then it runs what the tag names');
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
