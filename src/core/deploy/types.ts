import type { ECRClient } from '@aws-sdk/client-ecr';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { FunctionConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Architecture, FunctionSpec } from '../model/types';
import type { ZipArtifact } from './artifact';

export type LambdaSend = Pick<LambdaClient, 'send'>;
export type S3Send = Pick<S3Client, 'send'>;
export type EcrSend = Pick<ECRClient, 'send'>;
export type IamSend = Pick<IAMClient, 'send'>;

/**
 * Codes of refusals, besides the UserError codes of what failed on the way (a build, an image):
 * a template this deploy cannot take as it is (the fix is in the template), a package over the
 * direct-upload limit with no staging bucket set.
 */
export const REFUSED_BY_TEMPLATE = 'refused-by-template';
export const BUCKET_NOT_SET = 'bucket-not-set';

/** What a deploy does (or did) to one function. The first four are the CLI's JSON values. */
export type PlannedAction = 'created' | 'updated' | 'unchanged' | 'refused';
export type FunctionOutcome = PlannedAction | 'failed' | 'cancelled';
export type UploadVia = 'direct' | 's3' | 'image';

export type StepName =
  | 'build'
  | 'measure'
  | 'package'
  | 'build image'
  | 'read deployed state'
  | 'publish layer'
  | 'delete layer version'
  | 'create role'
  | 'stage to S3'
  | 'log in to registry'
  | 'push image'
  | 'create function'
  | 'update code'
  | 'update configuration'
  | 'publish version'
  | 'update alias';

/** One progress report: which function or layer, which step, and how many bytes so far. */
export interface DeployProgress {
  target: { kind: 'function' | 'layer'; logicalId: string; name: string };
  step: StepName;
  phase: 'start' | 'progress' | 'done' | 'skipped';
  bytes?: number;
  totalBytes?: number;
  message?: string;
}
export type ProgressListener = (event: DeployProgress) => void;

export interface LayerPlan {
  logicalId: string;
  layerName: string;
  templatePath: string;
  action: 'publish' | 'unchanged' | 'refused';
  reason: string | null;
  /** What the refusal is about, as a UserError code (see RefusalCode), when a named fix exists. */
  code?: string;
  codeSha256: string | null;
  /** Zip bytes to upload when published; 0 when unchanged. */
  uploadBytes: number;
  bytes: number | null;
  unzippedBytes: number | null;
  via: 'direct' | 's3' | null;
  /** The deployed version that matches the local content (attached as is when unchanged). */
  current: { arn: string; version: number; codeSize: number | null } | null;
  compatibleRuntimes: string[];
  compatibleArchitectures: Architecture[];
  /** @internal the zip to publish */
  artifact?: ZipArtifact;
}

export type PlannedLayerRef = { kind: 'local'; logicalId: string; layerName: string } | { kind: 'arn'; arn: string };

/**
 * Where the function's role comes from: the template's literal ARN, the --role option, the role
 * the deployed function already has, the basic execution role a previous deploy created, or
 * that role created now (after confirmation).
 */
export type RolePlan =
  | { kind: 'template' | 'option' | 'deployed' | 'shared'; arn: string }
  | { kind: 'create'; roleName: string };

export interface ImagePlan {
  /** The local name the build was tagged with: registry/repository:tag. */
  localRef: string;
  registry: string;
  repositoryName: string;
  tag: string;
  imageId: string;
  sizeBytes: number;
  /** Whether the registry is the ECR repository itself or an override (an emulator's registry). */
  registryOverridden: boolean;
  /** repo@digest when this exact image was pushed before (from the local image's RepoDigests). */
  knownDigestUri: string | null;
}

export interface FunctionPlan {
  logicalId: string;
  functionName: string;
  templatePath: string;
  packageType: 'Zip' | 'Image';
  action: PlannedAction;
  /** Why it is refused, or null. */
  reason: string | null;
  /** What the refusal is about, as a UserError code (see RefusalCode), when a named fix exists. */
  code?: string;
  /** What differs from the deployed function: 'code', 'architecture', or configuration property names. */
  changes: string[];
  via: UploadVia | null;
  /** Bytes the deploy expects to send (zip size, or image size as an upper bound); 0 when unchanged. */
  uploadBytes: number;
  codeSha256: string | null;
  codeSize: number | null;
  unzippedBytes: number | null;
  layersUnzippedBytes: number | null;
  /** Notes for the person confirming (e.g. a size that is a lower bound). */
  notes: string[];
  layers: PlannedLayerRef[];
  role: RolePlan | null;
  architecture: Architecture;
  image: ImagePlan | null;
  /** @internal what the plan compared against */
  deployed?: FunctionConfiguration;
  /** @internal the deployed image URI */
  deployedImageUri?: string;
  /** @internal the digest the template's ImageUri tag names now, when ECR says (see tagDigest) */
  imageTagDigest?: string;
  /** @internal the zip to upload */
  artifact?: ZipArtifact;
  /** @internal the template's function */
  spec?: FunctionSpec;
}

export interface DeployPlan {
  region: string;
  functions: FunctionPlan[];
  layers: LayerPlan[];
  /** Questions execution will ask before it creates something (an IAM role, an S3 bucket). */
  confirmations: string[];
  totalUploadBytes: number;
  /** Removes the packaged artifacts; call it once the plan is executed or dropped. */
  dispose(): Promise<void>;
}

export interface FunctionResult {
  logicalId: string;
  functionName: string;
  action: FunctionOutcome;
  codeSha256: string | null;
  codeSize: number | null;
  uploadedBytes: number;
  via: UploadVia | null;
  /** Layer version ARNs attached, in order. */
  layers: string[];
  /** The version published, '$LATEST' when none was, null when nothing was deployed. */
  version: string | null;
  reason: string | null;
  /** The refusal's code, from the plan (a failure's is its error's). */
  code?: string;
  /** What was done, in order ("code updated", ...), so a failure says what it left behind. */
  done: string[];
  error?: unknown;
}

export interface LayerResult {
  logicalId: string;
  layerName: string;
  action: 'published' | 'unchanged' | 'refused' | 'failed' | 'cancelled';
  arn: string | null;
  version: number | null;
  codeSize: number | null;
  codeSha256: string | null;
  uploadedBytes: number;
  reason: string | null;
  /** The refusal's code, from the plan (a failure's is its error's). */
  code?: string;
  error?: unknown;
}

export interface DeployResult {
  functions: FunctionResult[];
  layers: LayerResult[];
  /** Nothing refused, failed or cancelled. */
  ok: boolean;
}
