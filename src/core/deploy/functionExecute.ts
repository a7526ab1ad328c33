import { readFile } from 'node:fs/promises';
import type { CreateFunctionRequest, FunctionCode, FunctionConfiguration, Runtime } from '@aws-sdk/client-lambda';
import { type CancellationTokenLike, NEVER_CANCELLED } from '../cancel';
import { UserError } from '../errors';
import { ensureWritten } from './artifact';
import { configChanges, deployedArchitecture, desiredConfig } from './config';
import { awsCall, changeFunction, type DeployContext, retryWhileRolePropagates } from './context';
import { registryHost } from './ecr';
import { type ImageEngine, pushImage, type RegistryAuth } from './image';
import { type StagingBucket, stageZip, stagingKey } from './s3Staging';
import { StepRunner } from './steps';
import type { FunctionPlan, FunctionResult, LayerResult, ProgressListener, StepName } from './types';
import { publishStep } from './versionStep';
import { waitForFunctionReady } from './waiters';

/** Shared, created-once resources an execution hands to each function. */
export interface FunctionExecEnv {
  /** Results of the template layers, by layer name. */
  layers: Map<string, LayerResult>;
  ensureRole(roleName: string): Promise<string>;
  ensureBucket(): Promise<StagingBucket>;
  ensureRepository(name: string): Promise<string>;
  registryAuth(): Promise<RegistryAuth>;
  imageEngine(): Promise<ImageEngine>;
  onProgress?: ProgressListener;
  token?: CancellationTokenLike;
}

function resultOf(plan: FunctionPlan): FunctionResult {
  return {
    logicalId: plan.logicalId,
    functionName: plan.functionName,
    action: plan.action,
    codeSha256: plan.codeSha256,
    codeSize: plan.codeSize,
    uploadedBytes: 0,
    via: null,
    layers: [],
    version: null,
    reason: plan.reason,
    ...(plan.code ? { code: plan.code } : {}),
    done: [],
  };
}

/** The steps this plan will run, for "not done" in a failure message. */
function plannedSteps(plan: FunctionPlan, ctx: DeployContext): StepName[] {
  const steps: StepName[] = [];
  if (!plan.deployed && plan.role?.kind === 'create') steps.push('create role');
  if (plan.via === 's3') steps.push('stage to S3');
  if (plan.via === 'image' && plan.image) steps.push('log in to registry', 'push image');
  if (!plan.deployed) steps.push('create function');
  else {
    if (plan.via) steps.push('update code');
    if (plan.changes.some((c) => c !== 'code' && c !== 'architecture')) steps.push('update configuration');
  }
  if (ctx.options.publishVersion || ctx.options.alias) steps.push('publish version');
  if (ctx.options.alias) steps.push('update alias');
  return steps;
}

/** Carries out one function's plan; never throws: failures are results that name their step. */
export async function executeFunctionPlan(ctx: DeployContext, plan: FunctionPlan, env: FunctionExecEnv): Promise<FunctionResult> {
  const result = resultOf(plan);
  if (plan.action === 'refused' || !plan.spec) return result;
  const spec = plan.spec;
  const name = plan.functionName;

  // Layers were published first; a function whose layer did not make it stays as it is.
  const arns: string[] = [];
  const before: string[] = [];
  for (const ref of plan.layers) {
    if (ref.kind === 'arn') {
      arns.push(ref.arn);
      continue;
    }
    const layer = env.layers.get(ref.layerName);
    if (!layer?.arn || (layer.action !== 'published' && layer.action !== 'unchanged')) {
      const cancelled = layer?.action === 'cancelled';
      return {
        ...result,
        action: cancelled ? 'cancelled' : 'failed',
        reason: `Layer ${ref.layerName} was not published (${layer?.reason ?? 'not planned'}); function ${name} not updated. Run the deploy again to finish.`,
      };
    }
    arns.push(layer.arn);
    if (layer.action === 'published') before.push(`layer ${ref.layerName}:${layer.version} published`);
  }
  result.layers = arns;

  const target = { kind: 'function' as const, logicalId: plan.logicalId, name };
  const runner = new StepRunner(target, plannedSteps(plan, ctx), env.onProgress, env.token, before);
  const lambda = await import('@aws-sdk/client-lambda');
  const deployed = plan.deployed;
  let final: FunctionConfiguration | undefined = deployed;
  // The plan found the published version behind what is deployed: publishing is the change.
  let changed = plan.changes.includes('version');
  try {
    // Code: where Lambda will take it from.
    let code: FunctionCode | undefined;
    if (plan.via === 'direct' && plan.artifact) {
      await ensureWritten(plan.artifact, env.token ?? NEVER_CANCELLED);
      code = { ZipFile: await readFile(plan.artifact.path) };
      result.uploadedBytes = plan.artifact.bytes;
    } else if (plan.via === 's3' && plan.artifact) {
      const artifact = plan.artifact;
      const key = stagingKey('function', name, artifact);
      let bucket = '';
      result.uploadedBytes = await runner.run(
        'stage to S3',
        async (report) => {
          const staging = await env.ensureBucket();
          bucket = staging.bucket;
          await ensureWritten(artifact, env.token ?? NEVER_CANCELLED);
          return awsCall(ctx, `uploading ${name} to s3://${bucket}/${key}`, () =>
            stageZip(ctx.s3, staging, key, artifact, (n) => report(n, artifact.bytes), env.token),
          );
        },
        (sent) => (sent ? `zip staged at s3://${bucket}/${key}` : undefined),
      );
      code = { S3Bucket: bucket, S3Key: key };
    } else if (plan.via === 'image') {
      code = { ImageUri: plan.image ? await pushStep(ctx, plan, runner, env, result) : spec.imageUri };
    }
    result.via = plan.via;

    if (!deployed) {
      let roleArn = '';
      const role = plan.role;
      if (role?.kind === 'create') {
        roleArn = await runner.run('create role', () => env.ensureRole(role.roleName), () => `role ${role.roleName} ready`);
      } else if (role) roleArn = role.arn;
      const config = desiredConfig(spec, arns, roleArn);
      const input: CreateFunctionRequest = {
        FunctionName: name,
        Role: roleArn,
        PackageType: spec.packageType,
        Architectures: [spec.architecture],
        MemorySize: config.MemorySize,
        Timeout: config.Timeout,
        Environment: { Variables: config.Environment },
        ...(config.EphemeralStorage !== undefined ? { EphemeralStorage: { Size: config.EphemeralStorage } } : {}),
        Code: code ?? {},
        ...(spec.packageType === 'Zip' ? { Runtime: config.Runtime as Runtime, Handler: config.Handler, Layers: arns } : {}),
      };
      final = await runner.run(
        'create function',
        async (_report, committed) => {
          const created = await retryWhileRolePropagates(ctx, `creating function ${name}`, () => ctx.lambda.send(new lambda.CreateFunctionCommand(input)), env.token);
          committed(`function ${name} created (CodeSha256 ${created.CodeSha256})`);
          checkStoredCode(name, plan, created.CodeSha256);
          return awsCall(ctx, `waiting for function ${name} to become active`, () => waitForFunctionReady(ctx.lambda, name, env.token, ctx.options.maxWaitSeconds));
        },
        () => `function ${name} created`,
      );
      changed = true;
    } else {
      const archChanged = deployedArchitecture(deployed) !== spec.architecture;
      // A tag that now names another image is updated though its URI reads the same (Lambda resolves it again).
      const sameImage = code?.ImageUri !== undefined && code.ImageUri === plan.deployedImageUri && !archChanged && plan.imageTagDigest === undefined;
      if (code && !sameImage) {
        final = await runner.run(
          'update code',
          async (_report, committed) => {
            const updated = await changeFunction(
              ctx,
              name,
              `updating the code of ${name}`,
              () => ctx.lambda.send(new lambda.UpdateFunctionCodeCommand({ FunctionName: name, ...code, Architectures: [spec.architecture] })),
              env.token,
            );
            committed(`code of ${name} updated (CodeSha256 ${updated.CodeSha256})`);
            checkStoredCode(name, plan, updated.CodeSha256);
            return awsCall(ctx, `waiting for the code update of ${name}`, () => waitForFunctionReady(ctx.lambda, name, env.token, ctx.options.maxWaitSeconds));
          },
          (cfg) => `code of ${name} updated (CodeSha256 ${cfg.CodeSha256})`,
        );
        changed = true;
      } else if (code) runner.skip('update code', 'the registry already had this image');
      const role = plan.role?.kind === 'template' || plan.role?.kind === 'option' ? plan.role.arn : undefined;
      const diff = configChanges(desiredConfig(spec, arns, role), deployed);
      if (diff.changed.length > 0) {
        final = await runner.run(
          'update configuration',
          async () => {
            await changeFunction(
              ctx,
              name,
              `updating the configuration of ${name} (${diff.changed.join(', ')})`,
              () => ctx.lambda.send(new lambda.UpdateFunctionConfigurationCommand({ FunctionName: name, ...diff.update })),
              env.token,
            );
            return awsCall(ctx, `waiting for the configuration update of ${name}`, () => waitForFunctionReady(ctx.lambda, name, env.token, ctx.options.maxWaitSeconds));
          },
          () => `configuration of ${name} updated (${diff.changed.join(', ')})`,
        );
        changed = true;
      }
      result.action = changed ? 'updated' : 'unchanged';
      if (!changed) {
        result.uploadedBytes = 0;
        result.via = null;
      }
    }

    result.version = await publishStep(ctx, name, final, changed, runner, env.token);
    result.codeSha256 = final?.CodeSha256 ?? result.codeSha256;
    result.codeSize = final?.CodeSize ?? result.codeSize;
    result.done = runner.done;
    return result;
  } catch (err) {
    const f = runner.failure(err);
    return { ...result, action: f.cancelled ? 'cancelled' : 'failed', reason: f.reason, error: f.error, done: runner.done };
  }
}

/**
 * A zip's CodeSha256 as Lambda stored it must be the zip's own: a staged object replaced between
 * upload and update, or anything between here and Lambda that changed the bytes, would otherwise
 * be a deploy that says done while Lambda runs other code.
 */
function checkStoredCode(name: string, plan: FunctionPlan, stored: string | undefined): void {
  const sent = plan.artifact?.codeSha256;
  if (!sent || stored === sent) return;
  throw new UserError(
    `Lambda stored code with CodeSha256 ${stored ?? '(none)'} for ${name}, but the zip deployed has CodeSha256 ${sent}: the function does not run the code that was deployed.`,
    plan.via === 's3'
      ? 'Something replaced the staged object in the S3 bucket between the upload and the update: check who else writes to the staging bucket, then deploy again.'
      : 'Something between this machine and Lambda changed the upload (a proxy?): deploy again, and check the network path if it happens again.',
    'code-sha-mismatch',
  );
}

/** Ensures the repository, logs in, pushes; resolves with the digest-pinned image URI. */
async function pushStep(ctx: DeployContext, plan: FunctionPlan, runner: StepRunner, env: FunctionExecEnv, result: FunctionResult): Promise<string> {
  const image = plan.image!;
  const { repoUri, auth } = await runner.run('log in to registry', async () => {
    const uri = await awsCall(ctx, `creating ECR repository ${image.repositoryName}`, () => env.ensureRepository(image.repositoryName));
    return { repoUri: uri, auth: await awsCall(ctx, 'logging in to ECR (GetAuthorizationToken)', () => env.registryAuth()) };
  });
  // An overridden registry is an emulator's: ECR's token is not meant for it.
  const registry = image.registryOverridden ? image.registry : registryHost(repoUri);
  const engine = await env.imageEngine();
  const pushed = await runner.run(
    'push image',
    (report) => pushImage(engine, image.localRef, { registry, repositoryName: image.repositoryName, tag: image.tag }, image.registryOverridden ? undefined : auth, report, env.token),
    (p) => `image ${registry}/${image.repositoryName}@${p.digest} pushed`,
  );
  result.uploadedBytes = pushed.pushedBytes;
  return `${registry}/${image.repositoryName}@${pushed.digest}`;
}
