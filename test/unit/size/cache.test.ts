import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompressionCache } from '../../../src/core/pack';
import { SizeEngine } from '../../../src/core/size';
import { listZip, unzipTest } from '../pack/zipTools';
import { fnSpec, tempDir, writeTree } from './fixtures';

/** Waits until folders written now are old enough for their listings to be trusted (see trustedNow). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 2_100));
}

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
    assert.equal(readdirSync(cacheDir).filter((f) => f.startsWith('compress-')).length, 1);
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
    const file = join(cacheDir, readdirSync(cacheDir).find((f) => f.startsWith('compress-')) as string);
    assert.equal((await CompressionCache.load(file)).size, 180);
  });

  it('re-walks see files added, removed and rewritten in folders whose listing is reused', async function () {
    this.timeout(20_000);
    const code = tree();
    // Folders last changed over two seconds ago: their listings are trusted and reused by the next walk.
    await settle();
    const engine = new SizeEngine({ workers: 2 });
    try {
      const fn = fnSpec({ codeUri: code });
      const names = async (): Promise<string[]> => (await engine.collectInputs({ kind: 'function', spec: fn })).map((i) => i.name).sort();
      const first = await engine.measure(fn);
      assert.equal(first.stats.foldersRead, 12);
      const again = await engine.measure(fn);
      assert.deepEqual([again.stats.compressed, again.stats.foldersRead], [0, 0]);
      // An edit that adds no file: nothing is listed again, one file is compressed, and the zip is as predicted.
      appendFileSync(join(code, 'src/m8/f8.js'), '// edited\n');
      const edited = await engine.measure(fn);
      assert.deepEqual([edited.stats.compressed, edited.stats.foldersRead], [1, 0]);
      const written = await engine.package(fn, join(t.dir, 'edited.zip'));
      assert.equal(written.bytes, edited.zippedBytes);
      assert.equal(statSync(join(t.dir, 'edited.zip')).size, edited.zippedBytes);
      // Two reads at once (a measurement and a deploy collecting its inputs) both see the next edit.
      appendFileSync(join(code, 'src/m9/f9.js'), '// edited again\n');
      const size = statSync(join(code, 'src/m9/f9.js')).size;
      const [measured, inputs] = await Promise.all([engine.measure(fn), engine.collectInputs({ kind: 'function', spec: fn })]);
      assert.equal(inputs.find((i) => i.name === 'src/m9/f9.js')?.size, size);
      assert.equal(measured.stats.compressed, 1);
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
      assert.equal(after.stats.foldersRead, 2, 'src/m4 and src/m5 are listed again, nothing else');
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

  it('a new engine re-lists only the folders that changed since the last one saved its listings, and packs what is there', async function () {
    this.timeout(30_000);
    const code = tree();
    writeTree(code, { 'app.js': 'exports.handler = async () => 1;', 'README.md': '# x', 'src/m7/deep/er/leaf.js': 'leaf' });
    const cacheDir = join(t.dir, 'cache');
    const fn = fnSpec({ codeUri: code });
    /** Measures in a new engine (as a new process would), then writes the zip and reads its names back. */
    const fresh = async (n: number): Promise<{ read: number; names: string[] }> => {
      const engine = new SizeEngine({ workers: 2, cacheDir });
      try {
        const s = await engine.measure(fn);
        const pkg = await engine.package(fn, join(t.dir, `out-${n}.zip`));
        assert.equal(pkg.bytes, s.zippedBytes, 'the written zip is the predicted size');
        assert.equal(statSync(join(t.dir, `out-${n}.zip`)).size, s.zippedBytes, 'to the byte, on disk');
        unzipTest(join(t.dir, `out-${n}.zip`));
        return { read: s.stats.foldersRead, names: await listZip(join(t.dir, `out-${n}.zip`)) };
      } finally {
        await engine.dispose();
      }
    };
    await settle();
    const first = await fresh(1);
    assert.equal(first.read, 14, 'the first engine lists every folder');
    const second = await fresh(2);
    assert.deepEqual(second, { read: 0, names: first.names }, 'the next lists none: every listing is loaded and checked');

    writeFileSync(join(code, 'src/m7/deep/er/added.js'), 'added');
    rmSync(join(code, 'src/m2/f2.js'));
    renameSync(join(code, 'src/m3/f3.js'), join(code, 'src/m3/renamed.js'));
    writeFileSync(join(code, 'added-at-root.js'), 'root');
    rmSync(join(code, 'README.md'));
    renameSync(join(code, 'app.js'), join(code, 'handler.js'));
    const third = await fresh(3);
    assert.equal(third.read, 4, 'the root, src/m2, src/m3 and src/m7/deep/er');
    const expected = first.names.filter((n) => !['src/m2/f2.js', 'src/m3/f3.js', 'README.md', 'app.js'].includes(n));
    expected.push('src/m7/deep/er/added.js', 'src/m3/renamed.js', 'added-at-root.js', 'handler.js');
    assert.deepEqual([...third.names].sort(), expected.sort());
    // Listings read just now are recent, so not trusted yet: the next engine lists those four again.
    assert.equal((await fresh(4)).read, 4);
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
