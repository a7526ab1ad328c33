import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { SizeEngine } from '../../../src/core/size';
import { fnSpec, tempDir, writeTree } from './fixtures';

const ROOT = join(__dirname, '..', '..', '..', '..');

describe('size: inside a bundle', () => {
  it('starts its worker threads from source text, so a minified single-file bundle (the extension) measures the same', async function () {
    this.timeout(120_000);
    const t = tempDir();
    try {
      const code = join(t.dir, 'code');
      const files: Record<string, string> = {};
      // Enough work that it goes to the workers rather than staying on the calling thread.
      for (let i = 0; i < 1500; i++) files[`src/f${i}.js`] = `module.exports = ${JSON.stringify('payload '.repeat(200 + (i % 300)))};\n`;
      writeTree(code, files);
      const bundle = join(t.dir, 'size.js');
      await esbuild.build({
        entryPoints: [join(ROOT, 'src', 'core', 'size', 'index.ts')],
        bundle: true,
        minify: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        outfile: bundle,
        // As the product's own build leaves them out (the vendor bundles, ssh2's optional native binding).
        external: ['@aws-sdk/*', 'esbuild', 'dockerode', 'cpu-features', '*.node'],
        logLevel: 'silent',
      });
      const script = `
        const { SizeEngine } = require(${JSON.stringify(bundle)});
        (async () => {
          const engine = new SizeEngine({ workers: 2 });
          const s = await engine.measure(${JSON.stringify(fnSpec({ codeUri: code }))});
          await engine.dispose();
          process.stdout.write(JSON.stringify({ zipped: s.zippedBytes, compressed: s.stats.compressed }));
        })().catch((e) => { console.error(e); process.exit(1); });`;
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const fromBundle = JSON.parse(r.stdout) as { zipped: number; compressed: number };
      const engine = new SizeEngine({ workers: 0 });
      try {
        const here = await engine.measure(fnSpec({ codeUri: code }));
        assert.deepEqual(fromBundle, { zipped: here.zippedBytes, compressed: 1500 });
      } finally {
        await engine.dispose();
      }
    } finally {
      t.cleanup();
    }
  });
});
