import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CancellationTokenLike, NEVER_CANCELLED, throwIfCancelled } from '../cancel';
import { functionKey } from '../model/key';
import type { FunctionSpec, LayerSpec } from '../model/types';
import { lambdaLayerResolver } from '../size/layers';
import { awsCall, type DeployContext } from './context';
import { planFunction } from './functionPlan';
import { planLayer } from './layerPlan';
import { layerNameOf } from './names';
import { mapBounded } from './pool';
import { bucketExists } from './s3Staging';
import type { DeployPlan, LayerPlan, ProgressListener } from './types';

export interface PlanInput {
  functions: FunctionSpec[];
  /** Layers to publish on their own (besides those the functions use). */
  layers?: LayerSpec[];
}

export interface PlanHooks {
  onProgress?: ProgressListener;
  token?: CancellationTokenLike;
}

/** The template layers to plan: those given plus those the functions reference, each once. */
function layersToPlan(input: PlanInput): LayerSpec[] {
  const byName = new Map<string, LayerSpec>();
  const add = (l: LayerSpec): void => {
    const named = layerNameOf(l);
    const key = named.ok ? named.name : functionKey(l);
    if (!byName.has(key)) byName.set(key, l);
  };
  for (const l of input.layers ?? []) add(l);
  for (const fn of input.functions) for (const ref of fn.layers) if (ref.kind === 'local') add(ref.layer);
  return [...byName.values()];
}

/**
 * Works out what a deploy will do without changing anything in AWS: packages every function
 * and layer (building images), reads what is deployed, and decides per function whether it is
 * created, updated, unchanged or refused, how many bytes go up and by which route. Show it,
 * then pass it to executeDeploy. Dispose of it when done to remove the packages.
 */
export async function planDeploy(ctx: DeployContext, input: PlanInput, hooks: PlanHooks = {}): Promise<DeployPlan> {
  const token = hooks.token ?? NEVER_CANCELLED;
  const outDir = await mkdtemp(join(tmpdir(), 'lwb-deploy-'));
  const dispose = (): Promise<void> => rm(outDir, { recursive: true, force: true });
  try {
    const limit = ctx.options.concurrency ?? 3;
    const layerPlans = await mapBounded(layersToPlan(input), limit, (l) => {
      throwIfCancelled(token, 'the deploy plan');
      return planLayer(ctx, l, outDir, token, hooks.onProgress);
    });
    const byName = new Map<string, LayerPlan>(layerPlans.map((p) => [p.layerName, p]));
    const layerSizes = lambdaLayerResolver(ctx.lambda);
    const functions = await mapBounded(input.functions, limit, (fn) => {
      throwIfCancelled(token, 'the deploy plan');
      return planFunction(ctx, fn, { layers: byName, layerSizes, outDir, token, onProgress: hooks.onProgress });
    });

    // A layer only refused functions need is not published: a refused deploy uploads nothing.
    const standalone = new Set((input.layers ?? []).map((l) => layerNameOf(l)).flatMap((n) => (n.ok ? [n.name] : [])));
    for (const layer of layerPlans) {
      if (layer.action !== 'publish' || standalone.has(layer.layerName)) continue;
      const users = functions.filter((f) => f.layers.some((r) => r.kind === 'local' && r.layerName === layer.layerName));
      if (users.length > 0 && users.every((f) => f.action === 'refused')) {
        Object.assign(layer, { action: 'refused', uploadBytes: 0, reason: `Not published: every function that uses it (${users.map((f) => f.functionName).join(', ')}) was refused.` });
      }
    }

    const confirmations: string[] = [];
    const roles = new Set(functions.flatMap((f) => (f.action !== 'refused' && f.role?.kind === 'create' ? [f.role.roleName] : [])));
    for (const role of roles) {
      const users = functions.filter((f) => f.role?.kind === 'create' && f.action !== 'refused').map((f) => f.functionName);
      confirmations.push(`Create IAM role ${role} (AWSLambdaBasicExecutionRole: CloudWatch Logs only) for ${users.join(', ')}`);
    }
    const bucket = ctx.options.s3Bucket;
    const staged = functions.some((f) => f.via === 's3' && f.action !== 'refused') || layerPlans.some((l) => l.via === 's3' && l.action === 'publish');
    if (bucket && staged && !(await awsCall(ctx, `checking S3 bucket ${bucket}`, async () => bucketExists(ctx.s3, { bucket, owner: await ctx.account?.() })))) {
      confirmations.push(`Create S3 bucket ${bucket} in ${ctx.region} to stage uploads over the direct-upload limit`);
    }
    const totalUploadBytes =
      functions.reduce((n, f) => n + (f.action === 'refused' ? 0 : f.uploadBytes), 0) + layerPlans.reduce((n, l) => n + (l.action === 'publish' ? l.uploadBytes : 0), 0);
    return { region: ctx.region, functions, layers: layerPlans, confirmations, totalUploadBytes, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
