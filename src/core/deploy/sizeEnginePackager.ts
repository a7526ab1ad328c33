import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionSpec } from '../model/types';
import { readZipFileDirectory, type WorkerPool } from '../pack';
import { throwIfCancelled } from '../cancel';
import type { SizeEngine } from '../size';
import type { Packager, SizeMeasurer } from './artifact';
import { zipPackager } from './zipPackager';

function isArchive(fn: FunctionSpec): boolean {
  if (!fn.codeUri) return false;
  try {
    return statSync(fn.codeUri).isFile();
  } catch {
    return false;
  }
}

/**
 * Deploy packages through the size engine: the same file selection, bundling and zip writer the
 * size report measures, so what is checked against the limits is what is uploaded.
 */
export function sizeEnginePackager(
  engine: Pick<SizeEngine, 'collectInputs' | 'package'>,
  opts: { cacheDir?: string; pool?: WorkerPool; excludes?: readonly string[] } = {},
): Packager & SizeMeasurer {
  const zips = zipPackager((target, token) => engine.collectInputs(target, { token, excludes: opts.excludes }), { cacheDir: opts.cacheDir, pool: opts.pool });
  return {
    ...zips,
    async packageFunction(fn, outDir, token, limits) {
      // A prebuilt .zip/.jar CodeUri goes up as it is: the engine copies and hashes it.
      if (!isArchive(fn)) return zips.packageFunction(fn, outDir, token, limits);
      const out = await engine.package(fn, join(outDir, `function-${fn.logicalId.replace(/[^A-Za-z0-9_.-]/g, '_')}.zip`), { token, excludes: opts.excludes });
      return { path: out.path, bytes: out.bytes, codeSha256: out.codeSha256, unzippedBytes: out.unzippedBytes };
    },
    async functionUnzippedBytes(fn, token) {
      if (!isArchive(fn)) return zips.functionUnzippedBytes(fn, token);
      // An archive's unzipped size is in its central directory: a few small reads.
      throwIfCancelled(token, 'measuring the package');
      return (await readZipFileDirectory(fn.codeUri as string)).unzippedBytes;
    },
  };
}
