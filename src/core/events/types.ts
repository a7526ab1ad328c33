import type { JsonSchema } from './jsonSchema';

/** Every kind of sample event the catalog can build. The id is also the schema's file name. */
export const SAMPLE_EVENT_TYPES = [
  'apigateway-http',
  'apigateway-rest',
  'function-url',
  'alb',
  'sqs',
  'sns',
  's3',
  'eventbridge',
  'schedule',
  'dynamodb',
  'kinesis',
  'cognito-user-pool',
  'cloudwatch-logs',
  'firehose',
  'cloudfront',
  'stepfunctions',
  's3-batch',
] as const;

export type SampleEventType = (typeof SAMPLE_EVENT_TYPES)[number];

/**
 * What a person can vary in a sample. Each event type lists the ones it uses (`params`); the rest
 * are ignored. Omitted values take the catalog's defaults.
 */
export interface SampleParams {
  region?: string;
  accountId?: string;
  /** HTTP method (HTTP events, CloudFront). */
  method?: string;
  /** Request path, starting with '/' (HTTP events, CloudFront uri). */
  path?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  /** Request body as text (HTTP events). */
  body?: string;
  /** Send `body` base64-encoded with isBase64Encoded: true, as AWS does for binary bodies. */
  base64Body?: boolean;
  /** Records in the batch (SQS, SNS, S3, DynamoDB, Kinesis, Firehose, CloudWatch Logs, S3 Batch). */
  recordCount?: number;
  /** The payload of each message or record (SQS body, SNS Message, Kinesis/Firehose data, log message). */
  message?: string;
  subject?: string;
  queueName?: string;
  topicName?: string;
  bucketName?: string;
  objectKey?: string;
  tableName?: string;
  streamName?: string;
  /** EventBridge source and detail-type, and the detail object. */
  source?: string;
  detailType?: string;
  detail?: Record<string, unknown>;
  /** EventBridge rule name (schedule). */
  ruleName?: string;
  logGroup?: string;
  userPoolId?: string;
  userName?: string;
  triggerSource?: CognitoTrigger;
  /** The state input a Step Functions task passes to the function. */
  input?: unknown;
}

export type SampleParamName = keyof SampleParams;

export const COGNITO_TRIGGERS = [
  'PreSignUp_SignUp',
  'PostConfirmation_ConfirmSignUp',
  'PreAuthentication_Authentication',
  'PostAuthentication_Authentication',
] as const;
export type CognitoTrigger = (typeof COGNITO_TRIGGERS)[number];

export interface SampleEventDefinition {
  type: SampleEventType;
  /** Shown in pickers: 'Amazon SQS message batch'. */
  label: string;
  description: string;
  /** Label part of the saved file name when the person gives none: `<defaultName>.<type>.json`. */
  defaultName: string;
  params: readonly SampleParamName[];
  build(params: SampleParams): unknown;
  schema: JsonSchema;
}
