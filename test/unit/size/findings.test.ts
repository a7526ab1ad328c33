import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { LIMITS } from '../../../src/core/limits';
import { type Finding, type FunctionSize, type ImageSizeLookup, SizeEngine } from '../../../src/core/size';
import { fnSpec, pkgJson, tempDir, writeTree } from './fixtures';

const find = (s: FunctionSize, code: string): Finding | undefined => s.findings.find((f) => f.code === code);

describe('size: findings', () => {
  let t: ReturnType<typeof tempDir>;
  let engine: SizeEngine;
  beforeEach(() => {
    t = tempDir();
    engine = new SizeEngine({ workers: 0 });
  });
  afterEach(async () => {
    await engine.dispose();
    t.cleanup();
  });

  /** A function folder with the AWS SDK v3 (and its @smithy helpers) installed as a dependency. */
  function withSdkV3(): string {
    const code = join(t.dir, 'code');
    writeTree(code, {
      'package.json': JSON.stringify({ dependencies: { '@aws-sdk/client-s3': '^3', uuid: '*' } }),
      'app.js': "const { S3Client } = require('@aws-sdk/client-s3');",
      'node_modules/@aws-sdk/client-s3/package.json': pkgJson('@aws-sdk/client-s3', { '@smithy/core': '*' }),
      'node_modules/@aws-sdk/client-s3/dist/index.js': 'x'.repeat(5000),
      'node_modules/@smithy/core/package.json': pkgJson('@smithy/core'),
      'node_modules/@smithy/core/index.js': 'y'.repeat(3000),
      'node_modules/uuid/package.json': pkgJson('uuid'),
      'node_modules/uuid/index.js': 'u',
    });
    return code;
  }

  it('flags the AWS SDK v3 in the package on runtimes that provide it, with fixes a code action can apply', async () => {
    const code = withSdkV3();
    const s = await engine.measure(fnSpec({ codeUri: code, runtime: 'nodejs20.x' }));
    const f = find(s, 'aws-sdk-v3-bundled');
    assert.ok(f);
    assert.equal(f.severity, 'warning');
    assert.equal(f.bytes, 5000 + 3000 + pkgJson('@aws-sdk/client-s3', { '@smithy/core': '*' }).length + pkgJson('@smithy/core').length, 'the SDK packages, uuid not counted');
    assert.match(f.message, /AWS SDK for JavaScript v3 is in the package .*@aws-sdk\/client-s3.*although the nodejs20.x runtime provides it/);
    assert.deepEqual(f.actions, [
      { kind: 'use-esbuild', external: ['@aws-sdk/*'] },
      { kind: 'move-to-dev-dependencies', manifest: join(code, 'package.json'), packages: ['@aws-sdk/client-s3'] },
    ]);
    assert.deepEqual(f.subjects, [{ package: '@aws-sdk/client-s3' }]);
    const old = await engine.measure(fnSpec({ codeUri: code, runtime: 'nodejs16.x' }));
    assert.equal(find(old, 'aws-sdk-v3-bundled'), undefined, 'nodejs16.x provides v2, so v3 must be bundled');
    const python = await engine.measure(fnSpec({ codeUri: code, runtime: 'python3.12' }));
    assert.equal(find(python, 'aws-sdk-v3-bundled'), undefined);
  });

  it('flags aws-sdk v2: redundant where the runtime has it, end of support where it does not', async () => {
    const code = join(t.dir, 'code');
    writeTree(code, {
      'package.json': JSON.stringify({ dependencies: { 'aws-sdk': '^2' } }),
      'node_modules/aws-sdk/package.json': pkgJson('aws-sdk'),
      'node_modules/aws-sdk/lib/core.js': 'z'.repeat(4000),
    });
    const v16 = find(await engine.measure(fnSpec({ codeUri: code, runtime: 'nodejs16.x' })), 'aws-sdk-v2-bundled');
    assert.match(v16?.message ?? '', /although the nodejs16.x runtime provides it/);
    assert.deepEqual(v16?.actions, [{ kind: 'move-to-dev-dependencies', manifest: join(code, 'package.json'), packages: ['aws-sdk'] }]);
    const v22 = find(await engine.measure(fnSpec({ codeUri: code, runtime: 'nodejs22.x' })), 'aws-sdk-v2-bundled');
    assert.match(v22?.message ?? '', /reached end of support, and the nodejs22.x runtime provides v3 instead/);
    assert.deepEqual(v22?.actions, [], 'migrating takes a person');
  });

  it('names one package that makes up most of the package, and suggests a layer', async () => {
    const code = join(t.dir, 'code');
    writeTree(code, {
      'package.json': JSON.stringify({ dependencies: { heavy: '*' } }),
      'app.js': 'x'.repeat(1000),
      'node_modules/heavy/package.json': pkgJson('heavy'),
      'node_modules/heavy/a.bin': randomBytes(700_000),
      'node_modules/heavy/b.bin': randomBytes(700_000),
    });
    const s = await engine.measure(fnSpec({ codeUri: code }));
    assert.deepEqual(
      s.topContributors.map((c) => [c.name, c.kind, c.files]),
      [
        ['heavy', 'package', 3],
        ['app.js', 'file', 1],
        ['package.json', 'file', 1],
      ],
    );
    assert.ok(s.topContributors[0].share > 0.99);
    const f = find(s, 'dominant-package');
    assert.ok(f);
    assert.equal(f.severity, 'info', 'the package is far from any limit');
    assert.deepEqual(f.actions, [{ kind: 'move-to-layer', manifest: join(code, 'package.json'), packages: ['heavy'] }]);
    assert.equal(f.bytes, s.topContributors[0].bytes);
  });

  it('names one file that makes up most of the package, and offers to exclude it', async () => {
    const code = join(t.dir, 'code');
    writeTree(code, { 'app.js': 'x', 'data/model.onnx': randomBytes(1_200_000) });
    const s = await engine.measure(fnSpec({ codeUri: code }));
    const f = find(s, 'dominant-file');
    assert.match(f?.message ?? '', /One file makes up most of the package: data\/model.onnx/);
    assert.deepEqual(f?.actions, [{ kind: 'exclude', ignoreFile: join(code, '.lambdaignore'), patterns: ['/data/model.onnx'] }]);
    assert.deepEqual(f?.subjects, [{ path: 'data/model.onnx' }]);
  });

  it('says when a build method other than esbuild would change what is deployed', async () => {
    const code = join(t.dir, 'code');
    writeTree(code, { 'main.go': 'package main' });
    const s = await engine.measure(fnSpec({ codeUri: code, runtime: 'provided.al2023', build: { method: 'go1.x' } }));
    assert.match(find(s, 'build-not-run')?.message ?? '', /has BuildMethod go1.x; the size is of the CodeUri folder as it is/);
    assert.equal(find(await engine.measure(fnSpec({ codeUri: code })), 'build-not-run'), undefined);
  });

  it('says when the code is not local, and the status is unknown rather than 0', async () => {
    const s = await engine.measure(fnSpec({ codeUri: undefined, s3Code: { bucket: 'b', key: 'k.zip' } }));
    assert.equal(s.status, 'unknown');
    assert.equal(s.zippedBytes, null);
    assert.equal(s.unzippedBytes, null);
    assert.match(find(s, 'code-not-local')?.message ?? '', /s3:\/\/b\/k.zip/);
  });

  it('keeps a layer it cannot look up unknown (never 0), unless the known part is already over', async () => {
    const code = join(t.dir, 'code');
    writeTree(code, { 'app.js': 'x' });
    const arn = 'arn:aws:lambda:us-east-1:123456789012:layer:shared:3';
    const s = await engine.measure(fnSpec({ codeUri: code, layers: [{ kind: 'arn', arn }, { kind: 'unresolved', expression: { fn: 'Ref', args: 'LayerArnParam' } }] }));
    assert.equal(s.status, 'unknown');
    assert.equal(s.layersUnzippedBytes, null);
    assert.equal(s.totalUnzippedBytes, null);
    assert.deepEqual(
      s.layers.map((l) => [l.ref, l.status, l.unzippedBytes]),
      [
        ['arn', 'unknown', null],
        ['expression', 'unknown', null],
      ],
    );
    const unknown = s.findings.filter((f) => f.code === 'layer-size-unknown');
    assert.equal(unknown.length, 2);
    assert.match(unknown[0].message, /no AWS access is configured to look it up/);
    assert.match(unknown[0].fix, /choose a profile/);
    assert.match(unknown[1].message, /!Ref "LayerArnParam"/);
    const tooMany = await engine.measure(fnSpec({ codeUri: code, layers: Array.from({ length: 6 }, (_, i) => ({ kind: 'arn' as const, arn: `${arn.slice(0, -1)}${i + 1}` })) }));
    assert.equal(tooMany.status, 'over', 'six layers are too many whatever their size');
  });

  it('sizes image functions from the engine, or estimates (and says so), against 10 GiB', async () => {
    const ctx = join(t.dir, 'img');
    writeTree(ctx, { Dockerfile: 'ARG BASE=public.ecr.aws/lambda/nodejs:22\nFROM ${BASE}\nCOPY app.js ./\nCMD ["app.handler"]\n', 'app.js': 'x'.repeat(1000), '.dockerignore': 'ignored/\n', 'ignored/big.bin': 'y'.repeat(5000) });
    const image = { dockerfile: join(ctx, 'Dockerfile'), dockerContext: ctx, dockerTag: 'v1' };
    const sizes: Record<string, number> = { 'myfn:v1': LIMITS.imageBytes + 1, 'public.ecr.aws/lambda/nodejs:22': 9 * 1024 ** 3 };
    const lookup: ImageSizeLookup = { imageSize: (ref) => Promise.resolve(sizes[ref]) };
    const withEngine = new SizeEngine({ workers: 0, imageLookup: lookup });
    try {
      const built = await withEngine.measure(fnSpec({ logicalId: 'MyFn', packageType: 'Image', image, codeUri: undefined }));
      assert.equal(built.imageBytes, LIMITS.imageBytes + 1);
      assert.equal(built.status, 'over');
      assert.equal(find(built, 'image-over')?.severity, 'error');
      assert.equal(built.zippedBytes, null);

      const estimated = await withEngine.measure(fnSpec({ logicalId: 'NotBuilt', packageType: 'Image', image, codeUri: undefined }));
      const contextBytes = estimated.imageBytes === null ? 0 : estimated.imageBytes - 9 * 1024 ** 3;
      assert.ok(contextBytes > 1000 && contextBytes < 2000, `.dockerignore applies to the context (${contextBytes})`);
      assert.equal(estimated.image?.estimated, true);
      assert.equal(estimated.status, 'warn');
      assert.equal(find(estimated, 'image-near')?.severity, 'warning');
      assert.match(find(estimated, 'image-size-estimated')?.message ?? '', /base image public.ecr.aws\/lambda\/nodejs:22/);
    } finally {
      await withEngine.dispose();
    }
    const blind = await engine.measure(fnSpec({ logicalId: 'NotBuilt', packageType: 'Image', image, codeUri: undefined }));
    assert.equal(blind.imageBytes, null);
    assert.equal(blind.status, 'unknown');
    assert.match(find(blind, 'image-size-estimated')?.message ?? '', /no container engine to ask/);
  });
});
