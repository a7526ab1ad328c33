import { join } from 'node:path';
import { UserError } from '../errors';
import type { CreateFile } from '../scaffold/edits';
import { cognitoUserPool } from './cognito';
import { cloudFront } from './edge';
import { alb, apiGatewayHttp, apiGatewayRest, functionUrl } from './http';
import { cloudWatchLogs } from './logs';
import { sns, sqs } from './messaging';
import { sampleParamProblems } from './params';
import { eventBridge, schedule } from './rules';
import { stepFunctions } from './stepfunctions';
import { s3, s3Batch } from './storage';
import { dynamodb, firehose, kinesis } from './streams';
import { SAMPLE_EVENT_TYPES, type SampleEventDefinition, type SampleEventType, type SampleParams } from './types';

/** The sample event catalog, in the order pickers show it. */
export const SAMPLE_EVENTS: readonly SampleEventDefinition[] = [
  apiGatewayHttp,
  apiGatewayRest,
  functionUrl,
  alb,
  sqs,
  sns,
  s3,
  eventBridge,
  schedule,
  dynamodb,
  kinesis,
  cognitoUserPool,
  cloudWatchLogs,
  firehose,
  cloudFront,
  stepFunctions,
  s3Batch,
];

export function isSampleEventType(value: string): value is SampleEventType {
  return (SAMPLE_EVENT_TYPES as readonly string[]).includes(value);
}

export function sampleEventDefinition(type: string): SampleEventDefinition {
  const found = SAMPLE_EVENTS.find((d) => d.type === type);
  if (!found) {
    throw new UserError(`There is no sample event of type '${type}'.`, `Use one of: ${SAMPLE_EVENT_TYPES.join(', ')}.`, 'unknown-event-type');
  }
  return found;
}

/** Builds a sample; parameters the type does not use are ignored, invalid ones refused. */
export function buildSampleEvent(type: SampleEventType, params: SampleParams = {}): unknown {
  const problems = sampleParamProblems(params);
  if (problems.length > 0) throw new UserError(problems.join(' '), undefined, 'invalid-sample-params');
  return sampleEventDefinition(type).build(params);
}

/** How saved samples are written: two-space JSON with a final newline. */
export function serializeSampleEvent(event: unknown): string {
  return `${JSON.stringify(event, null, 2)}\n`;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * `<name>.<type>.json`: the type in the file name is what ties a saved sample to its JSON schema
 * (see jsonValidationContributions).
 */
export function sampleEventFileName(name: string, type: SampleEventType): string {
  if (!NAME.test(name)) {
    throw new UserError(
      `'${name}' cannot name a sample event.`,
      'Use up to 64 letters, digits, - and _, starting with a letter or digit.',
      'invalid-event-name',
    );
  }
  return `${name}.${type}.json`;
}

/** The type a saved sample's file name declares, if any; a path counts by its last part (folders may have dots). */
export function sampleEventTypeOfFile(fileName: string): SampleEventType | undefined {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const m = /^[^.]+\.([a-z0-9-]+)\.json$/.exec(base);
  return m && isSampleEventType(m[1]) ? m[1] : undefined;
}

/** Where a function's saved samples live, relative to its template's folder (POSIX separators). */
export function sampleEventsFolder(logicalId: string): string {
  return `events/${logicalId}`;
}

export interface NewSampleEventInput {
  /** Absolute folder of the template that declares the function. */
  templateDir: string;
  logicalId: string;
  type: SampleEventType;
  /** File label; the type's defaultName when omitted. */
  name?: string;
  params?: SampleParams;
}

/**
 * The file a "New Sample Event" writes: events/<LogicalId>/<name>.<type>.json. Refuses an
 * existing file, so a saved sample someone edited is never replaced.
 */
export function planSampleEvent(input: NewSampleEventInput, pathExists: (absPath: string) => boolean): CreateFile {
  const def = sampleEventDefinition(input.type);
  const fileName = sampleEventFileName(input.name ?? def.defaultName, input.type);
  const path = join(input.templateDir, ...sampleEventsFolder(input.logicalId).split('/'), fileName);
  if (pathExists(path)) {
    throw new UserError(`${path} already exists.`, 'Choose another name for the sample event.', 'file-exists');
  }
  return { kind: 'create', path, content: serializeSampleEvent(buildSampleEvent(input.type, input.params)) };
}

const SAM_EVENT_SAMPLES: Record<string, SampleEventType> = {
  HttpApi: 'apigateway-http',
  Api: 'apigateway-rest',
  SQS: 'sqs',
  SNS: 'sns',
  S3: 's3',
  EventBridgeRule: 'eventbridge',
  CloudWatchEvent: 'eventbridge',
  Schedule: 'schedule',
  ScheduleV2: 'schedule',
  DynamoDB: 'dynamodb',
  Kinesis: 'kinesis',
  CloudWatchLogs: 'cloudwatch-logs',
  Cognito: 'cognito-user-pool',
};

/**
 * The sample types that fit a function, from its SAM event types (Events.*.Type) and whether it
 * has a FunctionUrlConfig: what a "New Sample Event" picker offers first.
 */
export function sampleTypesForFunction(eventTypes: readonly string[], hasFunctionUrl = false): SampleEventType[] {
  const types = eventTypes.flatMap((t) => (SAM_EVENT_SAMPLES[t] ? [SAM_EVENT_SAMPLES[t]] : []));
  if (hasFunctionUrl) types.push('function-url');
  return [...new Set(types)];
}

export interface JsonValidationContribution {
  fileMatch: string[];
  url: string;
}

/** package.json contributes.jsonValidation: each type's schema for the saved samples of its type. */
export function jsonValidationContributions(): JsonValidationContribution[] {
  return SAMPLE_EVENTS.map((d) => ({
    fileMatch: [`**/events/*/*.${d.type}.json`],
    url: `./schemas/events/${d.type}.schema.json`,
  }));
}
