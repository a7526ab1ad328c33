import type { TemplateContext } from './context';
import { mergeGlobals } from './globals';
import type { NodeReader } from './nodes';
import { nestedRanges, type Props, readProps } from './props';
import { resolveValue } from './resolve';
import { type ResourceEntry, resourceBasics } from './resource';
import type { HttpResourceSpec } from './types';

/** The resource types that route HTTP requests to functions, and the Globals section each takes. */
const HTTP_TYPES: Readonly<Record<string, string | undefined>> = {
  'AWS::Serverless::Api': 'Api',
  'AWS::Serverless::HttpApi': 'HttpApi',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': undefined,
  'AWS::ElasticLoadBalancingV2::TargetGroup': undefined,
  'AWS::ElasticLoadBalancingV2::Listener': undefined,
  'AWS::ElasticLoadBalancingV2::ListenerRule': undefined,
};

export function isHttpResourceType(type: string): boolean {
  return Object.hasOwn(HTTP_TYPES, type);
}

/**
 * Globals.Api and Globals.HttpApi, read once per template. When a section is there, the model also
 * holds it as a resource of type `Globals::Api` / `Globals::HttpApi` (logical id `Globals`): the
 * implicit APIs SAM creates (ServerlessRestApi, ServerlessHttpApi) take exactly those properties.
 */
export function readGlobalApiProps(reader: NodeReader, globalsNode: unknown): Map<string, Props> {
  const out = new Map<string, Props>();
  for (const section of ['Api', 'HttpApi']) out.set(section, readProps(reader, reader.get(globalsNode, section)?.value ?? null, true));
  return out;
}

/** The Globals sections as resources (see readGlobalApiProps), for the implicit APIs. */
export function globalApiResources(ctx: TemplateContext, globals: ReadonlyMap<string, Props>): HttpResourceSpec[] {
  const out: HttpResourceSpec[] = [];
  for (const [section, props] of globals) {
    if (props.size === 0) continue;
    const properties: Record<string, unknown> = {};
    const ranges: HttpResourceSpec['ranges'] = { resource: [...props.values()][0].range, logicalId: [...props.values()][0].range, properties: {} };
    for (const [name, prop] of props) {
      const value = resolveValue(prop.value, ctx.parameters, ctx.reader.charge(prop.range)).value;
      if (value === undefined) continue;
      properties[name] = value;
      ranges.properties[name] = prop.range;
    }
    out.push({ logicalId: 'Globals', templatePath: ctx.path, resourceType: `Globals::${section}`, properties, ranges });
  }
  return out;
}

/**
 * One API or load balancing resource, its properties resolved like a function's (the first branch
 * of an !If, parameter defaults) and merged with its Globals section the way SAM merges them.
 */
export function readHttpResource(ctx: TemplateContext, res: ResourceEntry, globals: ReadonlyMap<string, Props>): HttpResourceSpec {
  const { reader } = ctx;
  const basics = resourceBasics(ctx, res);
  const local = readProps(reader, reader.get(res.node, 'Properties')?.value ?? null);
  const section = HTTP_TYPES[res.type];
  const sectionGlobals = section ? globals.get(section) : undefined;
  const merged = sectionGlobals ? mergeGlobals(sectionGlobals, local, undefined, reader.charge(basics.ranges.logicalId)) : local;
  const properties: Record<string, unknown> = {};
  for (const [name, prop] of merged) {
    const value = resolveValue(prop.value, ctx.parameters, reader.charge(prop.range)).value;
    if (value === undefined) continue;
    properties[name] = value;
    basics.ranges.properties[name] = prop.range;
    nestedRanges(reader, name, prop, basics.ranges.properties);
  }
  const spec: HttpResourceSpec = { logicalId: res.logicalId, templatePath: ctx.path, resourceType: res.type, properties, ranges: basics.ranges };
  if (basics.condition) spec.condition = basics.condition;
  return spec;
}
