import { relative } from 'node:path';
import { LIMITS } from '../../core/limits';
import { checkWarnAt, DEFAULT_WARN_AT, type Finding, formatBytes, formatPercent, type FunctionSize } from '../../core/size';
import { type Io, UsageError } from '../io';
import { parseOptions } from '../options';
import { formatTable } from '../table';
import { BUILD_ARG_USAGE } from '../core';
import { reportFailure } from '../failures';
import { openSizeEngine, selectFunctions, SIZE_AWS_OPTIONS } from './sizeSetup';

export const SIZE_USAGE = `Usage: lambda-workbench size [LOGICAL_ID...] [--warn-at 0.8] [options]

Measures each function's deployment package exactly (the zip deploy uploads, byte for byte)
against Lambda's limits: 50 MiB zipped for direct upload, 250 MiB unzipped with layers,
10 GiB for an image, 5 layers. Lists what makes it big and what to do about it.
Exit 0 when every function fits, 1 when any is over a limit (for CI), 2 for usage errors.

A function a builder makes (pip, npm, go, make, maven) is measured as its built artifact; until
it is built (or when its build is out of date) its size is an estimate from its sources and
whatever counts its dependencies, marked as such, and never "ok" while a declared dependency
is not counted. --build builds what is out of date first.

Options:
  --build                build functions whose artifact is missing or out of date first
${BUILD_ARG_USAGE}
  --warn-at F            warn from this fraction of a limit (default ${DEFAULT_WARN_AT})
  --profile P            AWS profile for looking up layers given by ARN
  --endpoint-url URL     send those lookups to this endpoint (an emulator)
  --template PATH        a SAM template (repeatable; default: discover under --root)
  --root DIR             where to discover templates (default: the current directory)
  --json                 machine output on stdout`;

/** `size [LOGICAL_ID...]`: exact package sizes against the limits; exit 1 when any function is over. */
export async function sizeCommand(args: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const { common, values, positionals } = parseOptions(args, { ...SIZE_AWS_OPTIONS, 'warn-at': { type: 'string' }, build: { type: 'boolean' } }, { positionals: true, cwd });
  const warnAt = parseWarnAt(values['warn-at']);
  // The engine's worker threads start while the templates are read: in a new process their
  // start-up is otherwise on the measurement's path.
  const opening = openSizeEngine(values, common.json ? undefined : io).then((opened) => {
    opened.engine.warmUp();
    return opened;
  });
  // Awaited below; a failure to open is reported there, not as an unhandled rejection meanwhile.
  opening.catch(() => undefined);
  let functions;
  try {
    functions = await selectFunctions(common, positionals, io);
  } catch (err) {
    await opening.then((o) => o.close()).catch(() => undefined);
    throw err;
  }
  const { engine, builds, token, close } = await opening;
  try {
    let buildFailed = false;
    if (values.build === true) {
      for (const b of await builds.buildAll(functions, { token })) {
        if (b.status !== 'failed') continue;
        buildFailed = true;
        io.err(`lambda-workbench size: ${b.reason ?? `building ${b.logicalId} failed`}${b.hint ? `\n${b.hint}` : ''}`);
      }
    }
    const sizes = await engine.measureAll(functions, { warnAt, token });
    if (common.json) io.out(JSON.stringify({ functions: sizes.map(sizeJson) }, null, 2));
    else printHuman(sizes, io, cwd);
    return buildFailed || sizes.some((s) => s.status === 'over') ? 1 : 0;
  } catch (err) {
    return reportFailure(err, io, 'size');
  } finally {
    await close();
  }
}

function parseWarnAt(raw: unknown): number {
  if (raw === undefined) return DEFAULT_WARN_AT;
  const n = Number(raw);
  try {
    return checkWarnAt(typeof raw === 'string' && raw.trim() !== '' ? n : Number.NaN);
  } catch (err) {
    throw new UsageError(`--warn-at: ${(err as Error).message}`);
  }
}

/** The CLI.md fields first (names are a contract), then extras. */
export function sizeJson(s: FunctionSize) {
  return {
    logicalId: s.logicalId,
    zippedBytes: s.zippedBytes,
    unzippedBytes: s.unzippedBytes,
    layersUnzippedBytes: s.layersUnzippedBytes,
    totalUnzippedBytes: s.totalUnzippedBytes,
    layerCount: s.layerCount,
    imageBytes: s.imageBytes,
    status: s.status,
    estimate: s.estimate,
    findings: s.findings.map(findingJson),
    topContributors: s.topContributors.map((c) => ({ name: c.name, bytes: c.bytes, share: c.share, kind: c.kind, zippedBytes: Math.round(c.zippedBytes), files: c.files })),
    templatePath: s.templatePath,
    packageType: s.packageType,
    source: s.source,
    fileCount: s.fileCount,
    imageEstimated: s.image?.estimated ?? null,
    build: s.build ? { builder: s.build.builder, artifactDir: s.build.artifactDir, upToDate: s.build.upToDate, uncounted: s.build.uncounted } : null,
    layers: s.layers.map((l) => ({ name: l.name, ref: l.ref, unzippedBytes: l.unzippedBytes, zippedBytes: l.zippedBytes, status: l.status, detail: l.detail })),
    excluded: s.excluded,
    limits: {
      zippedDirectUploadBytes: LIMITS.zippedDirectUploadBytes,
      unzippedWithLayersBytes: LIMITS.unzippedWithLayersBytes,
      imageBytes: LIMITS.imageBytes,
      layersPerFunction: LIMITS.layersPerFunction,
    },
    warnAt: s.warnAt,
  };
}

function findingJson(f: Finding) {
  return { code: f.code, severity: f.severity, message: f.message, bytes: f.bytes, limit: f.limit, fix: f.fix, actions: f.actions, subjects: f.subjects };
}

function printHuman(sizes: FunctionSize[], io: Io, cwd: string): void {
  if (sizes.length === 0) {
    io.out('No functions found.');
    return;
  }
  const pct = (n: number | null, limit: number): string => (n === null ? 'unknown' : `${formatBytes(n)} (${formatPercent(n / limit)})`);
  const rows = sizes.map((s) => [
    s.logicalId,
    s.estimate && s.packageType === 'Zip' ? `${s.status} (estimate)` : s.status,
    s.packageType === 'Image' ? `image ${pct(s.imageBytes, LIMITS.imageBytes)}${s.image?.estimated && s.imageBytes !== null ? ' est.' : ''}` : pct(s.zippedBytes, LIMITS.zippedDirectUploadBytes),
    s.packageType === 'Image' ? '-' : pct(s.totalUnzippedBytes ?? s.unzippedBytes, LIMITS.unzippedWithLayersBytes) + (s.totalUnzippedBytes === null && s.unzippedBytes !== null && s.layerCount > 0 ? ' + unknown layers' : ''),
    String(s.layerCount),
  ]);
  io.out(formatTable(['FUNCTION', 'STATUS', 'ZIPPED (of 50 MiB)', 'UNZIPPED WITH LAYERS (of 250 MiB)', 'LAYERS'], rows));
  for (const s of sizes) {
    const lines: string[] = [];
    if (s.topContributors.length > 0) {
      lines.push(`  biggest: ${s.topContributors.slice(0, 5).map((c) => `${c.name} ${formatBytes(c.bytes)} (${formatPercent(c.share)})`).join(', ')}`);
    }
    for (const f of s.findings) {
      lines.push(`  ${f.severity}: ${f.message}`);
      lines.push(`    fix: ${f.fix}`);
    }
    if (lines.length === 0) continue;
    io.out(`\n${s.logicalId} (${relative(cwd, s.templatePath) || s.templatePath})`);
    io.out(lines.join('\n'));
  }
}
