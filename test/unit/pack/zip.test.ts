import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { cancellationSource, CancelledError } from '../../../src/core/cancel';
import { UserError } from '../../../src/core/errors';
import { encodeName, EntryChangedError, type PackInput, planZip, STREAM_THRESHOLD, WorkerPool, writeZipFile } from '../../../src/core/pack';
import { readError } from '../../../src/core/pack/plan';
import { tempDir, writeTree } from '../size/fixtures';
import { readZip, sha256Base64, unzipTest, zipinfo } from './zipTools';

/** Every file under `root` as pack inputs, the plain way (the size engine's walk is tested on its own). */
function inputsOf(root: string): PackInput[] {
  const out: PackInput[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else {
        const s = statSync(abs, { bigint: true });
        out.push({
          name: relative(root, abs).split(sep).join('/'),
          source: { kind: 'file', path: abs },
          size: Number(s.size),
          executable: (Number(s.mode) & 0o111) !== 0,
          stamp: { size: Number(s.size), mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, ino: s.ino },
        });
      }
    }
  };
  walk(root);
  return out;
}

const TEXT = 'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });\n'.repeat(400);

describe('pack: deterministic zip writer', () => {
  let t: ReturnType<typeof tempDir>;
  let pool: WorkerPool;
  before(() => {
    pool = new WorkerPool(2);
  });
  after(async () => {
    await pool.dispose();
  });
  beforeEach(() => {
    t = tempDir('lwb-pack-');
  });
  afterEach(() => t.cleanup());

  it('writes exactly the predicted bytes, and unzip, zipinfo and yauzl read every entry back', async () => {
    const src = join(t.dir, 'src');
    const random = randomBytes(200_000);
    writeTree(src, {
      'app.js': TEXT,
      'empty.txt': '',
      'random.bin': random,
      'bin/run.sh|755': '#!/bin/sh\necho hi\n',
      'bin/private|700': 'secret-but-executable',
      'conf/private.json|600': '{"a":1}',
      'conf/group.json|640': '{"b":2}',
      'données/été.txt': 'accents',
      '日本語.js': 'module.exports = 1;',
      'emoji-🚀.txt': 'rocket',
      // UTF-16 puts the surrogate pair first, UTF-8 bytes the other way round: zip order is bytes.
      'xＡ.txt': 'fullwidth A (U+FF21)',
      'x😀.txt': 'emoji (U+1F600)',
      'Zeta.js': 'upper',
      'alpha.js': 'lower',
    });
    const plan = await planZip(inputsOf(src), { pool });
    const out = join(t.dir, 'out.zip');
    const written = await writeZipFile(plan, out, { pool });
    assert.equal(written.bytes, plan.bytes);
    assert.equal(statSync(out).size, plan.bytes, 'the file on disk is the predicted size');
    assert.equal(written.sha256.toString('base64'), sha256Base64(out));

    assert.match(unzipTest(out), /No errors detected/);
    const info = zipinfo(out);
    assert.equal(info.lines.length, 14);
    for (const line of info.lines) assert.match(line, / unx .* 80-Jan-01 00:00 /, line);
    const byName = new Map(info.lines.map((l) => [l.slice(l.indexOf('00:00 ') + 6), l]));
    assert.match(byName.get('bin/run.sh') ?? '', /^-rwxr-xr-x/);
    assert.match(byName.get('bin/private') ?? '', /^-rwxr-xr-x/, 'any exec bit gives 0755');
    assert.match(byName.get('conf/private.json') ?? '', /^-rw-r--r--/, 'no exec bit gives 0644');
    assert.match(byName.get('conf/group.json') ?? '', /^-rw-r--r--/);
    assert.match(byName.get('empty.txt') ?? '', / 0 b- stor /, 'a zero-byte file is stored');
    assert.match(byName.get('random.bin') ?? '', / stor /, 'incompressible content is stored');
    assert.match(byName.get('app.js') ?? '', / defN /, 'text is deflated');

    const entries = await readZip(out);
    const names = [...entries.keys()];
    const sorted = [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    assert.deepEqual(names, sorted, 'entries are in UTF-8 byte order');
    assert.deepEqual(names.slice(0, 2), ['Zeta.js', 'alpha.js']);
    assert.ok(names.indexOf('xＡ.txt') < names.indexOf('x😀.txt'), 'U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80)');
    for (const [name, e] of entries) {
      assert.deepEqual(e.data, readFileSync(join(src, name)), `${name} reads back the same`);
      assert.equal(e.madeBy, 3, `${name} is made by Unix`);
      assert.equal(e.dosDate, (1 << 5) | 1, 'dated 1980-01-01');
      assert.equal(e.dosTime, 0);
      const ascii = /^[\x01-\x7f]*$/.test(name);
      assert.equal((e.flags & (1 << 11)) !== 0, !ascii, `${name}: UTF-8 flag only for non-ASCII names`);
      assert.equal(e.rawName.toString('utf8'), name);
      assert.equal(e.mode & 0o170000, 0o100000, 'a regular file');
    }
    assert.equal(entries.get('bin/run.sh')?.mode, 0o100755);
    assert.equal(entries.get('conf/private.json')?.mode, 0o100644);
  });

  it('gives identical bytes and CodeSha256 for the same input, whatever the timestamps', async () => {
    const src = join(t.dir, 'src');
    writeTree(src, { 'a.js': TEXT, 'b/c.js': 'x', 'd.bin': randomBytes(70_000) });
    const first = await writeZipFile(await planZip(inputsOf(src), { pool }), join(t.dir, '1.zip'), { pool });
    for (const f of ['a.js', 'b/c.js', 'd.bin']) utimesSync(join(src, f), new Date('2031-05-06T07:08:09Z'), new Date('2031-05-06T07:08:09Z'));
    const second = await writeZipFile(await planZip(inputsOf(src)), join(t.dir, '2.zip'));
    assert.deepEqual(readFileSync(join(t.dir, '1.zip')), readFileSync(join(t.dir, '2.zip')));
    assert.equal(first.sha256.toString('base64'), second.sha256.toString('base64'));
    assert.equal(first.sha256.toString('base64'), sha256Base64(join(t.dir, '1.zip')));
  });

  it('plans the same on worker threads as on this thread', async () => {
    const src = join(t.dir, 'src');
    const files: Record<string, string | Buffer> = {};
    for (let i = 0; i < 300; i++) files[`f${i}.js`] = TEXT.slice(0, 100 + i * 37);
    files['r.bin'] = randomBytes(100_000);
    writeTree(src, files);
    const onWorkers = await planZip(inputsOf(src), { pool });
    const here = await planZip(inputsOf(src));
    assert.equal(onWorkers.bytes, here.bytes);
    assert.deepEqual(
      onWorkers.entries.map((e) => [e.name, e.crc32, e.method, e.compressedSize]),
      here.entries.map((e) => [e.name, e.crc32, e.method, e.compressedSize]),
    );
  });

  it('re-plans from the previous plan after one input changed to exactly the plan made from scratch, and writes it to the byte', async () => {
    const src = join(t.dir, 'src');
    const files: Record<string, string | Buffer> = { 'r.bin': randomBytes(90_000) };
    for (let i = 0; i < 120; i++) files[`d${i % 5}/f${i}.js`] = TEXT.slice(0, 200 + i * 53);
    writeTree(src, files);
    const inputs = inputsOf(src);
    const first = await planZip(inputs, { pool });
    // The walk hands back the same object for every unchanged file, a new one for the edited file.
    writeFileSync(join(src, 'd3/f8.js'), `${TEXT}// edited, and longer\n`);
    const now = inputsOf(src);
    const edited = now.find((x) => x.name === 'd3/f8.js') as PackInput;
    const again = await planZip(inputs.map((x) => (x.name === 'd3/f8.js' ? edited : x)), { pool, previous: first });
    assert.equal(again.stats.compressed, 1);
    const scratch = await planZip(now, { pool });
    const fields = (p: typeof again) => p.entries.map((e) => [e.name, e.size, e.crc32, e.method, e.compressedSize, e.executable]);
    assert.deepEqual(fields(again), fields(scratch));
    assert.deepEqual([again.bytes, again.unzippedBytes, again.zip64, again.stats.entries], [scratch.bytes, scratch.unzippedBytes, scratch.zip64, scratch.stats.entries]);
    const out = join(t.dir, 'again.zip');
    const written = await writeZipFile(again, out, { pool });
    assert.equal(statSync(out).size, again.bytes);
    assert.equal(written.bytes, again.bytes);
    assert.deepEqual((await readZip(out)).get('d3/f8.js')?.data, readFileSync(join(src, 'd3/f8.js')));
  });

  it('streams entries over the threshold, deciding store or deflate the same way, to the predicted byte', async function () {
    this.timeout(60_000);
    const src = join(t.dir, 'src');
    const text = Buffer.from(TEXT.repeat(Math.ceil((STREAM_THRESHOLD + 12345) / TEXT.length))).subarray(0, STREAM_THRESHOLD + 12345);
    writeTree(src, { 'big.js': text, 'big.bin': randomBytes(STREAM_THRESHOLD + 1), 'small.js': 'ok' });
    const plan = await planZip(inputsOf(src), { pool });
    const big = plan.entries.find((e) => e.name === 'big.js');
    assert.equal(big?.method, 8);
    assert.equal(plan.entries.find((e) => e.name === 'big.bin')?.method, 0);
    const out = join(t.dir, 'out.zip');
    const written = await writeZipFile(plan, out, { pool });
    assert.equal(written.bytes, plan.bytes);
    assert.equal(statSync(out).size, plan.bytes);
    const entries = await readZip(out);
    assert.deepEqual(entries.get('big.js')?.data, text);
    assert.deepEqual(entries.get('big.bin')?.data, readFileSync(join(src, 'big.bin')));
    unzipTest(out);
  });

  it('refuses to write an entry that changed after it was planned, and leaves no file behind', async () => {
    const src = join(t.dir, 'src');
    writeTree(src, { 'a.js': TEXT, 'b.js': 'stable' });
    const plan = await planZip(inputsOf(src), { pool });
    writeFileSync(join(src, 'a.js'), `${TEXT}// edited\n`);
    const out = join(t.dir, 'out', 'pkg.zip');
    await assert.rejects(writeZipFile(plan, out, { pool }), (err: unknown) => err instanceof EntryChangedError && err.entryName === 'a.js' && /changed after it was measured/.test(err.message));
    assert.equal(existsSync(out), false);
    assert.deepEqual(readdirSync(join(t.dir, 'out')), [], 'the temporary file is removed');
  });

  it('stops when cancelled and leaves no file', async () => {
    const src = join(t.dir, 'src');
    writeTree(src, { 'a.js': TEXT });
    const plan = await planZip(inputsOf(src));
    const c = cancellationSource();
    c.cancel();
    const out = join(t.dir, 'pkg.zip');
    await assert.rejects(writeZipFile(plan, out, { token: c.token }), CancelledError);
    assert.equal(existsSync(out), false);
    await assert.rejects(planZip(inputsOf(src), { token: c.token, pool }), CancelledError);
  });

  it('turns read failures into messages that say what to do', () => {
    // Root reads any file, so the errors the OS would give are built here.
    const denied = readError('conf/secret.json', Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
    assert.ok(denied instanceof UserError);
    assert.match(denied.message, /Cannot read 'conf\/secret.json': permission denied/);
    assert.match((denied as UserError).hint ?? '', /readable, or exclude it/);
    const gone = readError('a.js', Object.assign(new Error('ENOENT'), { code: 'ENOENT' }));
    assert.match(gone.message, /'a.js' disappeared while it was being packaged/);
    const other = new Error('EIO');
    assert.equal(readError('b.js', other), other, 'anything else stays as it is');
  });

  it('refuses names that could escape the folder or be read two ways', async () => {
    for (const bad of ['', '/etc/passwd', '../up.js', 'a/../b.js', 'a//b.js', 'a/./b.js', 'win\\path.js', 'nul\0.js']) {
      assert.throws(() => encodeName(bad), UserError, JSON.stringify(bad));
    }
    assert.deepEqual(encodeName('ok/name.js').utf8, false);
    assert.deepEqual(encodeName('é.js').utf8, true);
    const data = Buffer.from('x');
    const twice: PackInput[] = [
      { name: 'same.js', source: { kind: 'buffer', data }, size: 1, executable: false },
      { name: 'same.js', source: { kind: 'buffer', data }, size: 1, executable: false },
    ];
    await assert.rejects(planZip(twice), /Two files would both be 'same.js'/);
  });
});
