import type { FunctionConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import type { CancellationTokenLike } from '../cancel';
import { isAwsError } from '../deploy/awsErrors';
import { parseLayerVersionArn } from '../deploy/names';
import { waitForFunctionReady } from '../deploy/waiters';
import { UserError } from '../errors';
import { LIMITS } from '../limits';
import { layerUsage, nameList } from './usage';

type LambdaSend = Pick<LambdaClient, 'send'>;

/** A layer version to attach, with what is known of its compatibility (empty lists: any). */
export interface LayerCandidate {
  arn: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
}

export interface LayerChange {
  /** The function's layer version ARNs after the change, in Lambda's order. */
  layers: string[];
  /** The version of the same layer that the attached one replaces. */
  replaced?: string;
}

function layerArnOf(versionArn: string): string {
  return parseLayerVersionArn(versionArn)?.layerArn ?? versionArn;
}

function shortName(versionArn: string): string {
  const p = parseLayerVersionArn(versionArn);
  return p ? `${p.name}:${p.version}` : versionArn;
}

/**
 * The layer list after attaching `candidate`, or a UserError saying why Lambda would refuse it:
 * a container image function (no layers), the same version twice, a sixth layer, or a layer
 * built for another architecture or runtime. Another version of an attached layer replaces it
 * in place, since Lambda allows one version of a layer per function.
 */
export function planAttach(cfg: FunctionConfiguration, candidate: LayerCandidate): LayerChange {
  const name = cfg.FunctionName ?? 'the function';
  if (!parseLayerVersionArn(candidate.arn)) {
    throw new UserError(`'${candidate.arn}' is not a layer version ARN.`, 'Layer version ARNs look like arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION.', 'layer-arn');
  }
  if (cfg.PackageType === 'Image') {
    throw new UserError(`${name} is a container image function: Lambda does not attach layers to those.`, 'Add the layer content to the image in its Dockerfile instead.', 'layer-image-function');
  }
  const current = (cfg.Layers ?? []).map((l) => l.Arn).filter((a): a is string => !!a);
  if (current.includes(candidate.arn)) {
    throw new UserError(`${shortName(candidate.arn)} is already attached to ${name}.`, undefined, 'layer-duplicate');
  }
  const arch = cfg.Architectures?.[0] ?? 'x86_64';
  const archs = candidate.compatibleArchitectures ?? [];
  if (archs.length > 0 && !archs.includes(arch)) {
    throw new UserError(
      `${shortName(candidate.arn)} is built for ${archs.join(', ')}, and ${name} runs on ${arch}.`,
      'Attach a version of the layer built for this architecture.',
      'layer-incompatible',
    );
  }
  const runtimes = candidate.compatibleRuntimes ?? [];
  if (cfg.Runtime && runtimes.length > 0 && !runtimes.includes(cfg.Runtime)) {
    throw new UserError(
      `${shortName(candidate.arn)} is made for ${runtimes.join(', ')}, and ${name} uses ${cfg.Runtime}.`,
      'Attach a version of the layer made for this runtime, or publish one that lists it.',
      'layer-incompatible',
    );
  }
  const sameLayer = current.findIndex((a) => layerArnOf(a) === layerArnOf(candidate.arn));
  if (sameLayer >= 0) {
    const layers = [...current];
    layers[sameLayer] = candidate.arn;
    return { layers, replaced: current[sameLayer] };
  }
  if (current.length >= LIMITS.layersPerFunction) {
    throw new UserError(
      `${name} already has ${current.length} layers, Lambda's limit is ${LIMITS.layersPerFunction}.`,
      'Detach a layer first, or merge layers into one.',
      'layer-limit',
    );
  }
  return { layers: [...current, candidate.arn] };
}

/** The layer list after detaching `versionArn`, or a UserError when it is not attached. */
export function planDetach(cfg: FunctionConfiguration, versionArn: string): LayerChange {
  const current = (cfg.Layers ?? []).map((l) => l.Arn).filter((a): a is string => !!a);
  if (!current.includes(versionArn)) {
    throw new UserError(`${shortName(versionArn)} is not attached to ${cfg.FunctionName ?? 'the function'}.`, 'Refresh the Cloud view to see its current layers.', 'layer-not-attached');
  }
  return { layers: current.filter((a) => a !== versionArn) };
}

export interface LayerUpdateResult extends LayerChange {
  configuration: FunctionConfiguration;
}

/**
 * Attaches a layer version to a function, keeping its other layers. The function's current
 * configuration is read first (the caller's copy may be stale, and an update in progress must
 * finish), the change is written with that revision, and the update is waited for.
 */
export async function attachLayer(
  lambda: LambdaSend,
  functionName: string,
  candidate: string | LayerCandidate,
  opts: { token?: CancellationTokenLike } = {},
): Promise<LayerUpdateResult> {
  const wanted = typeof candidate === 'string' ? await describeCandidate(lambda, candidate) : candidate;
  return updateLayers(lambda, functionName, (cfg) => planAttach(cfg, wanted), opts.token);
}

export async function detachLayer(lambda: LambdaSend, functionName: string, versionArn: string, opts: { token?: CancellationTokenLike } = {}): Promise<LayerUpdateResult> {
  return updateLayers(lambda, functionName, (cfg) => planDetach(cfg, versionArn), opts.token);
}

async function updateLayers(lambda: LambdaSend, functionName: string, plan: (cfg: FunctionConfiguration) => LayerChange, token?: CancellationTokenLike): Promise<LayerUpdateResult> {
  const current = await waitForFunctionReady(lambda, functionName, token);
  const change = plan(current);
  const { UpdateFunctionConfigurationCommand } = await import('@aws-sdk/client-lambda');
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, Layers: change.layers, ...(current.RevisionId ? { RevisionId: current.RevisionId } : {}) }));
  const configuration = await waitForFunctionReady(lambda, functionName, token);
  return { ...change, configuration };
}

/**
 * What Lambda says about a layer version given only by ARN, so its compatibility can be checked.
 * A layer of another account may not be readable: then nothing is known and Lambda decides.
 */
async function describeCandidate(lambda: LambdaSend, arn: string): Promise<LayerCandidate> {
  const parsed = parseLayerVersionArn(arn);
  if (!parsed) return { arn };
  const { GetLayerVersionCommand } = await import('@aws-sdk/client-lambda');
  try {
    const out = await lambda.send(new GetLayerVersionCommand({ LayerName: parsed.layerArn, VersionNumber: parsed.version }));
    return { arn, compatibleRuntimes: out.CompatibleRuntimes, compatibleArchitectures: out.CompatibleArchitectures };
  } catch (err) {
    if (isAwsError(err, 'AccessDeniedException')) return { arn };
    if (isAwsError(err, 'ResourceNotFoundException')) {
      throw new UserError(`Layer version ${arn} does not exist.`, 'Pick a version from the Cloud view, or check the ARN.', 'layer-not-found');
    }
    throw err;
  }
}

/**
 * Deletes a layer version, unless one of the given functions uses it: those would keep their
 * copy, but could no longer be redeployed with the same configuration.
 */
export async function deleteLayerVersion(lambda: LambdaSend, versionArn: string, opts: { functions: Iterable<FunctionConfiguration> }): Promise<void> {
  const parsed = assertLayerVersionUnused(versionArn, opts.functions);
  const { DeleteLayerVersionCommand } = await import('@aws-sdk/client-lambda');
  await lambda.send(new DeleteLayerVersionCommand({ LayerName: parsed.name, VersionNumber: parsed.version }));
}

/** Refuses (UserError naming them) when one of `functions` uses the layer version. */
export function assertLayerVersionUnused(versionArn: string, functions: Iterable<FunctionConfiguration>): { name: string; version: number } {
  const parsed = parseLayerVersionArn(versionArn);
  if (!parsed) throw new UserError(`'${versionArn}' is not a layer version ARN.`, undefined, 'layer-arn');
  const users = layerUsage(functions).get(versionArn) ?? [];
  if (users.length > 0) {
    throw new UserError(
      `${parsed.name}:${parsed.version} is used by ${nameList(users)}.`,
      `Detach it from ${users.length === 1 ? 'that function' : 'those functions'} first, then delete it.`,
      'layer-in-use',
    );
  }
  return parsed;
}
