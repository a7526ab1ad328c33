import type { CodeContext, HandlerSource } from '../types';
import { goImports, goTestHelpers } from './syntax';

// Batch handlers that report partial failures: SQS (every failed message) and the ordered streams,
// DynamoDB and Kinesis (the first failed record; Lambda retries from it).

export function goSqs(ctx: CodeContext): HandlerSource {
  const handler = `// Processes a batch of SQS messages. Messages that fail are reported back (the event source
// mapping has ReportBatchItemFailures): SQS retries only those, then moves them to the
// dead-letter queue.
package main

${goImports(['context', 'encoding/json', 'log'], ['events', 'lambda'])}

func handler(ctx context.Context, event events.SQSEvent) (events.SQSEventResponse, error) {
	failures := []events.SQSBatchItemFailure{}
	for _, record := range event.Records {
		if err := processMessage(record); err != nil {
			log.Printf("message %s failed: %v", record.MessageId, err)
			failures = append(failures, events.SQSBatchItemFailure{ItemIdentifier: record.MessageId})
		}
	}
	return events.SQSEventResponse{BatchItemFailures: failures}, nil
}

func processMessage(record events.SQSMessage) error {
	// A body that is not JSON fails: the message is reported as failed.
	var message any
	if err := json.Unmarshal([]byte(record.Body), &message); err != nil {
		return err
	}
	line, err := json.Marshal(map[string]any{"messageId": record.MessageId, "message": message})
	if err != nil {
		return err
	}
	log.Print(string(line))
	return nil
}

func main() {
	lambda.Start(handler)
}
`;
  const test = `package main

${goImports(['context', 'encoding/json', 'os', 'reflect', 'testing'], ['events'])}

${goTestHelpers(ctx.eventFromTest, false)}
func TestReportsNoFailuresWhenEveryMessageIsProcessed(t *testing.T) {
	var event events.SQSEvent
	loadEvent(t, &event)
	res, err := handler(context.Background(), event)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.BatchItemFailures) != 0 {
		t.Errorf("failures %v, want none", res.BatchItemFailures)
	}
}

func TestReportsExactlyTheMessageThatCouldNotBeProcessed(t *testing.T) {
	var event events.SQSEvent
	loadEvent(t, &event)
	event.Records[0].Body = "not json"
	res, err := handler(context.Background(), event)
	if err != nil {
		t.Fatal(err)
	}
	want := []events.SQSBatchItemFailure{{ItemIdentifier: event.Records[0].MessageId}}
	if !reflect.DeepEqual(res.BatchItemFailures, want) {
		t.Errorf("failures %v, want %v", res.BatchItemFailures, want)
	}
}
`;
  return { handler, test };
}

interface StreamShape {
  doc: string;
  event: string;
  record: string;
  response: string;
  failure: string;
  id: string;
  sequence: string;
  body: string;
  std: string[];
  breakRecord: string;
}

const STREAMS: Record<'dynamodb' | 'kinesis', StreamShape> = {
  dynamodb: {
    doc: '// Processes item changes from a DynamoDB stream.',
    event: 'events.DynamoDBEvent',
    record: 'events.DynamoDBEventRecord',
    response: 'events.DynamoDBEventResponse',
    failure: 'events.DynamoDBBatchItemFailure',
    id: 'record.EventID',
    sequence: 'record.Change.SequenceNumber',
    body: `	if len(record.Change.Keys) == 0 {
		return errors.New("the record carries no keys")
	}
	line, err := json.Marshal(map[string]any{"change": record.EventName, "keys": record.Change.Keys})
	if err != nil {
		return err
	}
	log.Print(string(line))
	return nil`,
    std: ['context', 'encoding/json', 'errors', 'log'],
    breakRecord: 'event.Records[1].Change.Keys = nil',
  },
  kinesis: {
    doc: '// Processes records from a Kinesis data stream (the events package decodes the base64 data).',
    event: 'events.KinesisEvent',
    record: 'events.KinesisEventRecord',
    response: 'events.KinesisEventResponse',
    failure: 'events.KinesisBatchItemFailure',
    id: 'record.EventID',
    sequence: 'record.Kinesis.SequenceNumber',
    body: `	// Data that is not JSON fails: the record is reported as failed.
	var payload any
	if err := json.Unmarshal(record.Kinesis.Data, &payload); err != nil {
		return err
	}
	line, err := json.Marshal(map[string]any{"partitionKey": record.Kinesis.PartitionKey, "payload": payload})
	if err != nil {
		return err
	}
	log.Print(string(line))
	return nil`,
    std: ['context', 'encoding/json', 'log'],
    breakRecord: 'event.Records[1].Kinesis.Data = []byte("not json")',
  },
};

export function goStream(source: 'dynamodb' | 'kinesis', ctx: CodeContext): HandlerSource {
  const s = STREAMS[source];
  const handler = `${s.doc}
// Stream records are ordered: on a failure the handler reports that record and stops, and Lambda
// retries the batch from it (the event source mapping has ReportBatchItemFailures).
package main

${goImports(s.std, ['events', 'lambda'])}

func handler(ctx context.Context, event ${s.event}) (${s.response}, error) {
	for _, record := range event.Records {
		if err := processRecord(record); err != nil {
			log.Printf("record %s failed: %v", ${s.id}, err)
			return ${s.response}{BatchItemFailures: []${s.failure}{{ItemIdentifier: ${s.sequence}}}}, nil
		}
	}
	return ${s.response}{BatchItemFailures: []${s.failure}{}}, nil
}

func processRecord(record ${s.record}) error {
${s.body}
}

func main() {
	lambda.Start(handler)
}
`;
  const failed = s.sequence.replace('record', 'event.Records[1]');
  const test = `package main

${goImports(['context', 'encoding/json', 'os', 'reflect', 'testing'], ['events'])}

${goTestHelpers(ctx.eventFromTest, false)}
func TestProcessesEveryRecordOfTheSampleBatch(t *testing.T) {
	var event ${s.event}
	loadEvent(t, &event)
	res, err := handler(context.Background(), event)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.BatchItemFailures) != 0 {
		t.Errorf("failures %v, want none", res.BatchItemFailures)
	}
}

func TestReportsTheFirstRecordItCannotProcess(t *testing.T) {
	var event ${s.event}
	loadEvent(t, &event)
	${s.breakRecord}
	res, err := handler(context.Background(), event)
	if err != nil {
		t.Fatal(err)
	}
	want := []${s.failure}{{ItemIdentifier: ${failed}}}
	if !reflect.DeepEqual(res.BatchItemFailures, want) {
		t.Errorf("failures %v, want %v", res.BatchItemFailures, want)
	}
}
`;
  return { handler, test };
}
