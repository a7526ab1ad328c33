import { testFunctionSpec } from '../../support/specs';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NEVER_CANCELLED } from '../../../src/core/cancel';
import { sizeEnginePackager } from '../../../src/core/deploy/sizeEnginePackager';
import type { FunctionSpec } from '../../../src/core/model/types';
import { SizeEngine } from '../../../src/core/size';


describe('deploy: packaging through the size engine', () => {
  let dir: string;
  let engine: SizeEngine;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-packager-'));
    engine = new SizeEngine({ workers: 0 });
  });
  afterEach(async () => {
    await engine.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const spec = (codeUri: string): FunctionSpec => testFunctionSpec({ logicalId: 'Api', templatePath: join(dir, 'template.yaml'), codeUri });
  const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('base64');

  it('writes a zip whose CodeSha256 is its SHA-256, and knows it next time without writing', async () => {
    const code = join(dir, 'code');
    mkdirSync(join(code, 'lib'), { recursive: true });
    writeFileSync(join(code, 'index.js'), 'exports.handler = async () => 1;\n');
    writeFileSync(join(code, 'lib', 'big.txt'), 'x'.repeat(100_000));
    const cacheDir = join(dir, 'cache');
    const out1 = join(dir, 'out1');
    const out2 = join(dir, 'out2');
    mkdirSync(out1);
    mkdirSync(out2);

    const first = await sizeEnginePackager(engine, { cacheDir }).packageFunction(spec(code), out1, NEVER_CANCELLED);
    assert.equal(first.materialize, undefined, 'a first package is written at once');
    assert.equal(first.codeSha256, sha(first.path));
    assert.equal(first.unzippedBytes, 100_000 + 'exports.handler = async () => 1;\n'.length);
    const measured = await sizeEnginePackager(engine, { cacheDir }).functionUnzippedBytes(spec(code), NEVER_CANCELLED);
    assert.equal(measured, first.unzippedBytes);

    // A new packager (a new process) over the same cache folder: the hash is known from the inputs.
    const second = await sizeEnginePackager(engine, { cacheDir }).packageFunction(spec(code), out2, NEVER_CANCELLED);
    assert.equal(second.codeSha256, first.codeSha256);
    assert.equal(second.bytes, first.bytes);
    assert.ok(second.materialize, 'the zip is written only when asked for');
    await second.materialize(NEVER_CANCELLED);
    assert.deepEqual(readFileSync(second.path), readFileSync(first.path), 'byte for byte the same zip');

    // A changed file changes the fingerprint: packaged and hashed again.
    writeFileSync(join(code, 'index.js'), 'exports.handler = async () => 2;\n');
    const third = await sizeEnginePackager(engine, { cacheDir }).packageFunction(spec(code), out2, NEVER_CANCELLED);
    assert.equal(third.materialize, undefined);
    assert.notEqual(third.codeSha256, first.codeSha256);
    assert.equal(third.codeSha256, sha(third.path));
  });

  it('uploads a prebuilt archive as it is', async () => {
    const code = join(dir, 'code');
    mkdirSync(code);
    writeFileSync(join(code, 'index.js'), 'exports.handler = async () => 1;\n');
    const first = await sizeEnginePackager(engine).packageFunction(spec(code), dir, NEVER_CANCELLED);
    const archive = join(dir, 'prebuilt.zip');
    writeFileSync(archive, readFileSync(first.path));
    const out = join(dir, 'out');
    mkdirSync(out);
    const packager = sizeEnginePackager(engine);
    const again = await packager.packageFunction(spec(archive), out, NEVER_CANCELLED);
    assert.equal(again.codeSha256, first.codeSha256);
    assert.equal(await packager.functionUnzippedBytes(spec(archive), NEVER_CANCELLED), first.unzippedBytes);
  });
});
