import type { FunctionSpec } from './types';

/**
 * The one key of a function (or a layer) across the product: its template and logical id. Views,
 * measurements and local runs file what they know about it under this.
 */
export function functionKey(fn: Pick<FunctionSpec, 'templatePath' | 'logicalId'>): string {
  return `${fn.templatePath}#${fn.logicalId}`;
}
