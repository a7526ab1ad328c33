import type { CodeContext, HandlerSource } from '../types';
import { RUST_MAIN, rustTestHead, rustUses } from './syntax';

// Batch handlers that report partial failures: SQS (every failed message) and the ordered streams,
// DynamoDB and Kinesis (the first failed record; Lambda retries from it). Each message is turned
// into the log line it stands for by a function of its own, which the tests call as well.

export function rustSqs(ctx: CodeContext): HandlerSource {
  const handler = `//! Processes a batch of SQS messages. Messages that fail are reported back (the event source
//! mapping has ReportBatchItemFailures): SQS retries only those, then moves them to the
//! dead-letter queue.
${rustUses(['aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage}', 'lambda_runtime::{run, service_fn, Error, LambdaEvent}', 'serde_json::{json, Value}'])}

async fn handler(event: LambdaEvent<SqsEvent>) -> Result<SqsBatchResponse, Error> {
    let mut response = SqsBatchResponse::default();
    for record in &event.payload.records {
        match process_message(record) {
            Ok(line) => println!("{line}"),
            Err(err) => {
                let id = record.message_id.clone().unwrap_or_default();
                eprintln!("message {id} failed: {err}");
                // The event types are open to new fields: a value starts from its default.
                let mut failure = BatchItemFailure::default();
                failure.item_identifier = id;
                response.batch_item_failures.push(failure);
            }
        }
    }
    Ok(response)
}

/// What a message logs; a body that is not JSON fails, and the message is reported as failed.
fn process_message(record: &SqsMessage) -> Result<Value, serde_json::Error> {
    let message: Value = serde_json::from_str(record.body.as_deref().unwrap_or_default())?;
    Ok(json!({ "messageId": record.message_id, "message": message }))
}

${RUST_MAIN}`;
  const test = `${rustTestHead(ctx.eventFromTest, 'SqsEvent', [])}
#[tokio::test]
async fn reports_no_failures_when_every_message_is_processed() {
    let response = handler(invocation(sample())).await.unwrap();
    assert!(response.batch_item_failures.is_empty(), "{:?}", response.batch_item_failures);
}

#[tokio::test]
async fn reports_exactly_the_message_that_could_not_be_processed() {
    let mut event = sample();
    event["Records"][0]["body"] = Value::from("not json");
    let id = event["Records"][0]["messageId"].as_str().unwrap().to_string();
    let response = handler(invocation(event)).await.unwrap();
    let failed: Vec<&str> = response.batch_item_failures.iter().map(|f| f.item_identifier.as_str()).collect();
    assert_eq!(failed, vec![id.as_str()]);
}
`;
  return { handler, test };
}

interface StreamShape {
  doc: string;
  uses: string[];
  event: string;
  record: string;
  response: string;
  failure: string;
  id: string;
  sequence: string;
  body: string;
  /** Makes the sample's second record one the handler cannot process (on the JSON event). */
  breakRecord: string;
  /** The second record's sequence number, read from the JSON event. */
  secondSequence: string;
}

const STREAMS: Record<'dynamodb' | 'kinesis', StreamShape> = {
  dynamodb: {
    doc: '//! Processes item changes from a DynamoDB stream.',
    uses: ['aws_lambda_events::dynamodb::{Event, EventRecord}', 'aws_lambda_events::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse}'],
    event: 'Event',
    record: 'EventRecord',
    response: 'DynamoDbEventResponse',
    failure: 'DynamoDbBatchItemFailure',
    id: 'record.event_id',
    sequence: 'record.change.sequence_number.clone()',
    body: `    let keys = serde_json::to_value(&record.change.keys)?;
    if keys.as_object().is_none_or(|k| k.is_empty()) {
        return Err("the record carries no keys".into());
    }
    Ok(json!({ "change": record.event_name, "keys": keys }))`,
    breakRecord: 'event["Records"][1]["dynamodb"]["Keys"] = json!({});',
    secondSequence: 'event["Records"][1]["dynamodb"]["SequenceNumber"]',
  },
  kinesis: {
    doc: '//! Processes records from a Kinesis data stream (the event type decodes the base64 data).',
    uses: ['aws_lambda_events::kinesis::{KinesisEvent, KinesisEventRecord}', 'aws_lambda_events::streams::{KinesisBatchItemFailure, KinesisEventResponse}'],
    event: 'KinesisEvent',
    record: 'KinesisEventRecord',
    response: 'KinesisEventResponse',
    failure: 'KinesisBatchItemFailure',
    id: 'record.event_id.as_deref().unwrap_or_default()',
    sequence: 'Some(record.kinesis.sequence_number.clone())',
    body: `    // Data that is not JSON fails: the record is reported as failed.
    let payload: Value = serde_json::from_slice(&record.kinesis.data.0)?;
    Ok(json!({ "partitionKey": record.kinesis.partition_key, "payload": payload }))`,
    // "bm90IGpzb24=" is base64 for "not json".
    breakRecord: 'event["Records"][1]["kinesis"]["data"] = json!("bm90IGpzb24=");',
    secondSequence: 'event["Records"][1]["kinesis"]["sequenceNumber"]',
  },
};

export function rustStream(source: 'dynamodb' | 'kinesis', ctx: CodeContext): HandlerSource {
  const s = STREAMS[source];
  const handler = `${s.doc}
//! Stream records are ordered: on a failure the handler reports that record and stops, and Lambda
//! retries the batch from it (the event source mapping has ReportBatchItemFailures).
${rustUses([...s.uses, 'lambda_runtime::{run, service_fn, Error, LambdaEvent}', 'serde_json::{json, Value}'])}

async fn handler(event: LambdaEvent<${s.event}>) -> Result<${s.response}, Error> {
    // The event types are open to new fields: a value starts from its default.
    let mut response = ${s.response}::default();
    for record in &event.payload.records {
        match process_record(record) {
            Ok(line) => println!("{line}"),
            Err(err) => {
                eprintln!("record {} failed: {err}", ${s.id});
                let mut failure = ${s.failure}::default();
                failure.item_identifier = ${s.sequence};
                response.batch_item_failures.push(failure);
                break;
            }
        }
    }
    Ok(response)
}

/// What a record logs, or why it cannot be processed.
fn process_record(record: &${s.record}) -> Result<Value, Error> {
${s.body}
}

${RUST_MAIN}`;
  const test = `${rustTestHead(ctx.eventFromTest, s.event, ['serde_json::json'])}
#[tokio::test]
async fn processes_every_record_of_the_sample_batch() {
    let response = handler(invocation(sample())).await.unwrap();
    assert!(response.batch_item_failures.is_empty(), "{:?}", response.batch_item_failures);
}

#[tokio::test]
async fn reports_the_first_record_it_cannot_process() {
    let mut event = sample();
    ${s.breakRecord}
    let sequence = ${s.secondSequence}.as_str().map(str::to_string);
    let response = handler(invocation(event)).await.unwrap();
    let failed: Vec<Option<String>> = response.batch_item_failures.iter().map(|f| f.item_identifier.clone()).collect();
    assert_eq!(failed, vec![sequence]);
}
`;
  return { handler, test };
}
