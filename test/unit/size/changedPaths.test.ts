import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FunctionSize, SizeEngine } from '../../../src/core/size';
import { fnSpec, tempDir, writeTree } from './fixtures';

/** What a re-measure must agree on with a full walk. */
function figures(s: FunctionSize): unknown {
  return { zipped: s.zippedBytes, unzipped: s.unzippedBytes, files: s.fileCount, top: s.topContributors, categories: s.categories, excluded: s.excluded, findings: s.findings.map((f) => f.code) };
}

describe('size: re-measuring from a file watcher\'s changed paths', () => {
  let t: ReturnType<typeof tempDir>;
  let engine: SizeEngine;
  beforeEach(() => {
    t = tempDir();
    engine = new SizeEngine({ workers: 2, cacheDir: join(t.dir, 'cache') });
  });
  afterEach(async () => {
    await engine.dispose();
    t.cleanup();
  });

  function tree(): string {
    const code = join(t.dir, 'code');
    const files: Record<string, string> = { '.lambdaignore': 'scratch/\n', 'scratch/notes.txt': 'not packed', 'certs/ca.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' };
    for (let i = 0; i < 120; i++) files[`src/m${i % 6}/f${i}.js`] = `export const v${i} = ${'"value" + '.repeat(i % 30)}1;\n`;
    for (let i = 0; i < 40; i++) files[`node_modules/pkg${i % 4}/lib/x${i}.js`] = `module.exports = ${i};\n`.repeat(i + 1);
    writeTree(code, files);
    return code;
  }

  /** The same function measured by a new engine, from scratch. */
  async function fresh(code: string): Promise<FunctionSize> {
    const other = new SizeEngine({ workers: 0 });
    try {
      return await other.measure(fnSpec({ codeUri: code }));
    } finally {
      await other.dispose();
    }
  }

  it('looks again only at the files named, and then gives the figures of a full walk', async () => {
    const code = tree();
    const fn = fnSpec({ codeUri: code });
    await engine.measure(fn);
    const a = join(code, 'src/m1/f7.js');
    const b = join(code, 'node_modules/pkg2/lib/x6.js');
    appendFileSync(a, '// edited\n'.repeat(50));
    appendFileSync(b, '// edited too\n');
    // Told of one edit, it reads that file only: the other is not looked at (the caller vouches for its list).
    const one = await engine.measure(fn, { changedPaths: [a] });
    assert.equal(one.stats.compressed, 1);
    assert.equal(one.stats.foldersRead, 0);
    const both = await engine.measure(fn, { changedPaths: [b] });
    assert.equal(both.stats.compressed, 1);
    assert.deepEqual(figures(both), figures(await fresh(code)));
  });

  it('checks every file when the paths name a new, deleted or renamed file or folder, or a file judged by its content', async () => {
    const code = tree();
    const fn = fnSpec({ codeUri: code });
    await engine.measure(fn);
    const steps: [string, () => string[]][] = [
      ['a new file', () => (writeFileSync(join(code, 'src/new.js'), 'export const n = 1;\n'), [join(code, 'src/new.js')])],
      ['a deleted file', () => (rmSync(join(code, 'src/m2/f8.js')), [join(code, 'src/m2/f8.js')])],
      ['a renamed folder', () => (renameSync(join(code, 'src/m3'), join(code, 'src/m3b')), [join(code, 'src/m3'), join(code, 'src/m3b')])],
      ['a new folder', () => (mkdirSync(join(code, 'src/more')), writeFileSync(join(code, 'src/more/y.js'), 'y'), [join(code, 'src/more')])],
      ['a certificate that now holds a private key', () => (writeFileSync(join(code, 'certs/ca.pem'), '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'), [join(code, 'certs/ca.pem')])],
    ];
    for (const [what, change] of steps) {
      const measured = await engine.measure(fn, { changedPaths: change() });
      assert.deepEqual(figures(measured), figures(await fresh(code)), what);
    }
    assert.ok((await engine.measure(fn)).findings.some((f) => f.code === 'secret-left-out'));
  });

  it('passes over a change inside a folder the package leaves out, and a path in another folder', async () => {
    const code = tree();
    const fn = fnSpec({ codeUri: code });
    const before = await engine.measure(fn);
    appendFileSync(join(code, 'scratch/notes.txt'), 'more notes');
    const elsewhere = join(t.dir, 'other', 'z.js');
    mkdirSync(join(t.dir, 'other'));
    writeFileSync(elsewhere, 'z');
    const after = await engine.measure(fn, { changedPaths: [join(code, 'scratch/notes.txt'), elsewhere] });
    assert.equal(after.stats.compressed, 0);
    assert.equal(after.stats.foldersRead, 0);
    assert.deepEqual(figures(after), figures(before));
  });

  it('checks every file when the folder holds a link: a change behind it is reported under the target\'s path', async () => {
    const code = tree();
    const shared = join(code, 'shared.js');
    writeFileSync(shared, 'module.exports = "shared";\n');
    symlinkSync(shared, join(code, 'src/linked.js'));
    const fn = fnSpec({ codeUri: code });
    await engine.measure(fn);
    appendFileSync(shared, '// edited through the link\n'.repeat(20));
    const measured = await engine.measure(fn, { changedPaths: [shared] });
    assert.deepEqual(figures(measured), figures(await fresh(code)));
  });

  it('ignores the paths when its last measurement of the function did not read that folder', async () => {
    const code = tree();
    const fn = fnSpec({ codeUri: code });
    const other = fnSpec({ codeUri: code, logicalId: 'Other' });
    await engine.measure(other);
    appendFileSync(join(code, 'src/m0/f0.js'), '// edited before this function was first measured\n');
    // The paths say what changed since this function's last measurement, and there was none.
    const measured = await engine.measure(fn, { changedPaths: [] });
    assert.deepEqual(figures(measured), figures(await fresh(code)));
  });
});
