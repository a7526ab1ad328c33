import { join } from 'node:path';
import { cancellationSource, type CancellationTokenLike } from '../../core/cancel';
import { describeError } from '../../core/errors';
import { defaultCacheDir } from '../../core/local/cacheDir';
import { loadTemplate } from '../../core/model';
import type { FunctionSpec } from '../../core/model/types';
import { lambdaLayerResolver, type LayerSizeResolver, SizeEngine } from '../../core/size';
import { type Io, UsageError } from '../io';
import { type CommonOptions, type OptionSpec, type OptionValues, templatePaths } from '../options';

/** AWS options `size` accepts: only used to look up layers given by ARN (each in its ARN's region). */
export const SIZE_AWS_OPTIONS = {
  profile: { type: 'string' },
  'endpoint-url': { type: 'string' },
} as const satisfies OptionSpec;

/**
 * The functions the command works on: all of the selected templates' functions, or the ones named
 * (in the order named). Template errors go to stderr; an unknown name is a usage error.
 */
export async function selectFunctions(common: CommonOptions, ids: readonly string[], io: Io): Promise<FunctionSpec[]> {
  const paths = await templatePaths(common);
  if (paths.length === 0) throw new UsageError(`no template.yaml or template.yml under ${common.root}; pass --template`);
  const models = await Promise.all(paths.map((p) => loadTemplate(p)));
  for (const m of models) {
    for (const p of m.problems.filter((x) => x.severity === 'error')) io.err(`${m.path}:${p.range.start.line + 1}:${p.range.start.column + 1}: ${p.message}`);
  }
  const all = models.flatMap((m) => m.functions);
  if (ids.length === 0) return all;
  return ids.map((id) => {
    const found = all.filter((f) => f.logicalId === id);
    if (found.length === 0) {
      throw new UsageError(`no function '${id}' in ${paths.join(', ')}${all.length > 0 ? ` (functions: ${all.map((f) => f.logicalId).join(', ')})` : ''}`);
    }
    if (found.length > 1) throw new UsageError(`'${id}' is in several templates (${found.map((f) => f.templatePath).join(', ')}); choose one with --template`);
    return found[0];
  });
}

/** The engine for one CLI call: the shared cache folder, and AWS lookups only if a layer needs one. */
export function openSizeEngine(values: OptionValues, functions: readonly FunctionSpec[]): { engine: SizeEngine; token: CancellationTokenLike; close(): Promise<void> } {
  const needsAws = functions.some((f) => f.layers.some((l) => l.kind === 'arn'));
  const aws = needsAws ? awsLayerResolver(values) : undefined;
  const engine = new SizeEngine({ cacheDir: join(defaultCacheDir(), 'size'), layerResolver: aws });
  const source = cancellationSource();
  const onSigint = (): void => source.cancel();
  process.once('SIGINT', onSigint);
  return {
    engine,
    token: source.token,
    async close() {
      process.off('SIGINT', onSigint);
      aws?.close();
      await engine.dispose();
    },
  };
}

/**
 * Looks layers up in their own region (from the ARN) with the selected profile. Without usable
 * credentials a layer's size is unknown, with the reason: never a silent 0.
 */
function awsLayerResolver(values: OptionValues): LayerSizeResolver & { close(): void } {
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const byRegion = new Map<string, Promise<{ resolver?: LayerSizeResolver; why?: string; close(): void }>>();
  const open = async (region: string) => {
    const { createAwsSession } = await import('../../core/deploy/session');
    const session = await createAwsSession({ profile: str('profile'), region, endpointUrl: str('endpoint-url') });
    try {
      await session.checkCredentials();
    } catch (err) {
      session.destroy();
      return { why: `no usable AWS credentials (${describeError(err)})`, close: () => undefined };
    }
    return { resolver: lambdaLayerResolver(session.lambda), close: () => session.destroy() };
  };
  return {
    async resolve(arn, token) {
      const region = arn.split(':')[3] ?? '';
      let entry = byRegion.get(region);
      if (!entry) {
        entry = open(region);
        byRegion.set(region, entry);
      }
      const { resolver, why } = await entry;
      return resolver ? resolver.resolve(arn, token) : { unzippedBytes: null, zippedBytes: null, detail: why ?? 'no AWS access' };
    },
    close() {
      for (const e of byRegion.values()) void e.then((x) => x.close(), () => undefined);
    },
  };
}
