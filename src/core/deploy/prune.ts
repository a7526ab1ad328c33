import { type CancellationTokenLike, throwIfCancelled } from '../cancel';
import { UserError } from '../errors';
import { CLI_SOURCES } from '../sources';
import { type AwsErrorContext, toUserError } from './awsErrors';
import { hashFromDescription } from './layerPlan';
import { collect, listFunctions, listLayerVersions } from './listing';
import type { LambdaSend, ProgressListener } from './types';

export interface PruneEntry {
  name: string;
  arn: string;
  version: number;
  codeSha256: string | null;
  action: 'deleted' | 'kept';
  /** Why a version was kept. */
  reason: string | null;
}

/**
 * Deletes all but the newest `keep` versions of a layer, except versions still attached to a
 * function (or a published function version) the credentials can list. With `only`, nothing
 * outside that list is deleted: a person confirms what a dry run showed, and a version published
 * or detached since then must not go with it.
 */
export async function pruneLayerVersions(
  ctx: { lambda: LambdaSend; errorContext: AwsErrorContext },
  layerName: string,
  keep: number,
  opts: { dryRun?: boolean; only?: readonly number[]; token?: CancellationTokenLike; onProgress?: ProgressListener } = {},
): Promise<PruneEntry[]> {
  const sources = ctx.errorContext.sources ?? CLI_SOURCES;
  if (!Number.isInteger(keep) || keep < 0) {
    throw new UserError(`The number of versions to keep must be a whole number (0 or more), not ${keep}.`, `Give one (${sources.keepVersions}).`, 'usage');
  }
  const wrap = (what: string) => (err: unknown): never => {
    throw toUserError(err, what, ctx.errorContext);
  };
  const versions = await collect(listLayerVersions(ctx.lambda, layerName)).catch(wrap(`listing the versions of layer ${layerName}`));
  versions.sort((a, b) => (b.Version ?? 0) - (a.Version ?? 0));
  if (versions.length === 0) {
    throw new UserError(`Layer ${layerName} has no versions in this account and region.`, `Check the layer name, the AWS profile (${sources.profile}) and the region (${sources.region}).`, 'layer-not-found');
  }

  // Which versions are in use, and by whom: every function and every published function version.
  const attachedTo = new Map<string, string>();
  try {
    for await (const fn of listFunctions(ctx.lambda, { allVersions: true })) {
      const label = fn.Version && fn.Version !== '$LATEST' ? `${fn.FunctionName}:${fn.Version}` : (fn.FunctionName ?? '?');
      for (const layer of fn.Layers ?? []) if (layer.Arn && !attachedTo.has(layer.Arn)) attachedTo.set(layer.Arn, label);
    }
  } catch (err) {
    wrap('listing functions to find which layer versions are attached')(err);
  }

  const entries: PruneEntry[] = [];
  for (const [i, v] of versions.entries()) {
    const arn = v.LayerVersionArn ?? '';
    const version = v.Version ?? 0;
    const entry: PruneEntry = { name: layerName, arn, version, codeSha256: hashFromDescription(v.Description) ?? null, action: 'kept', reason: null };
    const user = attachedTo.get(arn);
    if (i < keep) entry.reason = `one of the newest ${keep}`;
    else if (user) entry.reason = `attached to function ${user}`;
    else if (opts.only && !opts.only.includes(version)) entry.reason = 'not among the versions confirmed for deletion';
    else {
      throwIfCancelled(opts.token, `pruning layer ${layerName}`);
      const target = { kind: 'layer' as const, logicalId: layerName, name: `${layerName}:${version}` };
      if (!opts.dryRun) {
        opts.onProgress?.({ target, step: 'delete layer version', phase: 'start', message: `deleting ${layerName}:${version}` });
        const { DeleteLayerVersionCommand } = await import('@aws-sdk/client-lambda');
        await ctx.lambda.send(new DeleteLayerVersionCommand({ LayerName: layerName, VersionNumber: version })).catch(wrap(`deleting layer ${layerName}:${version}`));
        opts.onProgress?.({ target, step: 'delete layer version', phase: 'done', message: `deleted ${layerName}:${version}` });
      }
      entry.action = 'deleted';
    }
    entries.push(entry);
  }
  return entries;
}
