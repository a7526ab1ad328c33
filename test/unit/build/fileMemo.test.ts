import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileMemo } from '../../../src/core/build/fingerprint';

describe('build: values kept per version of a file (FileMemo)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lwb-memo-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file once while it stays the same, again after any change, and says nothing of a missing one or a folder', async () => {
    let reads = 0;
    const memo = new FileMemo((b) => (reads++, b.toString()));
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'one');
    assert.equal(await memo.get(file), 'one');
    assert.equal(await memo.get(file), 'one');
    assert.equal(reads, 1);
    writeFileSync(file, 'two');
    assert.equal(await memo.get(file), 'two');
    // Replaced whole by a rename, as build states are.
    writeFileSync(join(dir, 'b.tmp'), 'six');
    renameSync(join(dir, 'b.tmp'), file);
    assert.equal(await memo.get(file), 'six');
    assert.equal(reads, 3);
    assert.equal(await memo.get(join(dir, 'missing.txt')), undefined);
    assert.equal(await memo.get(join(dir, 'a.txt', 'under-a-file')), undefined);
    mkdirSync(join(dir, 'folder'));
    assert.equal(await memo.get(join(dir, 'folder')), undefined);
  });

  it('keeps no more than its byte budget: past it, files are read again, and the values stay right', async () => {
    let reads = 0;
    const memo = new FileMemo((b) => (reads++, b.length), 1024, 100);
    const files = [0, 1, 2].map((i) => join(dir, `f${i}`));
    files.forEach((f, i) => writeFileSync(f, 'x'.repeat(40 + i)));
    for (const f of files) await memo.get(f);
    assert.equal(reads, 3);
    // 40 + 41 fit in 100 bytes; the third started over, so only it is kept now.
    assert.equal(await memo.get(files[2]), 42);
    assert.equal(reads, 3);
    assert.equal(await memo.get(files[0]), 40);
    assert.equal(reads, 4);
    // A file larger than the budget is never kept.
    const big = join(dir, 'big');
    writeFileSync(big, 'y'.repeat(200));
    assert.equal(await memo.get(big), 200);
    assert.equal(await memo.get(big), 200);
    assert.equal(reads, 6);
  });
});
