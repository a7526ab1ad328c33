import type { Buildable, BuildEngine } from '../../core/build';
import type { CancellationTokenLike } from '../../core/cancel';
import type { FunctionSpec, TemplateModel } from '../../core/model/types';
import type { SizeEngine } from '../../core/size';
import { BUILD_ARG_OPTIONS, openCliCore, settingsFromFlags } from '../core';
import { type Io, UsageError } from '../io';
import { type CommonOptions, type OptionSpec, type OptionValues, loadTemplates } from '../options';

/** AWS options `size` accepts: only used to look up layers given by ARN (each in its ARN's region). */
export const SIZE_AWS_OPTIONS = {
  profile: { type: 'string' },
  'endpoint-url': { type: 'string' },
  ...BUILD_ARG_OPTIONS,
} as const satisfies OptionSpec;

/**
 * The functions the command works on: all of the selected templates' functions, or the ones named
 * (in the order named). Template errors go to stderr; an unknown name is a usage error.
 */
export async function selectFunctions(common: CommonOptions, ids: readonly string[], io: Io): Promise<FunctionSpec[]> {
  const { models, paths } = await loadSelected(common, io);
  return pick(models.flatMap((m) => m.functions), ids, paths, 'function');
}

/**
 * What `build` works on: every function and every layer with a BuildMethod (as `sam build`
 * builds them), or the ones named, functions or layers.
 */
export async function selectBuildables(common: CommonOptions, ids: readonly string[], io: Io): Promise<Buildable[]> {
  const { models, paths } = await loadSelected(common, io);
  const all: Buildable[] = models.flatMap((m) => [...m.functions, ...m.layers.filter((l) => l.build)]);
  if (ids.length === 0) return all;
  return pick<Buildable>([...models.flatMap((m) => [...m.functions, ...m.layers])], ids, paths, 'function or layer');
}

async function loadSelected(common: CommonOptions, io: Io): Promise<{ models: TemplateModel[]; paths: string[] }> {
  const models = await loadTemplates(common, io);
  const paths = models.map((m) => m.path);
  if (paths.length === 0) throw new UsageError(`no template.yaml or template.yml under ${common.root}; pass --template`);
  return { models, paths };
}

/** The named ones, in the order named; all of them when none is named. */
function pick<T extends { logicalId: string; templatePath: string }>(all: T[], ids: readonly string[], paths: readonly string[], what: string): T[] {
  if (ids.length === 0) return all;
  return ids.map((id) => {
    const found = all.filter((f) => f.logicalId === id);
    if (found.length === 0) {
      throw new UsageError(`no ${what} '${id}' in ${paths.join(', ')}${all.length > 0 ? ` (${what === 'function' ? 'functions' : 'names'}: ${all.map((f) => f.logicalId).join(', ')})` : ''}`);
    }
    if (found.length > 1) throw new UsageError(`'${id}' is in several templates (${found.map((f) => f.templatePath).join(', ')}); choose one with --template`);
    return found[0];
  });
}

/**
 * The engine for one CLI call: the shared cache folder, and layers given by ARN looked up in their
 * own region with --profile (AWS is only opened if a layer needs it). Without usable credentials
 * a layer's size is unknown, with the reason: never a silent 0.
 */
export async function openSizeEngine(values: OptionValues, io?: Pick<Io, 'err'>): Promise<{ engine: SizeEngine; builds: BuildEngine; token: CancellationTokenLike; close(): Promise<void> }> {
  const { core, token, close } = openCliCore(settingsFromFlags(values), undefined, io);
  try {
    const [engine, builds] = await Promise.all([core.sizeEngine(), core.buildEngine()]);
    return { engine, builds, token, close };
  } catch (err) {
    await close();
    throw err;
  }
}
