import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ELF_MACHINE, elfMachine, elfMachineOf, machineArchitecture } from '../../../src/core/build';
import { compareVersions, glibcNeeded } from '../../../src/core/build/glibc';

/** The first 20 bytes of an ELF header with the given e_machine. */
function header(machine: number, littleEndian = true): Uint8Array {
  const b = new Uint8Array(20);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, littleEndian ? 1 : 2]);
  new DataView(b.buffer).setUint16(18, machine, littleEndian);
  return b;
}

describe('build: ELF headers', () => {
  it("reads e_machine in the header's byte order", () => {
    assert.equal(elfMachineOf(header(62)), 62);
    assert.equal(elfMachineOf(header(183)), 183);
    assert.equal(elfMachineOf(header(183, false)), 183);
    assert.equal(machineArchitecture(62), 'x86_64');
    assert.equal(machineArchitecture(183), 'arm64');
    assert.equal(machineArchitecture(40), undefined);
  });

  it('anything else is not ELF', () => {
    assert.equal(elfMachineOf(new TextEncoder().encode('#!/bin/sh\necho hi\n')), null);
    assert.equal(elfMachineOf(header(62).subarray(0, 10)), null);
  });

  it('this Node.js binary is an ELF for this machine', async function () {
    if (process.platform !== 'linux') this.skip();
    const arch = process.arch === 'arm64' ? 'arm64' : 'x86_64';
    assert.equal(await elfMachine(process.execPath), ELF_MACHINE[arch]);
  });
});

describe('build: the glibc an executable needs', () => {
  it("this Node.js binary asks for glibc symbol versions: the newest is a 2.x version no newer than this machine's", async function () {
    const runtime = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime;
    if (process.platform !== 'linux' || !runtime) this.skip(); // not a glibc system
    const needed = await glibcNeeded(process.execPath);
    assert.match(needed ?? '', /^2\.\d+$/);
    assert.ok(compareVersions(needed!, runtime!) <= 0, `${needed} <= ${runtime}`);
    assert.ok(compareVersions(needed!, '2.17') >= 0);
  });

  it('a static executable needs none; a file that is not ELF is refused', async function () {
    if (!existsSync('/bin/busybox') || hasInterp('/bin/busybox')) this.skip(); // busybox-static (scripts/setup.sh apt)
    assert.equal(await glibcNeeded('/bin/busybox'), null);
    const dir = mkdtempSync(join(tmpdir(), 'lwb-elf-'));
    try {
      writeFileSync(join(dir, 'script'), '#!/bin/sh\necho hi\n');
      await assert.rejects(glibcNeeded(join(dir, 'script')), /not an ELF file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('versions compare by number', () => {
    assert.ok(compareVersions('2.34', '2.4') > 0);
    assert.ok(compareVersions('2.36', '2.34') > 0);
    assert.equal(compareVersions('2.34', '2.34.0'), 0);
  });
});

/** Whether an ELF file names a program interpreter (PT_INTERP), i.e. is dynamically linked. */
function hasInterp(path: string): boolean {
  return readFileSync(path).includes('/ld-linux');
}
