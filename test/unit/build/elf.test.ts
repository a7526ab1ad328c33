import assert from 'node:assert/strict';
import { ELF_MACHINE, elfMachine, elfMachineOf, machineArchitecture } from '../../../src/core/build';

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
