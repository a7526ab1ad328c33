import { getAtt, ref } from '../template/values';
import type { SourceScaffold } from './types';

// Ordered streams: a DynamoDB table's change stream and a Kinesis data stream. Both report the
// first record they could not process, and Lambda retries the batch from there.

export const dynamodb: SourceScaffold = {
  id: 'dynamodb',
  wiring: ({ logicalId }) => {
    const table = `${logicalId}Table`;
    return {
      events: {
        StreamEvent: {
          Type: 'DynamoDB',
          Properties: {
            Stream: getAtt(table, 'StreamArn'),
            StartingPosition: 'TRIM_HORIZON',
            BatchSize: 100,
            FunctionResponseTypes: ['ReportBatchItemFailures'],
          },
        },
      },
      resources: {
        [table]: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
          },
        },
      },
      outputs: { [`${logicalId}TableName`]: { Description: 'Write items here', Value: ref(table) } },
    };
  },
  sample: ({ logicalId }) => ({ name: 'changes', params: { tableName: `${logicalId}Table`, recordCount: 3 } }),
};

export const kinesis: SourceScaffold = {
  id: 'kinesis',
  wiring: ({ logicalId }) => {
    const stream = `${logicalId}Stream`;
    return {
      events: {
        KinesisEvent: {
          Type: 'Kinesis',
          Properties: {
            Stream: getAtt(stream, 'Arn'),
            StartingPosition: 'LATEST',
            BatchSize: 100,
            FunctionResponseTypes: ['ReportBatchItemFailures'],
          },
        },
      },
      resources: { [stream]: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 1 } } },
      outputs: { [`${logicalId}StreamName`]: { Description: 'Put records here', Value: ref(stream) } },
    };
  },
  sample: ({ logicalId }) => ({ name: 'records', params: { streamName: `${logicalId}Stream`, recordCount: 2 } }),
};
