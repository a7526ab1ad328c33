import { LIMITS } from '../limits';
import { LAMBDA_S3_KEYS, readCodeLocation, SAM_S3_KEYS } from './code';
import { type TemplateContext, report } from './context';
import { integerField, stringField } from './fields';
import { mergeGlobals } from './globals';
import { describeValue, isIntrinsic, type IntrinsicValue } from './intrinsics';
import { resolveLayerRef } from './layers';
import { asRecord, readBuildMetadata, readImageMetadata } from './metadata';
import { nestedRanges, type Prop, type Props, readProps } from './props';
import { resolveValue } from './resolve';
import { type ResourceEntry, resourceBasics } from './resource';
import type { Architecture, EventSpec, FunctionSpec, LayerSpec, SourceRange } from './types';

export const FUNCTION_TYPES = ['AWS::Serverless::Function', 'AWS::Lambda::Function'] as const;

export function isFunctionType(type: string): type is FunctionSpec['resourceType'] {
  return (FUNCTION_TYPES as readonly string[]).includes(type);
}

/** What integerField accepts for each number property, and its default. */
const MEMORY_FIELD = { ...LIMITS.memoryMb, unit: 'MB', fallback: 128 };
const TIMEOUT_FIELD = { ...LIMITS.timeoutSeconds, unit: 'seconds', fallback: 3 };
const EPHEMERAL_STORAGE_FIELD = { ...LIMITS.ephemeralStorageMb, unit: 'MB', fallback: 512 };

/** A deployed name or role is whatever the stack is given; a Parameter's Default would be a guess. */
const KEEP_PARAMETER_REFS = new Set(['FunctionName', 'Role']);

export function readFunction(
  ctx: TemplateContext,
  res: ResourceEntry & { type: FunctionSpec['resourceType'] },
  globals: Props,
  layers: ReadonlyMap<string, LayerSpec>,
): FunctionSpec {
  const { reader } = ctx;
  const sam = res.type === 'AWS::Serverless::Function';
  const basics = resourceBasics(ctx, res);
  const propertiesNode = reader.get(res.node, 'Properties')?.value ?? null;
  if (propertiesNode !== null && !reader.isMap(propertiesNode)) {
    report(ctx, 'error', 'invalid-type', `Properties of ${res.logicalId} must be a mapping of property names to values.`, reader.range(propertiesNode));
  }
  const local = readProps(reader, propertiesNode);
  const ignoreGlobals = reader.value(reader.get(res.node, 'IgnoreGlobals')?.value ?? null);
  const merged = sam ? mergeGlobals(globals, local, ignoreGlobals, reader.charge(basics.ranges.logicalId)) : local;

  const props: Props = new Map();
  const conditional: string[] = [];
  const fromParameterDefaults: string[] = [];
  for (const [name, prop] of merged) {
    const r = resolveValue(prop.value, KEEP_PARAMETER_REFS.has(name) ? undefined : ctx.parameters, reader.charge(prop.range));
    if (r.conditional) conditional.push(name);
    if (r.fromParameter) fromParameterDefaults.push(name);
    if (r.value === undefined) continue;
    // A copy: Globals' Props are shared by every function of the template.
    props.set(name, { ...prop, value: r.value });
    basics.ranges.properties[name] = prop.range;
    nestedRanges(reader, name, prop, basics.ranges.properties);
  }

  const packageTypeText = stringField(ctx, 'PackageType', props.get('PackageType'));
  if (packageTypeText !== undefined && packageTypeText !== 'Zip' && packageTypeText !== 'Image') {
    report(ctx, 'error', 'invalid-package-type', `PackageType must be Zip or Image; got '${packageTypeText}'.`, props.get('PackageType')!.range);
  }
  const fn: FunctionSpec = {
    logicalId: res.logicalId,
    templatePath: ctx.path,
    resourceType: res.type,
    architecture: architecture(ctx, props.get('Architectures')),
    memorySize: integerField(ctx, 'MemorySize', props.get('MemorySize'), MEMORY_FIELD),
    timeout: integerField(ctx, 'Timeout', props.get('Timeout'), TIMEOUT_FIELD),
    environment: {},
    layers: [],
    packageType: packageTypeText === 'Image' ? 'Image' : 'Zip',
    events: sam ? readEvents(ctx, props.get('Events'), basics.ranges.properties) : [],
    conditional,
    ranges: basics.ranges,
  };
  if (fromParameterDefaults.length > 0) fn.fromParameterDefaults = fromParameterDefaults;
  if (basics.condition) fn.condition = basics.condition;

  const name = props.get('FunctionName')?.value;
  if (typeof name === 'string' || typeof name === 'number') fn.functionName = String(name);
  else if (isIntrinsic(name)) fn.functionNameExpression = name;
  const runtime = stringField(ctx, 'Runtime', props.get('Runtime'));
  if (runtime !== undefined) fn.runtime = runtime;
  const handler = stringField(ctx, 'Handler', props.get('Handler'));
  if (handler !== undefined) fn.handler = handler;
  const role = props.get('Role')?.value;
  if (typeof role === 'string' || isIntrinsic(role)) fn.role = role;

  readEnvironment(fn, props.get('Environment'));
  readCode(ctx, fn, props, sam);
  readLayers(ctx, fn, props.get('Layers'), layers);

  const storage = props.get('EphemeralStorage');
  const size = asRecord(storage?.value).Size;
  if (storage && size !== undefined) {
    const sizeProp: Prop = { ...storage, value: size, range: basics.ranges.properties['EphemeralStorage.Size'] ?? storage.range };
    fn.ephemeralStorageMb = integerField(ctx, 'EphemeralStorage.Size', sizeProp, EPHEMERAL_STORAGE_FIELD);
  }

  if (sam) readFunctionUrl(fn, props.get('FunctionUrlConfig'));
  const reserved = props.get('ReservedConcurrentExecutions')?.value;
  if (typeof reserved === 'number' && Number.isInteger(reserved) && reserved >= 0) fn.reservedConcurrency = reserved;
  else if (typeof reserved === 'string' && /^\d+$/.test(reserved)) fn.reservedConcurrency = Number(reserved);

  const build = readBuildMetadata(basics.metadata);
  if (build) fn.build = build;
  if (fn.packageType === 'Image') {
    const image = readImageMetadata(basics.metadata, ctx.dir);
    if (image) fn.image = image;
    else if (fn.imageUri === undefined && !props.has('ImageUri')) {
      report(ctx, 'warning', 'image-source-missing', `${res.logicalId} is an Image function with neither ImageUri nor Metadata to build one: add Metadata with Dockerfile and DockerContext, or an ImageUri.`, basics.ranges.logicalId);
    }
  } else {
    requireProperty(ctx, fn, props, 'Runtime', sam, 'for example nodejs22.x or python3.13');
    requireProperty(ctx, fn, props, 'Handler', sam, 'for example app.handler: the file app and its export handler');
  }
  return fn;
}

function requireProperty(ctx: TemplateContext, fn: FunctionSpec, props: Props, name: 'Runtime' | 'Handler', sam: boolean, example: string): void {
  if (props.has(name)) return;
  const where = sam ? 'to the function or to Globals.Function' : 'to its Properties';
  report(ctx, 'error', `${name.toLowerCase()}-missing`, `${fn.logicalId} has no ${name}, which a Zip function needs: add ${name} (${example}) ${where}.`, fn.ranges.logicalId);
}

function architecture(ctx: TemplateContext, prop: Prop | undefined): Architecture {
  if (!prop) return 'x86_64';
  const list = Array.isArray(prop.value) ? prop.value : [prop.value];
  if (list.some(isIntrinsic)) return 'x86_64';
  const [first] = list;
  if (list.length !== 1 || (first !== 'x86_64' && first !== 'arm64')) {
    report(ctx, 'error', 'invalid-architecture', `Architectures must be a list of exactly one of x86_64 or arm64; got ${describeValue(prop.value)}.`, prop.range);
  }
  return first === 'arm64' ? 'arm64' : 'x86_64';
}

function readEnvironment(fn: FunctionSpec, prop: Prop | undefined): void {
  const variables = asRecord(asRecord(prop?.value).Variables);
  const expressions: Record<string, IntrinsicValue> = {};
  for (const [key, value] of Object.entries(variables)) {
    if (isIntrinsic(value)) expressions[key] = value;
    else fn.environment[key] = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  if (Object.keys(expressions).length > 0) fn.environmentExpressions = expressions;
}

function readCode(ctx: TemplateContext, fn: FunctionSpec, props: Props, sam: boolean): void {
  const imageUri = sam ? props.get('ImageUri')?.value : asRecord(props.get('Code')?.value).ImageUri;
  if (typeof imageUri === 'string') fn.imageUri = imageUri;
  if (sam) {
    const inline = props.get('InlineCode')?.value;
    if (typeof inline === 'string') fn.inlineCode = inline;
    const codeUri = props.get('CodeUri');
    const location = codeUri ? readCodeLocation(ctx, 'CodeUri', codeUri, SAM_S3_KEYS) : undefined;
    if (location && 'local' in location) fn.codeUri = location.local;
    if (location && 's3' in location) fn.s3Code = location.s3;
    // SAM CLI builds a Zip function without CodeUri from the template's own folder.
    if (!codeUri && fn.inlineCode === undefined && fn.packageType === 'Zip') fn.codeUri = ctx.dir;
    return;
  }
  const code = props.get('Code');
  if (!code) {
    report(ctx, 'error', 'code-missing', `${fn.logicalId} has no Code: add Code with ZipFile, S3Bucket and S3Key, or ImageUri.`, fn.ranges.logicalId);
    return;
  }
  const zipFile = asRecord(code.value).ZipFile;
  if (typeof zipFile === 'string') {
    fn.inlineCode = zipFile;
    return;
  }
  if (fn.imageUri !== undefined || zipFile !== undefined) return;
  const location = readCodeLocation(ctx, 'Code', code, LAMBDA_S3_KEYS);
  if (location && 'local' in location) fn.codeUri = location.local;
  if (location && 's3' in location) fn.s3Code = location.s3;
}

function readLayers(ctx: TemplateContext, fn: FunctionSpec, prop: Prop | undefined, layers: ReadonlyMap<string, LayerSpec>): void {
  if (!prop) return;
  if (!Array.isArray(prop.value)) {
    if (!isIntrinsic(prop.value)) report(ctx, 'error', 'invalid-type', `Layers must be a list of layer ARNs or !Ref to layers; got ${describeValue(prop.value)}.`, prop.range);
    return;
  }
  fn.layers = prop.value.map((item, i) => resolveLayerRef(ctx, item, layers, fn.ranges.properties[`Layers.${i}`] ?? prop.range));
  if (fn.layers.length > LIMITS.layersPerFunction) {
    report(ctx, 'error', 'too-many-layers', `${fn.logicalId} has ${fn.layers.length} layers; Lambda allows ${LIMITS.layersPerFunction}. Combine layers or move code into the function.`, prop.range);
  }
}

function readFunctionUrl(fn: FunctionSpec, prop: Prop | undefined): void {
  if (!prop || prop.value === null || typeof prop.value !== 'object' || isIntrinsic(prop.value)) return;
  const config = asRecord(prop.value);
  const cors = asRecord(config.Cors);
  fn.functionUrl = {
    authType: typeof config.AuthType === 'string' ? config.AuthType : 'NONE',
    invokeMode: config.InvokeMode === 'RESPONSE_STREAM' ? 'RESPONSE_STREAM' : 'BUFFERED',
    ...(Object.keys(cors).length > 0 ? { cors } : {}),
  };
}

function readEvents(ctx: TemplateContext, prop: Prop | undefined, ranges: Record<string, SourceRange>): EventSpec[] {
  if (!prop) return [];
  return Object.entries(asRecord(prop.value)).map(([name, value]) => {
    const event = asRecord(value);
    const type = typeof event.Type === 'string' ? event.Type : '';
    if (!type) report(ctx, 'error', 'event-type-missing', `Event ${name} has no Type: add one, for example Type: Api, HttpApi, SQS or Schedule.`, ranges[`Events.${name}`] ?? prop.range);
    return { name, type, properties: asRecord(event.Properties) };
  });
}
