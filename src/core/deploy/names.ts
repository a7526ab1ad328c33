import type { FunctionSpec, LayerSpec } from '../model/types';

/** A name Lambda will accept, or why the template's name cannot be used outside CloudFormation. */
export type NameResult = { ok: true; name: string } | { ok: false; reason: string };

const FUNCTION_NAME = /^[a-zA-Z0-9-_]{1,64}$/;
const LAYER_NAME = /^[a-zA-Z0-9-_]{1,140}$/;

/**
 * The deployed function's name: FunctionName when the template gives it literally, else the
 * logical id (there is no stack to generate one from).
 */
export function functionNameOf(fn: FunctionSpec): NameResult {
  if (fn.functionNameExpression && !fn.functionName) {
    return {
      ok: false,
      reason: `FunctionName of ${fn.logicalId} is a CloudFormation expression (!${fn.functionNameExpression.fn}) that only a stack deploy can resolve: give it a literal FunctionName, or remove it to deploy as '${fn.logicalId}'.`,
    };
  }
  const name = fn.functionName ?? fn.logicalId;
  if (!FUNCTION_NAME.test(name)) {
    return { ok: false, reason: `'${name}' is not a valid Lambda function name (letters, digits, '-' and '_', at most 64).` };
  }
  return { ok: true, name };
}

/** The deployed layer's name: LayerName, else the logical id. */
export function layerNameOf(layer: LayerSpec): NameResult {
  const name = layer.layerName ?? layer.logicalId;
  if (!LAYER_NAME.test(name)) {
    return { ok: false, reason: `'${name}' is not a valid layer name (letters, digits, '-' and '_', at most 140).` };
  }
  return { ok: true, name };
}

/** Layer name and version from a layer version ARN (arn:aws:lambda:r:acct:layer:name:7). */
export function parseLayerVersionArn(arn: string): { layerArn: string; name: string; version: number } | undefined {
  const m = /^(arn:[^:]+:lambda:[^:]+:[^:]+:layer:([^:]+)):(\d+)$/.exec(arn);
  return m ? { layerArn: m[1], name: m[2], version: Number(m[3]) } : undefined;
}
