import type { FunctionSpec, LayerSpec } from './types';

/**
 * The one key of a function (or a layer) across the product: its template and logical id. Views,
 * measurements and local runs file what they know about it under this.
 */
export function functionKey(fn: Pick<FunctionSpec, 'templatePath' | 'logicalId'>): string {
  return `${fn.templatePath}#${fn.logicalId}`;
}

/** Whether a function's Layers name this template layer. */
export function usesLayer(fn: Pick<FunctionSpec, 'layers'>, layer: Pick<LayerSpec, 'templatePath' | 'logicalId'>): boolean {
  const k = functionKey(layer);
  return fn.layers.some((ref) => ref.kind === 'local' && functionKey(ref.layer) === k);
}
