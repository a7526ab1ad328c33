import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cancellationSource, CancelledError } from '../../../src/core/cancel';
import { SizeEngine } from '../../../src/core/size';
import { readZip, sha256Base64, unzipTest, zipinfo } from '../pack/zipTools';
import { fnSpec, tempDir, writeTree } from './fixtures';

/** Measures, then packages, and checks the artifact is the predicted size; returns both and the entries. */
async function measureAndPackage(engine: SizeEngine, codeUri: string, out: string) {
  const fn = fnSpec({ codeUri });
  const size = await engine.measure(fn);
  const pkg = await engine.package(fn, out);
  assert.equal(pkg.bytes, size.zippedBytes, 'package writes the measured size');
  assert.equal(statSync(out).size, size.zippedBytes, 'to the byte, on disk');
  assert.equal(pkg.codeSha256, sha256Base64(out));
  assert.equal(pkg.unzippedBytes, size.unzippedBytes);
  unzipTest(out);
  return { size, pkg, entries: await readZip(out) };
}

describe('size: what is packaged is what is measured', () => {
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

  it('leaves empty folders out (the zip holds files only, like SAM) and keeps zero-byte files', async () => {
    const code = join(t.dir, 'code');
    writeTree(code, { 'app.js': 'exports.handler = async () => 1;', 'empty.txt': '', 'deep/er/zero': '' });
    mkdirSync(join(code, 'nothing', 'here'), { recursive: true });
    const { entries, size } = await measureAndPackage(engine, code, join(t.dir, 'out.zip'));
    assert.deepEqual([...entries.keys()], ['app.js', 'deep/er/zero', 'empty.txt']);
    assert.equal(entries.get('empty.txt')?.data.length, 0);
    assert.equal(size.fileCount, 3);
  });

  it('follows symlinks inside the folder: a linked file or folder is packed under the link name', async () => {
    const code = join(t.dir, 'code');
    writeTree(code, { 'lib/util.js': 'module.exports = 42;', 'real/data.json': '{"x":1}' });
    symlinkSync('lib/util.js', join(code, 'util-link.js'));
    symlinkSync('real', join(code, 'alias'));
    const { entries, size } = await measureAndPackage(engine, code, join(t.dir, 'out.zip'));
    assert.deepEqual([...entries.keys()], ['alias/data.json', 'lib/util.js', 'real/data.json', 'util-link.js']);
    assert.equal(entries.get('util-link.js')?.data.toString(), 'module.exports = 42;');
    assert.equal(entries.get('util-link.js')?.mode, 0o100644, 'a regular file, not a link');
    assert.equal(size.findings.filter((f) => f.code.startsWith('symlink')).length, 0, 'links inside are not news');
  });

  it('leaves links out of the code folder out (a link to ~/.aws/credentials must not ship it), each a warning with a quick fix', async () => {
    const code = join(t.dir, 'code');
    const shared = join(t.dir, 'shared');
    writeTree(shared, { 'helpers/h.js': 'exports.h = 1;' });
    writeTree(t.dir, { 'outside.txt': 'from outside', 'home/.aws/credentials': '[default]\naws_secret_access_key = wJalrXUtnFEMI' });
    writeTree(code, { 'app.js': 'x' });
    symlinkSync(join(shared, 'helpers'), join(code, 'helpers'));
    symlinkSync(join(t.dir, 'outside.txt'), join(code, 'outside.txt'));
    symlinkSync(join(t.dir, 'home', '.aws', 'credentials'), join(code, 'settings.ini'));
    const { entries, size } = await measureAndPackage(engine, code, join(t.dir, 'out.zip'));
    assert.deepEqual([...entries.keys()], ['app.js']);
    const links = size.findings.filter((x) => x.code === 'symlink-outside');
    assert.deepEqual(links.map((f) => f.severity), ['warning', 'warning', 'warning']);
    const byPath = new Map(links.map((f) => [f.subjects[0].path, f]));
    assert.deepEqual([...byPath.keys()].sort(), ['helpers', 'outside.txt', 'settings.ini']);
    assert.match(byPath.get('settings.ini')?.message ?? '', /^settings\.ini is a link to .*home\/\.aws\/credentials, outside the code folder, and is left out of the package\.$/);
    assert.deepEqual(byPath.get('helpers')?.actions, [{ kind: 'include', ignoreFile: join(code, '.lambdaignore'), path: 'helpers', pattern: '!/helpers/' }]);
    assert.deepEqual(byPath.get('outside.txt')?.actions, [{ kind: 'include', ignoreFile: join(code, '.lambdaignore'), path: 'outside.txt', pattern: '!/outside.txt' }]);
    assert.ok(size.excluded.some((x) => x.by === 'link-outside' && x.paths === 3));
  });

  it('follows a link out of the code folder that .lambdaignore includes on purpose, and links within what it leads to', async () => {
    const code = join(t.dir, 'code');
    const shared = join(t.dir, 'shared');
    writeTree(shared, { 'helpers/h.js': 'exports.h = 1;', 'helpers/data/v.json': '1' });
    symlinkSync('data/v.json', join(shared, 'helpers', 'v-link.json'));
    writeTree(t.dir, { 'outside.txt': 'from outside' });
    writeTree(code, { 'app.js': 'x', '.lambdaignore': '!/helpers/\n' });
    symlinkSync(join(shared, 'helpers'), join(code, 'helpers'));
    symlinkSync(join(t.dir, 'outside.txt'), join(code, 'outside.txt'));
    const { entries, size } = await measureAndPackage(engine, code, join(t.dir, 'out.zip'));
    assert.deepEqual([...entries.keys()], ['app.js', 'helpers/data/v.json', 'helpers/h.js', 'helpers/v-link.json']);
    const followed = size.findings.find((x) => x.code === 'symlink-outside-followed');
    assert.equal(followed?.severity, 'info');
    assert.deepEqual(followed?.subjects, [{ path: 'helpers' }]);
    assert.deepEqual(size.findings.filter((x) => x.code === 'symlink-outside').map((f) => f.subjects[0].path), ['outside.txt']);
  });

  it('skips broken links and links to a containing folder (which would never end), and says so', async () => {
    const code = join(t.dir, 'code');
    writeTree(code, { 'app.js': 'x', 'sub/file.js': 'y' });
    symlinkSync(join(t.dir, 'nowhere'), join(code, 'dangling.js'));
    symlinkSync('..', join(code, 'sub', 'up'));
    symlinkSync(code, join(code, 'self'));
    const { entries, size } = await measureAndPackage(engine, code, join(t.dir, 'out.zip'));
    assert.deepEqual([...entries.keys()], ['app.js', 'sub/file.js']);
    const broken = size.findings.find((x) => x.code === 'symlink-broken');
    assert.deepEqual(broken?.subjects, [{ path: 'dangling.js' }]);
    assert.equal(broken?.severity, 'warning');
    const loops = size.findings.find((x) => x.code === 'symlink-loop');
    assert.deepEqual(loops?.subjects.map((s) => s.path).sort(), ['self', 'sub/up']);
  });

  it('keeps unicode names (UTF-8 flagged) and executable bits (0755), everything else 0644', async () => {
    const code = join(t.dir, 'code');
    writeTree(code, { 'bootstrap|755': '#!/bin/sh\n', 'bin/tool|711': 'elf', 'naïve/ñ.js|600': 'ñ', '中文.txt': '中文', 'plain.txt|664': 'p' });
    const { entries } = await measureAndPackage(engine, code, join(t.dir, 'out.zip'));
    assert.equal(entries.get('bootstrap')?.mode, 0o100755);
    assert.equal(entries.get('bin/tool')?.mode, 0o100755);
    assert.equal(entries.get('naïve/ñ.js')?.mode, 0o100644);
    assert.equal(entries.get('plain.txt')?.mode, 0o100644);
    assert.equal(entries.get('中文.txt')?.data.toString(), '中文');
    assert.ok((entries.get('中文.txt')?.flags ?? 0) & (1 << 11));
    const listing = zipinfo(join(t.dir, 'out.zip')).lines.join('\n');
    assert.match(listing, /-rwxr-xr-x .* bootstrap/);
  });

  it('packs many files (and a mix of stored and deflated) to the predicted byte, the same twice', async function () {
    this.timeout(60_000);
    const code = join(t.dir, 'code');
    const files: Record<string, string | Buffer> = {};
    for (let i = 0; i < 3000; i++) files[`m${i % 30}/f${i}.js`] = `module.exports = ${i};\n`.repeat(1 + (i % 50));
    for (let i = 0; i < 20; i++) files[`assets/r${i}.bin`] = randomBytes(20_000 + i * 1000);
    writeTree(code, files);
    const first = await measureAndPackage(engine, code, join(t.dir, 'a.zip'));
    assert.equal(first.entries.size, 3020);
    const other = new SizeEngine({ workers: 0 });
    try {
      const second = await other.package(fnSpec({ codeUri: code }), join(t.dir, 'b.zip'));
      assert.equal(second.codeSha256, first.pkg.codeSha256, 'same input, same CodeSha256');
      assert.deepEqual(readFileSync(join(t.dir, 'a.zip')), readFileSync(join(t.dir, 'b.zip')));
    } finally {
      await other.dispose();
    }
  });

  it('packages a prebuilt archive CodeUri as it is', async () => {
    const code = join(t.dir, 'code');
    writeTree(code, { 'a.js': 'a' });
    const archive = join(t.dir, 'prebuilt.zip');
    await engine.package(fnSpec({ codeUri: code }), archive);
    const fn = fnSpec({ codeUri: archive });
    const size = await engine.measure(fn);
    assert.equal(size.source, 'archive');
    assert.equal(size.zippedBytes, statSync(archive).size);
    assert.equal(size.unzippedBytes, 1);
    const out = join(t.dir, 'copy.zip');
    const pkg = await engine.package(fn, out);
    assert.deepEqual(readFileSync(out), readFileSync(archive));
    assert.equal(pkg.codeSha256, sha256Base64(archive));
  });

  it('skips sockets and pipes (nothing to pack, and reading a pipe would block), and says so', async () => {
    const code = join(t.dir, 'code');
    writeTree(code, { 'app.js': 'x' });
    const fifo = spawnSync('mkfifo', [join(code, 'events.pipe')]);
    assert.equal(fifo.status, 0, 'mkfifo');
    const { entries, size } = await measureAndPackage(engine, code, join(t.dir, 'out.zip'));
    assert.deepEqual([...entries.keys()], ['app.js']);
    assert.deepEqual(size.findings.find((f) => f.code === 'special-file-skipped')?.subjects, [{ path: 'events.pipe' }]);
  });

  it('stops measuring when cancelled', async () => {
    const code = join(t.dir, 'code');
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) files[`d${i}/f.js`] = 'x';
    writeTree(code, files);
    const c = cancellationSource();
    c.cancel();
    await assert.rejects(engine.measure(fnSpec({ codeUri: code }), { token: c.token }), CancelledError);
    await assert.rejects(engine.package(fnSpec({ codeUri: code }), join(t.dir, 'never.zip'), { token: c.token }), CancelledError);
    assert.equal(existsSync(join(t.dir, 'never.zip')), false);
  });

  it('says what to do when the code folder is missing', async () => {
    await assert.rejects(engine.measure(fnSpec({ codeUri: join(t.dir, 'missing') })), /code folder .*missing does not exist[\s\S]*/);
    writeFileSync(join(t.dir, 'file.txt'), 'x');
    await assert.rejects(engine.measure(fnSpec({ codeUri: join(t.dir, 'file.txt') })), /is a file, not a folder or a .zip\/.jar archive/);
  });
});
