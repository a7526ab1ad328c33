import { type CancellationTokenLike, NEVER_CANCELLED } from '../cancel';
import { UserError } from '../errors';
import { CLI_SOURCES } from '../sources';
import type { DeployContext } from './context';
import { ensureRepository, registryLogin } from './ecr';
import { executeFunctionPlan } from './functionExecute';
import { connectImageEngine } from './image';
import { executeLayerPlan } from './layerPublish';
import { mapBounded, once } from './pool';
import { createBasicExecutionRole, findRole } from './role';
import { bucketExists, createBucket, type StagingBucket } from './s3Staging';
import { BUCKET_NOT_SET, type DeployPlan, type DeployResult, type ProgressListener } from './types';

export interface ExecuteHooks {
  onProgress?: ProgressListener;
  /** Checked between steps: a cancelled deploy stops before its next step and says what it left. */
  token?: CancellationTokenLike;
  /**
   * Asked before the deploy creates an IAM role or an S3 bucket (the extension shows a dialog,
   * the CLI answers with --yes). Without it nothing is created.
   */
  confirm?: (question: string) => Promise<boolean>;
}

/**
 * Carries out a plan: template layers first (each published once, however many functions use
 * it), then the functions, a few at a time. Every step is idempotent, so running the same deploy
 * again after a failure or a cancel completes it. Never throws for a failed function: each result
 * says what happened.
 */
export async function executeDeploy(ctx: DeployContext, plan: DeployPlan, hooks: ExecuteHooks = {}): Promise<DeployResult> {
  const token = hooks.token ?? NEVER_CANCELLED;
  const confirm = hooks.confirm ?? (async () => false);
  const limit = ctx.options.concurrency ?? 3;
  const sources = ctx.options.sources ?? CLI_SOURCES;

  const ensureBucket = once(async (): Promise<StagingBucket> => {
    const name = ctx.options.s3Bucket;
    if (!name) throw new UserError('No S3 staging bucket is set.', `Set one (${sources.s3Bucket}).`, BUCKET_NOT_SET);
    const owner = await ctx.account?.();
    const bucket: StagingBucket = { bucket: name, ...(owner ? { owner } : {}) };
    if (await bucketExists(ctx.s3, bucket)) return bucket;
    if (!(await confirm(`Create S3 bucket ${name} in ${ctx.region} to stage uploads over the direct-upload limit?`))) {
      throw new UserError(`S3 bucket ${name} does not exist and was not created.`, `Create it, or agree to its creation (${sources.confirm}).`, 'bucket-missing');
    }
    await createBucket(ctx.s3, bucket, ctx.region);
    return bucket;
  });
  const roles = new Map<string, Promise<string>>();
  const ensureRole = (roleName: string): Promise<string> => {
    let p = roles.get(roleName);
    if (!p) {
      p = (async () => {
        const existing = await findRole(ctx.iam, roleName);
        if (existing) return existing;
        if (!(await confirm(`Create IAM role ${roleName} (AWSLambdaBasicExecutionRole: CloudWatch Logs only) for the new functions?`))) {
          throw new UserError(
            `The new function has no role, and IAM role ${roleName} was not created.`,
            `Set Role to a role ARN in the template${sources.role ? `, give one (${sources.role})` : ''}, or agree to the role's creation (${sources.confirm}).`,
            'role-missing',
          );
        }
        return createBasicExecutionRole(ctx.iam, roleName);
      })();
      roles.set(roleName, p);
    }
    return p;
  };
  const repositories = new Map<string, Promise<string>>();
  const ensureRepo = (name: string): Promise<string> => {
    let p = repositories.get(name);
    if (!p) {
      p = ensureRepository(ctx.ecr, name).then((r) => r.uri);
      repositories.set(name, p);
    }
    return p;
  };
  const registryAuth = once(() => registryLogin(ctx.ecr));
  const imageEngine = once(ctx.imageEngine ?? (() => connectImageEngine()));

  const layers = await mapBounded(plan.layers, limit, (l) => executeLayerPlan(ctx, l, { onProgress: hooks.onProgress, token, ensureBucket }));
  const byName = new Map(layers.map((l) => [l.layerName, l]));
  const functions = await mapBounded(plan.functions, limit, (f) =>
    executeFunctionPlan(ctx, f, {
      layers: byName,
      ensureRole,
      ensureBucket,
      ensureRepository: ensureRepo,
      registryAuth,
      imageEngine,
      onProgress: hooks.onProgress,
      token,
    }),
  );
  const ok =
    functions.every((f) => f.action === 'created' || f.action === 'updated' || f.action === 'unchanged') &&
    layers.every((l) => l.action === 'published' || l.action === 'unchanged');
  return { functions, layers, ok };
}
