import type { CodeContext, HandlerSource } from '../types';
import { RUST_MAIN, rustString, rustTestHead, rustUses } from './syntax';

// Asynchronous notifications: SNS messages, S3 object events, EventBridge events and schedules.
// Their results are not used by the caller, so the handlers log what they received: the lines come
// from a function of their own, which the tests check.

interface NotificationShape {
  doc: string;
  uses: string[];
  event: string;
  lines: string;
  extra?: string;
  testName: string;
  expect: (ctx: CodeContext) => string;
}

const SHAPES: Record<'sns' | 's3' | 'eventbridge' | 'schedule', NotificationShape> = {
  sns: {
    doc: 'Receives the messages published to an SNS topic.',
    uses: ['aws_lambda_events::sns::SnsEvent'],
    event: 'SnsEvent',
    lines: `    event
        .records
        .iter()
        .map(|record| json!({ "messageId": record.sns.message_id, "subject": record.sns.subject, "message": record.sns.message }))
        .collect()`,
    testName: 'logs_each_message_of_the_notification',
    expect: () => `    assert_eq!(lines.len(), event.records.len());
    assert_eq!(lines[0]["message"], event.records[0].sns.message.as_str());`,
  },
  s3: {
    doc: 'Reacts to objects created in an S3 bucket.',
    uses: ['aws_lambda_events::s3::S3Event'],
    event: 'S3Event',
    lines: `    event
        .records
        .iter()
        .map(|record| {
            let object = &record.s3.object;
            json!({
                "event": record.event_name,
                "bucket": record.s3.bucket.name,
                "key": object.key.as_deref().map(decode_key),
                "size": object.size,
            })
        })
        .collect()`,
    extra: `
/// S3 sends object keys URL-encoded, with spaces as '+'.
fn decode_key(key: &str) -> String {
    percent_encoding::percent_decode_str(&key.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}
`,
    testName: 'logs_the_decoded_key_of_each_created_object',
    expect: (ctx) => `    assert_eq!(lines.len(), event.records.len());
    assert_eq!(lines[0]["key"], ${rustString(ctx.sample.objectKey ?? '')});`,
  },
  eventbridge: {
    doc: 'Receives the events an EventBridge rule matches.',
    uses: ['aws_lambda_events::eventbridge::EventBridgeEvent'],
    event: 'EventBridgeEvent',
    lines: `    vec![json!({ "source": event.source, "detailType": event.detail_type, "detail": event.detail })]`,
    testName: 'logs_the_source_and_detail_type_of_the_event',
    expect: (ctx) => `    assert_eq!(lines[0]["source"], ${rustString(ctx.sample.source ?? '')});
    assert_eq!(lines[0]["detailType"], ${rustString(ctx.sample.detailType ?? '')});`,
  },
  schedule: {
    doc: 'Runs on a schedule (an EventBridge rule with a rate or cron expression).',
    uses: ['aws_lambda_events::eventbridge::EventBridgeEvent'],
    event: 'EventBridgeEvent',
    lines: `    let scheduled_at = event.time.map(|t| t.to_rfc3339());
    let rule = event.resources.as_ref().and_then(|r| r.first());
    vec![json!({ "scheduledAt": scheduled_at, "rule": rule })]`,
    testName: 'logs_when_it_was_scheduled_and_by_which_rule',
    expect: () => `    assert_eq!(lines[0]["scheduledAt"], event.time.unwrap().to_rfc3339().as_str());
    assert!(lines[0]["rule"].as_str().unwrap_or_default().contains(":rule/"), "{}", lines[0]["rule"]);`,
  },
};

export function rustNotification(source: keyof typeof SHAPES, ctx: CodeContext): HandlerSource {
  const s = SHAPES[source];
  const handler = `//! ${s.doc}
${rustUses([...s.uses, 'lambda_runtime::{run, service_fn, Error, LambdaEvent}', 'serde_json::{json, Value}'])}

async fn handler(event: LambdaEvent<${s.event}>) -> Result<(), Error> {
    for line in log_lines(&event.payload) {
        println!("{line}");
    }
    Ok(())
}

/// What the notification logs, one JSON object per line.
fn log_lines(event: &${s.event}) -> Vec<Value> {
${s.lines}
}
${s.extra ?? ''}
${RUST_MAIN}`;
  const test = `${rustTestHead(ctx.eventFromTest, s.event, [])}
#[tokio::test]
async fn ${s.testName}() {
    let event = invocation(sample());
    let lines = log_lines(&event.payload);
${s.expect(ctx).replace(/\bevent\.(records|time)/g, 'event.payload.$1')}
    handler(event).await.unwrap();
}
`;
  return { handler, test };
}
