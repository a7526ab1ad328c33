import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompressionCache, type FileStamp } from '../../../src/core/pack';
import { tempDir } from '../size/fixtures';

const stamp = (over: Partial<FileStamp> = {}): FileStamp => ({ size: 10, mtimeNs: 1_700_000_000_123_456_789n, ctimeNs: 1_700_000_000_987_654_321n, ino: 424242n, ...over });
const result = { crc32: 0xdeadbeef, method: 8 as const, size: 10, compressedSize: 7 };

describe('pack: compression cache', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => {
    t = tempDir('lwb-cache-');
  });
  afterEach(() => t.cleanup());

  it('survives a save and a load, and answers only for the same path and stamp', async () => {
    const file = join(t.dir, 'c.bin');
    const a = await CompressionCache.load(file);
    a.set('/code/é/app.js', stamp(), result);
    a.set('/code/other.js', stamp({ ino: 7n }), { ...result, method: 0, compressedSize: 10 });
    await a.save();
    const b = await CompressionCache.load(file);
    assert.equal(b.size, 2);
    assert.deepEqual(b.get('/code/é/app.js', stamp()), { ...result, stamp: stamp() });
    for (const changed of [{ size: 11 }, { mtimeNs: 1n }, { ctimeNs: 2n }, { ino: 3n }]) {
      assert.equal(b.get('/code/é/app.js', stamp(changed)), undefined, JSON.stringify(changed, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
    }
    assert.equal(b.get('/code/missing.js', stamp()), undefined);
  });

  it('drops what a run did not use when it saves', async () => {
    const file = join(t.dir, 'c.bin');
    const a = await CompressionCache.load(file);
    a.set('/k/keep.js', stamp(), result);
    a.set('/k/gone.js', stamp(), result);
    a.set('/k/touched.js', stamp(), result);
    await a.save();
    a.beginRun();
    assert.ok(a.get('/k/keep.js', stamp()));
    a.touch('/k/touched.js');
    await a.save();
    const b = await CompressionCache.load(file);
    assert.equal(b.size, 2);
    assert.equal(b.get('/k/gone.js', stamp()), undefined);
    assert.ok(b.get('/k/touched.js', stamp()));
  });

  it('starts empty from a missing, truncated or foreign file instead of trusting it', async () => {
    const file = join(t.dir, 'c.bin');
    assert.equal((await CompressionCache.load(file)).size, 0);
    const a = await CompressionCache.load(file);
    for (let i = 0; i < 50; i++) a.set(`/p/${i}.js`, stamp(), result);
    await a.save();
    const full = readFileSync(file);
    writeFileSync(file, full.subarray(0, full.length - 9));
    assert.equal((await CompressionCache.load(file)).size, 0, 'truncated');
    const foreign = Buffer.from(full);
    foreign.write('x', 12); // inside the compression id: another zlib or level
    writeFileSync(file, foreign);
    assert.equal((await CompressionCache.load(file)).size, 0, 'made under another compression id');
    writeFileSync(file, 'not a cache');
    assert.equal((await CompressionCache.load(file)).size, 0, 'garbage');
  });
});
