import type { Charge } from './expansion';
import { isIntrinsic } from './intrinsics';
import { type NodeReader, setEntry } from './nodes';
import { type Prop, type Props, readProps } from './props';

/** Globals.Function, read as Props marked as coming from Globals. */
export function readGlobalFunctionProps(reader: NodeReader, globalsNode: unknown): Props {
  return readProps(reader, reader.get(globalsNode, 'Function')?.value ?? null, true);
}

/**
 * A function's properties with Globals.Function merged in, the way SAM's translator does it:
 * a value set on the resource wins over Globals for scalars and intrinsics (an intrinsic counts as a
 * scalar), mappings merge key by key with the resource winning (Environment.Variables), and lists
 * concatenate, Globals first (Layers). `IgnoreGlobals: '*'` or a list of names opts a resource out.
 */
export function mergeGlobals(globals: Props, local: Props, ignoreGlobals: unknown, charge: Charge = () => true): Props {
  const ignored = ignoreGlobals === '*' ? null : new Set(Array.isArray(ignoreGlobals) ? ignoreGlobals.map(String) : []);
  const merged: Props = new Map();
  if (ignored) {
    for (const [name, g] of globals) if (!ignored.has(name)) merged.set(name, g);
  }
  for (const [name, l] of local) {
    const g = merged.get(name);
    merged.set(name, g ? mergeProp(name, g, l, charge) : l);
  }
  return merged;
}

function mergeProp(name: string, g: Prop, l: Prop, charge: Charge): Prop {
  const kind = kindOf(g.value);
  // A function runs on exactly one architecture, so a resource's Architectures replaces the Globals one
  // (concatenating would give Lambda two, which it rejects; SAM is moving to replacing it too).
  if (name === 'Architectures' || kind === 'scalar' || kind !== kindOf(l.value)) return l;
  return { value: mergeValues(g.value, l.value, charge), range: l.range, sources: [...g.sources, ...l.sources], fromGlobals: false };
}

type Kind = 'scalar' | 'list' | 'map';

function kindOf(value: unknown): Kind {
  if (Array.isArray(value)) return 'list';
  if (value !== null && typeof value === 'object' && !isIntrinsic(value)) return 'map';
  return 'scalar';
}

/** Each function gets its own copy of what it merges: the copies are paid for, as aliases are. */
export function mergeValues(global: unknown, local: unknown, charge: Charge = () => true): unknown {
  const kind = kindOf(global);
  if (kind !== kindOf(local) || kind === 'scalar') return local;
  if (kind === 'list') {
    const [g, l] = [global as unknown[], local as unknown[]];
    return charge(g.length + l.length) ? [...g, ...l] : local;
  }
  const [g, l] = [global as Record<string, unknown>, local as Record<string, unknown>];
  const globalKeys = Object.keys(g);
  if (!charge(globalKeys.length)) return local;
  // Built in place (each function's Environment goes through here): the keys in the order a Map
  // of them would give, `__proto__` an own key as Object.fromEntries makes it.
  const out: Record<string, unknown> = {};
  for (const k of globalKeys) setEntry(out, k, g[k]);
  for (const k of Object.keys(l)) setEntry(out, k, Object.hasOwn(out, k) ? mergeValues(out[k], l[k], charge) : l[k]);
  return out;
}
