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

/**
 * The staging bucket, and the account that must own it when known: S3 then refuses every call
 * (403) if a bucket of that name belongs to someone else, so a zip never goes to another account's
 * bucket, nor is one of theirs deployed.
 */
export interface StagingBucket {
  bucket: string;
  owner?: string;
}

export async function bucketExists(s3: S3Send, { bucket, owner }: StagingBucket): Promise<boolean> {
  const { HeadBucketCommand } = await import('@aws-sdk/client-s3');
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket, ...(owner ? { ExpectedBucketOwner: owner } : {}) }));
    return true;
  } catch (err) {
    if (httpStatus(err) === 404 || awsErrorName(err) === 'NotFound' || awsErrorName(err) === 'NoSuchBucket') return false;
    throw err;
  }
}

/** Staged zips are only read while Lambda takes its copy: a bucket the deploy creates forgets them after a week. */
export const STAGING_EXPIRY_DAYS = 7;

export async function createBucket(s3: S3Send, { bucket, owner }: StagingBucket, region: string): Promise<void> {
  const { CreateBucketCommand, PutBucketLifecycleConfigurationCommand } = await import('@aws-sdk/client-s3');
  // us-east-1 is the one region that rejects an explicit location constraint.
  const config = region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } };
  await s3.send(new CreateBucketCommand({ Bucket: bucket, ...config }));
  try {
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        ...(owner ? { ExpectedBucketOwner: owner } : {}),
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
 * Uploads the zip with its SHA-256, which S3 checks on receipt and keeps, unless the object at its
 * key already has that checksum (what S3 computed, not metadata anyone could write). Lambda's
 * CodeSha256 is the same digest of the same bytes. Resolves with the bytes sent (0 when it was there).
 */
export async function stageZip(
  s3: S3Send,
  { bucket, owner }: StagingBucket,
  key: string,
  artifact: ZipArtifact,
  onBytes: (sent: number) => void,
  token?: CancellationTokenLike,
): Promise<number> {
  const { HeadObjectCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
  const expected = owner ? { ExpectedBucketOwner: owner } : {};
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED', ...expected }));
    if (head.ContentLength === artifact.bytes && head.ChecksumSHA256 === artifact.codeSha256) return 0;
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
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: artifact.codeSha256,
        ...expected,
      }),
      { abortSignal: abort.signal },
    );
  } finally {
    abort.dispose();
  }
  return artifact.bytes;
}
