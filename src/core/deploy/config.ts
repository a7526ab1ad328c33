import type { FunctionConfiguration, Runtime, UpdateFunctionConfigurationRequest } from '@aws-sdk/client-lambda';
import type { Architecture, FunctionSpec } from '../model/types';

/** The configuration the template asks for, in Lambda's terms. */
export interface DesiredConfig {
  Runtime?: string;
  Handler?: string;
  MemorySize: number;
  Timeout: number;
  Environment: Record<string, string>;
  /** Layer version ARNs in template order. */
  Layers: string[];
  /** Only set when the deploy decides the role; otherwise the deployed role stays. */
  Role?: string;
  /** /tmp size in MB, when the template sets it. */
  EphemeralStorage?: number;
}

export function desiredConfig(fn: FunctionSpec, layerArns: string[], role: string | undefined): DesiredConfig {
  const config: DesiredConfig = { MemorySize: fn.memorySize, Timeout: fn.timeout, Environment: { ...fn.environment }, Layers: layerArns };
  // Image functions take their runtime and entry point from the image.
  if (fn.packageType === 'Zip') {
    if (fn.runtime) config.Runtime = fn.runtime;
    if (fn.handler) config.Handler = fn.handler;
  }
  if (role) config.Role = role;
  if (fn.ephemeralStorageMb !== undefined) config.EphemeralStorage = fn.ephemeralStorageMb;
  return config;
}

type ConfigUpdate = Omit<UpdateFunctionConfigurationRequest, 'FunctionName'>;

function sameEnvironment(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}

/**
 * The UpdateFunctionConfiguration fields that differ from the deployed function, and their names.
 * Architectures is not among them: Lambda changes it only with UpdateFunctionCode.
 */
export function configChanges(desired: DesiredConfig, deployed: FunctionConfiguration): { update: ConfigUpdate; changed: string[] } {
  const update: ConfigUpdate = {};
  if (desired.Runtime !== undefined && desired.Runtime !== deployed.Runtime) update.Runtime = desired.Runtime as Runtime;
  if (desired.Handler !== undefined && desired.Handler !== deployed.Handler) update.Handler = desired.Handler;
  if (desired.MemorySize !== deployed.MemorySize) update.MemorySize = desired.MemorySize;
  if (desired.Timeout !== deployed.Timeout) update.Timeout = desired.Timeout;
  if (!sameEnvironment(desired.Environment, deployed.Environment?.Variables ?? {})) update.Environment = { Variables: desired.Environment };
  const deployedLayers = (deployed.Layers ?? []).map((l) => l.Arn ?? '');
  if (desired.Layers.length !== deployedLayers.length || desired.Layers.some((arn, i) => arn !== deployedLayers[i])) {
    update.Layers = desired.Layers;
  }
  if (desired.Role !== undefined && desired.Role !== deployed.Role) update.Role = desired.Role;
  if (desired.EphemeralStorage !== undefined && desired.EphemeralStorage !== (deployed.EphemeralStorage?.Size ?? 512)) {
    update.EphemeralStorage = { Size: desired.EphemeralStorage };
  }
  return { update, changed: Object.keys(update) };
}

export function deployedArchitecture(deployed: FunctionConfiguration): Architecture {
  return deployed.Architectures?.[0] === 'arm64' ? 'arm64' : 'x86_64';
}
