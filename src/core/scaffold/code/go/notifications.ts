import type { CodeContext, HandlerSource } from '../types';
import { goImports, goString, goTestHelpers } from './syntax';

// Asynchronous notifications: SNS messages, S3 object events, EventBridge events and schedules.
// Their results are not used by the caller, so the handlers log what they received.

interface NotificationShape {
  doc: string;
  event: string;
  std: string[];
  body: string;
  testName: string;
  expect: (ctx: CodeContext) => string;
  testStd: string[];
}

const LOG_LINE = `	line, err := json.Marshal(entry)
	if err != nil {
		return err
	}
	log.Print(string(line))`;

const SHAPES: Record<'sns' | 's3' | 'eventbridge' | 'schedule', NotificationShape> = {
  sns: {
    doc: 'Receives the messages published to an SNS topic.',
    event: 'events.SNSEvent',
    std: ['context', 'encoding/json', 'log'],
    body: `	for _, record := range event.Records {
		entry := map[string]any{"messageId": record.SNS.MessageID, "subject": record.SNS.Subject, "message": record.SNS.Message}
	${LOG_LINE.replace(/\n/g, '\n\t')}
	}
	return nil`,
    testName: 'LogsEachMessageOfTheNotification',
    expect: () => `	if len(logged) != len(event.Records) {
		t.Fatalf("%d log lines, want %d", len(logged), len(event.Records))
	}
	if logged[0]["message"] != event.Records[0].SNS.Message {
		t.Errorf("message %v, want %q", logged[0]["message"], event.Records[0].SNS.Message)
	}`,
    testStd: [],
  },
  s3: {
    doc: 'Reacts to objects created in an S3 bucket.',
    event: 'events.S3Event',
    std: ['context', 'encoding/json', 'log'],
    body: `	for _, record := range event.Records {
		// The events package decodes the URL-encoded key (spaces arrive as +) into URLDecodedKey.
		object := record.S3.Object
		entry := map[string]any{"event": record.EventName, "bucket": record.S3.Bucket.Name, "key": object.URLDecodedKey, "size": object.Size}
	${LOG_LINE.replace(/\n/g, '\n\t')}
	}
	return nil`,
    testName: 'LogsTheDecodedKeyOfEachCreatedObject',
    expect: (ctx) => `	if len(logged) != len(event.Records) {
		t.Fatalf("%d log lines, want %d", len(logged), len(event.Records))
	}
	if want := ${goString(ctx.sample.objectKey ?? '')}; logged[0]["key"] != want {
		t.Errorf("key %v, want %q", logged[0]["key"], want)
	}`,
    testStd: [],
  },
  eventbridge: {
    doc: 'Receives the events an EventBridge rule matches.',
    event: 'events.CloudWatchEvent',
    std: ['context', 'encoding/json', 'log'],
    body: `	entry := map[string]any{"source": event.Source, "detailType": event.DetailType, "detail": event.Detail}
${LOG_LINE}
	return nil`,
    testName: 'LogsTheSourceAndDetailTypeOfTheEvent',
    expect: (ctx) => `	if want := ${goString(ctx.sample.source ?? '')}; logged[0]["source"] != want {
		t.Errorf("source %v, want %q", logged[0]["source"], want)
	}
	if want := ${goString(ctx.sample.detailType ?? '')}; logged[0]["detailType"] != want {
		t.Errorf("detailType %v, want %q", logged[0]["detailType"], want)
	}`,
    testStd: [],
  },
  schedule: {
    doc: 'Runs on a schedule (an EventBridge rule with a rate or cron expression).',
    event: 'events.CloudWatchEvent',
    std: ['context', 'encoding/json', 'log', 'time'],
    body: `	entry := map[string]any{"scheduledAt": event.Time.Format(time.RFC3339), "rule": event.Resources[0]}
${LOG_LINE}
	return nil`,
    testName: 'LogsWhenItWasScheduledAndByWhichRule',
    expect: () => `	if want := event.Time.Format(time.RFC3339); logged[0]["scheduledAt"] != want {
		t.Errorf("scheduledAt %v, want %q", logged[0]["scheduledAt"], want)
	}
	if rule, _ := logged[0]["rule"].(string); !strings.Contains(rule, ":rule/") {
		t.Errorf("rule %q is not a rule ARN", rule)
	}`,
    testStd: ['time'],
  },
};

export function goNotification(source: keyof typeof SHAPES, ctx: CodeContext): HandlerSource {
  const s = SHAPES[source];
  const handler = `// ${s.doc}
package main

${goImports(s.std, ['events', 'lambda'])}

func handler(ctx context.Context, event ${s.event}) error {
${s.body}
}

func main() {
	lambda.Start(handler)
}
`;
  const test = `package main

${goImports(['bytes', 'context', 'encoding/json', 'log', 'os', 'strings', 'testing', ...s.testStd], ['events'])}

${goTestHelpers(ctx.eventFromTest, true)}
func Test${s.testName}(t *testing.T) {
	var event ${s.event}
	loadEvent(t, &event)
	logs := captureLogs(t)
	if err := handler(context.Background(), event); err != nil {
		t.Fatal(err)
	}
	logged := logs()
${s.expect(ctx)}
}
`;
  return { handler, test };
}
