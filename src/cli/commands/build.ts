import { join, relative } from 'node:path';
import { BuildEngine, type BuildSettings, type FunctionBuild } from '../../core/build';
import { cancellationSource } from '../../core/cancel';
import { defaultCacheDir } from '../../core/local/cacheDir';
import type { Io } from '../io';
import { type OptionValues, parseOptions } from '../options';
import { formatTable } from '../table';
import { selectFunctions } from './sizeSetup';

export const BUILD_USAGE = `Usage: lambda-workbench build [LOGICAL_ID...] [options]

Builds each function the way Lambda will run it, as \`sam build\` does: dependencies installed
for Lambda's platform (pip wheels for the function's Python version and architecture, npm
production dependencies for Linux), Go compiled to a Linux bootstrap, Java built by Maven,
Makefile targets run.
Artifacts go to .lambda-workbench/build/<LogicalId> next to the template; a function whose
inputs have not changed since its last build is not built again. Build output goes to stderr.
Exit 0 when every build succeeded, 1 when any failed, 2 for usage errors.

Options:
  --force                build even what is up to date
  --pip-arg ARG          an extra argument for pip install (repeatable; an argument that starts
                         with a dash goes after '=': --pip-arg=--index-url=URL)
  --npm-arg ARG          an extra argument for npm ci / npm install (repeatable)
  --maven-arg ARG        an extra argument for each mvn run (repeatable)
  --template PATH        a SAM template (repeatable; default: discover under --root)
  --root DIR             where to discover templates (default: the current directory)
  --json                 machine output on stdout`;

const BUILD_OPTIONS = {
  force: { type: 'boolean' },
  'pip-arg': { type: 'string', multiple: true },
  'npm-arg': { type: 'string', multiple: true },
  'maven-arg': { type: 'string', multiple: true },
} as const;

/** `build [LOGICAL_ID...]`: builds what is out of date; exit 1 when any build failed. */
export async function buildCommand(args: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const { common, values, positionals } = parseOptions(args, BUILD_OPTIONS, { positionals: true, cwd });
  const functions = await selectFunctions(common, positionals, io);
  const engine = new BuildEngine({ cacheDir: join(defaultCacheDir(), 'build'), settings: buildSettings(values) });
  const source = cancellationSource();
  const onSigint = (): void => source.cancel();
  process.once('SIGINT', onSigint);
  let builds: FunctionBuild[];
  try {
    builds = await engine.buildAll(functions, { token: source.token, force: values.force === true, onLog: (line) => io.err(line) });
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (common.json) io.out(JSON.stringify({ functions: builds.map(buildJson) }, null, 2));
  else printHuman(builds, io, cwd);
  for (const b of builds.filter((x) => x.status === 'failed')) io.err(`lambda-workbench build: ${b.reason ?? 'failed'}${b.hint ? `\n${b.hint}` : ''}`);
  return builds.some((b) => b.status === 'failed') ? 1 : 0;
}

function buildSettings(values: OptionValues): BuildSettings {
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return { pipArgs: list(values['pip-arg']), npmArgs: list(values['npm-arg']), mavenArgs: list(values['maven-arg']) };
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
    b.logicalId,
    b.builder,
    b.status,
    b.status === 'skipped' ? '-' : formatDuration(b.durationMs),
    b.status === 'skipped' ? (b.reason ?? '') : b.artifactDir ? relative(cwd, b.artifactDir) || '.' : '-',
  ]);
  io.out(formatTable(['FUNCTION', 'BUILDER', 'STATUS', 'TIME', 'ARTIFACT'], rows));
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
