import { COGNITO_TRIGGERS, type SampleParams } from './types';

/** What is wrong with a set of sample parameters, each problem a sentence that says how to fix it. */
export function sampleParamProblems(p: SampleParams): string[] {
  const problems: string[] = [];
  const pattern = (value: string | undefined, re: RegExp, what: string) => {
    if (value !== undefined && !re.test(value)) problems.push(`${what} '${value}' is not valid: ${describe(re)}.`);
  };
  if (p.recordCount !== undefined && (!Number.isInteger(p.recordCount) || p.recordCount < 1 || p.recordCount > 100)) {
    problems.push(`Record count ${p.recordCount} is not valid: use a whole number from 1 to 100.`);
  }
  if (p.method !== undefined && !HTTP_METHODS.includes(p.method.toUpperCase())) {
    problems.push(`HTTP method '${p.method}' is not valid: use one of ${HTTP_METHODS.join(', ')}.`);
  }
  pattern(p.path, /^\/[^\s?#]*$/, 'Path');
  pattern(p.region, /^[a-z]{2}(-[a-z]+)+-\d$/, 'Region');
  pattern(p.accountId, /^\d{12}$/, 'Account id');
  pattern(p.queueName, /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/, 'Queue name');
  pattern(p.topicName, /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/, 'Topic name');
  pattern(p.bucketName, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'Bucket name');
  pattern(p.tableName, /^[A-Za-z0-9_.-]{3,255}$/, 'Table name');
  pattern(p.streamName, /^[A-Za-z0-9_.-]{1,128}$/, 'Stream name');
  pattern(p.ruleName, /^[A-Za-z0-9_.-]{1,64}$/, 'Rule name');
  pattern(p.userPoolId, /^[\w-]+_[0-9a-zA-Z]+$/, 'User pool id');
  if (p.objectKey !== undefined && (p.objectKey.length === 0 || Buffer.byteLength(p.objectKey) > 1024)) {
    problems.push('Object key is not valid: use 1 to 1024 bytes.');
  }
  if (p.triggerSource !== undefined && !(COGNITO_TRIGGERS as readonly string[]).includes(p.triggerSource)) {
    problems.push(`Trigger source '${p.triggerSource}' is not offered: use one of ${COGNITO_TRIGGERS.join(', ')}.`);
  }
  if (p.base64Body === true && p.body === undefined) {
    problems.push('Base64 encoding needs a body: give one, or leave the body unencoded.');
  }
  return problems;
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

const DESCRIPTIONS = new Map<string, string>([
  ['^\\/[^\\s?#]*$', "start with '/' and leave out spaces, '?' and '#'"],
  ['^[a-z]{2}(-[a-z]+)+-\\d$', 'use a region code such as us-east-1'],
  ['^\\d{12}$', 'use the 12 digits of an AWS account id'],
  ['^[A-Za-z0-9_-]{1,80}(\\.fifo)?$', 'use up to 80 letters, digits, - and _ (and .fifo at the end for a FIFO queue)'],
  ['^[A-Za-z0-9_-]{1,256}(\\.fifo)?$', 'use up to 256 letters, digits, - and _ (and .fifo at the end for a FIFO topic)'],
  ['^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$', 'use 3 to 63 lower-case letters, digits, dots and hyphens'],
  ['^[A-Za-z0-9_.-]{3,255}$', 'use 3 to 255 letters, digits, _, - and .'],
  ['^[A-Za-z0-9_.-]{1,128}$', 'use up to 128 letters, digits, _, - and .'],
  ['^[A-Za-z0-9_.-]{1,64}$', 'use up to 64 letters, digits, _, - and .'],
  ['^[\\w-]+_[0-9a-zA-Z]+$', 'use the form <region>_<id>, e.g. us-east-1_AbCdEf123'],
]);

function describe(re: RegExp): string {
  return DESCRIPTIONS.get(re.source) ?? `match ${re.source}`;
}
