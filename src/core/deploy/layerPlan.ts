import type { LayerVersionsListItem } from '@aws-sdk/client-lambda';
import { isBuilt } from '../build/choose';
import { type CancellationTokenLike, throwIfCancelled } from '../cancel';
import { describeError } from '../errors';
import type { LayerSpec } from '../model/types';
import { needsBucketRefusal, uploadRoute } from './budget';
import { awsCall, type DeployContext } from './context';
import { listLayerVersions } from './listing';
import { layerNameOf } from './names';
import { codeOf } from './planBase';
import { BUCKET_NOT_SET, type LayerPlan, type LambdaSend, type ProgressListener, REFUSED_BY_TEMPLATE } from './types';

/** Marks a layer version with its content hash, so an unchanged layer is not published again. */
export const LAYER_HASH_PREFIX = 'lwb:sha256=';

export function layerDescription(codeSha256: string): string {
  return `${LAYER_HASH_PREFIX}${codeSha256}`;
}

export function hashFromDescription(description: string | undefined): string | undefined {
  const m = /lwb:sha256=([A-Za-z0-9+/=]{44})/.exec(description ?? '');
  return m?.[1];
}

/** The newest version (highest number) of a layer, or undefined when it has none. */
export async function latestLayerVersion(lambda: LambdaSend, layerName: string): Promise<LayerVersionsListItem | undefined> {
  let latest: LayerVersionsListItem | undefined;
  try {
    for await (const v of listLayerVersions(lambda, layerName)) {
      if ((v.Version ?? 0) > (latest?.Version ?? 0)) latest = v;
    }
  } catch (err) {
    if ((err as Error).name === 'ResourceNotFoundException') return undefined;
    throw err;
  }
  return latest;
}

/** The content hash of a published version: our marker, else Lambda's CodeSha256 of its zip. */
async function publishedHash(lambda: LambdaSend, layerName: string, v: LayerVersionsListItem): Promise<{ sha: string | undefined; size: number | null }> {
  const marked = hashFromDescription(v.Description);
  const { GetLayerVersionCommand } = await import('@aws-sdk/client-lambda');
  const out = await lambda.send(new GetLayerVersionCommand({ LayerName: layerName, VersionNumber: v.Version }));
  return { sha: marked ?? out.Content?.CodeSha256, size: out.Content?.CodeSize ?? null };
}

function refused(layer: LayerSpec, layerName: string, reason: string, code?: string): LayerPlan {
  return {
    logicalId: layer.logicalId,
    layerName,
    templatePath: layer.templatePath,
    action: 'refused',
    reason,
    ...(code ? { code } : {}),
    codeSha256: null,
    uploadBytes: 0,
    bytes: null,
    unzippedBytes: null,
    via: null,
    current: null,
    compatibleRuntimes: layer.compatibleRuntimes,
    compatibleArchitectures: layer.compatibleArchitectures,
  };
}

/** Packages a layer and decides whether it needs publishing (its hash differs from the latest version's). */
export async function planLayer(ctx: DeployContext, layer: LayerSpec, outDir: string, token: CancellationTokenLike, onProgress?: ProgressListener): Promise<LayerPlan> {
  const named = layerNameOf(layer);
  if (!named.ok) return refused(layer, layer.logicalId, named.reason, REFUSED_BY_TEMPLATE);
  const layerName = named.name;
  if (!layer.contentUri) {
    return refused(
      layer,
      layerName,
      `Layer ${layer.logicalId} has no local ContentUri folder${layer.s3Content ? ' (its content is in S3)' : ''}: only layers built from a local folder can be published here.`,
      REFUSED_BY_TEMPLATE,
    );
  }
  const target = { kind: 'layer' as const, logicalId: layer.logicalId, name: layerName };
  if (ctx.builds && isBuilt(layer)) {
    // A layer with a BuildMethod goes up as its artifact: built now when it is missing or out of date.
    onProgress?.({ target, step: 'build', phase: 'start' });
    try {
      const built = await ctx.builds.build(layer, { token });
      onProgress?.({ target, step: 'build', phase: 'done', message: built.cached ? 'up to date' : `built in ${built.durationMs} ms` });
    } catch (err) {
      throwIfCancelled(token, `planning layer ${layerName}`);
      return refused(layer, layerName, `Building layer ${layer.logicalId} failed: ${describeError(err)}`, codeOf(err));
    }
  }
  onProgress?.({ target, step: 'package', phase: 'start' });
  let artifact;
  try {
    artifact = await ctx.packager.packageLayer(layer, outDir, token);
  } catch (err) {
    return refused(layer, layerName, `Packaging layer ${layer.logicalId} failed: ${describeError(err)}`, codeOf(err));
  }
  onProgress?.({ target, step: 'package', phase: 'done', bytes: artifact.bytes });

  onProgress?.({ target, step: 'read deployed state', phase: 'start' });
  const latest = await awsCall(ctx, `reading the versions of layer ${layerName}`, () => latestLayerVersion(ctx.lambda, layerName));
  const published = latest ? await awsCall(ctx, `reading layer ${layerName}:${latest.Version}`, () => publishedHash(ctx.lambda, layerName, latest)) : undefined;
  onProgress?.({ target, step: 'read deployed state', phase: 'done' });

  const base = { ...refused(layer, layerName, ''), reason: null, codeSha256: artifact.codeSha256, bytes: artifact.bytes, unzippedBytes: artifact.unzippedBytes, artifact };
  if (latest?.LayerVersionArn && latest.Version && published?.sha === artifact.codeSha256) {
    return { ...base, action: 'unchanged', current: { arn: latest.LayerVersionArn, version: latest.Version, codeSize: published.size } };
  }
  const via = uploadRoute(artifact.bytes);
  if (via === 's3' && !ctx.options.s3Bucket) return { ...base, action: 'refused', reason: needsBucketRefusal(`layer ${layerName}`, artifact.bytes, ctx.options.sources), code: BUCKET_NOT_SET };
  return { ...base, action: 'publish', uploadBytes: artifact.bytes, via };
}
