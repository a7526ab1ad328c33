import type { CodeContext, HandlerSource } from '../types';
import { PY_LOGGER, PY_TEST_FOOTER, pyLit, pyTestPreamble } from './syntax';

// Asynchronous notifications: SNS messages, S3 object events, EventBridge events and schedules.
// Their results are not used by the caller, so the handlers log what they received.

interface NotificationShape {
  doc: string;
  imports: string[];
  types: string;
  eventType: string;
  body: string[];
  testName: string;
  expect: (ctx: CodeContext) => string[];
}

const SHAPES: Record<'sns' | 's3' | 'eventbridge' | 'schedule', NotificationShape> = {
  sns: {
    doc: 'Receives the messages published to an SNS topic.',
    imports: [],
    types: `class SnsMessage(TypedDict):
    MessageId: str
    Subject: str | None
    Message: str


class SnsRecord(TypedDict):
    Sns: SnsMessage


class SNSEvent(TypedDict):
    Records: list[SnsRecord]`,
    eventType: 'SNSEvent',
    body: [
      'for record in event["Records"]:',
      '    sns = record["Sns"]',
      '    logger.info(json.dumps({"messageId": sns["MessageId"], "subject": sns["Subject"], "message": sns["Message"]}))',
    ],
    testName: 'logs_each_message_of_the_notification',
    expect: () => [
      'self.assertEqual(len(logged), len(event["Records"]))',
      'self.assertEqual(logged[0]["message"], event["Records"][0]["Sns"]["Message"])',
    ],
  },
  s3: {
    doc: 'Reacts to objects created in an S3 bucket.',
    imports: ['from urllib.parse import unquote_plus'],
    types: `class S3Object(TypedDict):
    key: str
    size: int


class S3Bucket(TypedDict):
    name: str


class S3Entity(TypedDict):
    bucket: S3Bucket
    object: S3Object


class S3Record(TypedDict):
    eventName: str
    s3: S3Entity


class S3Event(TypedDict):
    Records: list[S3Record]`,
    eventType: 'S3Event',
    body: [
      'for record in event["Records"]:',
      '    # Keys arrive URL-encoded, with spaces as +.',
      '    key = unquote_plus(record["s3"]["object"]["key"])',
      '    bucket = record["s3"]["bucket"]["name"]',
      '    logger.info(json.dumps({"event": record["eventName"], "bucket": bucket, "key": key, "size": record["s3"]["object"]["size"]}))',
    ],
    testName: 'logs_the_decoded_key_of_each_created_object',
    expect: (ctx) => [
      'self.assertEqual(len(logged), len(event["Records"]))',
      `self.assertEqual(logged[0]["key"], ${pyLit(ctx.sample.objectKey ?? '')})`,
      'self.assertEqual(logged[0]["bucket"], event["Records"][0]["s3"]["bucket"]["name"])',
    ],
  },
  eventbridge: {
    doc: 'Receives the events an EventBridge rule matches.',
    imports: [],
    types: `# EventBridge names this field "detail-type", which is not a Python identifier.
EventBridgeEvent = TypedDict("EventBridgeEvent", {"source": str, "detail-type": str, "detail": dict[str, Any]})`,
    eventType: 'EventBridgeEvent',
    body: ['logger.info(json.dumps({"source": event["source"], "detailType": event["detail-type"], "detail": event["detail"]}))'],
    testName: 'logs_the_source_detail_type_and_detail_of_the_event',
    expect: (ctx) => [
      `self.assertEqual(logged[0]["source"], ${pyLit(ctx.sample.source ?? '')})`,
      `self.assertEqual(logged[0]["detailType"], ${pyLit(ctx.sample.detailType ?? '')})`,
      'self.assertEqual(logged[0]["detail"], event["detail"])',
    ],
  },
  schedule: {
    doc: 'Runs on a schedule (an EventBridge rule with a rate or cron expression).',
    imports: [],
    types: `class ScheduledEvent(TypedDict):
    time: str
    resources: list[str]`,
    eventType: 'ScheduledEvent',
    body: ['logger.info(json.dumps({"scheduledAt": event["time"], "rule": event["resources"][0]}))'],
    testName: 'logs_when_it_was_scheduled_and_by_which_rule',
    expect: () => ['self.assertEqual(logged[0]["scheduledAt"], event["time"])', 'self.assertIn(":rule/", logged[0]["rule"])'],
  },
};

export function pythonNotification(source: keyof typeof SHAPES, ctx: CodeContext): HandlerSource {
  const s = SHAPES[source];
  const handler = `"""${s.doc}"""

import json
import logging
from typing import Any, TypedDict
${s.imports.join('\n')}${s.imports.length > 0 ? '\n' : ''}
${PY_LOGGER}


${s.types}


def lambda_handler(event: ${s.eventType}, context: Any) -> None:
${s.body.map((l) => `    ${l}`).join('\n')}
`;
  const test = `${pyTestPreamble(ctx.eventFromTest)}    def test_${s.testName}(self) -> None:
        event = load_event()
        with self.assertLogs(level="INFO") as logs:
            app.lambda_handler(event, None)
        logged = [json.loads(r.getMessage()) for r in logs.records]
${s.expect(ctx)
  .map((l) => `        ${l}`)
  .join('\n')}
${PY_TEST_FOOTER}`;
  return { handler, test };
}
