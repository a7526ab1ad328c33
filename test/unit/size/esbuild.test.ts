import assert from 'node:assert/strict';
import { dirname, join, resolve } from 'node:path';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { BuildEngine } from '../../../src/core/build';
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
  let builds: BuildEngine;
  let code: string;
  beforeEach(() => {
    t = tempDir();
    builds = new BuildEngine({ cacheDir: join(t.dir, 'build-cache') });
    engine = new SizeEngine({ workers: 0, builds });
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

  it('bundles the SDK on a runtime without v3, and flags nothing', async () => {
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

  it('builds the bundle as the artifact, once, and rebuilds when a source or a bundled package changes', async () => {
    const fn = esbuildFn();
    const first = await builds.build(fn);
    assert.equal(first.builder, 'esbuild');
    assert.equal(first.status, 'built');
    const artifact = join(t.dir, '.lambda-workbench', 'build', 'Fn');
    assert.equal(first.artifactDir, artifact);
    const s = await engine.measure(fn);
    assert.equal(s.source, 'esbuild');
    assert.equal(s.unzippedBytes, statSync(join(artifact, 'app.js')).size, 'size measures the artifact');
    assert.equal((await builds.build(fn)).status, 'cached', 'measuring did not rebuild it');
    // A bundled package is an input: esbuild read it.
    writeTree(code, { 'node_modules/tiny/index.js': 'exports.shout = (s) => s + "?";' });
    assert.equal((await builds.status(fn)).upToDate, false);
    const after = await engine.measure(fn);
    assert.ok(after.unzippedBytes !== null && s.unzippedBytes !== null && after.unzippedBytes < s.unzippedBytes - 29_000, 'measured after a rebuild');
    assert.doesNotMatch(readFileSync(join(artifact, 'app.js'), 'utf8'), /!!!!!!!!!!/);
    assert.equal((await builds.status(fn)).upToDate, true, 'size built it');
  });

  it('builds in a workspace nobody trusted: esbuild runs none of its code', async () => {
    const untrusted = new BuildEngine({ cacheDir: join(t.dir, 'build-cache'), trusted: () => false });
    const sized = new SizeEngine({ workers: 0, builds: untrusted });
    try {
      const s = await sized.measure(esbuildFn());
      assert.equal(s.source, 'esbuild');
      assert.ok(!s.estimate, 'measured, not estimated');
    } finally {
      await sized.dispose();
    }
  });

  it('makes a Debug Locally artifact beside the deploy one: unminified, with maps that lead to the sources', async () => {
    const fn = esbuildFn();
    const deployed = await builds.build(fn);
    const debug = await builds.build(fn, { debug: true });
    assert.equal(debug.artifactDir, join(t.dir, '.lambda-workbench', 'build', 'Fn-debug'));
    assert.notEqual(debug.artifactDir, deployed.artifactDir);
    const dir = debug.artifactDir as string;
    const js = readFileSync(join(dir, 'app.js'), 'utf8');
    assert.match(js, /\n {2}new import_client_s3\.S3Client\(\);/, 'unminified');
    const map = JSON.parse(readFileSync(join(dir, 'app.js.map'), 'utf8')) as { sources: string[] };
    const sources = map.sources.map((p) => resolve(dir, p));
    assert.ok(sources.includes(join(code, 'src', 'app.ts')), `the map leads to the source from where the artifact is: ${map.sources.join(', ')}`);
    assert.ok(!existsSync(join(deployed.artifactDir as string, 'app.js.map')), 'the deploy artifact has no maps unless BuildProperties ask');
    assert.equal((await builds.build(fn)).status, 'cached', 'the debug build did not touch the deploy artifact');
    assert.equal(dirname(dir), dirname(deployed.artifactDir as string));
  });
});
