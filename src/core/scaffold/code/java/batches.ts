import { javaPackageFor } from '../../names';
import type { CodeContext, HandlerSource } from '../types';
import { handlerClass, testClass } from './syntax';

// Batch handlers that report partial failures: SQS (every failed message) and the ordered streams,
// DynamoDB and Kinesis (the first failed record; Lambda retries from it). Each message is turned
// into the record it logs by a method of its own, which throws when it cannot be processed.

const EVENTS = 'com.amazonaws.services.lambda.runtime.events';
const TEST_IMPORTS = ['java.util.List', 'static org.junit.jupiter.api.Assertions.assertEquals', 'static org.junit.jupiter.api.Assertions.assertTrue'];

export function javaSqs(ctx: CodeContext): HandlerSource {
  const pkg = javaPackageFor(ctx.name);
  const body = `/** What a message logs. */
record Processed(String messageId, JsonNode message) {}

@Override
public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSMessage message : event.getRecords()) {
        try {
            context.getLogger().log(json(process(message)));
        } catch (JsonProcessingException e) {
            context.getLogger().log("message " + message.getMessageId() + " failed: " + e.getOriginalMessage());
            failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        }
    }
    return new SQSBatchResponse(failures);
}

/** What a message logs; a body that is not JSON fails, and the message is reported as failed. */
static Processed process(SQSMessage message) throws JsonProcessingException {
    return new Processed(message.getMessageId(), MAPPER.readTree(message.getBody()));
}`;
  const handler = handlerClass(
    pkg,
    [`${EVENTS}.SQSBatchResponse`, `${EVENTS}.SQSEvent`, `${EVENTS}.SQSEvent.SQSMessage`, 'com.fasterxml.jackson.databind.JsonNode', 'java.util.ArrayList', 'java.util.List'],
    'Processes a batch of SQS messages. Messages that fail are reported back (the event source mapping has ReportBatchItemFailures): SQS retries only those, then moves them to the dead-letter queue.',
    'SQSEvent',
    'SQSBatchResponse',
    body,
  );
  const test = `@Test
void reportsNoFailuresWhenEveryMessageIsProcessed() throws IOException {
    TestContext context = new TestContext();
    SQSBatchResponse response = new Handler().handleRequest(sample(), context);
    assertEquals(List.of(), response.getBatchItemFailures());
    assertEquals(sample().getRecords().size(), context.lines.size());
}

@Test
void reportsExactlyTheMessageThatCouldNotBeProcessed() throws IOException {
    SQSEvent event = sample();
    SQSEvent.SQSMessage broken = event.getRecords().get(0);
    broken.setBody("not json");
    SQSBatchResponse response = new Handler().handleRequest(event, new TestContext());
    List<String> failed = response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    assertEquals(List.of(broken.getMessageId()), failed);
    assertTrue(event.getRecords().size() > 1, "the sample batch has messages that are processed too");
}`;
  return { handler, test: testClass(pkg, [`${EVENTS}.SQSBatchResponse`, `${EVENTS}.SQSEvent`, ...TEST_IMPORTS], 'SQSEvent', ctx, test) };
}

interface StreamShape {
  doc: string;
  imports: string[];
  event: string;
  record: string;
  logged: string;
  sequence: string;
  id: string;
  /** The body of process(record). */
  process: string;
  /** Makes the sample's second record one the handler cannot process (`second` is that record). */
  breakRecord: string;
  testImports: string[];
}

const STREAMS: Record<'dynamodb' | 'kinesis', StreamShape> = {
  dynamodb: {
    doc: 'Processes item changes from a DynamoDB stream.',
    imports: [`${EVENTS}.DynamodbEvent`, `${EVENTS}.DynamodbEvent.DynamodbStreamRecord`],
    event: 'DynamodbEvent',
    record: 'DynamodbStreamRecord',
    logged: 'record Change(String change, String keys) {}',
    sequence: 'record.getDynamodb().getSequenceNumber()',
    id: 'record.getEventID()',
    process: `if (record.getDynamodb().getKeys() == null || record.getDynamodb().getKeys().isEmpty()) {
    throw new IllegalArgumentException("the record carries no keys");
}
return new Change(record.getEventName(), record.getDynamodb().getKeys().toString());`,
    breakRecord: 'second.getDynamodb().setKeys(Map.of());',
    testImports: ['java.util.Map'],
  },
  kinesis: {
    doc: 'Processes records from a Kinesis data stream (the runtime decodes the base64 data).',
    imports: [`${EVENTS}.KinesisEvent`, `${EVENTS}.KinesisEvent.KinesisEventRecord`, 'com.fasterxml.jackson.databind.JsonNode', 'java.nio.charset.StandardCharsets'],
    event: 'KinesisEvent',
    record: 'KinesisEventRecord',
    logged: 'record Payload(String partitionKey, JsonNode payload) {}',
    sequence: 'record.getKinesis().getSequenceNumber()',
    id: 'record.getEventID()',
    process: `// Data that is not JSON fails: the record is reported as failed.
String data = StandardCharsets.UTF_8.decode(record.getKinesis().getData().duplicate()).toString();
return new Payload(record.getKinesis().getPartitionKey(), MAPPER.readTree(data));`,
    breakRecord: 'second.getKinesis().setData(ByteBuffer.wrap("not json".getBytes(StandardCharsets.UTF_8)));',
    testImports: ['java.nio.ByteBuffer'],
  },
};

export function javaStream(source: 'dynamodb' | 'kinesis', ctx: CodeContext): HandlerSource {
  const s = STREAMS[source];
  const pkg = javaPackageFor(ctx.name);
  const logged = s.logged.slice('record '.length, s.logged.indexOf('('));
  const body = `/** What a record logs. */
${s.logged}

@Override
public StreamsEventResponse handleRequest(${s.event} event, Context context) {
    for (${s.record} record : event.getRecords()) {
        try {
            context.getLogger().log(json(process(record)));
        } catch (IllegalArgumentException | JsonProcessingException e) {
            context.getLogger().log("record " + ${s.id} + " failed: " + e.getMessage());
            // Lambda retries the batch from this record; the ones after it are not processed now.
            return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(${s.sequence})));
        }
    }
    return new StreamsEventResponse(List.of());
}

/** What a record logs, or why it cannot be processed. */
static ${logged} process(${s.record} record) throws JsonProcessingException {
${s.process.replace(/^/gm, '    ')}
}`;
  const handler = handlerClass(
    pkg,
    [...s.imports, `${EVENTS}.StreamsEventResponse`, 'java.util.List'],
    `${s.doc} Stream records are ordered: on a failure the handler reports that record and stops, and Lambda retries the batch from it (the event source mapping has ReportBatchItemFailures).`,
    s.event,
    'StreamsEventResponse',
    body,
  );
  const sequence = s.sequence.replace('record.', 'second.');
  const test = `@Test
void processesEveryRecordOfTheSampleBatch() throws IOException {
    TestContext context = new TestContext();
    StreamsEventResponse response = new Handler().handleRequest(sample(), context);
    assertEquals(List.of(), response.getBatchItemFailures());
    assertEquals(sample().getRecords().size(), context.lines.size());
}

@Test
void reportsTheFirstRecordItCannotProcess() throws IOException {
    ${s.event} event = sample();
    ${s.event}.${s.record} second = event.getRecords().get(1);
    ${s.breakRecord}
    TestContext context = new TestContext();
    StreamsEventResponse response = new Handler().handleRequest(event, context);
    List<String> failed = response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    assertEquals(List.of(${sequence}), failed);
    assertEquals(2, context.lines.size(), "the first record is logged, then the second one's failure");
}`;
  const testImports = [`${EVENTS}.${s.event}`, `${EVENTS}.StreamsEventResponse`, 'java.util.List', 'static org.junit.jupiter.api.Assertions.assertEquals', ...s.testImports];
  return { handler, test: testClass(pkg, testImports, s.event, ctx, test) };
}
