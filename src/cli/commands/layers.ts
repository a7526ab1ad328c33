import { UserError } from '../../core/errors';
import {
  type AwsErrorContext,
  executeDeploy,
  hashFromDescription,
  type LambdaSend,
  listLayers,
  listLayerVersions,
  planDeploy,
  type PruneEntry,
  pruneLayerVersions,
  toUserError,
} from '../../core/deploy';
import { layerNameOf } from '../../core/deploy/names';
import { mapBounded } from '../../core/deploy/pool';
import type { LayerSpec } from '../../core/model/types';
import { type Io, UsageError } from '../io';
import { type OptionValues, parseOptions } from '../options';
import { formatTable } from '../table';
import { AWS_OPTIONS, findLayer, loadModels, openAwsRun, positiveInt, progressPrinter } from './awsSetup';

export const LAYERS_USAGE = `Usage: lambda-workbench layers list|publish LOGICAL_ID|prune LAYER --keep N [options]

  list                   every layer in the account and region, with its versions
  publish LOGICAL_ID     publish a template layer from its ContentUri folder; nothing is
                         published when the latest version has the same content (its hash
                         is kept in the version's description as lwb:sha256=...)
  prune LAYER --keep N   delete all but the newest N versions of LAYER (a layer name, or a
                         template layer's logical id); versions still attached to a function
                         or function version you can list are kept

Options:
  --profile P, --region R, --endpoint-url URL   as for deploy
  --s3-bucket B          (publish) stage a layer zip over 52,428,800 bytes in this bucket
  --yes                  (publish) allow creating that bucket
  --dry-run              (prune) say what would be deleted, delete nothing
  --json                 machine output on stdout`;

const LAYERS_OPTIONS = {
  ...AWS_OPTIONS,
  keep: { type: 'string' },
  'dry-run': { type: 'boolean' },
  's3-bucket': { type: 'string' },
  yes: { type: 'boolean' },
} as const;

/** One line of `layers` JSON (CLI.md): a layer version and what was done to it. */
export interface LayerEntry {
  name: string;
  arn: string | null;
  version: number | null;
  codeSize: number | null;
  codeSha256: string | null;
  action: 'published' | 'unchanged' | 'deleted' | 'kept' | 'refused' | 'failed' | 'cancelled' | null;
  reason?: string | null;
}

/** `layers list|publish|prune`: layer management, printed as CLI.md describes. */
export async function layersCommand(args: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const { common, values, positionals } = parseOptions(args, LAYERS_OPTIONS, { positionals: true, cwd });
  const [sub, target, ...extra] = positionals;
  if (sub !== 'list' && sub !== 'publish' && sub !== 'prune') throw new UsageError(`layers wants list, publish or prune${sub ? `, not '${sub}'` : ''}`);
  if (extra.length > 0 || (sub === 'list' && target)) throw new UsageError(`too many arguments for 'layers ${sub}'`);
  if (sub !== 'list' && !target) throw new UsageError(sub === 'publish' ? 'name the layer to publish: its logical id in the template' : 'name the layer to prune');
  if (sub === 'prune' && values.keep === undefined) throw new UsageError('prune needs --keep N: how many of the newest versions to keep');
  const keep = sub === 'prune' ? positiveInt(values, 'keep', 1, 0) : 0;

  // Templates matter for publish (and for prune by logical id); list works without any.
  const models = sub === 'list' ? [] : await loadModels(common, io);
  const run = await openAwsRun(values);
  try {
    let entries: LayerEntry[];
    if (sub === 'list') {
      await run.session.checkCredentials();
      entries = await listEntries(run.session.lambda, run.session.errorContext);
    } else if (sub === 'publish') {
      const layer = findLayer(models, target as string);
      if (!layer) throw new UsageError(`no layer '${target}' in the templates${models.length ? ` (layers: ${models.flatMap((m) => m.layers.map((l) => l.logicalId)).join(', ') || 'none'})` : ''}`);
      entries = await publish(run, values, layer, common.json ? undefined : progressPrinter(io));
    } else {
      const layer = findLayer(models, target as string);
      const named = layer ? layerNameOf(layer) : undefined;
      const name = named?.ok ? named.name : (target as string);
      await run.session.checkCredentials();
      const pruned = await pruneLayerVersions(run.session, name, keep, { dryRun: values['dry-run'] === true, token: run.token });
      entries = pruned.map(pruneEntry);
    }
    const failed = entries.some((e) => e.action === 'refused' || e.action === 'failed' || e.action === 'cancelled');
    if (common.json) io.out(JSON.stringify({ layers: entries }, null, 2));
    else print(sub, entries, io, values['dry-run'] === true);
    return failed ? 1 : 0;
  } catch (err) {
    if (err instanceof UserError) {
      io.err(`lambda-workbench layers: ${err.message}${err.hint ? `\n${err.hint}` : ''}`);
      return 1;
    }
    if (err instanceof Error && err.name === 'CancelledError') {
      io.err(`lambda-workbench layers: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await run.close();
  }
}

async function listEntries(lambda: LambdaSend, errorContext: AwsErrorContext): Promise<LayerEntry[]> {
  const { GetLayerVersionCommand } = await import('@aws-sdk/client-lambda');
  try {
    const versions: { name: string; arn: string; version: number; description?: string }[] = [];
    for await (const layer of listLayers(lambda)) {
      const name = layer.LayerName ?? '';
      for await (const v of listLayerVersions(lambda, name)) versions.push({ name, arn: v.LayerVersionArn ?? '', version: v.Version ?? 0, description: v.Description });
    }
    // Sizes are only in GetLayerVersion: a few at a time.
    return await mapBounded(versions, 8, async (v) => {
      const out = await lambda.send(new GetLayerVersionCommand({ LayerName: v.name, VersionNumber: v.version }));
      return {
        name: v.name,
        arn: v.arn,
        version: v.version,
        codeSize: out.Content?.CodeSize ?? null,
        codeSha256: hashFromDescription(v.description) ?? out.Content?.CodeSha256 ?? null,
        action: null,
      };
    });
  } catch (err) {
    throw toUserError(err, 'listing layers', errorContext);
  }
}

async function publish(run: Awaited<ReturnType<typeof openAwsRun>>, values: OptionValues, layer: LayerSpec, onProgress?: ReturnType<typeof progressPrinter>): Promise<LayerEntry[]> {
  const ctx = await run.context(typeof values['s3-bucket'] === 'string' ? { s3Bucket: values['s3-bucket'] } : {});
  const plan = await planDeploy(ctx, { functions: [], layers: [layer] }, { onProgress, token: run.token });
  try {
    const yes = values.yes === true;
    const result = await executeDeploy(ctx, plan, { onProgress, token: run.token, confirm: async () => yes });
    return result.layers.map((l) => ({
      name: l.layerName,
      arn: l.arn,
      version: l.version,
      codeSize: l.codeSize,
      codeSha256: l.codeSha256,
      action: l.action,
      reason: l.reason,
    }));
  } finally {
    await plan.dispose();
  }
}

function pruneEntry(e: PruneEntry): LayerEntry {
  return { name: e.name, arn: e.arn, version: e.version, codeSize: null, codeSha256: e.codeSha256, action: e.action, reason: e.reason };
}

function print(sub: string, entries: LayerEntry[], io: Io, dryRun: boolean): void {
  if (entries.length === 0) {
    io.out(sub === 'list' ? 'No layers in this account and region.' : 'Nothing to do.');
    return;
  }
  const rows = entries.map((e) => [e.name, e.version === null ? '-' : String(e.version), e.codeSize === null ? '-' : `${e.codeSize.toLocaleString('en-US')} B`, e.action ?? '', e.reason ?? '']);
  io.out(formatTable(['LAYER', 'VERSION', 'SIZE', sub === 'list' ? '' : 'ACTION', sub === 'list' ? '' : 'WHY'], rows));
  if (dryRun) io.out('Dry run: nothing was deleted.');
}
