import { type TemplateContext, report } from './context';
import { describeValue, isIntrinsic } from './intrinsics';
import type { Prop } from './props';

/** A string property: numbers and booleans as written; undefined when absent or an intrinsic. */
export function stringField(ctx: TemplateContext, name: string, prop: Prop | undefined): string | undefined {
  if (prop === undefined || prop.value === null || prop.value === undefined || isIntrinsic(prop.value)) return undefined;
  if (typeof prop.value === 'string') return prop.value;
  if (typeof prop.value === 'number' || typeof prop.value === 'boolean') return String(prop.value);
  report(ctx, 'error', 'invalid-type', `${name} must be a string; got ${describeValue(prop.value)}.`, prop.range);
  return undefined;
}

/**
 * A whole number within Lambda's range, else a located error and the default. Quoted numbers count:
 * CloudFormation accepts "256" for MemorySize.
 */
export function integerField(
  ctx: TemplateContext,
  name: string,
  prop: Prop | undefined,
  limits: { min: number; max: number; unit: string; fallback: number },
): number {
  if (prop === undefined || prop.value === null || prop.value === undefined || isIntrinsic(prop.value)) return limits.fallback;
  const n = typeof prop.value === 'number' ? prop.value : typeof prop.value === 'string' && /^\s*\d+\s*$/.test(prop.value) ? Number(prop.value) : NaN;
  // Worded only for a problem: this runs for two or three properties of every function.
  const expected = (): string => `a whole number of ${limits.unit} from ${limits.min} to ${limits.max}`;
  if (!Number.isInteger(n)) {
    report(ctx, 'error', 'invalid-type', `${name} must be ${expected()}; got ${describeValue(prop.value)}.`, prop.range);
    return limits.fallback;
  }
  if (n < limits.min || n > limits.max) {
    report(ctx, 'error', 'out-of-range', `${name} ${n} is outside what Lambda allows: use ${expected()}.`, prop.range);
  }
  return n;
}

/** A list of strings; a lone string counts as a list of one. */
export function stringListField(ctx: TemplateContext, name: string, prop: Prop | undefined): string[] {
  if (prop === undefined || prop.value === null || prop.value === undefined) return [];
  if (typeof prop.value === 'string') return [prop.value];
  if (!Array.isArray(prop.value)) {
    if (!isIntrinsic(prop.value)) report(ctx, 'error', 'invalid-type', `${name} must be a list; got ${describeValue(prop.value)}.`, prop.range);
    return [];
  }
  return prop.value.filter((v): v is string => typeof v === 'string');
}
