import type { CodeContext, HandlerSource } from '../types';
import { awsLambdaImport, handlerSignature, lit, testPreamble, type NodeFlavour } from './syntax';

// Asynchronous notifications: SNS messages, S3 object events, EventBridge events and schedules.
// Their results are not used by the caller, so the handlers log what they received.

interface NotificationShape {
  intro: string[];
  eventType: string;
  body: string[];
  testName: string;
  /** Assertions about `logged`, the parsed log lines. */
  expect: (ctx: CodeContext) => string[];
}

const SHAPES: Record<'sns' | 's3' | 'eventbridge' | 'schedule', NotificationShape> = {
  sns: {
    intro: ['// Receives the messages published to an SNS topic.'],
    eventType: 'SNSEvent',
    body: [
      'for (const record of event.Records) {',
      '  const { MessageId, Subject, Message } = record.Sns;',
      '  console.log(JSON.stringify({ messageId: MessageId, subject: Subject, message: Message }));',
      '}',
    ],
    testName: 'logs each message of the notification',
    expect: () => [
      'assert.equal(logged.length, event.Records.length);',
      'assert.equal(logged[0].message, event.Records[0].Sns.Message);',
    ],
  },
  s3: {
    intro: ['// Reacts to objects created in an S3 bucket.'],
    eventType: 'S3Event',
    body: [
      'for (const record of event.Records) {',
      '  // Keys arrive URL-encoded, with spaces as +.',
      "  const key = decodeURIComponent(record.s3.object.key.replace(/\\+/g, ' '));",
      '  console.log(JSON.stringify({ event: record.eventName, bucket: record.s3.bucket.name, key, size: record.s3.object.size }));',
      '}',
    ],
    testName: 'logs the decoded key of each created object',
    expect: (ctx) => [
      'assert.equal(logged.length, event.Records.length);',
      `assert.equal(logged[0].key, ${lit(ctx.sample.objectKey ?? '')});`,
      'assert.equal(logged[0].bucket, event.Records[0].s3.bucket.name);',
    ],
  },
  eventbridge: {
    intro: ['// Receives the events an EventBridge rule matches.'],
    eventType: 'EventBridgeEvent<string, Record<string, unknown>>',
    body: ["console.log(JSON.stringify({ source: event.source, detailType: event['detail-type'], detail: event.detail }));"],
    testName: 'logs the source, detail-type and detail of the event',
    expect: (ctx) => [
      `assert.equal(logged[0].source, ${lit(ctx.sample.source ?? '')});`,
      `assert.equal(logged[0].detailType, ${lit(ctx.sample.detailType ?? '')});`,
      'assert.deepEqual(logged[0].detail, event.detail);',
    ],
  },
  schedule: {
    intro: ['// Runs on a schedule (an EventBridge rule with a rate or cron expression).'],
    eventType: 'ScheduledEvent',
    body: ['console.log(JSON.stringify({ scheduledAt: event.time, rule: event.resources[0] }));'],
    testName: 'logs when it was scheduled and by which rule',
    expect: () => ['assert.equal(logged[0].scheduledAt, event.time);', "assert.match(logged[0].rule, /:rule\\//);"],
  },
};

export function nodeNotification(source: keyof typeof SHAPES, f: NodeFlavour, ctx: CodeContext): HandlerSource {
  const s = SHAPES[source];
  const baseType = s.eventType.replace(/<.*$/, '');
  const flavour = { ...f, types: [baseType] };
  const handler = `${s.intro.join('\n')}

${awsLambdaImport(flavour)}${handlerSignature(flavour, s.eventType, 'void')}
${s.body.map((l) => `  ${l}`).join('\n')}
};
`;
  const test = `${testPreamble(flavour, s.eventType, ctx.eventFromTest)}
test('${s.testName}', async (t) => {
  const log = t.mock.method(console, 'log', () => undefined);
  await handler(event);
  const logged = log.mock.calls.map((call) => JSON.parse(String(call.arguments[0])));
${s.expect(ctx)
  .map((l) => `  ${l}`)
  .join('\n')}
});
`;
  return { handler, test };
}
