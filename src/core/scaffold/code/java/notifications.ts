import { javaPackageFor } from '../../names';
import type { CodeContext, HandlerSource } from '../types';
import { handlerClass, javaString, testClass } from './syntax';

// Asynchronous notifications: SNS messages, S3 object events, EventBridge events and schedules.
// Their results are not used by the caller, so the handlers log what they received, one JSON
// record per line; the tests read the lines back.

const EVENTS = 'com.amazonaws.services.lambda.runtime.events';

interface NotificationShape {
  doc: string;
  imports: string[];
  event: string;
  /** The record each log line is. */
  logged: string;
  /** Logs the lines (`log(...)` stands for the context's logger). */
  body: string;
  testName: string;
  /** Assertions, with `event` (the sample) and `lines` (the logged records) in scope. */
  expect: (ctx: CodeContext) => string;
}

const SHAPES: Record<'sns' | 's3' | 'eventbridge' | 'schedule', NotificationShape> = {
  sns: {
    doc: 'Receives the messages published to an SNS topic.',
    imports: [`${EVENTS}.SNSEvent`],
    event: 'SNSEvent',
    logged: 'record Message(String messageId, String subject, String message) {}',
    body: `for (SNSEvent.SNSRecord record : event.getRecords()) {
    SNSEvent.SNS sns = record.getSNS();
    log(new Message(sns.getMessageId(), sns.getSubject(), sns.getMessage()));
}`,
    testName: 'logsEachMessageOfTheNotification',
    expect: () => `assertEquals(event.getRecords().size(), lines.size());
assertEquals(event.getRecords().get(0).getSNS().getMessage(), lines.get(0).message());`,
  },
  s3: {
    doc: 'Reacts to objects created in an S3 bucket.',
    imports: [`${EVENTS}.S3Event`, `${EVENTS}.models.s3.S3EventNotification.S3EventNotificationRecord`, `${EVENTS}.models.s3.S3EventNotification.S3ObjectEntity`],
    event: 'S3Event',
    logged: 'record Upload(String event, String bucket, String key, Long size) {}',
    body: `for (S3EventNotificationRecord record : event.getRecords()) {
    S3ObjectEntity object = record.getS3().getObject();
    // S3 sends object keys URL-encoded, with spaces as '+'.
    log(new Upload(record.getEventName(), record.getS3().getBucket().getName(), object.getUrlDecodedKey(), object.getSizeAsLong()));
}`,
    testName: 'logsTheDecodedKeyOfEachCreatedObject',
    expect: (ctx) => `assertEquals(event.getRecords().size(), lines.size());
assertEquals(${javaString(ctx.sample.objectKey ?? '')}, lines.get(0).key());`,
  },
  eventbridge: {
    doc: 'Receives the events an EventBridge rule matches.',
    imports: [`${EVENTS}.ScheduledEvent`, 'java.util.Map'],
    event: 'ScheduledEvent',
    logged: 'record Received(String source, String detailType, Map<String, Object> detail) {}',
    body: 'log(new Received(event.getSource(), event.getDetailType(), event.getDetail()));',
    testName: 'logsTheSourceAndDetailTypeOfTheEvent',
    expect: (ctx) => `assertEquals(${javaString(ctx.sample.source ?? '')}, lines.get(0).source());
assertEquals(${javaString(ctx.sample.detailType ?? '')}, lines.get(0).detailType());`,
  },
  schedule: {
    doc: 'Runs on a schedule (an EventBridge rule with a rate or cron expression).',
    imports: [`${EVENTS}.ScheduledEvent`, 'java.util.List'],
    event: 'ScheduledEvent',
    logged: 'record Run(String scheduledAt, String rule) {}',
    body: `List<String> rules = event.getResources() == null ? List.of() : event.getResources();
log(new Run(event.getTime().toString(), rules.isEmpty() ? null : rules.get(0)));`,
    testName: 'logsWhenItWasScheduledAndByWhichRule',
    expect: () => `assertEquals(event.getTime().toString(), lines.get(0).scheduledAt());
assertTrue(lines.get(0).rule().contains(":rule/"), lines.get(0).rule());`,
  },
};

export function javaNotification(source: keyof typeof SHAPES, ctx: CodeContext): HandlerSource {
  const s = SHAPES[source];
  const pkg = javaPackageFor(ctx.name);
  const logged = s.logged.slice('record '.length, s.logged.indexOf('('));
  // `log(x);` in a shape stands for logging x as JSON through the context's logger.
  const body = `/** What the handler logs, one JSON object per line. */
${s.logged}

@Override
public Void handleRequest(${s.event} event, Context context) {
${s.body.replace(/\blog\(/g, 'context.getLogger().log(json(').replace(/\)\);$/gm, ')));').replace(/^/gm, '    ')}
    return null;
}`;
  const handler = handlerClass(pkg, s.imports, s.doc, s.event, 'Void', body);
  const test = `@Test
void ${s.testName}() throws IOException {
    ${s.event} event = sample();
    TestContext context = new TestContext();
    new Handler().handleRequest(event, context);
    List<Handler.${logged}> lines = new ArrayList<>();
    for (String line : context.lines) {
        lines.add(MAPPER.readValue(line, Handler.${logged}.class));
    }
${s.expect(ctx).replace(/^/gm, '    ')}
}`;
  const asserts = ['static org.junit.jupiter.api.Assertions.assertEquals', ...(source === 'schedule' ? ['static org.junit.jupiter.api.Assertions.assertTrue'] : [])];
  return { handler, test: testClass(pkg, [`${EVENTS}.${s.event}`, ...asserts], s.event, ctx, test) };
}
