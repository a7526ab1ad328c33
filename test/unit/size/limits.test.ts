import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, ftruncateSync, mkdirSync, openSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS } from '../../../src/core/limits';
import { checkWarnAt, classify, type Finding, SizeEngine } from '../../../src/core/size';
import { worst } from '../../../src/core/size/classify';
import { fnSpec, layerSpec, tempDir, writeTree } from './fixtures';

/** The findings about limits (a single big file also "dominates", which other tests cover). */
const limitCodes = (findings: Finding[]): string[] => findings.map((f) => f.code).filter((c) => /^(zip|unzipped)-/.test(c));

describe('size: limits at the boundary', () => {
  it('classifies limit - 1 and limit as within (warn), limit + 1 as over, for every limit', () => {
    for (const limit of [LIMITS.zippedDirectUploadBytes, LIMITS.unzippedWithLayersBytes, LIMITS.imageBytes, LIMITS.layersPerFunction]) {
      assert.equal(classify(limit - 1, limit), 'warn', `${limit} - 1`);
      assert.equal(classify(limit, limit), 'warn', `${limit}`);
      assert.equal(classify(limit + 1, limit), 'over', `${limit} + 1`);
      assert.equal(classify(0, limit), 'ok');
    }
  });

  it('warns from the warning fraction, inclusive', () => {
    const limit = LIMITS.zippedDirectUploadBytes;
    assert.equal(classify(0.8 * limit, limit), 'warn');
    assert.equal(classify(0.8 * limit - 1, limit), 'ok');
    assert.equal(classify(0.5 * limit, limit, 0.5), 'warn');
    assert.equal(classify(limit, limit, 1), 'warn');
    assert.equal(classify(limit - 1, limit, 1), 'ok');
    for (const bad of [0, -0.1, 1.01, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => checkWarnAt(bad), RangeError);
    assert.equal(checkWarnAt(0.9), 0.9);
  });

  it('ranks statuses: over beats unknown beats warn beats ok', () => {
    assert.equal(worst('ok', 'warn'), 'warn');
    assert.equal(worst('warn', 'unknown'), 'unknown');
    assert.equal(worst('over', 'unknown'), 'over');
    assert.equal(worst('unknown', 'over'), 'over');
  });

  describe('on real files', () => {
    let t: ReturnType<typeof tempDir>;
    let engine: SizeEngine;
    beforeEach(() => {
      t = tempDir();
      engine = new SizeEngine({ workers: 2 });
    });
    afterEach(async () => {
      await engine.dispose();
      t.cleanup();
    });

    it('a zip of exactly 52,428,800 bytes is within the direct upload limit, one byte more needs S3 (and still deploys)', async function () {
      this.timeout(120_000);
      const code = join(t.dir, 'code');
      mkdirSync(code);
      // One stored file: local header (30 + 8) + central header (46 + 8) + end record (22) around its bytes.
      const overhead = 30 + 8 + 46 + 8 + 22;
      const blob = join(code, 'blob.bin');
      writeFileSync(blob, randomBytes(LIMITS.zippedDirectUploadBytes - overhead - 1));
      const fn = fnSpec({ codeUri: code });
      const seen: [number | null, string, string[]][] = [];
      for (let step = 0; step < 3; step++) {
        if (step > 0) appendFileSync(blob, randomBytes(1));
        const s = await engine.measure(fn);
        seen.push([s.zippedBytes, s.status, limitCodes(s.findings)]);
      }
      const L = LIMITS.zippedDirectUploadBytes;
      assert.deepEqual(seen, [
        [L - 1, 'warn', ['zip-near-direct-upload']],
        [L, 'warn', ['zip-near-direct-upload']],
        [L + 1, 'warn', ['zip-over-direct-upload']],
      ]);
      const over = (await engine.measure(fn)).findings.find((f) => f.code === 'zip-over-direct-upload') as Finding;
      assert.equal(over.bytes, L + 1);
      assert.equal(over.limit, L);
      assert.equal(over.severity, 'warning');
      assert.match(over.message, /It still deploys through an S3 bucket/);
      assert.deepEqual(over.actions[0], { kind: 'deploy-via-s3' });
      truncateSync(blob, L - overhead);
      const pkg = await engine.package(fn, join(t.dir, 'exact.zip'));
      assert.equal(pkg.bytes, L);
      assert.equal(statSync(join(t.dir, 'exact.zip')).size, L);
    });

    it('262,144,000 unzipped bytes are within the limit, one more is over (sparse files: nothing big is written)', async function () {
      this.timeout(120_000);
      const code = join(t.dir, 'code');
      mkdirSync(code);
      const L = LIMITS.unzippedWithLayersBytes;
      const sparse = openSync(join(code, 'zeros.bin'), 'w');
      ftruncateSync(sparse, L - 4096);
      closeSync(sparse);
      const fn = fnSpec({ codeUri: code });
      const seen: [number | null, string, string[]][] = [];
      for (const small of [4095, 4096, 4097]) {
        writeFileSync(join(code, 'small.bin'), randomBytes(small));
        const s = await engine.measure(fn);
        seen.push([s.unzippedBytes, s.status, limitCodes(s.findings)]);
        if (small === 4097) assert.equal(s.stats.compressed, 1, 'the big file comes from the cache');
      }
      assert.deepEqual(seen, [
        [L - 1, 'warn', ['unzipped-near']],
        [L, 'warn', ['unzipped-near']],
        [L + 1, 'over', ['unzipped-over']],
      ]);
      const over = (await engine.measure(fn)).findings.find((f) => f.code === 'unzipped-over') as Finding;
      assert.equal(over.severity, 'error');
      assert.equal(over.limit, L);
      assert.deepEqual(
        over.actions.map((a) => a.kind),
        ['use-esbuild', 'use-image'],
      );
    });

    it('layers can push a function that fits over the limit', async function () {
      this.timeout(120_000);
      const code = join(t.dir, 'code');
      writeTree(code, { 'app.js': 'x'.repeat(2000) });
      const layerDir = join(t.dir, 'layer');
      mkdirSync(join(layerDir, 'nodejs'), { recursive: true });
      const fd = openSync(join(layerDir, 'nodejs', 'zeros.bin'), 'w');
      ftruncateSync(fd, LIMITS.unzippedWithLayersBytes - 1000);
      closeSync(fd);
      const layer = layerSpec('BigLayer', layerDir);
      const s = await engine.measure(fnSpec({ codeUri: code, layers: [{ kind: 'local', logicalId: 'BigLayer', layer }] }));
      assert.equal(s.status, 'over');
      assert.equal(s.layersUnzippedBytes, LIMITS.unzippedWithLayersBytes - 1000);
      assert.equal(s.totalUnzippedBytes, LIMITS.unzippedWithLayersBytes + 1000);
      const f = s.findings.find((x) => x.code === 'layers-push-over');
      assert.ok(f);
      assert.equal(f.severity, 'error');
      assert.equal(f.bytes, s.totalUnzippedBytes);
      assert.deepEqual(f.subjects, [{ package: 'BigLayer' }]);
      assert.equal(s.findings.some((x) => x.code === 'unzipped-over'), false, 'the function alone fits');
      assert.equal(s.layers[0].zippedBytes !== null && s.layers[0].zippedBytes < 1_000_000, true, 'zeros zip small');
    });

    it('allows 5 layers and refuses 6', async () => {
      const code = join(t.dir, 'code');
      writeTree(code, { 'app.js': 'x' });
      const layers = Array.from({ length: 6 }, (_, i) => {
        const dir = join(t.dir, `l${i}`);
        writeTree(dir, { [`nodejs/node_modules/m${i}/index.js`]: `${i}` });
        return { kind: 'local' as const, logicalId: `L${i}`, layer: layerSpec(`L${i}`, dir) };
      });
      const five = await engine.measure(fnSpec({ codeUri: code, layers: layers.slice(0, 5) }));
      assert.equal(five.layerCount, 5);
      assert.equal(five.status, 'ok');
      assert.equal(five.layersUnzippedBytes, 5);
      const six = await engine.measure(fnSpec({ codeUri: code, layers }));
      assert.equal(six.status, 'over');
      const f = six.findings.find((x) => x.code === 'too-many-layers');
      assert.equal(f?.severity, 'error');
      assert.equal(f?.limit, 5);
      assert.match(f?.message ?? '', /has 6 layers; Lambda allows 5/);
    });
  });
});
