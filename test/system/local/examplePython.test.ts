import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BuildEngine } from '../../../src/core/build';
import { loadTemplate } from '../../../src/core/model';
import { offlineSettings } from '../build/support';
import { pythonImages } from '../env';
import { type LocalFixture, localFixture } from './fixture';

const EXAMPLES = resolve(__dirname, '..', '..', '..', '..', 'examples');

describe('the sample Python function of examples/: its dependency is installed by the build and imported at run time (real pip, Docker, awslambdaric)', () => {
  let fx: LocalFixture;
  let dir: string;
  let builds: BuildEngine;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-example-py-'));
    cpSync(EXAMPLES, dir, { recursive: true });
    builds = new BuildEngine({ cacheDir: join(dir, '.build-cache'), settings: offlineSettings() });
    fx = await localFixture({ images: { 'python3.13': pythonImages()['python3.13'] }, builds });
  });
  after(async () => {
    await fx?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('HelloPython is built with fastjsonschema and reports the messages that are not orders', async () => {
    const fn = (await loadTemplate(join(dir, 'template.yaml'))).functions.find((f) => f.logicalId === 'HelloPython');
    assert.ok(fn);
    assert.equal(fn.runtime, 'python3.13');
    const sample = JSON.parse(readFileSync(join(dir, 'events', 'HelloPython', 'two-messages.sqs.json'), 'utf8')) as { Records: { messageId: string; body: string }[] };
    const result = await fx.runner.invoke(fn, { event: sample });
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.deepEqual(result.payload, { batchItemFailures: [{ itemIdentifier: sample.Records[1].messageId }] }, 'the body that is not JSON fails alone');
    const built = await builds.status(fn);
    assert.ok(built.upToDate && built.artifactDir, 'the invoke built it first');
    assert.ok(existsSync(join(built.artifactDir, 'fastjsonschema', '__init__.py')), 'the dependency is in the artifact');

    // JSON that is not an order fails the schema: the imported validator did the work.
    const notOrder = { Records: [{ ...sample.Records[0], messageId: 'm-1', body: '{"order": "seven"}' }, { ...sample.Records[0], messageId: 'm-2', body: '{"order": 7}' }] };
    const again = await fx.runner.invoke(fn, { event: notOrder });
    assert.deepEqual(again.payload, { batchItemFailures: [{ itemIdentifier: 'm-1' }] });
  });
});
