import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import * as zlib from 'node:zlib';
import { layoutZip, type PackInput, type PlannedEntry, planZip, readZipDirectory, writeZip, writeZipFile } from '../../../src/core/pack';
import { encodeCentralHeader, encodeEndRecords, encodeLocalHeader, endNeedsZip64, ZIP32_MAX } from '../../../src/core/pack/records';
import { tempDir } from '../size/fixtures';
import { listZip, unzipTest, zipinfo } from './zipTools';

function entry(name: string, size: number, compressedSize = size, method: 0 | 8 = 0): PlannedEntry {
  return { name, source: { kind: 'buffer', data: Buffer.alloc(0) }, size, executable: false, nameBytes: Buffer.from(name), utf8: false, method, crc32: 0x12345678, compressedSize };
}

describe('pack: zip64', () => {
  it('switches an entry to zip64 at 0xFFFFFFFF bytes (the marker value itself), not one byte before', () => {
    const below = entry('below', ZIP32_MAX - 1);
    const at = entry('at', ZIP32_MAX);
    assert.equal(encodeLocalHeader(below, 0).length, 30 + 5);
    const local = encodeLocalHeader(at, 0);
    assert.equal(local.length, 30 + 2 + 20);
    assert.equal(local.readUInt16LE(4), 45, 'version needed 4.5');
    assert.equal(local.readUInt32LE(18), ZIP32_MAX, 'compressed size deferred to zip64');
    assert.equal(local.readUInt32LE(22), ZIP32_MAX, 'size deferred to zip64');
    assert.equal(local.readUInt16LE(30 + 2), 0x0001, 'zip64 extra tag');
    assert.equal(local.readUInt16LE(30 + 4), 16, 'both sizes, as a local header must have');
    assert.equal(Number(local.readBigUInt64LE(30 + 6)), ZIP32_MAX);
    assert.equal(Number(local.readBigUInt64LE(30 + 14)), ZIP32_MAX);
  });

  it('lays out a 5 GiB entry with zip64 sizes, offsets and end records', () => {
    const big = entry('big.bin', 5 * 1024 ** 3, 5 * 1024 ** 3 + 100);
    const after = entry('z.txt', 10);
    const layout = layoutZip([big, after]);
    assert.equal(layout.zip64, true);
    assert.equal(layout.localOffsets[1], 30 + 7 + 20 + big.compressedSize);
    assert.ok(layout.localOffsets[1] > ZIP32_MAX);
    const central = encodeCentralHeader(after, layout.localOffsets[1]);
    assert.equal(central.readUInt32LE(42), ZIP32_MAX, 'offset deferred to zip64');
    assert.equal(central.readUInt16LE(30), 12, 'extra holds only the offset: tag, length, 8 bytes');
    assert.equal(Number(central.readBigUInt64LE(46 + 5 + 4)), layout.localOffsets[1]);
    const bigCentral = encodeCentralHeader(big, 0);
    assert.equal(bigCentral.readUInt16LE(30), 4 + 16, 'sizes, no offset');
    const end = encodeEndRecords(2, layout.centralOffset, layout.centralSize);
    assert.equal(end.length, 56 + 20 + 22);
    assert.equal(end.readUInt32LE(0), 0x06064b50);
    assert.equal(Number(end.readBigUInt64LE(48)), layout.centralOffset);
    assert.equal(end.readUInt32LE(56), 0x07064b50);
    assert.equal(Number(end.readBigUInt64LE(56 + 8)), layout.centralOffset + layout.centralSize, 'locator points at the zip64 end record');
    assert.equal(end.readUInt32LE(76 + 16), ZIP32_MAX, 'classic end record defers the offset');
    assert.equal(end.readUInt16LE(76 + 10), 2, 'a count that fits stays');
    assert.equal(layout.bytes, layout.centralOffset + layout.centralSize + end.length);
  });

  it('needs zip64 end records from 65,535 entries (0xFFFF is the marker) or a directory past 4 GiB', () => {
    assert.equal(endNeedsZip64(65_534, 0, 0), false);
    assert.equal(endNeedsZip64(65_535, 0, 0), true);
    assert.equal(endNeedsZip64(1, ZIP32_MAX - 1, 0), false);
    assert.equal(endNeedsZip64(1, ZIP32_MAX, 0), true);
    assert.equal(endNeedsZip64(1, 0, ZIP32_MAX), true);
  });

  it('writes 65,536 entries as a zip64 archive that unzip, zipinfo and yauzl accept', async function () {
    this.timeout(120_000);
    const t = tempDir('lwb-zip64-');
    try {
      const inputs: PackInput[] = [];
      for (let i = 0; i < 65_536; i++) {
        const data = Buffer.from(`${i}`);
        inputs.push({ name: `d${i % 64}/f${i}.txt`, source: { kind: 'buffer', data }, size: data.length, executable: false });
      }
      const plan = await planZip(inputs);
      assert.equal(plan.zip64, true);
      const out = join(t.dir, 'many.zip');
      const written = await writeZipFile(plan, out);
      assert.equal(written.bytes, plan.bytes);
      assert.equal(statSync(out).size, plan.bytes);
      assert.match(unzipTest(out), /No errors detected in compressed data/);
      assert.match(zipinfo(out).summary, /^65536 files/);
      const names = await listZip(out);
      assert.equal(names.length, 65_536);
      assert.equal(names[0], 'd0/f0.txt');
      const p = spawnSync('unzip', ['-p', out, `d${12345 % 64}/f12345.txt`], { encoding: 'utf8' });
      assert.equal(p.stdout, '12345');
    } finally {
      t.cleanup();
    }
  });

  it('streams an entry over 4 GiB through zip64 records, to the predicted byte (without writing it to disk)', async function () {
    // The 4 GiB never touch the disk: a generated stream in, a sink that keeps the head and tail out.
    this.timeout(300_000);
    const block = randomBytes(1024 * 1024);
    const size = 4 * 1024 ** 3 + 3 * 1024 * 1024 + 17;
    const open = (): Readable => {
      let sent = 0;
      return new Readable({
        read() {
          if (sent >= size) return void this.push(null);
          const n = Math.min(block.length, size - sent);
          sent += n;
          this.push(n === block.length ? block : block.subarray(0, n));
        },
      });
    };
    let crc = 0;
    for (let sent = 0; sent < size; sent += block.length) crc = zlib.crc32(block.subarray(0, Math.min(block.length, size - sent)), crc);

    const plan = await planZip([
      { name: 'huge.bin', source: { kind: 'stream', open }, size, executable: false },
      { name: 'note.txt', source: { kind: 'buffer', data: Buffer.from('after the big one') }, size: 17, executable: false },
    ]);
    const huge = plan.entries[0];
    assert.equal(huge.size, size);
    assert.equal(huge.method, 0, 'random content is stored');
    assert.equal(huge.crc32, crc);
    assert.equal(plan.zip64, true);

    const HEAD = 64 * 1024;
    const TAIL = 1024 * 1024;
    const head: Buffer[] = [];
    let headBytes = 0;
    let tail = Buffer.alloc(0);
    let total = 0;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        if (headBytes < HEAD) {
          head.push(chunk.subarray(0, HEAD - headBytes));
          headBytes += Math.min(chunk.length, HEAD - headBytes);
        }
        tail = Buffer.concat([tail, chunk]);
        if (tail.length > TAIL) tail = tail.subarray(tail.length - TAIL);
        total += chunk.length;
        done();
      },
    });
    const written = await writeZip(plan, sink);
    assert.equal(written.bytes, plan.bytes);
    assert.equal(total, plan.bytes, 'bytes out equal the prediction');

    const local = Buffer.concat(head);
    assert.equal(local.readUInt32LE(0), 0x04034b50);
    assert.equal(local.readUInt32LE(14), crc);
    assert.equal(local.readUInt32LE(18), ZIP32_MAX);
    assert.equal(Number(local.readBigUInt64LE(30 + 8 + 4)), size, 'zip64 extra: size');
    assert.equal(Number(local.readBigUInt64LE(30 + 8 + 12)), size, 'zip64 extra: stored, so the same');
    assert.deepEqual(local.subarray(30 + 8 + 20, 30 + 8 + 20 + 64), block.subarray(0, 64), 'data follows the header');

    const tailStart = total - tail.length;
    const dir = await readZipDirectory(async (offset, length) => {
      if (offset < tailStart) throw new Error(`read at ${offset} is before the kept tail`);
      return tail.subarray(offset - tailStart, offset - tailStart + length);
    }, total);
    assert.equal(dir.zip64, true);
    assert.deepEqual(
      dir.entries.map((e) => [e.name, e.size, e.compressedSize, e.localHeaderOffset, e.crc32]),
      [
        ['huge.bin', size, size, 0, crc],
        ['note.txt', 17, plan.entries[1].compressedSize, 30 + 8 + 20 + size, plan.entries[1].crc32],
      ],
    );
  });
});
