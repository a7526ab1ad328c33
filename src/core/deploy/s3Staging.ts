import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { type CancellationTokenLike } from '../cancel';
import { type ZipArtifact, sha256Hex } from './artifact';
import { awsErrorName, httpStatus } from './awsErrors';
import { abortSignalFor } from './retry';
import type { S3Send } from './types';

/** Where a zip is staged: one key per content, so a rerun finds what the last run uploaded. */
export function stagingKey(kind: 'function' | 'layer', name: string, artifact: Pick<ZipArtifact, 'codeSha256'>): string {
  return `lambda-workbench/${kind}s/${name}/${sha256Hex(artifact.codeSha256)}.zip`;
}

export async function bucketExists(s3: S3Send, bucket: string): Promise<boolean> {
  const { HeadBucketCommand } = await import('@aws-sdk/client-s3');
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (err) {
    if (httpStatus(err) === 404 || awsErrorName(err) === 'NotFound' || awsErrorName(err) === 'NoSuchBucket') return false;
    throw err;
  }
}

/** Staged zips are only read while Lambda takes its copy: a bucket the deploy creates forgets them after a week. */
export const STAGING_EXPIRY_DAYS = 7;

export async function createBucket(s3: S3Send, bucket: string, region: string): Promise<void> {
  const { CreateBucketCommand, PutBucketLifecycleConfigurationCommand } = await import('@aws-sdk/client-s3');
  // us-east-1 is the one region that rejects an explicit location constraint.
  const config = region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } };
  await s3.send(new CreateBucketCommand({ Bucket: bucket, ...config }));
  try {
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [{ ID: 'lambda-workbench-staging', Status: 'Enabled', Filter: { Prefix: 'lambda-workbench/' }, Expiration: { Days: STAGING_EXPIRY_DAYS } }],
        },
      }),
    );
  } catch {
    // Without the rule staging still works; the staged zips just stay until removed by hand.
  }
}

/**
 * Uploads the zip unless the same content is already at its key. Resolves with the bytes sent
 * (0 when it was there).
 */
export async function stageZip(
  s3: S3Send,
  bucket: string,
  key: string,
  artifact: ZipArtifact,
  onBytes: (sent: number) => void,
  token?: CancellationTokenLike,
): Promise<number> {
  const { HeadObjectCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    if (head.ContentLength === artifact.bytes && head.Metadata?.codesha256 === artifact.codeSha256) return 0;
  } catch (err) {
    if (httpStatus(err) !== 404 && awsErrorName(err) !== 'NotFound') throw err;
  }
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      sent += chunk.length;
      onBytes(sent);
      done(null, chunk);
    },
  });
  const body = createReadStream(artifact.path).pipe(counter);
  const abort = abortSignalFor(token);
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentLength: artifact.bytes,
        ContentType: 'application/zip',
        Metadata: { codesha256: artifact.codeSha256 },
      }),
      { abortSignal: abort.signal },
    );
  } finally {
    abort.dispose();
  }
  return artifact.bytes;
}
