import { createWriteStream, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as yauzl from 'yauzl';
import { UserError } from '../errors';
import { LIMITS } from '../limits';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * Extracts a zip into `dest` so that nothing can land outside it: no absolute or `..` paths,
 * no symlink pointing out, no write through a symlink, no overwriting, and at most Lambda's
 * unzipped size (a zip bomb stops there). Throws a UserError naming the bad entry.
 */
export async function extractZipSafely(zipPath: string, dest: string, opts: { maxBytes?: number; what?: string } = {}): Promise<{ files: number; bytes: number }> {
  const what = opts.what ?? zipPath;
  const maxBytes = opts.maxBytes ?? LIMITS.unzippedWithLayersBytes;
  mkdirSync(dest, { recursive: true });
  const root = realpathSync(dest);
  const inside = (p: string): boolean => p === root || p.startsWith(root + sep);
  const refuse = (why: string): UserError => new UserError(`Refusing to extract ${what}: ${why}.`, 'The archive may be damaged or crafted; get it again from its source.', 'unsafe-zip');

  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: true });
  } catch (err) {
    throw refuse(`it is not a readable zip (${(err as Error).message})`);
  }
  let files = 0;
  let bytes = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName;
      const target = resolve(root, name);
      if (!inside(target)) throw refuse(`the entry '${name}' points outside the folder`);
      if (name.endsWith('/')) {
        mkdirSync(target, { recursive: true });
        continue;
      }
      bytes += entry.uncompressedSize;
      if (bytes > maxBytes) throw refuse(`it unpacks to more than ${maxBytes} bytes`);
      mkdirSync(dirname(target), { recursive: true });
      // A parent created through an earlier symlink entry must still be inside.
      if (!inside(realpathSync(dirname(target)))) throw refuse(`the entry '${name}' would be written through a link that leads outside`);
      const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
      const stream = await zip.openReadStreamPromise(entry);
      if ((mode & S_IFMT) === S_IFLNK) {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        const link = Buffer.concat(chunks).toString('utf8');
        if (link.startsWith('/') || !inside(resolve(dirname(target), link))) throw refuse(`the link '${name}' -> '${link}' points outside the folder`);
        symlinkSync(link, target);
      } else {
        // 'wx': never replace what an earlier entry (or a link) put there.
        await pipeline(stream, createWriteStream(target, { flags: 'wx', mode: mode & 0o111 ? 0o755 : 0o644 }));
      }
      files++;
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    const message = (err as Error).message;
    if (/invalid relative path|absolute path|invalid characters/.test(message)) throw refuse(message);
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw refuse(`an entry appears twice or replaces a link (${message})`);
    throw refuse(message);
  } finally {
    zip.close();
  }
  return { files, bytes };
}
