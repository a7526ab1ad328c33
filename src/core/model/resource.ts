import type { Node } from 'yaml';
import type { TemplateContext } from './context';
import type { Entry } from './nodes';
import { asRecord } from './metadata';
import { nestedRanges, type Prop } from './props';
import type { SourceRange } from './types';

/** One entry of Resources, with the resource-level attributes every reader uses. */
export interface ResourceEntry {
  logicalId: string;
  type: string;
  keyNode: Node | null;
  node: Node | null;
}

export interface ResourceBasics {
  ranges: { resource: SourceRange; logicalId: SourceRange; properties: Record<string, SourceRange> };
  metadata: Record<string, unknown>;
  condition?: string;
}

export function resourceEntries(ctx: TemplateContext, resourcesNode: unknown): ResourceEntry[] {
  return ctx.reader.entries(resourcesNode).map((e: Entry) => {
    const type = ctx.reader.value(ctx.reader.get(e.value, 'Type')?.value ?? null);
    return { logicalId: e.key, type: typeof type === 'string' ? type : '', keyNode: e.keyNode, node: e.value };
  });
}

/** Ranges of the resource and its id, Metadata (with `Metadata.<Key>` ranges) and Condition. */
export function resourceBasics(ctx: TemplateContext, res: ResourceEntry): ResourceBasics {
  const { reader } = ctx;
  const logicalId = reader.range(res.keyNode);
  const ranges = {
    resource: reader.span(res.keyNode, res.node, logicalId),
    logicalId,
    properties: {} as Record<string, SourceRange>,
  };
  const metadataEntry = reader.get(res.node, 'Metadata');
  const metadata = asRecord(reader.value(metadataEntry?.value ?? null));
  if (metadataEntry) {
    const prop: Prop = { value: metadata, range: reader.range(metadataEntry.value ?? metadataEntry.keyNode), sources: [metadataEntry.value], fromGlobals: false };
    nestedRanges(reader, 'Metadata', prop, ranges.properties);
  }
  const condition = reader.value(reader.get(res.node, 'Condition')?.value ?? null);
  return { ranges, metadata, ...(typeof condition === 'string' ? { condition } : {}) };
}
