import { createWriteStream, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as yauzl from 'yauzl';
import { UserError } from '../errors';
import { LIMITS } from '../limits';
import { ConfinedTree, Escape } from './confine';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * Entries one archive may hold. Lambda caps bytes, not files, but every entry costs a file system
 * call or two: real layers and packages hold tens of thousands at most, and a million empty entries
 * fit in a zip of a few tens of MB.
 */
export const MAX_ENTRIES = 100_000;
/**
 * The largest archive worth fetching: Lambda's unzipped limit, plus room for the headers of many
 * entries (a zip of incompressible files is a little larger than they are). A server that sends
 * more is not sending a Lambda package, and would otherwise fill the disk or the memory.
 */
export const MAX_ARCHIVE_BYTES = LIMITS.unzippedWithLayersBytes + 64 * 1024 * 1024;

/** The error for an archive larger than `max` bytes while it is being fetched. */
export function archiveTooLarge(what: string, max: number): UserError {
  return new UserError(
    `Refusing to download ${what}: it is larger than ${count(max)} bytes, more than a Lambda package can be.`,
    'Check where the download points; get the archive again from its source.',
    'archive-too-large',
  );
}

/** Longer than any path a link can name (PATH_MAX); a bigger "link" is data posing as one. */
const MAX_LINK_BYTES = 4096;

export interface ExtractOptions {
  /** Unpacked bytes allowed: Lambda's limit for a function with its layers unless said. */
  maxBytes?: number;
  maxEntries?: number;
  /** How messages name the archive ("the layer arn:..."). */
  what?: string;
}

const CRAFTED = 'The archive may be damaged or crafted; get it again from its source.';

/**
 * Unpacks a zip into `dest` so that nothing can land outside it. Every entry's place is found on
 * disk, through the links earlier entries made, not from its name's text; links are checked the
 * same way when they are made and once more when every entry is out (a link made early can change
 * meaning when a later entry creates what it points through). Nothing is overwritten, and the
 * number of entries and the unpacked bytes are capped. Throws a UserError that names the entry or
 * the cap; the caller removes the partly filled folder.
 */
export async function extractZipSafely(zipPath: string, dest: string, opts: ExtractOptions = {}): Promise<{ files: number; bytes: number }> {
  const what = opts.what ?? zipPath;
  const maxBytes = opts.maxBytes ?? LIMITS.unzippedWithLayersBytes;
  const maxEntries = opts.maxEntries ?? MAX_ENTRIES;
  const refuse = (why: string, hint = CRAFTED): UserError => new UserError(`Refusing to extract ${what}: ${why}.`, hint, 'unsafe-zip');
  const tooMany = (): UserError =>
    refuse(`it has more than ${count(maxEntries)} entries, the cap on what one archive may hold`, 'A Lambda package or layer has far fewer files: check what the archive holds (unzip -l) and get it again from its source.');

  mkdirSync(dest, { recursive: true });
  const tree = new ConfinedTree(realpathSync(dest));
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: true });
  } catch (err) {
    throw refuse(`it is not a readable zip (${(err as Error).message})`);
  }
  const links: { parent: string; name: string; text: string }[] = [];
  let entries = 0;
  let files = 0;
  let bytes = 0;
  try {
    // The count in the archive's directory is checked before anything is written; the running count
    // after, in case the directory lies.
    if (zip.entryCount > maxEntries) throw tooMany();
    for await (const entry of zip.eachEntry()) {
      if (++entries > maxEntries) throw tooMany();
      const name = entry.fileName;
      bytes += entry.uncompressedSize;
      if (bytes > maxBytes) {
        throw refuse(`its entries add up to more than ${count(maxBytes)} bytes unpacked, the cap on what an archive may unpack to`, 'Lambda allows 262,144,000 bytes unzipped for a function with its layers: check what the archive holds (unzip -l).');
      }
      const wrong = badName(name);
      if (wrong) throw refuse(`the entry '${printable(name)}' ${wrong}`);
      const segments = name.split('/');
      let parent: string;
      try {
        parent = tree.parentFor(segments);
      } catch (err) {
        if (err instanceof Escape) throw refuse(`the entry '${name}' would be written outside the folder (${err.message})`);
        throw err;
      }
      if (name.endsWith('/')) continue;
      const target = join(parent, segments[segments.length - 1]);
      const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
      if ((mode & S_IFMT) === S_IFLNK) {
        if (entry.uncompressedSize > MAX_LINK_BYTES) throw refuse(`the link '${name}' is ${entry.uncompressedSize} bytes long, more than any path`);
        const text = await readAll(await zip.openReadStreamPromise(entry));
        const why = badLinkText(text);
        if (why) throw refuse(`the link '${name}' ${why}`);
        try {
          tree.follow(parent, text);
        } catch (err) {
          if (err instanceof Escape) throw refuse(`the link '${name}' -> '${text}' points outside the folder (${err.message})`);
          throw err;
        }
        symlinkSync(text, target);
        links.push({ parent, name, text });
      } else {
        // 'wx': never replace what an earlier entry (or a link) put there.
        await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(target, { flags: 'wx', mode: mode & 0o111 ? 0o755 : 0o644 }));
      }
      files++;
    }
    for (const link of links) {
      try {
        tree.follow(link.parent, link.text);
      } catch (err) {
        if (err instanceof Escape) throw refuse(`the link '${link.name}' -> '${link.text}' points outside the folder once every entry is in place (${err.message})`);
        throw err;
      }
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw refuse(`an entry appears twice or replaces a link (${(err as Error).message})`);
    throw refuse((err as Error).message);
  } finally {
    zip.close();
  }
  return { files, bytes };
}

/** What is wrong with an entry's name, beyond what yauzl already refuses (absolute, `..`, backslashes). */
function badName(name: string): string | undefined {
  if (name.includes('\0')) return 'has a NUL character in its name';
  if (name.includes('\\')) return 'uses backslashes, which are folder separators on Windows';
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return 'is an absolute path';
  if (name.split('/').includes('..')) return 'climbs out with ..';
  if (name.replace(/\/+$/, '') === '') return 'has an empty name';
  return undefined;
}

function badLinkText(text: string): string | undefined {
  if (text === '') return 'is empty';
  if (text.includes('\0')) return 'has a NUL character in its target';
  if (text.includes('\\')) return 'has backslashes in its target, which are folder separators on Windows';
  return undefined;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function printable(name: string): string {
  return name.replace(/\0/g, '\\0');
}
