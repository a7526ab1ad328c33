import { isBuilt } from '../build/choose';
import { throwIfCancelled } from '../cancel';
import { describeError } from '../errors';
import { LIMITS } from '../limits';
import type { FunctionSpec } from '../model/types';
import { UnzippedBudgetExceeded } from './artifact';
import { formatBytes, layerCountRefusal, needsBucketRefusal, unzippedBudgetRefusal, uploadRoute } from './budget';
import { configChanges, deployedArchitecture, desiredConfig } from './config';
import { awsCall, type DeployContext } from './context';
import { type DeployedFunction, readDeployedFunction } from './deployed';
import { planImage } from './imagePlan';
import { basePlan, codeOf, type FunctionPlanEnv, refuse } from './planBase';
import { functionNameOf, layerNameOf } from './names';
import { DEFAULT_ROLE_NAME, findRole } from './role';
import { BUCKET_NOT_SET, type FunctionPlan, type LayerPlan, type PlannedLayerRef, REFUSED_BY_TEMPLATE, type RolePlan } from './types';
import { stalePublication } from './versionStep';

/** The template's layer references, in order, or why they cannot be deployed. Makes no AWS call. */
function resolveLayers(fn: FunctionSpec, layerPlans: Map<string, LayerPlan>): { refs: PlannedLayerRef[] } | { reason: string; code?: string } {
  const countRefusal = layerCountRefusal(fn.functionName ?? fn.logicalId, fn.layers.length);
  if (countRefusal) return { reason: countRefusal, code: REFUSED_BY_TEMPLATE };
  const refs: PlannedLayerRef[] = [];
  for (const ref of fn.layers) {
    if (ref.kind === 'arn') refs.push({ kind: 'arn', arn: ref.arn });
    else if (ref.kind === 'unresolved') {
      const text = typeof ref.expression === 'string' ? ref.expression : `!${ref.expression.fn} ${JSON.stringify(ref.expression.args)}`;
      return { reason: `Layer ${text} of ${fn.logicalId} is neither a layer version ARN nor a layer in the template, so it cannot be resolved outside CloudFormation.`, code: REFUSED_BY_TEMPLATE };
    } else {
      const named = layerNameOf(ref.layer);
      const plan =
        (named.ok ? layerPlans.get(named.name) : undefined) ??
        [...layerPlans.values()].find((p) => p.logicalId === ref.logicalId && p.templatePath === ref.layer.templatePath);
      if (!plan) return { reason: `Layer ${ref.logicalId} of ${fn.logicalId} was not planned.` };
      if (plan.action === 'refused') return { reason: `Its layer ${ref.logicalId} cannot be published: ${plan.reason ?? 'refused'}`, code: plan.code };
      refs.push({ kind: 'local', logicalId: ref.logicalId, layerName: plan.layerName });
    }
  }
  if (fn.packageType === 'Image' && refs.length > 0) {
    return { reason: `${fn.logicalId} is a container image function, and those cannot use layers: copy the layer's content into the image instead.`, code: REFUSED_BY_TEMPLATE };
  }
  return { refs };
}

/** The version ARN each layer reference will have (a placeholder for a version not yet published). */
function layerArns(refs: PlannedLayerRef[], layerPlans: Map<string, LayerPlan>): string[] {
  return refs.map((r) => {
    if (r.kind === 'arn') return r.arn;
    const p = layerPlans.get(r.layerName);
    return p?.action === 'unchanged' && p.current ? p.current.arn : `${r.layerName}:(new version)`;
  });
}

async function planRole(ctx: DeployContext, fn: FunctionSpec, deployed: DeployedFunction | undefined, notes: string[]): Promise<RolePlan> {
  if (typeof fn.role === 'string' && fn.role.startsWith('arn:')) return { kind: 'template', arn: fn.role };
  if (fn.role !== undefined) {
    const what = typeof fn.role === 'string' ? `'${fn.role}'` : `!${fn.role.fn}`;
    notes.push(`Role ${what} in the template is not a literal ARN and cannot be resolved outside CloudFormation.`);
  }
  if (ctx.options.role) return { kind: 'option', arn: ctx.options.role };
  if (deployed?.config.Role) return { kind: 'deployed', arn: deployed.config.Role };
  const roleName = ctx.options.roleName ?? DEFAULT_ROLE_NAME;
  const arn = await awsCall(ctx, `looking up IAM role ${roleName}`, () => findRole(ctx.iam, roleName));
  return arn ? { kind: 'shared', arn } : { kind: 'create', roleName };
}

/** The role to compare with the deployed one: only a role the deploy chose explicitly. */
function decidedRole(role: RolePlan | null): string | undefined {
  return role?.kind === 'template' || role?.kind === 'option' ? role.arn : undefined;
}

/** Decides what deploying one function will do, packaging (or building) it on the way. */
export async function planFunction(ctx: DeployContext, fn: FunctionSpec, env: FunctionPlanEnv): Promise<FunctionPlan> {
  const named = functionNameOf(fn);
  if (!named.ok) return refuse(basePlan(fn, fn.logicalId), named.reason, REFUSED_BY_TEMPLATE);
  let plan = basePlan(fn, named.name);
  const layers = resolveLayers(fn, env.layers);
  if ('reason' in layers) return refuse(plan, layers.reason, layers.code);
  plan.layers = layers.refs;
  const expressions = Object.keys(fn.environmentExpressions ?? {});
  if (expressions.length > 0) {
    return refuse(
      plan,
      `Environment variable${expressions.length > 1 ? 's' : ''} ${expressions.join(', ')} of ${fn.logicalId} ${expressions.length > 1 ? 'are' : 'is a'} CloudFormation expression${expressions.length > 1 ? 's' : ''} that only a stack deploy can resolve; deploying without ${expressions.length > 1 ? 'them' : 'it'} would break the function. Give literal values, or deploy the stack with CloudFormation.`,
      REFUSED_BY_TEMPLATE,
    );
  }
  if (fn.packageType === 'Zip' && (!fn.runtime || !fn.handler)) {
    return refuse(plan, `${fn.logicalId} needs both Runtime and Handler (in its properties or Globals) to be deployed as a zip.`, REFUSED_BY_TEMPLATE);
  }
  throwIfCancelled(env.token, `planning ${named.name}`);

  // Reading the deployed function and packaging (or building) do not wait for each other.
  const target = { kind: 'function' as const, logicalId: fn.logicalId, name: named.name };
  env.onProgress?.({ target, step: 'read deployed state', phase: 'start' });
  const reading = awsCall(ctx, `reading function ${named.name}`, () => readDeployedFunction(ctx.lambda, named.name)).finally(() =>
    env.onProgress?.({ target, step: 'read deployed state', phase: 'done' }),
  );
  const packaging = fn.packageType === 'Zip' ? planZip(ctx, fn, plan, env) : planImage(ctx, fn, plan, env);
  const [read, packed] = await Promise.allSettled([reading, packaging]);
  if (read.status === 'rejected') throw read.reason;
  if (packed.status === 'rejected') throw packed.reason;
  const deployed = read.value;
  plan = packed.value;
  if (deployed) {
    plan.deployed = deployed.config;
    if (deployed.imageUri) plan.deployedImageUri = deployed.imageUri;
    if (deployed.config.PackageType && deployed.config.PackageType !== fn.packageType) {
      return refuse(
        plan,
        `${named.name} is deployed as ${deployed.config.PackageType} and the template says ${fn.packageType}; Lambda cannot change a function's package type. Delete the function first, or deploy under another FunctionName.`,
      );
    }
  }
  if (plan.action === 'refused') return plan;
  plan.role = await planRole(ctx, fn, deployed, plan.notes);

  const codeChanged = deployed !== undefined && codeDiffers(fn, plan, deployed);
  const archChanged = deployed !== undefined && deployedArchitecture(deployed.config) !== fn.architecture;
  if (deployed) {
    const desired = desiredConfig(fn, layerArns(plan.layers, env.layers), decidedRole(plan.role));
    const diff = configChanges(desired, deployed.config);
    plan.changes.push(...(codeChanged ? ['code'] : []), ...(archChanged ? ['architecture'] : []), ...diff.changed);
    // A deploy that changes the function publishes anyway; one that changes nothing publishes only
    // when the published version is not what is deployed, and the plan says so.
    const stale = plan.changes.length === 0 ? await stalePublication(ctx, named.name, deployed.config, desired) : undefined;
    if (stale) {
      plan.changes.push('version');
      plan.notes.push(stale);
    }
  }
  if (plan.image && (!deployed || codeChanged)) {
    plan.notes.push(`Pushes the image (up to ${formatBytes(plan.image.sizeBytes)}; layers the registry already has are skipped).`);
  }
  if (deployed && tagMoved(plan, deployed)) {
    plan.notes.push(`The tag of ${fn.imageUri} now names ${plan.imageTagDigest}; the function runs ${deployed.resolvedDigest}: updates it to the image the tag names.`);
  } else delete plan.imageTagDigest;
  if (deployed && !codeChanged && !archChanged) {
    plan.via = null;
    plan.uploadBytes = 0;
  }
  plan.action = !deployed ? 'created' : plan.changes.length > 0 ? 'updated' : 'unchanged';
  return plan;
}

/** Whether the packaged code differs from the deployed code. */
function codeDiffers(fn: FunctionSpec, plan: FunctionPlan, deployed: DeployedFunction): boolean {
  if (fn.packageType === 'Zip') return deployed.config.CodeSha256 !== plan.codeSha256;
  // An image is the same when the deployed URI is the digest this exact image was pushed as.
  if (plan.image) return !plan.image.knownDigestUri || deployed.imageUri !== plan.image.knownDigestUri;
  if (deployed.imageUri !== fn.imageUri) return true;
  // The same tag, moved to another image since Lambda took it: Lambda still runs the old one.
  return tagMoved(plan, deployed);
}

/** Whether the template's ImageUri tag names another image than the one Lambda resolved it to. */
function tagMoved(plan: FunctionPlan, deployed: DeployedFunction): boolean {
  return plan.imageTagDigest !== undefined && deployed.resolvedDigest !== undefined && plan.imageTagDigest !== deployed.resolvedDigest;
}

async function planZip(ctx: DeployContext, fn: FunctionSpec, plan: FunctionPlan, env: FunctionPlanEnv): Promise<FunctionPlan> {
  const target = { kind: 'function' as const, logicalId: fn.logicalId, name: plan.functionName };
  // The layers' share of the budget: template layers from their packages, others from Lambda.
  let layersBytes = 0;
  for (const ref of plan.layers) {
    if (ref.kind === 'local') {
      layersBytes += env.layers.get(ref.layerName)?.unzippedBytes ?? 0;
    } else {
      const size = await env.layerSizes.resolve(ref.arn, env.token);
      if (size.unzippedBytes !== null) layersBytes += size.unzippedBytes;
      else if (size.zippedBytes !== null) {
        layersBytes += size.zippedBytes;
        plan.notes.push(`Layer ${ref.arn} is counted at its zipped size (${formatBytes(size.zippedBytes)}), a lower bound: ${size.detail}.`);
      } else return refuse(plan, `Layer ${ref.arn} cannot be used: ${size.detail}.`);
    }
  }
  plan.layersUnzippedBytes = layersBytes;

  if (ctx.builds && isBuilt(fn)) {
    // What goes up is the artifact: built now when it is missing or out of date.
    env.onProgress?.({ target, step: 'build', phase: 'start' });
    try {
      const built = await ctx.builds.build(fn, { token: env.token });
      env.onProgress?.({ target, step: 'build', phase: 'done', message: built.cached ? 'up to date' : `built in ${built.durationMs} ms` });
    } catch (err) {
      throwIfCancelled(env.token, `planning ${plan.functionName}`);
      return refuse(plan, `Building ${fn.logicalId} failed: ${describeError(err)}`, codeOf(err));
    }
  }
  if (ctx.measurer) {
    env.onProgress?.({ target, step: 'measure', phase: 'start' });
    const predicted = await ctx.measurer.functionUnzippedBytes(fn, env.token);
    env.onProgress?.({ target, step: 'measure', phase: 'done', bytes: predicted });
    const over = unzippedBudgetRefusal(plan.functionName, predicted, layersBytes);
    if (over) return refuse({ ...plan, unzippedBytes: predicted }, over);
  }
  env.onProgress?.({ target, step: 'package', phase: 'start' });
  let artifact;
  try {
    artifact = await ctx.packager.packageFunction(fn, env.outDir, env.token, { maxUnzippedBytes: LIMITS.unzippedWithLayersBytes - layersBytes });
  } catch (err) {
    throwIfCancelled(env.token, `planning ${plan.functionName}`);
    if (err instanceof UnzippedBudgetExceeded) {
      return refuse({ ...plan, unzippedBytes: err.unzippedBytes }, unzippedBudgetRefusal(plan.functionName, err.unzippedBytes, layersBytes) ?? err.message);
    }
    return refuse(plan, `Packaging ${fn.logicalId} failed: ${describeError(err)}`, codeOf(err));
  }
  env.onProgress?.({ target, step: 'package', phase: 'done', bytes: artifact.bytes });
  plan.artifact = artifact;
  plan.codeSha256 = artifact.codeSha256;
  plan.codeSize = artifact.bytes;
  plan.unzippedBytes = artifact.unzippedBytes;
  const over = unzippedBudgetRefusal(plan.functionName, artifact.unzippedBytes, layersBytes);
  if (over) return refuse(plan, over);

  const via = uploadRoute(artifact.bytes);
  if (via === 's3' && !ctx.options.s3Bucket) return refuse(plan, needsBucketRefusal(plan.functionName, artifact.bytes, ctx.options.sources), BUCKET_NOT_SET);
  return { ...plan, via, uploadBytes: artifact.bytes };
}
