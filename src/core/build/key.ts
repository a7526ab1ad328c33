import { join } from 'node:path';
import { nameMatcher } from './excludes';
import { digest, fileDigest, sourceFingerprint } from './fingerprint';
import type { Builder, BuildSettings, BuildUnit } from './types';

/** Bumped when a builder starts producing something else from the same inputs, so old artifacts rebuild. */
export const BUILD_FORMAT = 1;

/**
 * The identity of a build: everything its artifact is made from. Manifests and lock files count
 * by content, the sources by their fingerprint (paths, sizes, times), and the target (runtime,
 * architecture), the builder and the options it reads by value. Equal keys, equal artifacts.
 */
export async function buildKey(builder: Builder, unit: BuildUnit, settings: BuildSettings, extra?: Record<string, unknown>): Promise<string> {
  const [sources, manifests, inputs] = await Promise.all([
    sourceFingerprint(unit.codeDir, nameMatcher(builder.excludes)),
    Promise.all(builder.manifests.map(async (m) => [m, await fileDigest(join(unit.codeDir, m))] as const)),
    builder.inputs?.(unit),
  ]);
  return digest({
    format: BUILD_FORMAT,
    builder: builder.id,
    logicalId: unit.logicalId,
    runtime: unit.runtime ?? null,
    architecture: unit.architecture,
    handler: unit.handler ?? null,
    method: unit.method ?? null,
    options: builder.options(unit, settings) ?? null,
    env: settings.env ?? null,
    manifests,
    inputs: inputs ?? null,
    sources,
    ...(extra ? { extra } : {}),
  });
}
