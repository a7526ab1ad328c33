import { relative } from 'node:path';
import type { FunctionBuild } from '../../core/build';
import { BUILD_ARG_OPTIONS, BUILD_ARG_USAGE, openCliCore, settingsFromFlags } from '../core';
import type { Io } from '../io';
import { parseOptions } from '../options';
import { formatTable } from '../table';
import { selectBuildables } from './sizeSetup';

export const BUILD_USAGE = `Usage: lambda-workbench build [LOGICAL_ID...] [options]

Builds each function the way Lambda will run it, as \`sam build\` does: dependencies installed
for Lambda's platform (pip wheels for the function's Python version and architecture, npm
production dependencies for Linux), Go compiled to a Linux bootstrap, Java built by Maven,
Makefile targets run. Layers with a Metadata.BuildMethod (python3.x, nodejsN.x, makefile) are
built too, into python/ or nodejs/. Name functions or layers to build only those.
Artifacts go to .lambda-workbench/build/<LogicalId> next to the template; a function whose
inputs have not changed since its last build is not built again. Build output goes to stderr.
Exit 0 when every build succeeded, 1 when any failed, 2 for usage errors.

Options:
  --force                build even what is up to date
${BUILD_ARG_USAGE}
  --template PATH        a SAM template (repeatable; default: discover under --root)
  --root DIR             where to discover templates (default: the current directory)
  --json                 machine output on stdout`;

const BUILD_OPTIONS = {
  force: { type: 'boolean' },
  ...BUILD_ARG_OPTIONS,
} as const;

/** `build [LOGICAL_ID...]`: builds what is out of date; exit 1 when any build failed. */
export async function buildCommand(args: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const { common, values, positionals } = parseOptions(args, BUILD_OPTIONS, { positionals: true, cwd });
  const targets = await selectBuildables(common, positionals, io);
  // The same engine sizes, local runs and deploys use: the same artifacts and dependency cache.
  const { core, token, close } = openCliCore(settingsFromFlags(values), undefined, io);
  let builds: FunctionBuild[];
  try {
    builds = await (await core.buildEngine()).buildAll(targets, { token, force: values.force === true });
  } finally {
    await close();
  }
  if (common.json) {
    const functions = builds.filter((b) => b.kind !== 'layer').map(buildJson);
    const layers = builds.filter((b) => b.kind === 'layer').map(buildJson);
    io.out(JSON.stringify({ functions, layers }, null, 2));
  }
  else printHuman(builds, io, cwd);
  for (const b of builds.filter((x) => x.status === 'failed')) io.err(`lambda-workbench build: ${b.reason ?? 'failed'}${b.hint ? `\n${b.hint}` : ''}`);
  return builds.some((b) => b.status === 'failed') ? 1 : 0;
}

/** The CLI.md fields first (names are a contract), then extras. */
export function buildJson(b: FunctionBuild) {
  return {
    logicalId: b.logicalId,
    builder: b.builder,
    artifactDir: b.artifactDir,
    cached: b.cached,
    durationMs: b.durationMs,
    status: b.status,
    templatePath: b.templatePath,
    reason: b.reason ?? null,
    hint: b.hint ?? null,
  };
}

function printHuman(builds: FunctionBuild[], io: Io, cwd: string): void {
  if (builds.length === 0) {
    io.out('No functions found.');
    return;
  }
  // A skipped function has no artifact: the last column says why instead.
  const rows = builds.map((b) => [
    b.kind === 'layer' ? `${b.logicalId} (layer)` : b.logicalId,
    b.builder,
    b.status,
    b.status === 'skipped' ? '-' : formatDuration(b.durationMs),
    b.status === 'skipped' ? (b.reason ?? '') : b.artifactDir ? relative(cwd, b.artifactDir) || '.' : '-',
  ]);
  io.out(formatTable(['NAME', 'BUILDER', 'STATUS', 'TIME', 'ARTIFACT'], rows));
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
