import type { CodeContext, HandlerSource } from '../types';
import { awsLambdaImport, copyOfEvent, functionSignature, handlerSignature, testPreamble, type NodeFlavour } from './syntax';

// Batch handlers that report partial failures: SQS (every failed message) and the ordered streams,
// DynamoDB and Kinesis (the first failed record; Lambda retries from it).

export function nodeSqs(f: NodeFlavour, ctx: CodeContext): HandlerSource {
  const flavour = { ...f, types: ['SQSBatchItemFailure', 'SQSBatchResponse', 'SQSEvent', 'SQSRecord'] };
  const failures = f.ts ? 'const batchItemFailures: SQSBatchItemFailure[] = [];' : 'const batchItemFailures = [];';
  const handler = `// Processes a batch of SQS messages. Messages that fail are reported back (the event source
// mapping has ReportBatchItemFailures): SQS retries only those, then moves them to the dead-letter queue.

${awsLambdaImport(flavour)}${handlerSignature(flavour, 'SQSEvent', 'SQSBatchResponse')}
  ${failures}
  for (const record of event.Records) {
    try {
      await processMessage(record);
    } catch (err) {
      console.error(\`message \${record.messageId} failed\`, err);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};

${functionSignature(flavour, 'processMessage', 'record', 'SQSRecord', 'Promise<void>').replace('function', 'async function')}
  // A body that is not JSON throws: the message is reported as failed.
  const message${f.ts ? ': unknown' : ''} = JSON.parse(record.body);
  console.log(JSON.stringify({ messageId: record.messageId, message }));
}
`;
  const test = `${testPreamble(flavour, 'SQSEvent', ctx.eventFromTest)}
test('reports no failures when every message is processed', async (t) => {
  t.mock.method(console, 'log', () => undefined);
  assert.deepEqual(await handler(event), { batchItemFailures: [] });
});

test('reports exactly the message that could not be processed', async (t) => {
  t.mock.method(console, 'log', () => undefined);
  t.mock.method(console, 'error', () => undefined);
  ${copyOfEvent(flavour, 'SQSEvent')}
  changed.Records[0].body = 'not json';
  assert.deepEqual(await handler(changed), { batchItemFailures: [{ itemIdentifier: changed.Records[0].messageId }] });
});
`;
  return { handler, test };
}

interface StreamShape {
  intro: string;
  eventType: string;
  recordType: string;
  resultType: string;
  sequence: string;
  body: string[];
  /** Statement that breaks record 1 of `changed` so processing it throws. */
  breakRecord: string;
  breakTypes: string[];
}

const STREAMS: Record<'dynamodb' | 'kinesis', StreamShape> = {
  dynamodb: {
    intro: '// Processes item changes from a DynamoDB stream.',
    eventType: 'DynamoDBStreamEvent',
    recordType: 'DynamoDBRecord',
    resultType: 'DynamoDBBatchResponse',
    sequence: "record.dynamodb?.SequenceNumber ?? ''",
    body: [
      'const change = record.dynamodb;',
      "if (!change?.Keys) throw new Error('the record carries no keys');",
      'console.log(JSON.stringify({ change: record.eventName, keys: change.Keys, newImage: change.NewImage ?? null }));',
    ],
    breakRecord: 'delete changed.Records[1].dynamodb?.Keys;',
    breakTypes: [],
  },
  kinesis: {
    intro: '// Processes records from a Kinesis data stream. Record data arrives base64-encoded.',
    eventType: 'KinesisStreamEvent',
    recordType: 'KinesisStreamRecord',
    resultType: 'KinesisStreamBatchResponse',
    sequence: 'record.kinesis.sequenceNumber',
    body: [
      "const text = Buffer.from(record.kinesis.data, 'base64').toString('utf8');",
      '// Data that is not JSON throws: the record is reported as failed.',
      'const payload: unknown = JSON.parse(text);',
      'console.log(JSON.stringify({ partitionKey: record.kinesis.partitionKey, payload }));',
    ],
    breakRecord: "changed.Records[1].kinesis.data = Buffer.from('not json').toString('base64');",
    breakTypes: [],
  },
};

export function nodeStream(source: 'dynamodb' | 'kinesis', f: NodeFlavour, ctx: CodeContext): HandlerSource {
  const s = STREAMS[source];
  const flavour = { ...f, types: [s.eventType, s.recordType, s.resultType] };
  const body = s.body.map((l) => `  ${f.ts ? l : l.replace(': unknown', '')}`).join('\n');
  const handler = `${s.intro}
// Stream records are ordered: on a failure the handler reports that record and stops, and Lambda
// retries the batch from it (the event source mapping has ReportBatchItemFailures).

${awsLambdaImport(flavour)}${handlerSignature(flavour, s.eventType, s.resultType)}
  for (const record of event.Records) {
    try {
      processRecord(record);
    } catch (err) {
      console.error(\`record \${record.eventID} failed\`, err);
      return { batchItemFailures: [{ itemIdentifier: ${s.sequence} }] };
    }
  }
  return { batchItemFailures: [] };
};

${functionSignature(flavour, 'processRecord', 'record', s.recordType, 'void')}
${body}
}
`;
  const test = `${testPreamble(flavour, s.eventType, ctx.eventFromTest)}
test('processes every record of the sample batch', async (t) => {
  const log = t.mock.method(console, 'log', () => undefined);
  assert.deepEqual(await handler(event), { batchItemFailures: [] });
  assert.equal(log.mock.callCount(), event.Records.length);
});

test('reports the first record it cannot process and stops there', async (t) => {
  const log = t.mock.method(console, 'log', () => undefined);
  t.mock.method(console, 'error', () => undefined);
  ${copyOfEvent(flavour, s.eventType)}
  ${s.breakRecord}
  const result = await handler(changed);
  assert.deepEqual(result.batchItemFailures, [{ itemIdentifier: ${s.sequence.replace(/record/g, 'changed.Records[1]')} }]);
  assert.equal(log.mock.callCount(), 1);
});
`;
  return { handler, test };
}
