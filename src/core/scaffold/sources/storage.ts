import { bucketNameFor } from '../names';
import { ref } from '../template/values';
import type { SourceScaffold } from './types';

// Objects created in a bucket of the same template (SAM's S3 event only accepts such a bucket).

/** The key of the sample object: a space shows how S3 URL-encodes keys in notifications. */
export const S3_SAMPLE_KEY = 'uploads/hello world.txt';

export const s3: SourceScaffold = {
  id: 's3',
  wiring: ({ logicalId }) => {
    const bucket = `${logicalId}Bucket`;
    return {
      events: { S3Event: { Type: 'S3', Properties: { Bucket: ref(bucket), Events: 's3:ObjectCreated:*' } } },
      resources: { [bucket]: { Type: 'AWS::S3::Bucket' } },
      outputs: { [`${logicalId}BucketName`]: { Description: 'Upload objects here', Value: ref(bucket) } },
      notes: [
        "The function gets no S3 permissions: add a policy (e.g. S3ReadPolicy with the bucket's name as a literal or parameter) before it reads objects; referencing the bucket itself there would make a circular dependency.",
      ],
    };
  },
  sample: ({ name }) => ({ name: 'object-created', params: { bucketName: bucketNameFor(name), objectKey: S3_SAMPLE_KEY, recordCount: 1 } }),
};
