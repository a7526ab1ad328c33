import { getAtt, ref } from '../template/values';
import type { SourceScaffold } from './types';

// A queue the function drains (reporting the messages it could not process, which SQS retries and
// finally moves to a dead-letter queue) and a topic it subscribes to.

/** Messages retried this many times before they go to the dead-letter queue. */
const MAX_RECEIVES = 5;

export const sqs: SourceScaffold = {
  id: 'sqs',
  wiring: ({ logicalId, timeoutSeconds }) => {
    const queue = `${logicalId}Queue`;
    const deadLetters = `${logicalId}DeadLetterQueue`;
    return {
      events: {
        SqsEvent: {
          Type: 'SQS',
          Properties: { Queue: getAtt(queue, 'Arn'), BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] },
        },
      },
      resources: {
        [queue]: {
          Type: 'AWS::SQS::Queue',
          Properties: {
            // Lambda's guidance: at least six times the function timeout, so a batch still being
            // retried is not handed out again.
            VisibilityTimeout: Math.max(30, 6 * timeoutSeconds),
            RedrivePolicy: { deadLetterTargetArn: getAtt(deadLetters, 'Arn'), maxReceiveCount: MAX_RECEIVES },
          },
        },
        [deadLetters]: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1_209_600 } },
      },
      outputs: { [`${logicalId}QueueUrl`]: { Description: 'Send messages here', Value: ref(queue) } },
    };
  },
  sample: ({ logicalId }) => ({ name: 'batch', params: { queueName: `${logicalId}Queue`, recordCount: 2 } }),
};

export const sns: SourceScaffold = {
  id: 'sns',
  wiring: ({ logicalId }) => {
    const topic = `${logicalId}Topic`;
    return {
      events: { SnsEvent: { Type: 'SNS', Properties: { Topic: ref(topic) } } },
      resources: { [topic]: { Type: 'AWS::SNS::Topic' } },
      outputs: { [`${logicalId}TopicArn`]: { Description: 'Publish messages here', Value: ref(topic) } },
    };
  },
  sample: ({ logicalId }) => ({ name: 'notification', params: { topicName: `${logicalId}Topic`, recordCount: 1 } }),
};
