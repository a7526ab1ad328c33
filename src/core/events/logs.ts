import { gunzipSync, gzipSync } from 'node:zlib';
import { account, digitsFrom, hexFrom, messageFor, recordCount, SAMPLE_EPOCH_MS } from './common';
import { BASE64, eventSchema, obj } from './schemaParts';
import type { SampleEventDefinition } from './types';

// CloudWatch Logs subscription filters deliver `awslogs.data`: the JSON below, gzipped, then base64.

export interface CloudWatchLogsData {
  messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  owner: string;
  logGroup: string;
  logStream: string;
  subscriptionFilters: string[];
  logEvents: { id: string; timestamp: number; message: string }[];
}

export function encodeLogsData(data: CloudWatchLogsData): string {
  return gzipSync(Buffer.from(JSON.stringify(data), 'utf8')).toString('base64');
}

/** The inverse of what CloudWatch Logs does, for handlers' tests and for showing a saved event. */
export function decodeLogsData(awslogsData: string): CloudWatchLogsData {
  return JSON.parse(gunzipSync(Buffer.from(awslogsData, 'base64')).toString('utf8')) as CloudWatchLogsData;
}

export const cloudWatchLogs: SampleEventDefinition = {
  type: 'cloudwatch-logs',
  label: 'CloudWatch Logs subscription',
  description: 'Log events from a subscription filter; awslogs.data is gzipped JSON in base64.',
  defaultName: 'log-events',
  params: ['logGroup', 'message', 'recordCount', 'accountId'],
  build(p) {
    const logGroup = p.logGroup ?? '/aws/lambda/example-function';
    const data: CloudWatchLogsData = {
      messageType: 'DATA_MESSAGE',
      owner: account(p),
      logGroup,
      logStream: `2024/01/15/[$LATEST]${hexFrom(`stream ${logGroup}`, 32)}`,
      subscriptionFilters: ['example-subscription'],
      logEvents: Array.from({ length: recordCount(p, 2) }, (_, i) => ({
        id: digitsFrom(`log ${logGroup} ${i}`, 56),
        timestamp: SAMPLE_EPOCH_MS + i * 100,
        message: messageFor(p, i, (n) => `[INFO] request ${n + 1} handled`),
      })),
    };
    return { awslogs: { data: encodeLogsData(data) } };
  },
  schema: eventSchema(
    'cloudwatch-logs',
    'CloudWatch Logs subscription event',
    obj({ awslogs: obj({ data: { ...BASE64, description: 'gzip-compressed JSON log batch, base64-encoded' } }) }),
  ),
};
