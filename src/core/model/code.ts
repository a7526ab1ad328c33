import { resolve } from 'node:path';
import { type TemplateContext, report } from './context';
import { describeValue, isIntrinsic } from './intrinsics';
import type { Prop } from './props';

export interface S3Location {
  bucket: string;
  key: string;
  version?: string;
}

export type CodeLocation = { local: string } | { s3: S3Location } | undefined;

/** Field names of an S3 location map: SAM's CodeUri/ContentUri say Bucket/Key/Version, Lambda's Code says S3Bucket/S3Key/S3ObjectVersion. */
export const SAM_S3_KEYS = { bucket: 'Bucket', key: 'Key', version: 'Version' } as const;
export const LAMBDA_S3_KEYS = { bucket: 'S3Bucket', key: 'S3Key', version: 'S3ObjectVersion' } as const;

/**
 * Where code lives: a local folder (or zip) resolved against the template's folder, or an S3 object
 * given as an s3:// URI or a bucket/key map. An intrinsic yields undefined: nothing to guess.
 */
export function readCodeLocation(
  ctx: TemplateContext,
  name: string,
  prop: Prop,
  keys: { bucket: string; key: string; version: string },
): CodeLocation {
  const v = prop.value;
  if (typeof v === 'string') {
    const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(v);
    if (s3) return { s3: { bucket: s3[1], key: s3[2] } };
    return { local: resolve(ctx.dir, v) };
  }
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !isIntrinsic(v)) {
    const map = v as Record<string, unknown>;
    const bucket = map[keys.bucket];
    const key = map[keys.key];
    const version = map[keys.version];
    if (typeof bucket === 'string' && typeof key === 'string') {
      return { s3: { bucket, key, ...(typeof version === 'string' || typeof version === 'number' ? { version: String(version) } : {}) } };
    }
    if (bucket === undefined || key === undefined) {
      report(ctx, 'error', 'invalid-code-location', `${name} as an S3 location needs both ${keys.bucket} and ${keys.key}.`, prop.range);
    }
    return undefined;
  }
  if (!isIntrinsic(v) && v !== null) {
    report(ctx, 'error', 'invalid-type', `${name} must be a folder path, an s3:// URI or an S3 location; got ${describeValue(v)}.`, prop.range);
  }
  return undefined;
}
