import { open, readdir, readlink, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';

const BLOCK = 512;

/**
 * A folder's contents as a tar stream (POSIX ustar, with pax records for long names), the format
 * the Docker engine's archive API takes. Entries are relative to the folder; files, folders and
 * symbolic links (as links) are kept, with their permission bits, owned by root. Files are read
 * as the stream is consumed, so a large node_modules never sits in memory.
 */
export function tarFolder(dir: string): Readable {
  return Readable.from(entries(dir, ''), { objectMode: false });
}

async function* entries(root: string, rel: string): AsyncGenerator<Buffer> {
  const names = (await readdir(join(root, rel))).sort();
  for (const name of names) {
    const path = rel ? `${rel}/${name}` : name;
    const full = join(root, path);
    const st = await lstat(full);
    const mode = process.platform === 'win32' ? (st.isDirectory() ? 0o755 : 0o644) : st.mode & 0o7777;
    const mtime = Math.floor(st.mtimeMs / 1000);
    if (st.isDirectory()) {
      yield* header({ name: `${path}/`, mode, size: 0, mtime, type: '5' });
      yield* entries(root, path);
    } else if (st.isSymbolicLink()) {
      yield* header({ name: path, mode, size: 0, mtime, type: '2', linkname: await readlink(full) });
    } else if (st.isFile()) {
      yield* header({ name: path, mode, size: st.size, mtime, type: '0' });
      yield* fileBody(full, st.size);
    }
    // Sockets, pipes and devices have no place in function code.
  }
  if (!rel) yield Buffer.alloc(BLOCK * 2);
}

/** Exactly `size` bytes (zeros if the file shrank since it was listed), padded to a block. */
async function* fileBody(path: string, size: number): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  try {
    let left = size;
    while (left > 0) {
      const chunk = Buffer.alloc(Math.min(left, 1024 * 1024));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, size - left);
      if (bytesRead === 0) {
        yield Buffer.alloc(left);
        break;
      }
      yield bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead);
      left -= bytesRead;
    }
  } finally {
    await handle.close();
  }
  if (size % BLOCK) yield Buffer.alloc(BLOCK - (size % BLOCK));
}

interface Entry {
  name: string;
  mode: number;
  size: number;
  mtime: number;
  type: '0' | '2' | '5' | 'x';
  linkname?: string;
}

function* header(e: Entry): Generator<Buffer> {
  const long = Buffer.byteLength(e.name) > 100 || Buffer.byteLength(e.linkname ?? '') > 100 || e.size > 0o77777777777;
  if (long) {
    const records: Buffer[] = [paxRecord('path', e.name)];
    if (e.linkname) records.push(paxRecord('linkpath', e.linkname));
    if (e.size > 0o77777777777) records.push(paxRecord('size', String(e.size)));
    const body = Buffer.concat(records);
    yield ustar({ name: 'PaxHeader', mode: 0o644, size: body.length, mtime: e.mtime, type: 'x' });
    yield body;
    if (body.length % BLOCK) yield Buffer.alloc(BLOCK - (body.length % BLOCK));
  }
  yield ustar(long ? { ...e, name: e.name.slice(0, 99), linkname: e.linkname?.slice(0, 99), size: Math.min(e.size, 0o77777777777) } : e);
}

/** "<length> <key>=<value>\n", where the length counts itself. */
function paxRecord(key: string, value: string): Buffer {
  const rest = Buffer.byteLength(` ${key}=${value}\n`);
  let length = rest + String(rest).length;
  if (String(length).length !== String(rest).length) length = rest + String(length).length;
  return Buffer.from(`${length} ${key}=${value}\n`);
}

function ustar(e: Entry): Buffer {
  const b = Buffer.alloc(BLOCK);
  const text = (s: string, at: number, len: number): void => void b.write(s, at, Math.min(len, Buffer.byteLength(s)), 'utf8');
  const octal = (n: number, at: number, len: number): void => text(`${n.toString(8).padStart(len - 1, '0')}\0`, at, len);
  text(e.name, 0, 100);
  octal(e.mode, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  octal(e.size, 124, 12);
  octal(e.mtime, 136, 12);
  b.fill(0x20, 148, 156);
  text(e.type, 156, 1);
  text(e.linkname ?? '', 157, 100);
  text('ustar\0', 257, 6);
  text('00', 263, 2);
  text('root', 265, 32);
  text('root', 297, 32);
  let sum = 0;
  for (const byte of b) sum += byte;
  text(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return b;
}
