import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { extractZipSafely } from '../../../src/core/archive/extract';
import { UserError } from '../../../src/core/errors';
import { makeZip, type ZipEntrySpec } from '../local/zipFixture';

const LINK = 0o120777;

/**
 * Crafted archives, one per trick a hostile zip plays to write outside the folder it is unpacked
 * into. The folder sits three levels down, so a climb of one, two or three `..` lands somewhere
 * the test can see.
 */
describe('archive: extraction stays inside its folder', () => {
  let work: string;
  let dest: string;
  beforeEach(() => {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'lwb-extract-')));
    dest = join(work, 'a', 'b', 'dest');
    mkdirSync(join(work, 'a', 'b'), { recursive: true });
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  function zipFile(entries: ZipEntrySpec[]): string {
    const path = join(work, 'in.zip');
    writeFileSync(path, makeZip(entries));
    return path;
  }

  /** Everything under `work` that is not in the target folder: what an escape would leave. */
  function outside(): string[] {
    const found: string[] = [];
    const visit = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (p === dest || p.startsWith(dest + sep)) continue;
        found.push(relative(work, p));
        if (lstatSync(p).isDirectory()) visit(p);
      }
    };
    visit(work);
    return found.sort();
  }

  /** Extraction fails with a UserError matching `pattern`, and nothing appears outside the target. */
  async function refuses(entries: ZipEntrySpec[], pattern: RegExp, opts: { maxBytes?: number; maxEntries?: number } = {}): Promise<UserError> {
    let caught: UserError | undefined;
    await assert.rejects(extractZipSafely(zipFile(entries), dest, opts), (err: unknown) => {
      assert.ok(err instanceof UserError, `a UserError, got ${String(err)}`);
      assert.match(err.message, pattern);
      caught = err;
      return true;
    });
    assert.deepEqual(outside(), ['a', join('a', 'b'), 'in.zip'], 'nothing written outside the target');
    return caught!;
  }

  // sub/up -> .. is the target itself (allowed); sub/up/x -> .. then climbs out of it, although
  // its text, read from where the entry's name says it stands, stays inside.
  const chain: ZipEntrySpec[] = [
    { name: 'sub/' },
    { name: 'sub/up', data: '..', mode: LINK },
    { name: 'sub/up/x', data: '..', mode: LINK },
  ];

  it('refuses a link that climbs out through an earlier link (a chain of relative links)', async () => {
    await refuses(chain, /link 'sub\/up\/x' -> '\.\.' points outside/);
  });

  it('refuses folders, files and links written through a chain of links', async () => {
    for (const entry of [{ name: 'sub/up/x/evil/' }, { name: 'sub/up/x/made/evil.txt', data: 'x' }, { name: 'sub/up/x/l', data: 'b', mode: LINK }]) {
      await refuses([...chain, entry], /outside/);
      rmSync(dest, { recursive: true, force: true });
    }
  });

  // l -> d/.. reads as the folder itself while d is missing; once d -> . exists, l is the parent.
  const turned: ZipEntrySpec[] = [
    { name: 'l', data: 'd/..', mode: LINK },
    { name: 'd', data: '.', mode: LINK },
  ];

  it('refuses folders and files written through a link that a later entry turned outward', async () => {
    for (const entry of [{ name: 'l/evil/' }, { name: 'l/made/evil.txt', data: 'x' }]) {
      await refuses([...turned, entry], /entry 'l\/.*' would be written outside/);
      rmSync(dest, { recursive: true, force: true });
    }
  });

  it('refuses a link whose target climbs out through another link', async () => {
    await refuses([{ name: 'sub/' }, { name: 'sub/up', data: '..', mode: LINK }, { name: 'l', data: 'sub/up/..', mode: LINK }], /link 'l' -> 'sub\/up\/\.\.' points outside/);
  });

  it('refuses a link that later entries turn outward (its target did not exist yet)', async () => {
    await refuses(turned, /link 'l' -> 'd\/\.\.' points outside/);
  });

  it('refuses a link that names the folder itself from outside (it would break when the folder moves)', async () => {
    await refuses([{ name: 'l', data: '../dest/x', mode: LINK }], /points outside/);
  });

  it('refuses absolute links, empty links and links with NUL or backslashes', async () => {
    for (const [target, why] of [
      ['/etc', /points outside/],
      ['', /empty/],
      ['x\0y', /NUL/],
      ['..\\..\\etc', /backslash/],
    ] as const) {
      await refuses([{ name: 'l', data: target, mode: LINK }], why);
      rmSync(dest, { recursive: true, force: true });
    }
  });

  it('refuses absolute names, .. segments, NUL and backslashes in names', async () => {
    for (const [name, why] of [
      ['/tmp/evil.txt', /absolute path/],
      ['C:/evil.txt', /absolute path/],
      ['ok/../../evil.txt', /invalid relative path/],
      ['ok.txt\0evil.txt', /NUL/],
      ['..\\..\\evil.txt', /invalid characters|backslash/],
    ] as const) {
      await refuses([{ name, data: 'x' }], why);
      rmSync(dest, { recursive: true, force: true });
    }
  });

  it('refuses a name that turns an earlier file or folder into a link, or a link into a file', async () => {
    await refuses([{ name: 'a.txt', data: 'x' }, { name: 'a.txt', data: 'b.txt', mode: LINK }], /appears twice/);
    rmSync(dest, { recursive: true, force: true });
    await refuses([{ name: 'd/' }, { name: 'd', data: '../..', mode: LINK }, { name: 'd/evil.txt', data: 'x' }], /appears twice|points outside/);
    rmSync(dest, { recursive: true, force: true });
    await refuses([{ name: 'l', data: 'in', mode: LINK }, { name: 'l', data: 'x' }], /appears twice/);
  });

  it('refuses a link loop instead of following it forever', async () => {
    await refuses([{ name: 'p', data: 'q', mode: LINK }, { name: 'q', data: 'p', mode: LINK }, { name: 'p/x.txt', data: 'x' }], /link|loop/);
  });

  it('caps the number of entries, saying which cap', async () => {
    const entries = Array.from({ length: 5 }, (_, i) => ({ name: `f${i}.txt`, data: 'x' }));
    const err = await refuses(entries, /more than 3 entries/, { maxEntries: 3 });
    assert.match(err.hint ?? '', /\S/);
  });

  it('caps the unpacked bytes, saying which cap', async () => {
    const err = await refuses([{ name: 'a.bin', data: Buffer.alloc(600) }, { name: 'b.bin', data: Buffer.alloc(600) }], /more than 1,000 bytes unpacked/, { maxBytes: 1000 });
    assert.match(err.hint ?? '', /\S/);
  });

  it('still unpacks links that stay inside, and writes through them', async () => {
    await extractZipSafely(
      zipFile([
        { name: 'lib/libx.so.1', data: 'elf' },
        { name: 'lib/libx.so', data: 'libx.so.1', mode: LINK },
        { name: 'here', data: '.', mode: LINK },
        { name: 'up/', mode: 0o40755 },
        { name: 'up/lib', data: '../lib', mode: LINK },
        { name: 'up/lib/more.txt', data: 'via link' },
        { name: 'dangling', data: 'not/there', mode: LINK },
      ]),
      dest,
    );
    assert.equal(readlinkSync(join(dest, 'lib/libx.so')), 'libx.so.1');
    assert.equal(readFileSync(join(dest, 'here/lib/libx.so'), 'utf8'), 'elf');
    assert.equal(readFileSync(join(dest, 'lib/more.txt'), 'utf8'), 'via link');
    assert.equal(readlinkSync(join(dest, 'dangling')), 'not/there');
    assert.deepEqual(outside(), ['a', join('a', 'b'), 'in.zip']);
  });
});
