import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkTree } from '../../../src/core/build/copy';
import { foreignAddons } from '../../../src/core/build/builders/nativeModules';
import { writeTree } from '../size/fixtures';

/** An ELF header (64-bit, little-endian) for the given e_machine, as a .node file's first bytes. */
function elf(machine: number): Uint8Array {
  const b = new Uint8Array(64);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1]);
  new DataView(b.buffer).setUint16(18, machine, true);
  return b;
}

describe('build: putting cached dependencies into an artifact', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-copy-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('hard-links files (no bytes copied), keeps links as links, and never overwrites what the artifact has', async () => {
    writeTree(join(dir, 'cache'), { 'six.py': 'six', 'pkg/__init__.py': 'pkg', 'app.py': 'cached app' });
    symlinkSync('../pkg/__init__.py', join(dir, 'cache', 'pkg', 'alias.py'));
    writeTree(join(dir, 'artifact'), { 'app.py': 'the function' });
    await linkTree(join(dir, 'cache'), join(dir, 'artifact'));
    assert.equal(statSync(join(dir, 'artifact', 'six.py')).ino, statSync(join(dir, 'cache', 'six.py')).ino);
    assert.equal(readFileSync(join(dir, 'artifact', 'app.py'), 'utf8'), 'the function');
    assert.equal(readFileSync(join(dir, 'cache', 'app.py'), 'utf8'), 'cached app', 'the cache is untouched');
    assert.equal(readlinkSync(join(dir, 'artifact', 'pkg', 'alias.py')), '../pkg/__init__.py');
  });

  it('native addons an install built for another CPU (or OS) are named by package; multi-platform prebuilds are not', async () => {
    writeTree(join(dir, 'fn'), {
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node': elf(62),
      'node_modules/@scope/native/build/Release/addon.node': elf(183),
      'node_modules/mac-only/build/Release/addon.node': 'not ELF',
      'node_modules/prebuilt/prebuilds/linux-x64/addon.node': elf(62),
    });
    const foreign = await foreignAddons(join(dir, 'fn'), 'arm64');
    assert.deepEqual(foreign.map((f) => [f.packageName, f.builtFor]).sort(), [
      ['better-sqlite3', 'x86_64'],
      ['mac-only', 'not linux'],
    ]);
    assert.deepEqual((await foreignAddons(join(dir, 'fn'), 'x86_64')).map((f) => f.packageName).sort(), ['@scope/native', 'mac-only']);
    writeFileSync(join(dir, 'fn', 'node_modules', 'mac-only', 'build', 'Release', 'addon.node'), elf(183));
    assert.deepEqual((await foreignAddons(join(dir, 'fn'), 'arm64')).map((f) => f.packageName), ['better-sqlite3']);
  });
});
