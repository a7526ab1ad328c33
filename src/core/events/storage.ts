import { hexFrom, isoTime, recordCount, region, s3EncodedKey, uuidFrom } from './common';
import { arn, constant, eventSchema, int, list, matching, nullable, obj, str } from './schemaParts';
import type { SampleEventDefinition, SampleParams } from './types';

// Amazon S3 event notifications and S3 Batch Operations tasks.

function keyAt(p: SampleParams, i: number, count: number, fallback: string): string {
  const key = p.objectKey ?? fallback;
  if (count === 1) return key;
  // Several records need several objects: number them before the extension.
  const dot = key.lastIndexOf('.');
  return dot > key.lastIndexOf('/') ? `${key.slice(0, dot)}-${i + 1}${key.slice(dot)}` : `${key}-${i + 1}`;
}

export const s3: SampleEventDefinition = {
  type: 's3',
  label: 'Amazon S3 object created',
  description: 'An s3:ObjectCreated:Put notification; object keys are URL-encoded as S3 sends them.',
  defaultName: 'object-created',
  params: ['bucketName', 'objectKey', 'recordCount', 'region'],
  build(p) {
    const bucket = p.bucketName ?? 'example-bucket';
    const count = recordCount(p, 1);
    return {
      Records: Array.from({ length: count }, (_, i) => {
        const key = keyAt(p, i, count, 'uploads/hello world.txt');
        return {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: region(p),
          eventTime: isoTime(i * 1000),
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: 'AWS:AIDAINPONIXQXHT3IKHL2' },
          requestParameters: { sourceIPAddress: '203.0.113.10' },
          responseElements: {
            'x-amz-request-id': hexFrom(`request ${bucket} ${key}`, 16).toUpperCase(),
            'x-amz-id-2': Buffer.from(hexFrom(`id2 ${bucket} ${key}`, 48), 'hex').toString('base64'),
          },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: uuidFrom(`notification ${bucket}`),
            bucket: {
              name: bucket,
              ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
              arn: `arn:aws:s3:::${bucket}`,
            },
            object: {
              key: s3EncodedKey(key),
              size: 1024 * (i + 1),
              eTag: hexFrom(`etag ${bucket} ${key}`, 32),
              sequencer: hexFrom(`sequencer ${bucket} ${key}`, 18).toUpperCase(),
            },
          },
        };
      }),
    };
  },
  schema: eventSchema(
    's3',
    'Amazon S3 event notification',
    obj({
      Records: list(
        obj(
          {
            eventVersion: str(),
            eventSource: constant('aws:s3'),
            awsRegion: str(),
            eventTime: str(),
            eventName: str(),
            userIdentity: obj({ principalId: str() }),
            requestParameters: obj({ sourceIPAddress: str() }),
            responseElements: obj({ 'x-amz-request-id': str(), 'x-amz-id-2': str() }),
            s3: obj({
              s3SchemaVersion: str(),
              configurationId: str(),
              bucket: obj({ name: str(), ownerIdentity: obj({ principalId: str() }), arn: matching('^arn:aws[a-z-]*:s3:::') }),
              object: obj(
                {
                  key: str('URL-encoded object key (a space is sent as +)'),
                  size: int(),
                  eTag: str(),
                  versionId: str(),
                  sequencer: str(),
                },
                ['size', 'eTag', 'versionId'],
              ),
            }),
          },
          ['userIdentity', 'requestParameters', 'responseElements'],
        ),
        1,
      ),
    }),
  ),
};

export const s3Batch: SampleEventDefinition = {
  type: 's3-batch',
  label: 'Amazon S3 Batch Operations task',
  description: 'An S3 Batch Operations job invoking the function (invocation schema 1.0).',
  defaultName: 'job',
  params: ['bucketName', 'objectKey', 'recordCount'],
  build(p) {
    const bucket = p.bucketName ?? 'example-bucket';
    const jobId = uuidFrom(`job ${bucket}`);
    // Batch Operations invokes with one task per call.
    const count = recordCount(p, 1);
    return {
      invocationSchemaVersion: '1.0',
      invocationId: Buffer.from(hexFrom(`invocation ${jobId}`, 40), 'hex').toString('base64').replace(/=+$/, ''),
      job: { id: jobId },
      tasks: Array.from({ length: count }, (_, i) => ({
        taskId: Buffer.from(hexFrom(`task ${jobId} ${i}`, 24), 'hex').toString('base64'),
        s3Key: encodeURIComponent(keyAt(p, i, count, 'reports/2024/summary.csv')).replace(/%2F/g, '/'),
        s3VersionId: null,
        s3BucketArn: `arn:aws:s3:::${bucket}`,
      })),
    };
  },
  schema: eventSchema(
    's3-batch',
    'Amazon S3 Batch Operations event (schema 1.0)',
    obj({
      invocationSchemaVersion: constant('1.0'),
      invocationId: str(),
      job: obj({ id: str() }),
      tasks: list(
        obj({ taskId: str(), s3Key: str('URL-encoded object key'), s3VersionId: nullable(str()), s3BucketArn: arn('s3') }),
        1,
      ),
    }),
  ),
};
