import type { Intrinsic } from './types';

/**
 * A CloudFormation intrinsic function as written in the template. A class (not a plain object) so a
 * user's map that happens to have `fn` and `args` keys is never mistaken for one.
 */
export class IntrinsicValue implements Intrinsic {
  constructor(
    readonly fn: string,
    readonly args: unknown,
  ) {}
}

export function isIntrinsic(value: unknown): value is IntrinsicValue {
  return value instanceof IntrinsicValue;
}

export function isRef(value: unknown): value is IntrinsicValue & { args: string } {
  return isIntrinsic(value) && value.fn === 'Ref' && typeof value.args === 'string';
}

/**
 * The long form `{ Ref: X }` / `{ 'Fn::GetAtt': [...] }` / `{ Condition: X }` as an intrinsic, the way
 * SAM recognises them: a map with exactly one key that is Ref, Condition or starts with Fn::.
 */
export function longFormIntrinsic(map: Record<string, unknown>): IntrinsicValue | undefined {
  const keys = Object.keys(map);
  if (keys.length !== 1) return undefined;
  const key = keys[0];
  if (key === 'Ref' || key === 'Condition') return new IntrinsicValue(key, map[key]);
  if (key.startsWith('Fn::')) return new IntrinsicValue(key.slice(4), normaliseArgs(key.slice(4), map[key]));
  return undefined;
}

/** `!GetAtt A.Arn` and `!GetAtt [A, Arn]` mean the same; both become [A, Arn] (split at the first dot, as CloudFormation does). */
export function normaliseArgs(fn: string, args: unknown): unknown {
  if (fn === 'GetAtt' && typeof args === 'string') {
    const dot = args.indexOf('.');
    return dot < 0 ? [args] : [args.slice(0, dot), args.slice(dot + 1)];
  }
  return args;
}

/** The CloudFormation JSON form of a value: intrinsics back to `{ "Fn::X": ... }`, for machine output. */
export function toCfnJson(value: unknown): unknown {
  if (isIntrinsic(value)) {
    const key = value.fn === 'Ref' || value.fn === 'Condition' ? value.fn : `Fn::${value.fn}`;
    return { [key]: toCfnJson(value.args) };
  }
  if (Array.isArray(value)) return value.map(toCfnJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCfnJson(v)]));
  }
  return value;
}

/** A short, readable rendering in YAML short-form style: `!Ref X`, `!GetAtt A.Arn`, `!Sub 'x-${Y}'`. */
export function describeValue(value: unknown): string {
  if (isIntrinsic(value)) {
    if (value.fn === 'GetAtt' && Array.isArray(value.args) && value.args.every((a) => typeof a === 'string')) {
      return `!GetAtt ${value.args.join('.')}`;
    }
    if (typeof value.args === 'string') return `!${value.fn} ${value.fn === 'Ref' ? value.args : `'${value.args}'`}`;
    return `!${value.fn} ${JSON.stringify(toCfnJson(value.args))}`;
  }
  if (typeof value === 'string') return value;
  return JSON.stringify(toCfnJson(value)) ?? String(value);
}
