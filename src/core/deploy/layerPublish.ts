import { readFile } from 'node:fs/promises';
import type { Architecture as LambdaArchitecture, Runtime } from '@aws-sdk/client-lambda';
import { type CancellationTokenLike, NEVER_CANCELLED } from '../cancel';
import { ensureWritten } from './artifact';
import { awsCall, type DeployContext } from './context';
import { layerDescription } from './layerPlan';
import { type StagingBucket, stageZip, stagingKey } from './s3Staging';
import { StepRunner } from './steps';
import type { LayerPlan, LayerResult, ProgressListener, StepName } from './types';

export interface PublishHooks {
  onProgress?: ProgressListener;
  token?: CancellationTokenLike;
  /** Makes sure the staging bucket exists (creating it after confirmation); shared by all uploads. */
  ensureBucket: () => Promise<StagingBucket>;
}

function result(plan: LayerPlan, patch: Partial<LayerResult>): LayerResult {
  return {
    logicalId: plan.logicalId,
    layerName: plan.layerName,
    action: 'refused',
    arn: null,
    version: null,
    codeSize: plan.bytes,
    codeSha256: plan.codeSha256,
    uploadedBytes: 0,
    reason: plan.reason,
    ...(plan.code ? { code: plan.code } : {}),
    ...patch,
  };
}

/** Publishes a planned layer version (or reports the unchanged one); never throws. */
export async function executeLayerPlan(ctx: DeployContext, plan: LayerPlan, hooks: PublishHooks): Promise<LayerResult> {
  if (plan.action === 'refused') return result(plan, {});
  if (plan.action === 'unchanged' && plan.current) {
    return result(plan, { action: 'unchanged', arn: plan.current.arn, version: plan.current.version, codeSize: plan.current.codeSize ?? plan.bytes, reason: null });
  }
  const artifact = plan.artifact;
  if (!artifact) return result(plan, { action: 'failed', reason: `Layer ${plan.layerName} was planned without its package.` });
  const target = { kind: 'layer' as const, logicalId: plan.logicalId, name: plan.layerName };
  const steps: StepName[] = plan.via === 's3' ? ['stage to S3', 'publish layer'] : ['publish layer'];
  const runner = new StepRunner(target, steps, hooks.onProgress, hooks.token);
  let uploaded = 0;
  try {
    let content: { ZipFile: Uint8Array } | { S3Bucket: string; S3Key: string };
    if (plan.via === 's3') {
      const staging = await hooks.ensureBucket();
      const bucket = staging.bucket;
      const key = stagingKey('layer', plan.layerName, artifact);
      uploaded += await runner.run(
        'stage to S3',
        async (report) => {
          await ensureWritten(artifact, hooks.token ?? NEVER_CANCELLED);
          return awsCall(ctx, `uploading layer ${plan.layerName} to s3://${bucket}/${key}`, () => stageZip(ctx.s3, staging, key, artifact, (n) => report(n, artifact.bytes), hooks.token));
        },
        (sent) => (sent ? `zip staged at s3://${bucket}/${key}` : undefined),
      );
      content = { S3Bucket: bucket, S3Key: key };
    } else {
      await ensureWritten(artifact, hooks.token ?? NEVER_CANCELLED);
      content = { ZipFile: await readFile(artifact.path) };
      uploaded += artifact.bytes;
    }
    const { PublishLayerVersionCommand } = await import('@aws-sdk/client-lambda');
    const out = await runner.run(
      'publish layer',
      () =>
        awsCall(ctx, `publishing layer ${plan.layerName}`, () =>
          ctx.lambda.send(
            new PublishLayerVersionCommand({
              LayerName: plan.layerName,
              Description: layerDescription(artifact.codeSha256),
              Content: content,
              ...(plan.compatibleRuntimes.length ? { CompatibleRuntimes: plan.compatibleRuntimes as Runtime[] } : {}),
              ...(plan.compatibleArchitectures.length ? { CompatibleArchitectures: plan.compatibleArchitectures as LambdaArchitecture[] } : {}),
            }),
          ),
        ),
      (o) => `layer ${plan.layerName}:${o.Version} published`,
    );
    return result(plan, {
      action: 'published',
      arn: out.LayerVersionArn ?? null,
      version: out.Version ?? null,
      codeSize: out.Content?.CodeSize ?? artifact.bytes,
      codeSha256: out.Content?.CodeSha256 ?? artifact.codeSha256,
      uploadedBytes: uploaded,
      reason: null,
    });
  } catch (err) {
    const f = runner.failure(err);
    return result(plan, { action: f.cancelled ? 'cancelled' : 'failed', reason: f.reason, error: f.error, uploadedBytes: 0 });
  }
}
