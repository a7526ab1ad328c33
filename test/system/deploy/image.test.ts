import assert from 'node:assert/strict';
import { join } from 'node:path';
import Docker from 'dockerode';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { type AwsSession, type DeployContext, type DeployProgress, executeDeploy, planDeploy } from '../../../src/core/deploy';
import type { FunctionSpec } from '../../../src/core/model/types';
import { testEnv } from '../env';
import { contextFor, createRole, functionSpec, motoSession, resetMoto, scratch, writeFiles } from './support';

describe('deploy: container images against moto and a local registry', () => {
  let session: AwsSession;
  let roleArn: string;
  let work: ReturnType<typeof scratch>;
  const docker = new Docker();
  const tag = `t${testEnv().runId.replace(/[^a-zA-Z0-9]/g, '')}`.toLowerCase();

  beforeEach(async () => {
    await resetMoto();
    session = await motoSession();
    roleArn = await createRole(session);
    work = scratch();
  });
  afterEach(async () => {
    session.destroy();
    work.remove();
    // Remove what the builds tagged, here and under the registry's name.
    const images = await docker.listImages({ filters: { reference: ['lambda-workbench-build/lwb-image-fn', `${testEnv().registry}/lwb-image-fn`] } });
    for (const img of images) await docker.getImage(img.Id).remove({ force: true }).catch(() => undefined);
  });

  function imageFunction(marker: string): FunctionSpec {
    const ctx = writeFiles(join(work.dir, 'img'), { Dockerfile: 'FROM scratch\nCOPY app.txt /app.txt\nCMD ["/app"]\n', 'app.txt': marker, '.dockerignore': 'ignored.txt\n', 'ignored.txt': 'x' });
    return functionSpec('ImageFn', ctx, {
      functionName: 'lwb-image-fn',
      packageType: 'Image',
      runtime: undefined,
      handler: undefined,
      codeUri: undefined,
      role: roleArn,
      image: { dockerfile: join(ctx, 'Dockerfile'), dockerContext: ctx, dockerTag: tag },
    });
  }

  function imageContext(): DeployContext {
    return { ...contextFor(session, { registryOverride: testEnv().registry }), imageEngine: async () => docker };
  }

  it('builds, pushes and creates the function with a digest-pinned image URI, then skips the unchanged image', async () => {
    const ctx = imageContext();
    const events: DeployProgress[] = [];
    const plan = await planDeploy(ctx, { functions: [imageFunction('one')] }, { onProgress: (e) => events.push(e) });
    const p = plan.functions[0];
    assert.equal(p.action, 'created', p.reason ?? '');
    assert.equal(p.via, 'image');
    assert.ok(p.image && p.image.sizeBytes > 0 && p.image.sizeBytes < 1000);
    assert.ok(events.some((e) => e.step === 'build image' && e.phase === 'done'));

    const result = await executeDeploy(ctx, plan, { onProgress: (e) => events.push(e) });
    await plan.dispose();
    const r = result.functions[0];
    assert.equal(r.action, 'created', r.reason ?? '');
    assert.equal(r.via, 'image');
    assert.ok(events.some((e) => e.step === 'push image' && e.phase === 'done'));

    const fn = await session.lambda.send(new GetFunctionCommand({ FunctionName: 'lwb-image-fn' }));
    const uri = fn.Code?.ImageUri ?? '';
    assert.match(uri, new RegExp(`^${testEnv().registry.replace(/\./g, '\\.')}/lwb-image-fn@sha256:[0-9a-f]{64}$`));
    assert.equal(fn.Configuration?.PackageType, 'Image');
    // The digest is the one the registry serves for the pushed tag.
    const manifest = await fetch(`http://${testEnv().registry}/v2/lwb-image-fn/manifests/${tag}`, {
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    assert.equal(manifest.status, 200);
    assert.equal(`${testEnv().registry}/lwb-image-fn@${manifest.headers.get('docker-content-digest')}`, uri);
    // The repository exists in (emulated) ECR too.
    const repos = await session.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['lwb-image-fn'] }));
    assert.equal(repos.repositories?.length, 1);

    const again = await planDeploy(ctx, { functions: [imageFunction('one')] });
    assert.equal(again.functions[0].action, 'unchanged', JSON.stringify(again.functions[0].changes));
    assert.equal(again.functions[0].image?.knownDigestUri, uri);
    assert.equal(again.functions[0].uploadBytes, 0);
    const againResult = await executeDeploy(ctx, again);
    await again.dispose();
    assert.equal(againResult.functions[0].action, 'unchanged');
    assert.equal(againResult.functions[0].uploadedBytes, 0);

    const changed = await planDeploy(ctx, { functions: [imageFunction('two')] });
    assert.equal(changed.functions[0].action, 'updated');
    const changedResult = await executeDeploy(ctx, changed);
    await changed.dispose();
    assert.equal(changedResult.functions[0].action, 'updated', changedResult.functions[0].reason ?? '');
    const after = await session.lambda.send(new GetFunctionCommand({ FunctionName: 'lwb-image-fn' }));
    assert.notEqual(after.Code?.ImageUri, uri);
    assert.match(after.Code?.ImageUri ?? '', /@sha256:[0-9a-f]{64}$/);
  });

  it('refuses an image function whose build fails, naming the Dockerfile and the error', async () => {
    const ctx = imageContext();
    const fn = imageFunction('x');
    writeFiles(fn.image!.dockerContext, { Dockerfile: 'FROM scratch\nCOPY missing.txt /m\n' });
    const plan = await planDeploy(ctx, { functions: [fn] });
    await plan.dispose();
    assert.equal(plan.functions[0].action, 'refused');
    assert.match(plan.functions[0].reason ?? '', /Building the image from .*Dockerfile failed: .*missing\.txt/);
  });
});
