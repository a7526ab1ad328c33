import { isScalar, type Node } from 'yaml';
import type { NodeReader } from './nodes';
import type { SourceRange } from './types';

/** One property of a resource: its data, where it stands, and the nodes it was built from. */
export interface Prop {
  value: unknown;
  range: SourceRange;
  /** The value nodes that made it: one, or the Globals one then the resource's when SAM merged them. */
  sources: (Node | null)[];
  fromGlobals: boolean;
}

export type Props = Map<string, Prop>;

/** A resource's Properties (or a Globals section) as Props. */
export function readProps(reader: NodeReader, node: unknown, fromGlobals = false): Props {
  const props: Props = new Map();
  for (const e of reader.entries(node)) {
    props.set(e.key, {
      value: reader.value(e.alias ?? e.value),
      range: reader.range(e.value ?? e.keyNode),
      sources: [e.value],
      fromGlobals,
    });
  }
  return props;
}

/**
 * Ranges below a property, two levels deep (`Events.Api`, `Events.Api.Type`, `Layers.0`,
 * `Environment.Variables.NAME`). Sequence items are numbered across sources, the way SAM concatenates
 * a Globals list and the resource's.
 */
export function nestedRanges(reader: NodeReader, name: string, prop: Prop, out: Record<string, SourceRange>): void {
  let index = 0;
  for (const source of prop.sources) {
    // Most properties are scalars: nothing below them (items and entries would find nothing, and charge nothing).
    if (source === null || isScalar(source)) continue;
    for (const item of reader.items(source)) out[`${name}.${index++}`] = reader.range(item, prop.range);
    for (const e of reader.entries(source)) {
      out[`${name}.${e.key}`] = reader.range(e.value ?? e.keyNode, prop.range);
      for (const inner of reader.entries(e.value)) {
        out[`${name}.${e.key}.${inner.key}`] = reader.range(inner.value ?? inner.keyNode, prop.range);
      }
    }
  }
}
