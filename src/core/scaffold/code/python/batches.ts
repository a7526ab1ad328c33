import type { CodeContext, HandlerSource } from '../types';
import { PY_LOGGER, PY_TEST_FOOTER, pyTestPreamble } from './syntax';

// Batch handlers that report partial failures: SQS (every failed message) and the ordered streams,
// DynamoDB and Kinesis (the first failed record; Lambda retries from it).

const FAILURE_TYPES = `class BatchItemFailure(TypedDict):
    itemIdentifier: str


class BatchResponse(TypedDict):
    batchItemFailures: list[BatchItemFailure]`;

export function pythonSqs(ctx: CodeContext): HandlerSource {
  const handler = `"""Processes a batch of SQS messages.

Messages that fail are reported back (the event source mapping has ReportBatchItemFailures):
SQS retries only those, then moves them to the dead-letter queue.
"""

import json
import logging
from typing import Any, TypedDict

${PY_LOGGER}


class SQSRecord(TypedDict):
    messageId: str
    body: str


class SQSEvent(TypedDict):
    Records: list[SQSRecord]


${FAILURE_TYPES}


def lambda_handler(event: SQSEvent, context: Any) -> BatchResponse:
    failures: list[BatchItemFailure] = []
    for record in event["Records"]:
        try:
            process_message(record)
        except Exception:
            # Whatever went wrong, only this message is retried; the rest of the batch is done.
            logger.exception("message %s failed", record["messageId"])
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


def process_message(record: SQSRecord) -> None:
    # A body that is not JSON raises: the message is reported as failed.
    message = json.loads(record["body"])
    logger.info(json.dumps({"messageId": record["messageId"], "message": message}))
`;
  const test = `${pyTestPreamble(ctx.eventFromTest)}    def test_reports_no_failures_when_every_message_is_processed(self) -> None:
        with self.assertLogs(level="INFO"):
            result = app.lambda_handler(load_event(), None)
        self.assertEqual(result, {"batchItemFailures": []})

    def test_reports_exactly_the_message_that_could_not_be_processed(self) -> None:
        event = load_event()
        event["Records"][0]["body"] = "not json"
        with self.assertLogs(level="INFO"):
            result = app.lambda_handler(event, None)
        self.assertEqual(result, {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]})
${PY_TEST_FOOTER}`;
  return { handler, test };
}

interface StreamShape {
  doc: string;
  imports: string[];
  types: string;
  eventType: string;
  recordType: string;
  sequence: string;
  body: string[];
  breakRecord: string;
  testImports: string[];
}

const STREAMS: Record<'dynamodb' | 'kinesis', StreamShape> = {
  dynamodb: {
    doc: 'Processes item changes from a DynamoDB stream.',
    imports: ['import json', 'import logging', 'from typing import Any, NotRequired, TypedDict'],
    types: `class StreamRecord(TypedDict):
    SequenceNumber: str
    Keys: NotRequired[dict[str, dict[str, Any]]]
    NewImage: NotRequired[dict[str, dict[str, Any]]]


class DynamoDBRecord(TypedDict):
    eventID: str
    eventName: str
    dynamodb: StreamRecord


class DynamoDBStreamEvent(TypedDict):
    Records: list[DynamoDBRecord]`,
    eventType: 'DynamoDBStreamEvent',
    recordType: 'DynamoDBRecord',
    sequence: 'record["dynamodb"]["SequenceNumber"]',
    body: [
      'change = record["dynamodb"]',
      'if not change.get("Keys"):',
      '    raise ValueError("the record carries no keys")',
      'logger.info(json.dumps({"change": record["eventName"], "keys": change.get("Keys"), "newImage": change.get("NewImage")}))',
    ],
    breakRecord: 'del event["Records"][1]["dynamodb"]["Keys"]',
    testImports: ['import logging'],
  },
  kinesis: {
    doc: 'Processes records from a Kinesis data stream. Record data arrives base64-encoded.',
    imports: ['import base64', 'import json', 'import logging', 'from typing import Any, TypedDict'],
    types: `class KinesisData(TypedDict):
    partitionKey: str
    sequenceNumber: str
    data: str


class KinesisRecord(TypedDict):
    eventID: str
    kinesis: KinesisData


class KinesisStreamEvent(TypedDict):
    Records: list[KinesisRecord]`,
    eventType: 'KinesisStreamEvent',
    recordType: 'KinesisRecord',
    sequence: 'record["kinesis"]["sequenceNumber"]',
    body: [
      '# Data that is not JSON raises: the record is reported as failed.',
      'payload = json.loads(base64.b64decode(record["kinesis"]["data"]))',
      'logger.info(json.dumps({"partitionKey": record["kinesis"]["partitionKey"], "payload": payload}))',
    ],
    breakRecord: 'event["Records"][1]["kinesis"]["data"] = base64.b64encode(b"not json").decode("ascii")',
    testImports: ['import base64', 'import logging'],
  },
};

export function pythonStream(source: 'dynamodb' | 'kinesis', ctx: CodeContext): HandlerSource {
  const s = STREAMS[source];
  const handler = `"""${s.doc}

Stream records are ordered: on a failure the handler reports that record and stops, and Lambda
retries the batch from it (the event source mapping has ReportBatchItemFailures).
"""

${s.imports.join('\n')}

${PY_LOGGER}


${s.types}


${FAILURE_TYPES}


def lambda_handler(event: ${s.eventType}, context: Any) -> BatchResponse:
    for record in event["Records"]:
        try:
            process_record(record)
        except Exception:
            logger.exception("record %s failed", record["eventID"])
            return {"batchItemFailures": [{"itemIdentifier": ${s.sequence}}]}
    return {"batchItemFailures": []}


def process_record(record: ${s.recordType}) -> None:
${s.body.map((l) => `    ${l}`).join('\n')}
`;
  const failed = s.sequence.replace('record', 'event["Records"][1]');
  const test = `${pyTestPreamble(ctx.eventFromTest, s.testImports)}    def test_processes_every_record_of_the_sample_batch(self) -> None:
        event = load_event()
        with self.assertLogs(level="INFO") as logs:
            result = app.lambda_handler(event, None)
        self.assertEqual(result, {"batchItemFailures": []})
        self.assertEqual(len(logs.records), len(event["Records"]))

    def test_reports_the_first_record_it_cannot_process_and_stops_there(self) -> None:
        event = load_event()
        ${s.breakRecord}
        with self.assertLogs(level="INFO") as logs:
            result = app.lambda_handler(event, None)
        self.assertEqual(result, {"batchItemFailures": [{"itemIdentifier": ${failed}}]})
        self.assertEqual(len([r for r in logs.records if r.levelno == logging.INFO]), 1)
${PY_TEST_FOOTER}`;
  return { handler, test };
}
