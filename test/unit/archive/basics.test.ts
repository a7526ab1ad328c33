import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../../src/core/errors';
import { extractZipSafely } from '../../../src/core/archive/extract';
import { makeZip, type ZipEntrySpec } from '../local/zipFixture';

describe('archive: extraction of ordinary and plainly bad zips', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'lwb-unzip-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  function zipFile(entries: ZipEntrySpec[]): string {
    const path = join(work, 'in.zip');
    writeFileSync(path, makeZip(entries));
    return path;
  }

  /** Extraction must fail with a UserError, and nothing may appear outside the target. */
  async function refuses(entries: ZipEntrySpec[], pattern: RegExp): Promise<void> {
    const dest = join(work, 'cache', 'layer');
    await assert.rejects(extractZipSafely(zipFile(entries), dest), (err: unknown) => {
      assert.ok(err instanceof UserError, `a UserError, got ${String(err)}`);
      assert.match(err.message, pattern);
      return true;
    });
    assert.deepEqual(readdirSync(work).sort(), ['cache', 'in.zip'], 'nothing written next to the cache');
    assert.deepEqual(readdirSync(join(work, 'cache')), ['layer'], 'nothing written next to the layer folder');
    assert.equal(existsSync(join(work, 'evil.txt')), false);
  }

  it('extracts folders, files, executable bits and links that stay inside', async () => {
    const dest = join(work, 'out');
    const result = await extractZipSafely(
      zipFile([
        { name: 'nodejs/' },
        { name: 'nodejs/node_modules/greet/index.js', data: 'module.exports = "hi";' },
        { name: 'bin/tool', data: '#!/bin/sh\necho hi\n', mode: 0o100755 },
        { name: 'lib/libx.so.1', data: 'elf' },
        { name: 'lib/libx.so', data: 'libx.so.1', mode: 0o120777 },
      ]),
      dest,
    );
    assert.deepEqual(result, { files: 4, bytes: 'module.exports = "hi";'.length + '#!/bin/sh\necho hi\n'.length + 3 + 'libx.so.1'.length });
    assert.equal(readFileSync(join(dest, 'nodejs/node_modules/greet/index.js'), 'utf8'), 'module.exports = "hi";');
    assert.equal(statSync(join(dest, 'bin/tool')).mode & 0o111, 0o111);
    assert.equal(statSync(join(dest, 'lib/libx.so.1')).mode & 0o111, 0);
    assert.ok(lstatSync(join(dest, 'lib/libx.so')).isSymbolicLink());
    assert.equal(readlinkSync(join(dest, 'lib/libx.so')), 'libx.so.1');
  });

  it('refuses ../ entries', async () => {
    await refuses([{ name: 'ok.txt', data: 'fine' }, { name: '../../evil.txt', data: 'escaped' }], /invalid relative path: \.\.\/\.\.\/evil\.txt/);
  });

  it('refuses ../ hidden inside a path', async () => {
    await refuses([{ name: 'nodejs/../../../evil.txt', data: 'escaped' }], /invalid relative path/);
  });

  it('refuses absolute paths', async () => {
    await refuses([{ name: '/tmp/evil.txt', data: 'escaped' }], /absolute path/);
  });

  it('refuses backslash paths that would climb out on Windows', async () => {
    await refuses([{ name: '..\\..\\evil.txt', data: 'escaped' }], /invalid characters|invalid relative path/);
  });

  it('refuses links that point outside, relative or absolute', async () => {
    await refuses([{ name: 'out', data: '../..', mode: 0o120777 }], /link 'out' -> '\.\.\/\.\.' points outside/);
    rmSync(join(work, 'cache'), { recursive: true, force: true });
    await refuses([{ name: 'abs', data: '/etc', mode: 0o120777 }], /points outside/);
  });

  it('writes through a link only when it leads inside, and never replaces an earlier entry', async () => {
    const dest = join(work, 'out');
    await extractZipSafely(zipFile([{ name: 'real/' }, { name: 'alias', data: 'real', mode: 0o120777 }, { name: 'alias/f.txt', data: 'via link' }]), dest);
    assert.equal(readFileSync(join(dest, 'real/f.txt'), 'utf8'), 'via link');
    // A second entry of the same name could swap a harmless link for a harmful one: refused.
    await assert.rejects(
      extractZipSafely(zipFile([{ name: 'a', data: 'x' }, { name: 'a', data: 'y' }]), join(work, 'out2')),
      (err: unknown) => err instanceof UserError && /appears twice/.test(err.message),
    );
  });

  it('stops a zip bomb at the size limit', async () => {
    const dest = join(work, 'out');
    await assert.rejects(
      extractZipSafely(zipFile([{ name: 'a.bin', data: Buffer.alloc(600) }, { name: 'b.bin', data: Buffer.alloc(600) }]), dest, { maxBytes: 1000 }),
      /more than 1,000 bytes unpacked/,
    );
  });

  it('says what is wrong with something that is not a zip', async () => {
    const path = join(work, 'not.zip');
    writeFileSync(path, 'plain text');
    await assert.rejects(extractZipSafely(path, join(work, 'out'), { what: 'the layer L' }), /Refusing to extract the layer L: it is not a readable zip/);
  });
});
