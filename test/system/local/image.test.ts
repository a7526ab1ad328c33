import assert from 'node:assert/strict';
import { join } from 'node:path';
import { localImageTag } from '../../../src/core/local/imageBuild';
import { testEnv } from '../env';
import { functionSpec, type LocalFixture, localFixture, writeFiles } from './fixture';

describe('local invoke: image functions built from their Dockerfile (real Docker)', () => {
  let fx: LocalFixture;
  const built: string[] = [];
  const progress: string[] = [];
  before(async () => {
    fx = await localFixture({ onProgress: (p) => progress.push(p.message) });
  });
  after(async () => {
    // The containers first: an image in use by one cannot be removed.
    await fx?.dispose();
    for (const id of built) await fx.engine.docker.getImage(id).remove({ force: true }).catch(() => undefined);
  });

  it('builds the image with progress, runs it like a zip function, and rebuilds after a change', async () => {
    const context = join(fx.root, 'image-fn');
    writeFiles(context, {
      Dockerfile: `FROM ${testEnv().image}\nCOPY app.mjs /var/task/\nCMD ["app.handler"]\n`,
      'app.mjs': "export const handler = async (e) => ({ from: 'image', version: 1, got: e });\n",
    });
    const spec = functionSpec(fx.root, 'ImageFn', {}, {
      packageType: 'Image',
      runtime: undefined,
      handler: undefined,
      codeUri: undefined,
      image: { dockerfile: join(context, 'Dockerfile'), dockerContext: context, dockerTag: `test-${testEnv().runId}`.toLowerCase() },
    });
    const r = await fx.runner.invoke(spec, { event: { a: 1 } });
    assert.equal(r.error, null, JSON.stringify(r.error));
    assert.deepEqual(r.payload, { from: 'image', version: 1, got: { a: 1 } });
    assert.equal(r.report.cold, true);
    assert.ok(progress.some((m) => m.startsWith(`Building ${localImageTag(spec)}`)), progress.join('\n'));
    built.push(((await fx.engine.docker.getImage(localImageTag(spec)).inspect()) as { Id: string }).Id);

    assert.equal((await fx.runner.invoke(spec, {})).report.cold, false, 'no rebuild, still warm');

    writeFiles(context, { 'app.mjs': "export const handler = async () => ({ from: 'image', version: 2 });\n" });
    const changed = await fx.runner.invoke(spec, {});
    assert.equal(changed.report.cold, true);
    assert.deepEqual(changed.payload, { from: 'image', version: 2 });
    built.push(((await fx.engine.docker.getImage(localImageTag(spec)).inspect()) as { Id: string }).Id);
  });

  it('reports a Dockerfile that does not build, with its output', async () => {
    const context = join(fx.root, 'bad-image');
    writeFiles(context, { Dockerfile: `FROM ${testEnv().image}\nRUN exit 7\n` });
    const bad = functionSpec(fx.root, 'BadImage', {}, {
      packageType: 'Image',
      runtime: undefined,
      handler: undefined,
      codeUri: undefined,
      image: { dockerfile: join(context, 'Dockerfile'), dockerContext: context, dockerTag: `bad-${testEnv().runId}`.toLowerCase() },
    });
    await assert.rejects(fx.runner.invoke(bad, {}), (err: unknown) => {
      assert.match((err as Error).message, /^Building badimage:bad-.* failed: The command '\/bin\/sh -c exit 7' returned a non-zero code: 7/);
      return true;
    });
    const leftovers = await fx.engine.docker.listContainers({ all: true, filters: { ancestor: [testEnv().image] } });
    assert.equal(leftovers.filter((c) => c.Command.includes('exit 7')).length, 0, 'the failed step left no container');
  });
});
