// Which glibc a Linux executable needs, read from its ELF version-needs table (.gnu.version_r):
// the newest GLIBC_x.y symbol version it asks for. A binary built on a newer distribution than
// Lambda's fails at start there ("version `GLIBC_2.36' not found"), so builds check this first.
// Hand-written: the npm ELF readers do not read version-needs tables, and this is ~60 lines.
import { promises as fs } from 'node:fs';

const SHT_GNU_VERNEED = 0x6ffffffe;

/**
 * The newest GLIBC_ version the executable needs ('2.34'), or null when it needs none (static, or
 * not glibc). Throws when the file is not an ELF executable.
 */
export async function glibcNeeded(path: string): Promise<string | null> {
  const file = await fs.open(path, 'r');
  try {
    const read = async (offset: number, length: number): Promise<Buffer> => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await file.read(buf, 0, length, offset);
      if (bytesRead < length) throw new Error(bytesRead >= 4 && buf.readUInt32BE(0) === 0x7f454c46 ? `${path} ends inside its ELF headers` : `${path} is not an ELF file`);
      return buf;
    };
    const ident = await read(0, 64);
    if (ident.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${path} is not an ELF file`);
    const wide = ident[4] === 2;
    const le = ident[5] === 1;
    const u16 = (b: Buffer, at: number): number => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
    const u32 = (b: Buffer, at: number): number => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
    const addr = (b: Buffer, at: number): number => (wide ? Number(le ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at)) : u32(b, at));
    const shoff = addr(ident, wide ? 0x28 : 0x20);
    const shentsize = u16(ident, wide ? 0x3a : 0x2e);
    const shnum = u16(ident, wide ? 0x3c : 0x30);
    if (shoff === 0 || shnum === 0) return null;
    const table = await read(shoff, shentsize * shnum);
    const section = (i: number) => {
      const at = i * shentsize;
      return { type: u32(table, at + 4), offset: addr(table, at + (wide ? 0x18 : 0x10)), size: addr(table, at + (wide ? 0x20 : 0x14)), link: u32(table, at + (wide ? 0x28 : 0x18)), info: u32(table, at + (wide ? 0x2c : 0x1c)) };
    };
    let newest: string | null = null;
    for (let i = 0; i < shnum; i++) {
      const s = section(i);
      if (s.type !== SHT_GNU_VERNEED || s.link >= shnum) continue;
      const strtab = section(s.link);
      const [needs, strings] = await Promise.all([read(s.offset, s.size), read(strtab.offset, strtab.size)]);
      const name = (at: number): string => strings.toString('latin1', at, strings.indexOf(0, at));
      // Verneed entries (sh_info of them), each with its Vernaux list of version names.
      let entry = 0;
      for (let n = 0; n < s.info && entry + 16 <= needs.length; n++) {
        let aux = entry + u32(needs, entry + 8);
        for (let k = u16(needs, entry + 2); k > 0 && aux + 16 <= needs.length; k--) {
          const version = /^GLIBC_(\d+(?:\.\d+)+)$/.exec(name(u32(needs, aux + 8)))?.[1];
          if (version && (newest === null || compareVersions(version, newest) > 0)) newest = version;
          const next = u32(needs, aux + 12);
          if (next === 0) break;
          aux += next;
        }
        const next = u32(needs, entry + 12);
        if (next === 0) break;
        entry += next;
      }
    }
    return newest;
  } finally {
    await file.close();
  }
}

/** Compares dotted versions numerically ('2.34' < '2.4' is false). */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
