/**
 * The typed view of a SAM/CloudFormation template that every feature works from.
 * Positions are 0-based (VS Code's convention); the CLI adds 1 when it prints them.
 */

export interface Position {
  line: number;
  column: number;
}

export interface SourceRange {
  start: Position;
  end: Position;
}

export interface TemplateProblem {
  message: string;
  range: SourceRange;
  severity: 'error' | 'warning';
  /** Stable id for tooling and quick fixes, e.g. 'yaml-syntax', 'handler-not-found'. */
  code: string;
}

/** A CloudFormation intrinsic kept as written (never guessed): e.g. { fn: 'Sub', args: '${AWS::StackName}-x' }. */
export interface Intrinsic {
  fn: string;
  args: unknown;
}

export type Architecture = 'x86_64' | 'arm64';

export interface EsbuildProperties {
  entryPoints?: string[];
  external?: string[];
  minify?: boolean;
  target?: string;
  sourcemap?: boolean;
  format?: 'cjs' | 'esm';
  mainFields?: string[];
  loader?: string[];
}

export interface BuildMetadata {
  /** SAM's Metadata.BuildMethod: 'esbuild', 'makefile', 'go1.x', 'rust-cargolambda', a runtime name... */
  method: string;
  /** Metadata.BuildProperties when BuildMethod is esbuild. */
  esbuild?: EsbuildProperties;
  /** Metadata.BuildProperties as written (UseNpmCi, TrimGoPath...), for any builder; absent when empty. */
  properties?: Record<string, unknown>;
  /** Metadata.BuildArchitecture: the CPU a layer is built for (SAM's default is x86_64). */
  architecture?: Architecture;
}

export interface ImageMetadata {
  /** Absolute path of the Dockerfile. */
  dockerfile: string;
  /** Absolute path of the build context. */
  dockerContext: string;
  dockerTag?: string;
  buildArgs?: Record<string, string>;
}

export type LayerRef =
  | { kind: 'local'; logicalId: string; layer: LayerSpec }
  | { kind: 'arn'; arn: string }
  | { kind: 'unresolved'; expression: Intrinsic | string };

export interface EventSpec {
  name: string;
  type: string;
  /** The event's Properties as written; intrinsics stay Intrinsic values. */
  properties: Record<string, unknown>;
}

export interface FunctionSpec {
  logicalId: string;
  /** Absolute path of the template that declares it. */
  templatePath: string;
  resourceType: 'AWS::Serverless::Function' | 'AWS::Lambda::Function';
  /** FunctionName when it is a literal; an intrinsic stays in functionNameExpression. */
  functionName?: string;
  functionNameExpression?: Intrinsic;
  runtime?: string;
  handler?: string;
  /** Absolute path of the code folder (CodeUri resolved against the template's folder). */
  codeUri?: string;
  /** AWS::Lambda::Function Code.ZipFile. */
  inlineCode?: string;
  /** CodeUri or Code given as an S3 location. */
  s3Code?: { bucket: string; key: string; version?: string };
  architecture: Architecture;
  memorySize: number;
  timeout: number;
  environment: Record<string, string>;
  layers: LayerRef[];
  role?: string | Intrinsic;
  packageType: 'Zip' | 'Image';
  imageUri?: string;
  image?: ImageMetadata;
  build?: BuildMetadata;
  events: EventSpec[];
  /** Properties whose value came from the first branch of an !If. */
  conditional: string[];
  /**
   * Where the resource and each of its (merged) properties stand in the template. A property's range is
   * its value's (the Globals entry when the value comes from Globals). Besides top-level names, keys
   * include `Events.<Name>`, `Layers.<index>`, `Environment.Variables.<NAME>` and `Metadata.<Key>`.
   */
  ranges: { resource: SourceRange; logicalId: SourceRange; properties: Record<string, SourceRange> };
  /** The resource's Condition attribute: the function exists only when that condition holds. */
  condition?: string;
  /** Environment variables whose value is an intrinsic (not a literal), kept as written. */
  environmentExpressions?: Record<string, Intrinsic>;
  /** Properties whose value came from a template Parameter's Default (a `!Ref Param`). */
  fromParameterDefaults?: string[];
  /** EphemeralStorage.Size in MB, when set. */
  ephemeralStorageMb?: number;
  /** FunctionUrlConfig (SAM): the function has a URL of its own. */
  functionUrl?: FunctionUrlSpec;
  /** ReservedConcurrentExecutions, when a whole number. */
  reservedConcurrency?: number;
}

/** A function's URL as FunctionUrlConfig sets it up. */
export interface FunctionUrlSpec {
  /** NONE or AWS_IAM (as written; other values are kept for the message that refuses them). */
  authType: string;
  invokeMode: 'BUFFERED' | 'RESPONSE_STREAM';
  /** FunctionUrlConfig.Cors as written (AllowOrigins, AllowMethods, AllowHeaders, ExposeHeaders, MaxAge, AllowCredentials). */
  cors?: Record<string, unknown>;
}

/**
 * A resource that routes HTTP requests to functions: a SAM API (AWS::Serverless::Api or HttpApi,
 * with Globals.Api / Globals.HttpApi merged in) or an Elastic Load Balancing v2 resource (target
 * group, listener, listener rule). Its properties are as written, with !If and parameter defaults
 * resolved; what they mean is the local HTTP front door's business (core/serve). The Globals.Api
 * and Globals.HttpApi sections are here too, as types `Globals::Api` and `Globals::HttpApi`
 * (logical id `Globals`): they are the properties of the APIs SAM creates implicitly.
 */
export interface HttpResourceSpec {
  logicalId: string;
  templatePath: string;
  resourceType: string;
  properties: Record<string, unknown>;
  ranges: { resource: SourceRange; logicalId: SourceRange; properties: Record<string, SourceRange> };
  condition?: string;
}

export interface LayerSpec {
  logicalId: string;
  templatePath: string;
  resourceType: 'AWS::Serverless::LayerVersion' | 'AWS::Lambda::LayerVersion';
  layerName?: string;
  /** Absolute path of the layer's content folder. */
  contentUri?: string;
  s3Content?: { bucket: string; key: string; version?: string };
  compatibleRuntimes: string[];
  compatibleArchitectures: Architecture[];
  build?: BuildMetadata;
  ranges: { resource: SourceRange; logicalId: SourceRange; properties: Record<string, SourceRange> };
  /** The resource's Condition attribute. */
  condition?: string;
}

export interface TemplateModel {
  /** Absolute path. */
  path: string;
  functions: FunctionSpec[];
  layers: LayerSpec[];
  /** SAM APIs and load balancer resources (see HttpResourceSpec). */
  httpResources: HttpResourceSpec[];
  problems: TemplateProblem[];
}
