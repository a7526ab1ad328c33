import { resolve } from 'node:path';
import { isBuilt } from '../../core/build';
import { formatBytes } from '../../core/size';
import { BUILD_ARG_OPTIONS, BUILD_ARG_USAGE } from '../core';
import { type Io, UsageError } from '../io';
import { parseOptions } from '../options';
import { reportFailure } from '../failures';
import { openSizeEngine, selectFunctions } from './sizeSetup';

export const PACKAGE_USAGE = `Usage: lambda-workbench package LOGICAL_ID --out FILE.zip [options]

Writes the function's deployment zip: exactly what deploy uploads and what 'size' measures
(sorted entries, fixed timestamps, normalised permissions), so the same code always gives the
same CodeSha256. Prints its path, size and CodeSha256 (base64 SHA-256, as Lambda reports it).

A function a builder makes (pip, npm, go, make, maven) is packaged as its built artifact, built
first when it is missing or out of date (the build's output on stderr).

Options:
  --out FILE             where to write the zip (required)
${BUILD_ARG_USAGE}
  --template PATH        a SAM template (repeatable; default: discover under --root)
  --root DIR             where to discover templates (default: the current directory)
  --json                 machine output on stdout`;

/** `package LOGICAL_ID --out FILE.zip`: writes the exact deploy artifact. */
export async function packageCommand(args: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const { common, values, positionals } = parseOptions(args, { out: { type: 'string' }, ...BUILD_ARG_OPTIONS }, { positionals: true, cwd });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name the function to package: its logical id in the template' : `package takes one function, not ${positionals.length}`);
  if (typeof values.out !== 'string' || values.out === '') throw new UsageError('--out FILE.zip is required: where to write the package');
  const out = resolve(cwd, values.out);
  const [fn] = await selectFunctions(common, positionals, io);
  const { engine, builds, token, close } = await openSizeEngine(values, common.json ? undefined : io);
  try {
    if (isBuilt(fn)) await builds.build(fn, { token });
    const r = await engine.package(fn, out, { token });
    if (common.json) {
      io.out(JSON.stringify({ logicalId: r.logicalId, path: r.path, bytes: r.bytes, codeSha256: r.codeSha256, unzippedBytes: r.unzippedBytes, fileCount: r.fileCount, source: r.source }, null, 2));
    } else {
      const bytes = r.bytes >= 1024 ? `${r.bytes} bytes (${formatBytes(r.bytes)})` : formatBytes(r.bytes);
      io.out(`${r.logicalId}: wrote ${r.path}\n  ${bytes}, ${r.fileCount} ${r.fileCount === 1 ? 'file' : 'files'}, ${formatBytes(r.unzippedBytes)} unzipped\n  CodeSha256 ${r.codeSha256}`);
    }
    return 0;
  } catch (err) {
    return reportFailure(err, io, 'package');
  } finally {
    await close();
  }
}
