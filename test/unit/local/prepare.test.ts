import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { UserError } from '../../../src/core/errors';
import { LayerCache } from '../../../src/core/local/layerCache';
import { type PrepareContext, prepareFunction } from '../../../src/core/local/prepare';
import type { FunctionSpec } from '../../../src/core/model/types';

const RANGE = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

describe('local: preparing a function\'s container', () => {
  let work: string;
  let ctx: PrepareContext;
  let fn: FunctionSpec;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'lwb-prepare-'));
    mkdirSync(join(work, 'code'));
    writeFileSync(join(work, 'code', 'app.mjs'), 'export const handler = async () => 1;');
    // Zip functions need no engine call to prepare: a docker that throws proves it.
    const docker = new Proxy({}, { get: () => () => assert.fail('no engine call while preparing a zip function') }) as unknown as Docker;
    ctx = { docker, cacheDir: join(work, 'cache'), images: {}, layers: new LayerCache(join(work, 'cache', 'layers')), region: 'eu-central-1', salt: {}, builtImages: new Map() };
    fn = {
      logicalId: 'Fn',
      templatePath: join(work, 'template.yaml'),
      resourceType: 'AWS::Serverless::Function',
      runtime: 'nodejs22.x',
      handler: 'app.handler',
      codeUri: join(work, 'code'),
      architecture: 'arm64',
      memorySize: 128,
      timeout: 3,
      environment: { A: '1' },
      layers: [],
      packageType: 'Zip',
      events: [],
      conditional: [],
      ranges: { resource: RANGE, logicalId: RANGE, properties: {} },
    };
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('mounts the code read-only at /var/task and runs the handler in the runtime\'s AWS base image', async () => {
    const p = await prepareFunction(ctx, fn, {});
    assert.deepEqual(p.image, { image: 'public.ecr.aws/lambda/nodejs:22', overridden: false, runtime: 'nodejs22.x' });
    assert.deepEqual(p.cmd, ['app.handler']);
    assert.deepEqual(p.binds, [`${join(work, 'code')}:/var/task:ro`]);
    assert.equal(p.envInputs.region, 'eu-central-1');
    const mapped = await prepareFunction({ ...ctx, images: { 'nodejs22.x': 'mirror.example.com/node:22' } }, fn, { codeDir: join(work, 'code') });
    assert.deepEqual(mapped.image, { image: 'mirror.example.com/node:22', overridden: true, runtime: 'nodejs22.x' });
  });

  it('changes its fingerprint with the code, the memory, the environment, and an env file', async () => {
    const base = (await prepareFunction(ctx, fn, {})).fingerprint;
    assert.equal((await prepareFunction(ctx, fn, {})).fingerprint, base, 'stable while nothing changes');
    assert.notEqual((await prepareFunction(ctx, { ...fn, memorySize: 256 }, {})).fingerprint, base);
    assert.notEqual((await prepareFunction(ctx, { ...fn, environment: { A: '2' } }, {})).fingerprint, base);
    writeFileSync(join(work, 'env'), 'B=1');
    assert.notEqual((await prepareFunction(ctx, fn, { envFile: join(work, 'env') })).fingerprint, base);
    writeFileSync(join(work, 'code', 'more.mjs'), 'x');
    assert.notEqual((await prepareFunction(ctx, fn, {})).fingerprint, base);
    // A caller-given code version replaces the folder walk.
    const v1 = (await prepareFunction(ctx, fn, { codeVersion: '1' })).fingerprint;
    writeFileSync(join(work, 'code', 'more.mjs'), 'changed but not counted');
    assert.equal((await prepareFunction(ctx, fn, { codeVersion: '1' })).fingerprint, v1);
    assert.notEqual((await prepareFunction(ctx, fn, { codeVersion: '2' })).fingerprint, v1);
  });

  it('refuses template variables Docker would split at \'=\' or mangle, with the template line, before any container work', async () => {
    const line = (n: number) => ({ start: { line: n, column: 6 }, end: { line: n, column: 20 } });
    const spec = { ...fn, environment: { OK: '1', 'AWS_ACCESS_KEY_ID=AKIAEVIL': 'x' }, ranges: { ...fn.ranges, properties: { 'Environment.Variables.AWS_ACCESS_KEY_ID=AKIAEVIL': line(11) } } };
    await assert.rejects(prepareFunction(ctx, spec, {}), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.equal(err.code, 'env-name');
      assert.equal(err.message, `${fn.templatePath} line 12: Environment.Variables of Fn: the variable "AWS_ACCESS_KEY_ID=AKIAEVIL" has a name with '=' in it, which cannot be passed to the function.`);
      return true;
    });
    await assert.rejects(prepareFunction(ctx, { ...fn, environment: { '': 'x' } }, {}), (err: unknown) => err instanceof UserError && /has an empty name/.test(err.message));
    await assert.rejects(prepareFunction(ctx, fn, { envOverrides: { 'A\u0000': '1' } }), (err: unknown) => err instanceof UserError && err.code === 'env-name');
  });

  it('writes inline code to a folder of its own', async () => {
    const inline = { ...fn, codeUri: undefined, inlineCode: 'exports.handler = async () => "inline";', handler: 'index.handler' };
    const p = await prepareFunction(ctx, inline, {});
    const folder = p.binds[0].split(':')[0];
    assert.equal(readFileSync(join(folder, 'index.js'), 'utf8'), inline.inlineCode);
  });

  it('says what is missing or out of range, before any container work', async () => {
    const refuses = async (spec: FunctionSpec, code: string, message: RegExp): Promise<void> => {
      await assert.rejects(prepareFunction(ctx, spec, {}), (err: unknown) => err instanceof UserError && err.code === code && message.test(err.message));
    };
    await refuses({ ...fn, handler: undefined }, 'no-handler', /Fn has no Handler/);
    await refuses({ ...fn, runtime: undefined }, 'no-runtime', /no Runtime/);
    await refuses({ ...fn, runtime: 'cobol1.0' }, 'unknown-runtime', /no Lambda base image for the runtime 'cobol1\.0'/);
    await refuses({ ...fn, codeUri: join(work, 'gone') }, 'code-missing', /code folder .*gone of Fn does not exist/);
    await refuses({ ...fn, codeUri: undefined, s3Code: { bucket: 'b', key: 'k.zip' } }, 'code-in-s3', /s3:\/\/b\/k\.zip/);
    await refuses({ ...fn, memorySize: 64 }, 'memory-size', /MemorySize 64 of Fn is outside Lambda's range/);
    await refuses({ ...fn, timeout: 901 }, 'timeout', /Timeout 901/);
    await refuses({ ...fn, packageType: 'Image' }, 'image-missing', /neither a Dockerfile/);
    assert.equal(existsSync(join(work, 'cache', 'opt')), false);
  });
});
