import { promises as fs } from 'node:fs';
import type { Architecture } from '../model/types';

/** ELF e_machine values of Lambda's two architectures. */
export const ELF_MACHINE: Readonly<Record<Architecture, number>> = { x86_64: 62, arm64: 183 };

/** The e_machine of an ELF file (the CPU it is built for), or null when the file is not ELF. */
export async function elfMachine(path: string): Promise<number | null> {
  const file = await fs.open(path, 'r');
  try {
    const head = Buffer.alloc(20);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return elfMachineOf(head.subarray(0, bytesRead));
  } finally {
    await file.close();
  }
}

/** The e_machine from an ELF header's first 20 bytes. */
export function elfMachineOf(head: Uint8Array): number | null {
  if (head.length < 20 || head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  // EI_DATA (byte 5): 1 little-endian, 2 big-endian.
  return view.getUint16(18, head[5] === 1);
}

/** The Lambda architecture an e_machine value is, if either. */
export function machineArchitecture(machine: number | null): Architecture | undefined {
  if (machine === ELF_MACHINE.x86_64) return 'x86_64';
  if (machine === ELF_MACHINE.arm64) return 'arm64';
  return undefined;
}
