import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CancellationTokenLike } from '../../core/cancel';
import { UserError } from '../../core/errors';
import type { LocalRunner, LocalRunnerOptions, NetworkMode } from '../../core/local';
import { loadTemplate } from '../../core/model';
import type { FunctionSpec } from '../../core/model/types';
import { BUILD_ARG_OPTIONS, openCliCore, settingsFromFlags } from '../core';
import { type Io, UsageError } from '../io';
import { type CommonOptions, type OptionSpec, type OptionValues, templatePaths } from '../options';

/** Options `invoke` and `bench` share: where to run and what the container gets. */
export const LOCAL_OPTIONS = {
  image: { type: 'string' },
  'env-file': { type: 'string' },
  'docker-host': { type: 'string' },
  'runtime-api-address': { type: 'string' },
  network: { type: 'string' },
  label: { type: 'string', multiple: true },
  'pass-credentials': { type: 'boolean' },
  profile: { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  ...BUILD_ARG_OPTIONS,
} as const satisfies OptionSpec;

/** The function named on the command line, from the templates the common options select. */
export async function findFunction(common: CommonOptions, logicalId: string | undefined): Promise<FunctionSpec> {
  if (!logicalId) throw new UsageError('name the function to run: its logical id in the template');
  const models = await Promise.all((await templatePaths(common)).map((p) => loadTemplate(p)));
  if (models.length === 0) throw new UsageError(`no template.yaml or template.yml under ${common.root}; pass --template`);
  const found = models.flatMap((m) => m.functions.filter((f) => f.logicalId === logicalId));
  if (found.length === 0) {
    const known = models.flatMap((m) => m.functions.map((f) => f.logicalId));
    throw new UsageError(`no function '${logicalId}' in ${models.map((m) => m.path).join(', ')}${known.length ? ` (functions: ${known.join(', ')})` : ''}`);
  }
  if (found.length > 1) throw new UsageError(`'${logicalId}' is in several templates (${found.map((f) => f.templatePath).join(', ')}); choose one with --template`);
  return found[0];
}

/** The event: a JSON file, '-' for stdin, or {} when none is given. */
export function readEvent(path: string | undefined, cwd: string, stdin: () => string = () => readFileSync(0, 'utf8')): string {
  if (path === undefined) return '{}';
  let text: string;
  try {
    text = path === '-' ? stdin() : readFileSync(resolve(cwd, path), 'utf8');
  } catch (err) {
    throw new UserError(`Cannot read the event ${path}: ${(err as Error).message}`, 'Pass a JSON file with --event FILE, or --event - to read it from stdin.', 'event-file');
  }
  try {
    JSON.parse(text);
  } catch (err) {
    throw new UserError(`The event ${path === '-' ? 'on stdin' : path} is not JSON: ${(err as Error).message}`, 'Lambda events are JSON documents.', 'event-json');
  }
  return text;
}

function labels(values: OptionValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of (values.label as string[] | undefined) ?? []) {
    const i = l.indexOf('=');
    if (i <= 0) throw new UsageError(`--label wants KEY=VALUE, not '${l}'`);
    out[l.slice(0, i)] = l.slice(i + 1);
  }
  return out;
}

function network(values: OptionValues): NetworkMode | undefined {
  const n = values.network;
  if (n === undefined) return undefined;
  if (n !== 'bridge' && n !== 'host') throw new UsageError(`--network is bridge or host, not '${String(n)}'`);
  return n;
}

/**
 * A runner for one CLI call, and a token that Ctrl-C trips (the first Ctrl-C stops the
 * invocation and removes its container; the CLI then exits normally).
 */
export async function openRunner(
  fn: FunctionSpec | readonly FunctionSpec[],
  values: OptionValues,
  extra: Pick<LocalRunnerOptions, 'cpu' | 'onLog'> = {},
  io?: Pick<Io, 'err'>,
): Promise<{ runner: LocalRunner; token: CancellationTokenLike; close(): Promise<void> }> {
  // --image replaces the image of the function's runtime (of every served function's runtime).
  const images: Record<string, string> = {};
  if (typeof values.image === 'string') {
    if (!Array.isArray(fn) && !(fn as FunctionSpec).runtime) throw new UsageError(`--image replaces a runtime's image, and ${(fn as FunctionSpec).logicalId} has no Runtime`);
    for (const f of Array.isArray(fn) ? fn : [fn]) if (f.runtime) images[f.runtime] = values.image;
  }
  const { core, token, close } = openCliCore(settingsFromFlags(values, images), { network: network(values), labels: labels(values), ...extra }, io);
  try {
    return { runner: (await core.runner()).runner, token, close };
  } catch (err) {
    await close();
    throw err;
  }
}
