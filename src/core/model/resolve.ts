import { type Charge, chargeWalk } from './expansion';
import { isIntrinsic, isRef } from './intrinsics';
import { type NodeReader, setEntry } from './nodes';

/** `!Ref AWS::NoValue`: the property (or list item, or map entry) is absent. */
const NO_VALUE = Symbol('AWS::NoValue');

export interface Resolved {
  /** undefined when the whole value resolved to AWS::NoValue. */
  value: unknown;
  /** An !If was replaced by its first branch. */
  conditional: boolean;
  /** A !Ref to a template Parameter was replaced by the parameter's Default. */
  fromParameter: boolean;
}

/**
 * Makes a property's value concrete where that can be done without deploying: every !If becomes its
 * first branch (the value the editor shows and local runs use; the property is then marked
 * conditional), and, when `parameters` is given, a !Ref to a Parameter with a Default becomes that
 * default, as SAM CLI does for local runs. Everything else stays as written.
 */
export function resolveValue(value: unknown, parameters?: ReadonlyMap<string, unknown>, charge: Charge = () => true): Resolved {
  const state: WalkState = { parameters, charge, conditional: false, fromParameter: false };
  const out = walk(state, value, 0);
  return { value: out === NO_VALUE ? undefined : out, conditional: state.conditional, fromParameter: state.fromParameter };
}

interface WalkState {
  parameters: ReadonlyMap<string, unknown> | undefined;
  charge: Charge;
  conditional: boolean;
  fromParameter: boolean;
}

/**
 * One value of resolveValue. A function of its own with loops (not a closure per call with
 * map/filter/fromEntries): every property of every function is walked here.
 */
function walk(state: WalkState, v: unknown, depth: number): unknown {
  // Values repeated by Globals and aliases are walked once per function: paid for, so that the
  // walks of a whole template stay within its expansion budget. Once it is spent, collections left
  // become null (scalars cost nothing to keep): a value kept unwalked could be shared by every
  // function and cost its size again in every later walk (JSON output, fingerprints).
  if (v === null || typeof v !== 'object') return v;
  const { charge, parameters } = state;
  if (depth > 100) return chargeWalk(v, charge) ? v : null;
  if (!charge(1)) return null;
  if (isIntrinsic(v)) {
    if (v.fn === 'If' && Array.isArray(v.args) && v.args.length === 3) {
      state.conditional = true;
      return walk(state, v.args[1], depth + 1);
    }
    if (isRef(v) && v.args === 'AWS::NoValue') return NO_VALUE;
    if (isRef(v) && parameters?.has(v.args)) {
      state.fromParameter = true;
      // One default can stand in for many !Refs: each copy costs what walking it later costs.
      const substitute = parameters.get(v.args);
      return chargeWalk(substitute, charge) ? substitute : null;
    }
    return chargeWalk(v.args, charge) ? v : null;
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) {
      const item = walk(state, v[i], depth + 1);
      if (item !== NO_VALUE) out.push(item);
    }
    return out;
  }
  const record = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const item = walk(state, record[key], depth + 1);
    if (item !== NO_VALUE) setEntry(out, key, item);
  }
  return out;
}

/**
 * Parameters that have a Default, as the value a !Ref to them gives: list types split at commas
 * (CommaDelimitedList, List<...>), everything else as written.
 */
export function readParameterDefaults(reader: NodeReader, parametersNode: unknown): Map<string, unknown> {
  const defaults = new Map<string, unknown>();
  for (const p of reader.entries(parametersNode)) {
    const def = reader.get(p.value, 'Default');
    if (!def) continue;
    const value = reader.value(def.value);
    const type = reader.value(reader.get(p.value, 'Type')?.value ?? null);
    const isList = typeof type === 'string' && (type === 'CommaDelimitedList' || type.startsWith('List<'));
    defaults.set(p.key, isList && typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value);
  }
  return defaults;
}
