import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFunction, esbuildOptions } from '../../../src/core/build/esbuild';
import { cancellationSource } from '../../../src/core/cancel';
import type { FunctionSpec } from '../../../src/core/model/types';
import { SizeEngine } from '../../../src/core/size';
import { readZip } from '../pack/zipTools';
import { fnSpec, pkgJson, tempDir, writeTree } from './fixtures';

const FAKE_SDK = `exports.S3Client = class S3Client { constructor() { this.marker = "${'FAKE-SDK-BODY '.repeat(200)}"; } };`;

describe('size: esbuild functions', () => {
  let t: ReturnType<typeof tempDir>;
  let engine: SizeEngine;
  let code: string;
  beforeEach(() => {
    t = tempDir();
    engine = new SizeEngine({ workers: 0 });
    code = join(t.dir, 'fn');
    writeTree(code, {
      'package.json': JSON.stringify({ dependencies: { tiny: '*', '@aws-sdk/client-s3': '*' }, devDependencies: { typescript: '*' } }),
      'src/app.ts': [
        "import { S3Client } from '@aws-sdk/client-s3';",
        "import { shout } from 'tiny';",
        'interface Event { name: string }',
        'export const handler = async (event: Event): Promise<string> => {',
        '  new S3Client();',
        '  return shout(event.name);',
        '};',
      ].join('\n'),
      'node_modules/tiny/package.json': pkgJson('tiny', {}, { main: 'index.js' }),
      'node_modules/tiny/index.js': `exports.shout = (s) => s.toUpperCase() + ${JSON.stringify('!'.repeat(30_000))};`,
      'node_modules/@aws-sdk/client-s3/package.json': pkgJson('@aws-sdk/client-s3', {}, { main: 'index.js' }),
      'node_modules/@aws-sdk/client-s3/index.js': FAKE_SDK,
      'node_modules/typescript/package.json': pkgJson('typescript'),
    });
  });
  afterEach(async () => {
    await engine.dispose();
    t.cleanup();
  });

  const esbuildFn = (over: Partial<FunctionSpec> = {}, props: NonNullable<NonNullable<FunctionSpec['build']>['esbuild']> = { entryPoints: ['src/app.ts'] }): FunctionSpec =>
    fnSpec({ codeUri: code, runtime: 'nodejs22.x', handler: 'app.handler', build: { method: 'esbuild', esbuild: props }, ...over });

  it('bundles a TypeScript function with the runtime-provided @aws-sdk external, and measures what it outputs', async () => {
    const fn = esbuildFn();
    const s = await engine.measure(fn);
    assert.equal(s.source, 'esbuild');
    assert.equal(s.fileCount, 1);
    const out = join(t.dir, 'fn.zip');
    const pkg = await engine.package(fn, out);
    assert.equal(pkg.bytes, s.zippedBytes);
    assert.equal(statSync(out).size, s.zippedBytes);
    const entries = await readZip(out);
    assert.deepEqual([...entries.keys()], ['app.js']);
    const js = entries.get('app.js')?.data.toString() ?? '';
    assert.match(js, /require\("@aws-sdk\/client-s3"\)/, 'the SDK stays a require');
    assert.doesNotMatch(js, /FAKE-SDK-BODY/, 'its code is not in the bundle');
    assert.match(js, /!!!!!!!!!!/, 'the dependency is bundled');
    assert.doesNotMatch(js, /interface Event/, 'TypeScript is compiled');
    assert.equal(s.unzippedBytes, Buffer.byteLength(js));
    assert.deepEqual(
      s.topContributors.map((c) => [c.name, c.kind]).sort(),
      [
        ['app.js (bundler glue)', 'file'],
        ['src/app.ts', 'file'],
        ['tiny', 'package'],
      ],
      'attribution comes from the metafile inputs',
    );
    assert.equal(s.topContributors[0].name, 'tiny');
    assert.equal(
      s.topContributors.reduce((n, c) => n + c.bytes, 0),
      s.unzippedBytes,
      'every output byte is attributed',
    );
    assert.ok(s.topContributors[0].share > 0.9);
    assert.equal(s.findings.find((f) => f.code === 'aws-sdk-v3-bundled'), undefined);
  });

  it('flags the SDK when it is bundled anyway, with the BuildProperties fix', async () => {
    const bundled = new SizeEngine({ workers: 0, awsSdkExternal: false });
    try {
      const s = await bundled.measure(esbuildFn());
      const f = s.findings.find((x) => x.code === 'aws-sdk-v3-bundled');
      assert.ok(f, 'found through the metafile inputs');
      assert.deepEqual(f.actions, [{ kind: 'esbuild-external', add: ['@aws-sdk/*'] }]);
      assert.ok(s.topContributors.some((c) => c.name === '@aws-sdk/client-s3'));
    } finally {
      await bundled.dispose();
    }
    // nodejs16.x has no v3 in the runtime: bundling it is right, and nothing is flagged.
    const old = await engine.measure(esbuildFn({ runtime: 'nodejs16.x' }));
    assert.ok(old.topContributors.some((c) => c.name === '@aws-sdk/client-s3'));
    assert.equal(old.findings.find((f) => f.code === 'aws-sdk-v3-bundled'), undefined);
  });

  it("honours BuildProperties (SAM's defaults otherwise) and derives the entry point from the handler", async () => {
    const opts = esbuildOptions(esbuildFn({ handler: 'src/app.handler' }, { external: ['pg-native'], minify: false, target: 'node20', format: 'esm', loader: ['.txt=text'], mainFields: ['module', 'main'] }));
    assert.deepEqual(opts.entryPoints, ['src/app.ts']);
    assert.deepEqual(opts.external, ['pg-native', '@aws-sdk/*']);
    assert.equal(opts.minify, false);
    assert.equal(opts.target, 'node20');
    assert.equal(opts.format, 'esm');
    assert.deepEqual(opts.loader, { '.txt': 'text' });
    assert.deepEqual(opts.mainFields, ['module', 'main']);
    const defaults = esbuildOptions(esbuildFn());
    assert.deepEqual([defaults.target, defaults.format, defaults.minify, defaults.platform, defaults.bundle, defaults.sourcemap], ['es2020', 'cjs', true, 'node', true, false]);
    assert.throws(() => esbuildOptions(esbuildFn({}, { entryPoints: ['src/missing'] })), /entry point 'src\/missing' was not found/);
  });

  it('packs source maps when asked, and reports their weight', async () => {
    const s = await engine.measure(esbuildFn({}, { entryPoints: ['src/app.ts'], sourcemap: true }));
    assert.equal(s.fileCount, 2);
    const maps = s.findings.find((f) => f.code === 'source-maps-in-package');
    assert.ok(maps);
    assert.match(maps.fix, /Set Sourcemap to false/);
    assert.deepEqual(maps.actions, []);
  });

  it('explains a build that fails, and can be cancelled', async () => {
    writeTree(code, { 'src/broken.ts': "import { x } from 'not-installed';\nexport const handler = () => x;\n" });
    await assert.rejects(engine.measure(esbuildFn({}, { entryPoints: ['src/broken.ts'] })), (err: Error & { hint?: string }) => {
      assert.match(err.message, /esbuild could not bundle Fn: src\/broken.ts:1:\d+: Could not resolve "not-installed"/);
      assert.match(err.hint ?? '', /npm install/);
      return true;
    });
    const c = cancellationSource();
    c.cancel();
    await assert.rejects(bundleFunction(esbuildFn(), { token: c.token }), /Cancelled bundling/);
  });
});
