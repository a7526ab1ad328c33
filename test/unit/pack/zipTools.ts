// Reading zips back with tools that are not ours: Info-ZIP's unzip/zipinfo and the yauzl library.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as yauzl from 'yauzl';

export interface ReadEntry {
  data: Buffer;
  /** Unix mode from the external attributes. */
  mode: number;
  madeBy: number;
  method: number;
  flags: number;
  dosDate: number;
  dosTime: number;
  rawName: Buffer;
}

/** Every entry of a zip, with its bytes, as yauzl reads them (it checks CRCs and sizes as it goes). */
export function readZip(path: string): Promise<Map<string, ReadEntry>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const out = new Map<string, ReadEntry>();
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const parts: Buffer[] = [];
          stream.on('data', (c: Buffer) => parts.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            out.set(entry.fileName, {
              data: Buffer.concat(parts),
              mode: entry.externalFileAttributes >>> 16,
              madeBy: entry.versionMadeBy >> 8,
              method: entry.compressionMethod,
              flags: entry.generalPurposeBitFlag,
              dosDate: entry.lastModFileDate,
              dosTime: entry.lastModFileTime,
              rawName: entry.fileNameRaw,
            });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** The entry names of a zip as yauzl lists them (without reading the data). */
export function listZip(path: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, strictFileNames: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const names: string[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(names));
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.readEntry();
    });
  });
}

/** `unzip -t`: Info-ZIP's own check of every entry. Returns its output; throws when it fails. */
export function unzipTest(path: string): string {
  const r = spawnSync('unzip', ['-t', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`unzip -t ${path} failed (${r.status}): ${r.stdout.slice(-2000)}${r.stderr}`);
  return r.stdout;
}

/** `zipinfo`: the listing lines (one per entry) and the summary line. */
export function zipinfo(path: string): { lines: string[]; summary: string } {
  const r = spawnSync('zipinfo', [path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`zipinfo ${path} failed: ${r.stderr}`);
  const all = r.stdout.trimEnd().split('\n');
  return { lines: all.slice(2, -1), summary: all[all.length - 1] };
}

export function sha256Base64(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('base64');
}
