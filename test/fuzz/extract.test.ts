import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import * as fc from 'fast-check';
import { extractZipSafely } from '../../src/core/archive/extract';
import { UserError } from '../../src/core/errors';
import { readZipDirectory } from '../../src/core/pack/read';
import { makeZip, type ZipEntrySpec } from '../unit/local/zipFixture';
import { holds } from './seed';

/** Names and link targets from pieces that climb, stay, repeat and go nowhere. */
const piece = fc.constantFrom('a', 'b', 'c', '..', '.', '', 'a\\b', 'x\u0000', 'C:');
const relPath = fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join('/'));
const name = fc.tuple(fc.constantFrom('', '', '', '/'), relPath, fc.constantFrom('', '', '/')).map(([lead, p, trail]) => lead + p + trail);
const entry: fc.Arbitrary<ZipEntrySpec> = fc.oneof(
  name.map((n) => ({ name: n, data: 'file' })),
  name.map((n) => ({ name: n.endsWith('/') ? n : `${n}/`, mode: 0o40755 })),
  fc.tuple(name, fc.tuple(fc.constantFrom('', '/'), relPath).map(([lead, p]) => lead + p)).map(([n, target]) => ({ name: n.replace(/\/+$/, ''), data: target, mode: 0o120777 })),
);

/** Everything under `dir`, links not followed. */
function tree(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return lstatSync(p).isDirectory() ? [p, ...tree(p)] : [p];
  });
}

describe('fuzz: zip extraction and reading', () => {
  let work: string;
  before(() => {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'lwb-fuzz-zip-')));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  /** Extracts, then checks: a UserError or success, nothing outside, nothing inside that resolves outside. */
  async function staysInside(zip: Buffer): Promise<void> {
    rmSync(join(work, 'run'), { recursive: true, force: true });
    const dest = join(work, 'run', 'one', 'two', 'dest');
    mkdirSync(join(work, 'run', 'one', 'two'), { recursive: true });
    const zipPath = join(work, 'run', 'in.zip');
    writeFileSync(zipPath, zip);
    try {
      await extractZipSafely(zipPath, dest, { maxEntries: 50, maxBytes: 1 << 20 });
    } catch (err) {
      assert.ok(err instanceof UserError, `only UserErrors: ${String(err)}`);
    }
    const outside = tree(join(work, 'run')).filter((p) => p !== dest && !p.startsWith(dest + sep));
    assert.deepEqual(outside.map((p) => relative(join(work, 'run'), p)).sort(), ['in.zip', 'one', join('one', 'two')].sort());
    const root = realpathSync(join(work, 'run', 'one', 'two'));
    for (const p of tree(join(work, 'run', 'one', 'two'))) {
      let real: string;
      try {
        real = realpathSync(p);
      } catch {
        continue; // a link to nothing leads nowhere
      }
      assert.ok(real === join(root, 'dest') || real.startsWith(join(root, 'dest') + sep), `${relative(root, p)} resolves to ${real}`);
    }
  }

  it('never writes outside the folder, whatever the entries and link targets', async () => {
    await holds(fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 8 }), (entries) => staysInside(makeZip(entries))), 400, 8000);
  });

  it('refuses or extracts damaged archives cleanly', async () => {
    const base = makeZip([{ name: 'd/' }, { name: 'd/f.txt', data: 'hello' }, { name: 'l', data: 'd', mode: 0o120777 }, { name: 'l/g.txt', data: 'via link' }]);
    const damage = fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 });
    await holds(
      fc.asyncProperty(damage, async (changes) => {
        const zip = Buffer.from(base);
        for (const [at, byte] of changes) zip[at] = byte;
        await staysInside(zip);
      }),
      400,
      6000,
    );
  });

  it('reads any bytes as a central directory or says why not, without hanging', async () => {
    const base = makeZip([{ name: 'a.txt', data: 'x' }, { name: 'b/', mode: 0o40755 }]);
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }).map((changes) => {
        const zip = Buffer.from(base);
        for (const [at, byte] of changes) zip[at] = byte;
        return zip;
      }),
    );
    await holds(
      fc.asyncProperty(bytes, async (zip) => {
        // Reads past the end give what is there: a crafted size must not make anyone allocate it.
        const readAt = async (offset: number, length: number): Promise<Buffer> => zip.subarray(Math.max(0, offset), Math.max(0, offset) + Math.max(0, length));
        try {
          const dir = await readZipDirectory(readAt, zip.length);
          assert.ok(dir.entries.length <= zip.length, 'no more entries than bytes');
        } catch (err) {
          assert.ok(err instanceof Error, `an Error, got ${String(err)}`);
        }
      }),
      2000,
      3000,
    );
  });
});
