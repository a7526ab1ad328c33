import { throwIfCancelled } from '../cancel';
import { UserError } from '../errors';
import type { FunctionSpec } from '../model/types';
import { imageSizeRefusal } from './budget';
import { awsCall, type DeployContext } from './context';
import { findRepository, registryHost, repositoryFromImageUri, repositoryNameFor, tagDigest } from './ecr';
import { codeOf, type FunctionPlanEnv, refuse } from './planBase';
import { REFUSED_BY_TEMPLATE } from './types';
import { buildImage, connectImageEngine } from './image';
import type { FunctionPlan } from './types';

/**
 * Builds an image function's image (no pulls) and checks its size, or takes the template's
 * ImageUri as it is when there is no Dockerfile. Whether the code changed is decided by the
 * caller, from knownDigestUri and the deployed image URI.
 */
export async function planImage(ctx: DeployContext, fn: FunctionSpec, plan: FunctionPlan, env: FunctionPlanEnv): Promise<FunctionPlan> {
  if (!fn.image) {
    // No Dockerfile metadata: deploy the template's ImageUri as it is.
    if (!fn.imageUri) return refuse(plan, `${fn.logicalId} is an image function with neither Metadata Dockerfile/DockerContext nor an ImageUri.`, REFUSED_BY_TEMPLATE);
    plan.notes.push(`Deploys the image ${fn.imageUri} as given (no Dockerfile in the template's Metadata).`);
    const imageUri = fn.imageUri;
    const digest = await awsCall(ctx, `looking up the image ${imageUri} in ECR`, () => tagDigest(ctx.ecr, imageUri, ctx.region));
    return { ...plan, via: 'image', uploadBytes: 0, ...(digest ? { imageTagDigest: digest } : {}) };
  }
  const target = { kind: 'function' as const, logicalId: fn.logicalId, name: plan.functionName };
  const repositoryName = repositoryFromImageUri(fn.imageUri) ?? repositoryNameFor(plan.functionName);
  const tag = fn.image.dockerTag ?? 'latest';
  const localRef = `lambda-workbench-build/${repositoryName}:${tag}`;
  const engine = await (ctx.imageEngine ?? (() => connectImageEngine()))();
  env.onProgress?.({ target, step: 'build image', phase: 'start' });
  const built = await buildImage(engine, fn.image, fn.architecture, localRef, (line) => env.onProgress?.({ target, step: 'build image', phase: 'progress', message: line }), env.token).catch(
    (err: unknown) => {
      throwIfCancelled(env.token, `planning ${plan.functionName}`);
      if (err instanceof UserError) return err;
      throw err;
    },
  );
  if (built instanceof UserError) return refuse(plan, `${built.message}${built.hint ? ` ${built.hint}` : ''}`, codeOf(built));
  env.onProgress?.({ target, step: 'build image', phase: 'done', bytes: built.sizeBytes });
  const tooBig = imageSizeRefusal(plan.functionName, built.sizeBytes);
  if (tooBig) return refuse({ ...plan, unzippedBytes: built.sizeBytes }, tooBig);

  const override = ctx.options.registryOverride;
  const ecrUri = override ? undefined : await awsCall(ctx, `looking up ECR repository ${repositoryName}`, () => findRepository(ctx.ecr, repositoryName));
  const registry = override ?? (ecrUri ? registryHost(ecrUri) : '');
  const knownDigestUri = registry ? (built.repoDigests.find((d) => d.startsWith(`${registry}/${repositoryName}@`)) ?? null) : null;
  plan.image = {
    localRef,
    registry,
    repositoryName,
    tag,
    imageId: built.imageId,
    sizeBytes: built.sizeBytes,
    registryOverridden: override !== undefined,
    knownDigestUri,
  };
  plan.unzippedBytes = built.sizeBytes;
  if (knownDigestUri) plan.codeSha256 = knownDigestUri.split('@sha256:')[1] ?? null;
  return { ...plan, via: 'image', uploadBytes: built.sizeBytes };
}
