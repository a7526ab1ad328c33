import { account, hexFrom, isoTime, md5Hex, messageFor, recordCount, region, SAMPLE_EPOCH_MS, uuidFrom } from './common';
import { arn, constant, eventSchema, list, obj, str } from './schemaParts';
import type { SampleEventDefinition } from './types';

// Amazon SQS batches and Amazon SNS notifications.

export const sqs: SampleEventDefinition = {
  type: 'sqs',
  label: 'Amazon SQS message batch',
  description: 'Messages an SQS event source mapping delivers in one batch.',
  defaultName: 'batch',
  params: ['queueName', 'message', 'recordCount', 'region', 'accountId'],
  build(p) {
    const queue = p.queueName ?? 'example-queue';
    return {
      Records: Array.from({ length: recordCount(p, 2) }, (_, i) => {
        const body = messageFor(p, i, (n) => JSON.stringify({ id: n + 1, message: `Hello from SQS (${n + 1})` }));
        const sent = SAMPLE_EPOCH_MS + i * 1000;
        return {
          messageId: uuidFrom(`sqs ${queue} ${i}`),
          receiptHandle: `AQEB${hexFrom(`receipt ${queue} ${i}`, 60)}`,
          body,
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: String(sent),
            SenderId: 'AIDAIENQZJOLO23YVJ4VO',
            ApproximateFirstReceiveTimestamp: String(sent + 7),
          },
          messageAttributes: {},
          md5OfBody: md5Hex(body),
          eventSource: 'aws:sqs',
          eventSourceARN: `arn:aws:sqs:${region(p)}:${account(p)}:${queue}`,
          awsRegion: region(p),
        };
      }),
    };
  },
  schema: eventSchema(
    'sqs',
    'Amazon SQS event',
    obj({
      Records: list(
        obj(
          {
            messageId: str(),
            receiptHandle: str(),
            body: str(),
            attributes: obj(
              {
                ApproximateReceiveCount: str(),
                SentTimestamp: str(),
                SenderId: str(),
                ApproximateFirstReceiveTimestamp: str(),
                MessageGroupId: str(),
                MessageDeduplicationId: str(),
                SequenceNumber: str(),
              },
              ['MessageGroupId', 'MessageDeduplicationId', 'SequenceNumber'],
            ),
            messageAttributes: { type: 'object' },
            md5OfBody: { type: 'string', pattern: '^[0-9a-f]{32}$' },
            eventSource: constant('aws:sqs'),
            eventSourceARN: arn('sqs'),
            awsRegion: str(),
          },
          [],
        ),
        1,
      ),
    }),
  ),
};

export const sns: SampleEventDefinition = {
  type: 'sns',
  label: 'Amazon SNS notification',
  description: 'A notification an SNS topic delivers to a subscribed function.',
  defaultName: 'notification',
  params: ['topicName', 'subject', 'message', 'recordCount', 'region', 'accountId'],
  build(p) {
    const topicArn = `arn:aws:sns:${region(p)}:${account(p)}:${p.topicName ?? 'example-topic'}`;
    const subscription = `${topicArn}:${uuidFrom(`subscription ${topicArn}`)}`;
    return {
      Records: Array.from({ length: recordCount(p, 1) }, (_, i) => {
        const messageId = uuidFrom(`sns ${topicArn} ${i}`);
        return {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: subscription,
          Sns: {
            Type: 'Notification',
            MessageId: messageId,
            TopicArn: topicArn,
            Subject: p.subject ?? 'Example notification',
            Message: messageFor(p, i, (n) => JSON.stringify({ id: n + 1, message: 'Hello from SNS' })),
            Timestamp: isoTime(i * 1000),
            SignatureVersion: '1',
            Signature: 'EXAMPLE',
            SigningCertUrl: `https://sns.${region(p)}.amazonaws.com/SimpleNotificationService-${hexFrom('cert', 32)}.pem`,
            UnsubscribeUrl: `https://sns.${region(p)}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscription}`,
            MessageAttributes: {},
          },
        };
      }),
    };
  },
  schema: eventSchema(
    'sns',
    'Amazon SNS event',
    obj({
      Records: list(
        obj({
          EventSource: constant('aws:sns'),
          EventVersion: str(),
          EventSubscriptionArn: arn('sns'),
          Sns: obj(
            {
              Type: str(),
              MessageId: str(),
              TopicArn: arn('sns'),
              Subject: { type: ['string', 'null'] },
              Message: str(),
              Timestamp: str(),
              SignatureVersion: str(),
              Signature: str(),
              SigningCertUrl: str(),
              UnsubscribeUrl: str(),
              MessageAttributes: {
                type: 'object',
                additionalProperties: obj({ Type: str(), Value: str() }),
              },
            },
            ['Subject'],
          ),
        }),
        1,
      ),
    }),
  ),
};
