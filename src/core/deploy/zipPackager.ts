import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CancellationTokenLike } from '../cancel';
import { UserError } from '../errors';
import type { FunctionSpec, LayerSpec } from '../model/types';
import { COMPRESSION_ID, CompressionCache, type PackInput, planZip, type WorkerPool, writeZipFile, type ZipPlan } from '../pack';
import { type Packager, type SizeMeasurer, UnzippedBudgetExceeded, type ZipArtifact } from './artifact';

/** What goes into a package: the size engine's selection of files (or bundle output) for it. */
export type PackTarget = { kind: 'function'; spec: FunctionSpec } | { kind: 'layer'; spec: LayerSpec };
export type CollectInputs = (target: PackTarget, token: CancellationTokenLike) => Promise<PackInput[]>;

export interface ZipPackagerOptions {
  /** Where compression results and artifact hashes persist between runs; memory only without it. */
  cacheDir?: string;
  pool?: WorkerPool;
}

/** How many artifact hashes to remember. */
const HASHES_KEPT = 512;

interface KnownHash {
  sha: string;
  bytes: number;
  at: number;
}

/**
 * Everything the zip's bytes depend on, without reading the files: each entry's name, method,
 * CRC, sizes and mode, the file's stamp (size, mtime, ctime, inode; a changed file changes it)
 * or a buffer's own hash, and the compressor's identity. Undefined when an input has no stamp.
 */
function fingerprint(plan: ZipPlan): string | undefined {
  // One string, hashed once: thousands of small hash updates cost more than building it.
  const lines: string[] = [COMPRESSION_ID, String(plan.bytes)];
  for (const e of plan.entries) {
    let source: string;
    if (e.source.kind === 'file' && e.stamp) source = `f:${e.source.path}:${e.stamp.size}:${e.stamp.mtimeNs}:${e.stamp.ctimeNs}:${e.stamp.ino}`;
    else if (e.source.kind === 'buffer') source = `b:${createHash('sha256').update(e.source.data).digest('hex')}`;
    else return undefined;
    lines.push(`${e.name}\0${e.method}\0${e.crc32}\0${e.size}\0${e.compressedSize}\0${e.executable}\0${source}`);
  }
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/**
 * A Packager over the deterministic zip writer: the inputs come from `collect` (the size engine's
 * selection), so the uploaded zip is byte for byte the one whose size was reported. It remembers
 * the hash of every zip it writes, keyed by a fingerprint of its inputs, so packaging an unchanged
 * function again costs a file walk and no compression or write.
 */
export function zipPackager(collect: CollectInputs, opts: ZipPackagerOptions = {}): Packager & SizeMeasurer {
  const caches = new Map<string, Promise<CompressionCache>>();
  const hashesFile = opts.cacheDir ? join(opts.cacheDir, 'artifact-hashes.json') : undefined;
  let hashes: Promise<Map<string, KnownHash>> | undefined;

  const loadHashes = (): Promise<Map<string, KnownHash>> =>
    (hashes ??= (async () => {
      if (!hashesFile) return new Map<string, KnownHash>();
      try {
        return new Map(Object.entries(JSON.parse(await fs.readFile(hashesFile, 'utf8')) as Record<string, KnownHash>));
      } catch {
        return new Map<string, KnownHash>();
      }
    })());
  const remember = async (fp: string, value: KnownHash): Promise<void> => {
    const map = await loadHashes();
    map.set(fp, value);
    if (map.size > HASHES_KEPT) {
      for (const [k] of [...map].sort((a, b) => a[1].at - b[1].at).slice(0, map.size - HASHES_KEPT)) map.delete(k);
    }
    if (!hashesFile) return;
    // Written whole and renamed into place: a concurrent reader never sees half a file.
    await fs.mkdir(dirname(hashesFile), { recursive: true });
    const tmp = `${hashesFile}.${randomBytes(4).toString('hex')}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(Object.fromEntries(map)));
    await fs.rename(tmp, hashesFile);
  };
  const cacheFor = (root: string | undefined): Promise<CompressionCache> => {
    if (!root) return Promise.resolve(CompressionCache.inMemory());
    let c = caches.get(root);
    if (!c) {
      const file = opts.cacheDir ? join(opts.cacheDir, `compress-${createHash('sha1').update(root).digest('hex').slice(0, 20)}.bin`) : undefined;
      c = file ? CompressionCache.load(file) : Promise.resolve(CompressionCache.inMemory());
      caches.set(root, c);
    }
    return c;
  };

  const safe = (name: string): string => name.replace(/[^A-Za-z0-9_.-]/g, '_');
  const sum = (inputs: PackInput[]): number => inputs.reduce((n, i) => n + i.size, 0);
  const build = async (target: PackTarget, root: string | undefined, path: string, token: CancellationTokenLike, maxUnzippedBytes?: number): Promise<ZipArtifact> => {
    const inputs = await collect(target, token);
    const unzipped = sum(inputs);
    if (maxUnzippedBytes !== undefined && unzipped > maxUnzippedBytes) throw new UnzippedBudgetExceeded(unzipped);
    const cache = await cacheFor(root);
    cache.beginRun();
    const plan = await planZip(inputs, { cache, pool: opts.pool, token });
    await cache.save();
    const fp = fingerprint(plan);
    const known = fp ? (await loadHashes()).get(fp) : undefined;
    if (fp && known && known.bytes === plan.bytes) {
      let written: Promise<void> | undefined;
      return {
        path,
        bytes: plan.bytes,
        codeSha256: known.sha,
        unzippedBytes: plan.unzippedBytes,
        materialize: (t) =>
          (written ??= (async () => {
            const out = await writeZipFile(plan, path, { pool: opts.pool, token: t });
            if (out.sha256.toString('base64') !== known.sha) {
              (await loadHashes()).delete(fp);
              throw new UserError(`The package of ${target.spec.logicalId} changed while it was being deployed.`, 'Deploy again once the files stop changing.', 'changed');
            }
          })()),
      };
    }
    const out = await writeZipFile(plan, path, { pool: opts.pool, token });
    const sha = out.sha256.toString('base64');
    if (fp) await remember(fp, { sha, bytes: out.bytes, at: Date.now() });
    return { path, bytes: out.bytes, codeSha256: sha, unzippedBytes: plan.unzippedBytes };
  };

  return {
    packageFunction: (fn, outDir, token, limits) =>
      build({ kind: 'function', spec: fn }, fn.codeUri, join(outDir, `function-${safe(fn.logicalId)}.zip`), token, limits?.maxUnzippedBytes),
    packageLayer: (layer, outDir, token) => build({ kind: 'layer', spec: layer }, layer.contentUri, join(outDir, `layer-${safe(layer.logicalId)}.zip`), token),
    // The unzipped size is the sum of the inputs' sizes, known from the walk before anything is compressed.
    functionUnzippedBytes: async (fn, token) => sum(await collect({ kind: 'function', spec: fn }, token)),
    layerUnzippedBytes: async (layer, token) => sum(await collect({ kind: 'layer', spec: layer }, token)),
  };
}
