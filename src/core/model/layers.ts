import { LAMBDA_S3_KEYS, readCodeLocation, SAM_S3_KEYS } from './code';
import { type TemplateContext, report } from './context';
import { stringField, stringListField } from './fields';
import { describeValue, isIntrinsic, isRef } from './intrinsics';
import { readBuildMetadata } from './metadata';
import { nestedRanges, type Prop, readProps } from './props';
import { resolveValue } from './resolve';
import { type ResourceEntry, resourceBasics } from './resource';
import type { Architecture, LayerRef, LayerSpec, SourceRange } from './types';

export const LAYER_TYPES = ['AWS::Serverless::LayerVersion', 'AWS::Lambda::LayerVersion'] as const;

export function isLayerType(type: string): type is LayerSpec['resourceType'] {
  return (LAYER_TYPES as readonly string[]).includes(type);
}

export function readLayer(ctx: TemplateContext, res: ResourceEntry & { type: LayerSpec['resourceType'] }): LayerSpec {
  const { reader } = ctx;
  const basics = resourceBasics(ctx, res);
  const props = readProps(reader, reader.get(res.node, 'Properties')?.value ?? null);
  for (const [name, prop] of props) {
    prop.value = resolveValue(prop.value, ctx.parameters, reader.charge(prop.range)).value;
    basics.ranges.properties[name] = prop.range;
    nestedRanges(reader, name, prop, basics.ranges.properties);
  }
  const layer: LayerSpec = {
    logicalId: res.logicalId,
    templatePath: ctx.path,
    resourceType: res.type,
    compatibleRuntimes: stringListField(ctx, 'CompatibleRuntimes', props.get('CompatibleRuntimes')),
    compatibleArchitectures: architectures(ctx, props.get('CompatibleArchitectures')),
    ranges: basics.ranges,
  };
  const layerName = stringField(ctx, 'LayerName', props.get('LayerName'));
  if (layerName !== undefined) layer.layerName = layerName;
  if (basics.condition) layer.condition = basics.condition;
  const build = readBuildMetadata(basics.metadata);
  if (build) layer.build = build;
  const buildArchitecture = basics.metadata.BuildArchitecture;
  if (buildArchitecture !== undefined && buildArchitecture !== 'x86_64' && buildArchitecture !== 'arm64') {
    report(ctx, 'error', 'invalid-architecture', `Metadata.BuildArchitecture of ${res.logicalId} is ${describeValue(buildArchitecture)}: use x86_64 or arm64.`, basics.ranges.logicalId);
  }

  const sam = res.type === 'AWS::Serverless::LayerVersion';
  const contentName = sam ? 'ContentUri' : 'Content';
  const content = props.get(contentName);
  const location = content ? readCodeLocation(ctx, contentName, content, sam ? SAM_S3_KEYS : LAMBDA_S3_KEYS) : undefined;
  if (location && 'local' in location) layer.contentUri = location.local;
  if (location && 's3' in location) layer.s3Content = location.s3;
  if (!content) {
    report(ctx, 'error', 'content-missing', `Layer ${res.logicalId} has no ${contentName}: add the folder that holds the layer's files (for example ${contentName}: layers/${res.logicalId}/).`, basics.ranges.logicalId);
  }
  return layer;
}

function architectures(ctx: TemplateContext, prop: Prop | undefined): Architecture[] {
  const out: Architecture[] = [];
  for (const a of stringListField(ctx, 'CompatibleArchitectures', prop)) {
    if (a === 'x86_64' || a === 'arm64') out.push(a);
    else if (prop) report(ctx, 'error', 'invalid-architecture', `CompatibleArchitectures has '${a}': use x86_64 or arm64.`, prop.range);
  }
  return out;
}

const LAYER_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[A-Za-z0-9_-]+:\d+$/;

/**
 * A function's Layers entry: a !Ref to a layer in this template is that layer; a literal is an ARN;
 * anything else (a !Sub, a !GetAtt of a nested stack's output, an import) is kept as written.
 */
export function resolveLayerRef(ctx: TemplateContext, value: unknown, layers: ReadonlyMap<string, LayerSpec>, range: SourceRange): LayerRef {
  if (isRef(value)) {
    const layer = layers.get(value.args);
    if (layer) return { kind: 'local', logicalId: value.args, layer };
    const type = ctx.resourceTypes.get(value.args);
    if (type === undefined && !ctx.parameterNames.has(value.args) && !value.args.startsWith('AWS::')) {
      report(ctx, 'error', 'layer-not-found', `Layers: !Ref ${value.args} names nothing in this template. Add a layer resource named ${value.args}, a parameter, or fix the name.`, range);
    } else if (type !== undefined) {
      report(ctx, 'error', 'layer-not-a-layer', `Layers: ${value.args} is not a layer (its Type is ${type}). Refer to an AWS::Serverless::LayerVersion or a layer version ARN.`, range);
    }
    return { kind: 'unresolved', expression: value };
  }
  if (typeof value === 'string') {
    if (!LAYER_ARN.test(value)) {
      report(ctx, 'warning', 'layer-arn-invalid', `Layers: '${value}' is not a layer version ARN (arn:aws:lambda:<region>:<account>:layer:<name>:<version>).`, range);
    }
    return { kind: 'arn', arn: value };
  }
  if (isIntrinsic(value)) return { kind: 'unresolved', expression: value };
  report(ctx, 'error', 'invalid-type', `Layers entries must be layer ARNs or !Ref to a layer; got ${describeValue(value)}.`, range);
  return { kind: 'unresolved', expression: describeValue(value) };
}
