import { account, base64, digitsFrom, hexFrom, messageFor, recordCount, region, SAMPLE_EPOCH_MS, uuidFrom } from './common';
import type { JsonSchema } from './jsonSchema';
import { arn, BASE64, constant, eventSchema, int, list, num, obj, oneOfStrings, str } from './schemaParts';
import type { SampleEventDefinition } from './types';

// Ordered record streams: DynamoDB Streams, Kinesis Data Streams, and Amazon Data Firehose
// transformation batches.

const CHANGES = ['INSERT', 'MODIFY', 'REMOVE'] as const;

export const dynamodb: SampleEventDefinition = {
  type: 'dynamodb',
  label: 'DynamoDB Streams records',
  description: 'Item changes (INSERT, MODIFY, REMOVE in turn) from a table stream with NEW_AND_OLD_IMAGES.',
  defaultName: 'changes',
  params: ['tableName', 'recordCount', 'region', 'accountId'],
  build(p) {
    const table = p.tableName ?? 'example-table';
    const streamArn = `arn:aws:dynamodb:${region(p)}:${account(p)}:table/${table}/stream/2024-01-15T00:00:00.000`;
    return {
      Records: Array.from({ length: recordCount(p, 3) }, (_, i) => {
        const change = CHANGES[i % CHANGES.length];
        const id = `item-${Math.floor(i / CHANGES.length) + 1}`;
        const keys = { id: { S: id } };
        const oldImage = { id: { S: id }, message: { S: 'first version' } };
        const newImage = { id: { S: id }, message: { S: change === 'INSERT' ? 'first version' : 'second version' } };
        return {
          eventID: hexFrom(`ddb ${table} ${i}`, 32),
          eventName: change,
          eventVersion: '1.1',
          eventSource: 'aws:dynamodb',
          awsRegion: region(p),
          dynamodb: {
            ApproximateCreationDateTime: SAMPLE_EPOCH_MS / 1000 + i,
            Keys: keys,
            ...(change !== 'REMOVE' ? { NewImage: newImage } : {}),
            ...(change !== 'INSERT' ? { OldImage: oldImage } : {}),
            SequenceNumber: `${4421584500000000017450439091n + BigInt(i)}`,
            SizeBytes: JSON.stringify(newImage).length,
            StreamViewType: 'NEW_AND_OLD_IMAGES',
          },
          eventSourceARN: streamArn,
        };
      }),
    };
  },
  schema: eventSchema(
    'dynamodb',
    'DynamoDB Streams event',
    obj({
      Records: list(
        obj({
          eventID: str(),
          eventName: oneOfStrings(...CHANGES),
          eventVersion: str(),
          eventSource: constant('aws:dynamodb'),
          awsRegion: str(),
          dynamodb: obj(
            {
              ApproximateCreationDateTime: num(),
              Keys: { type: 'object', additionalProperties: { type: 'object' } },
              NewImage: { type: 'object', additionalProperties: { type: 'object' } },
              OldImage: { type: 'object', additionalProperties: { type: 'object' } },
              SequenceNumber: { type: 'string', pattern: '^[0-9]+$' },
              SizeBytes: int(),
              StreamViewType: oneOfStrings('KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'),
            },
            ['ApproximateCreationDateTime', 'NewImage', 'OldImage'],
          ),
          eventSourceARN: arn('dynamodb'),
        }),
        1,
      ),
    }),
  ),
};

const SEQUENCE: JsonSchema = { type: 'string', pattern: '^[0-9]+$' };

export const kinesis: SampleEventDefinition = {
  type: 'kinesis',
  label: 'Kinesis Data Streams records',
  description: 'Records from a Kinesis data stream; each record data is base64, as Kinesis sends it.',
  defaultName: 'records',
  params: ['streamName', 'message', 'recordCount', 'region', 'accountId'],
  build(p) {
    const stream = p.streamName ?? 'example-stream';
    return {
      Records: Array.from({ length: recordCount(p, 2) }, (_, i) => {
        const sequenceNumber = digitsFrom(`kinesis ${stream} ${i}`, 56);
        return {
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: `partition-${i + 1}`,
            sequenceNumber,
            data: base64(messageFor(p, i, (n) => JSON.stringify({ id: n + 1, message: 'Hello from Kinesis' }))),
            approximateArrivalTimestamp: (SAMPLE_EPOCH_MS + i * 250) / 1000,
          },
          eventSource: 'aws:kinesis',
          eventVersion: '1.0',
          eventID: `shardId-000000000000:${sequenceNumber}`,
          eventName: 'aws:kinesis:record',
          invokeIdentityArn: `arn:aws:iam::${account(p)}:role/example-function-role`,
          awsRegion: region(p),
          eventSourceARN: `arn:aws:kinesis:${region(p)}:${account(p)}:stream/${stream}`,
        };
      }),
    };
  },
  schema: eventSchema(
    'kinesis',
    'Kinesis Data Streams event',
    obj({
      Records: list(
        obj({
          kinesis: obj({
            kinesisSchemaVersion: str(),
            partitionKey: str(),
            sequenceNumber: SEQUENCE,
            data: BASE64,
            approximateArrivalTimestamp: num(),
          }),
          eventSource: constant('aws:kinesis'),
          eventVersion: str(),
          eventID: str(),
          eventName: constant('aws:kinesis:record'),
          invokeIdentityArn: arn('iam'),
          awsRegion: str(),
          eventSourceARN: arn('kinesis'),
        }),
        1,
      ),
    }),
  ),
};

export const firehose: SampleEventDefinition = {
  type: 'firehose',
  label: 'Amazon Data Firehose transformation',
  description: 'A batch Firehose sends to a transformation function; record data is base64.',
  defaultName: 'transform',
  params: ['streamName', 'message', 'recordCount', 'region', 'accountId'],
  build(p) {
    const stream = p.streamName ?? 'example-delivery-stream';
    return {
      invocationId: uuidFrom(`firehose ${stream}`),
      deliveryStreamArn: `arn:aws:firehose:${region(p)}:${account(p)}:deliverystream/${stream}`,
      region: region(p),
      records: Array.from({ length: recordCount(p, 2) }, (_, i) => ({
        recordId: digitsFrom(`firehose ${stream} ${i}`, 56),
        approximateArrivalTimestamp: SAMPLE_EPOCH_MS + i * 250,
        data: base64(messageFor(p, i, (n) => `${JSON.stringify({ id: n + 1, message: 'Hello from Firehose' })}\n`)),
      })),
    };
  },
  schema: eventSchema(
    'firehose',
    'Amazon Data Firehose transformation event',
    obj(
      {
        invocationId: str(),
        deliveryStreamArn: arn('firehose'),
        sourceKinesisStreamArn: arn('kinesis'),
        region: str(),
        records: list(obj({ recordId: str(), approximateArrivalTimestamp: int(), data: BASE64 }), 1),
      },
      ['sourceKinesisStreamArn'],
    ),
  ),
};
