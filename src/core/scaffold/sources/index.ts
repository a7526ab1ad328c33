import type { EventSourceId } from '../options';
import { alb } from './alb';
import { functionUrl, httpApi, restApi } from './http';
import { sns, sqs } from './messaging';
import { eventBridge, schedule } from './rules';
import { s3 } from './storage';
import { dynamodb, kinesis } from './streams';
import type { SourceScaffold } from './types';

const SOURCES: Record<EventSourceId, SourceScaffold> = {
  'http-api': httpApi,
  'rest-api': restApi,
  'function-url': functionUrl,
  alb,
  sqs,
  sns,
  s3,
  eventbridge: eventBridge,
  schedule,
  dynamodb,
  kinesis,
};

export function sourceScaffold(id: EventSourceId): SourceScaffold {
  return SOURCES[id];
}
