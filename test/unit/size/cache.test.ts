import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompressionCache } from '../../../src/core/pack';
import { SizeEngine } from '../../../src/core/size';
import { fnSpec, tempDir, writeTree } from './fixtures';

describe('size: compression cache', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => {
    t = tempDir();
  });
  afterEach(() => t.cleanup());

  function tree(): string {
    const code = join(t.dir, 'code');
    const files: Record<string, string> = {};
    for (let i = 0; i < 200; i++) files[`src/m${i % 10}/f${i}.js`] = `export const v${i} = ${'"value" + '.repeat(i % 40)}1;\n`;
    writeTree(code, files);
    return code;
  }

  it('re-measuring after one edit compresses that one file', async () => {
    const code = tree();
    const engine = new SizeEngine({ workers: 2, cacheDir: join(t.dir, 'cache') });
    try {
      const fn = fnSpec({ codeUri: code });
      const first = await engine.measure(fn);
      assert.deepEqual([first.stats.files, first.stats.compressed, first.stats.cacheHits], [200, 200, 0]);
      const again = await engine.measure(fn);
      assert.deepEqual([again.stats.compressed, again.stats.cacheHits], [0, 200]);
      assert.equal(again.zippedBytes, first.zippedBytes);
      appendFileSync(join(code, 'src/m3/f13.js'), '// edited\n');
      const edited = await engine.measure(fn);
      assert.deepEqual([edited.stats.compressed, edited.stats.cacheHits, edited.stats.bytesCompressed], [1, 199, statSync(join(code, 'src/m3/f13.js')).size]);
      assert.ok((edited.zippedBytes as number) > (first.zippedBytes as number));
    } finally {
      await engine.dispose();
    }
  });

  it('persists across engines (and processes) in the cache folder, keyed by path, size, mtime, ctime and inode', async () => {
    const code = tree();
    const cacheDir = join(t.dir, 'cache');
    const fn = fnSpec({ codeUri: code });
    const run = async (): Promise<{ compressed: number; zipped: number | null }> => {
      const engine = new SizeEngine({ workers: 0, cacheDir });
      try {
        const s = await engine.measure(fn);
        return { compressed: s.stats.compressed, zipped: s.zippedBytes };
      } finally {
        await engine.dispose(); // writes the cache
      }
    };
    const cold = await run();
    assert.equal(cold.compressed, 200);
    assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith('.bin')).length, 1);
    assert.deepEqual(await run(), { compressed: 0, zipped: cold.zipped });

    // Same size and mtime, new content: only the inode (and ctime) tell. Replaced by rename, as editors save.
    const target = join(code, 'src/m0/f0.js');
    const before = statSync(target);
    const replacement = join(t.dir, 'replacement.js');
    writeFileSync(replacement, 'X'.repeat(before.size));
    utimesSync(replacement, before.atime, before.mtime);
    renameSync(replacement, target);
    const afterReplace = await run();
    assert.equal(afterReplace.compressed, 1);

    // Deleted files leave the cache file at the next save.
    rmSync(join(code, 'src/m1'), { recursive: true });
    await run();
    const file = join(cacheDir, readdirSync(cacheDir).find((f) => f.endsWith('.bin')) as string);
    assert.equal((await CompressionCache.load(file)).size, 180);
  });

  it('re-walks see files added, removed and rewritten in folders whose listing is reused', async () => {
    const code = tree();
    // Folders last changed long ago: their listings are trusted and reused by the next walk.
    const old = new Date('2020-01-01T00:00:00Z');
    for (const d of ['', 'src', ...Array.from({ length: 10 }, (_, i) => `src/m${i}`)]) utimesSync(join(code, d), old, old);
    const engine = new SizeEngine({ workers: 2 });
    try {
      const fn = fnSpec({ codeUri: code });
      const names = async (): Promise<string[]> => (await engine.collectInputs({ kind: 'function', spec: fn })).map((i) => i.name).sort();
      const first = await engine.measure(fn);
      assert.deepEqual((await engine.measure(fn)).stats.compressed, 0);
      writeFileSync(join(code, 'src/m4/new.js'), 'added');
      rmSync(join(code, 'src/m5/f5.js'));
      const listed = await names();
      assert.ok(listed.includes('src/m4/new.js'));
      assert.ok(!listed.includes('src/m5/f5.js'));
      // Same size, mtime put back: only ctime (and the content) differ.
      const f = join(code, 'src/m6/f6.js');
      const before = statSync(f);
      writeFileSync(f, 'Z'.repeat(before.size));
      utimesSync(f, before.atime, before.mtime);
      const after = await engine.measure(fn);
      assert.equal(after.fileCount, 200);
      assert.equal(after.stats.compressed, 2, 'the new file and the rewritten one');
      assert.notEqual(after.zippedBytes, first.zippedBytes);
      const fresh = new SizeEngine({ workers: 0 });
      try {
        assert.equal((await fresh.measure(fn)).zippedBytes, after.zippedBytes, 'the same as measuring from scratch');
      } finally {
        await fresh.dispose();
      }
    } finally {
      await engine.dispose();
    }
  });

  it('a copied tree (new inodes) is compressed again: the cache never trusts a path alone', async () => {
    const code = tree();
    const cacheDir = join(t.dir, 'cache');
    const engine = new SizeEngine({ workers: 0, cacheDir });
    try {
      await engine.measure(fnSpec({ codeUri: code }));
      const f = join(code, 'src/m2/f2.js');
      copyFileSync(f, `${f}.tmp`);
      renameSync(`${f}.tmp`, f);
      const s = await engine.measure(fnSpec({ codeUri: code }));
      assert.equal(s.stats.compressed, 1);
    } finally {
      await engine.dispose();
    }
  });
});
