import type { SampleEventType } from '../events/types';
import type { Architecture } from '../model/types';

/**
 * The choices a new function is made of, as data: the extension's New Function prompts and the
 * CLI's `new` list exactly these, and validation names them when it refuses a value.
 */

export type RuntimeId = 'nodejs24.x' | 'nodejs22.x' | 'python3.13' | 'python3.12' | 'java21' | 'java17' | 'provided.al2023';
export type LanguageId = 'ts' | 'js' | 'python' | 'java' | 'go' | 'rust';
export type PackageTypeId = 'zip' | 'image';
export type EventSourceId =
  | 'http-api'
  | 'rest-api'
  | 'function-url'
  | 'alb'
  | 'sqs'
  | 'sns'
  | 's3'
  | 'eventbridge'
  | 'schedule'
  | 'dynamodb'
  | 'kinesis';

export type RuntimeFamily = 'node' | 'python' | 'java' | 'go';

export interface RuntimeOption {
  id: RuntimeId;
  label: string;
  family: RuntimeFamily;
  /** Languages a function on this runtime can be written in; the first is the default. */
  languages: readonly LanguageId[];
  /** The Lambda base image (public.ecr.aws/lambda/...) image functions build FROM. */
  baseImage: string;
  /** esbuild's target for Node runtimes ('node22'). */
  esbuildTarget?: string;
  /** The Java release javac compiles for (maven.compiler.release), for Java runtimes. */
  javaRelease?: number;
}

export interface LanguageOption {
  id: LanguageId;
  label: string;
  /** Why the language cannot be chosen, when it cannot. */
  unavailable?: string;
}

export interface PackageTypeOption {
  id: PackageTypeId;
  label: string;
  description: string;
}

export interface ArchitectureOption {
  id: Architecture;
  label: string;
  description: string;
}

export interface EventSourceOption {
  id: EventSourceId;
  label: string;
  description: string;
  /** The catalog sample that stands for this source's events. */
  sampleType: SampleEventType;
}

// Lambda's current runtimes only: a deprecated one (nodejs20.x since April 2026) is not offered for
// new functions, and cfn-lint warns about it in the template (W2531).
export const RUNTIMES: readonly RuntimeOption[] = [
  {
    id: 'nodejs24.x',
    label: 'Node.js 24',
    family: 'node',
    languages: ['ts', 'js'],
    baseImage: 'public.ecr.aws/lambda/nodejs:24',
    esbuildTarget: 'node24',
  },
  {
    id: 'nodejs22.x',
    label: 'Node.js 22',
    family: 'node',
    languages: ['ts', 'js'],
    baseImage: 'public.ecr.aws/lambda/nodejs:22',
    esbuildTarget: 'node22',
  },
  { id: 'python3.13', label: 'Python 3.13', family: 'python', languages: ['python'], baseImage: 'public.ecr.aws/lambda/python:3.13' },
  { id: 'python3.12', label: 'Python 3.12', family: 'python', languages: ['python'], baseImage: 'public.ecr.aws/lambda/python:3.12' },
  { id: 'java21', label: 'Java 21', family: 'java', languages: ['java'], baseImage: 'public.ecr.aws/lambda/java:21', javaRelease: 21 },
  { id: 'java17', label: 'Java 17', family: 'java', languages: ['java'], baseImage: 'public.ecr.aws/lambda/java:17', javaRelease: 17 },
  {
    id: 'provided.al2023',
    label: 'OS-only runtime (Amazon Linux 2023), Go or Rust',
    family: 'go',
    languages: ['go', 'rust'],
    baseImage: 'public.ecr.aws/lambda/provided:al2023',
  },
];

export const LANGUAGES: readonly LanguageOption[] = [
  { id: 'ts', label: 'TypeScript (bundled with esbuild)' },
  { id: 'js', label: 'JavaScript (ES modules)' },
  { id: 'python', label: 'Python' },
  { id: 'java', label: 'Java (Maven)' },
  { id: 'go', label: 'Go' },
  { id: 'rust', label: 'Rust (cargo; Cargo Lambda when installed)' },
];

export const PACKAGE_TYPES: readonly PackageTypeOption[] = [
  { id: 'zip', label: 'Zip', description: 'A .zip deployment package (up to 250 MB unzipped with layers).' },
  { id: 'image', label: 'Container image', description: 'A Docker image built FROM the Lambda base image (up to 10 GB).' },
];

export const ARCHITECTURES: readonly ArchitectureOption[] = [
  { id: 'x86_64', label: 'x86_64', description: 'Intel/AMD; runs natively on most development machines.' },
  { id: 'arm64', label: 'arm64', description: 'AWS Graviton; about 20% cheaper per GB-second.' },
];

export const EVENT_SOURCES: readonly EventSourceOption[] = [
  { id: 'http-api', label: 'API Gateway HTTP API', description: 'An HTTP route (payload format 2.0).', sampleType: 'apigateway-http' },
  { id: 'rest-api', label: 'API Gateway REST API', description: 'A REST API proxy resource.', sampleType: 'apigateway-rest' },
  { id: 'function-url', label: 'Function URL', description: "The function's own HTTPS endpoint.", sampleType: 'function-url' },
  { id: 'alb', label: 'Application Load Balancer', description: 'An ALB listener forwarding to the function.', sampleType: 'alb' },
  { id: 'sqs', label: 'Amazon SQS', description: 'A queue, with partial batch failure reporting.', sampleType: 'sqs' },
  { id: 'sns', label: 'Amazon SNS', description: 'A topic subscription.', sampleType: 'sns' },
  { id: 's3', label: 'Amazon S3', description: 'Objects created in a bucket.', sampleType: 's3' },
  { id: 'eventbridge', label: 'EventBridge rule', description: 'Events matching a pattern on the default bus.', sampleType: 'eventbridge' },
  { id: 'schedule', label: 'Schedule', description: 'A rate or cron schedule.', sampleType: 'schedule' },
  { id: 'dynamodb', label: 'DynamoDB Streams', description: "A table's change stream.", sampleType: 'dynamodb' },
  { id: 'kinesis', label: 'Kinesis Data Streams', description: 'A data stream.', sampleType: 'kinesis' },
];

export const DEFAULT_PACKAGE_TYPE: PackageTypeId = 'zip';
/** x86_64 by default: local runs of arm64 images on most machines need emulation. */
export const DEFAULT_ARCHITECTURE: Architecture = 'x86_64';

export function runtimeOption(id: RuntimeId): RuntimeOption {
  const found = RUNTIMES.find((r) => r.id === id);
  if (!found) throw new Error(`No runtime option ${id}.`);
  return found;
}

export function eventSourceOption(id: EventSourceId): EventSourceOption {
  const found = EVENT_SOURCES.find((e) => e.id === id);
  if (!found) throw new Error(`No event source option ${id}.`);
  return found;
}

/** The languages offered for a runtime, in prompt order. */
export function languagesFor(runtime: RuntimeId): LanguageOption[] {
  const allowed = runtimeOption(runtime).languages;
  return LANGUAGES.filter((l) => allowed.includes(l.id));
}
