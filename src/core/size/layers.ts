import type { LambdaClient } from '@aws-sdk/client-lambda';
import { type CancellationTokenLike, throwIfCancelled } from '../cancel';
import { readZipDirectory } from '../pack/read';

/** A published layer version's size, or why it is not known. */
export interface ResolvedLayer {
  unzippedBytes: number | null;
  zippedBytes: number | null;
  detail: string;
}

/** Looks up layers given by ARN. The engine reports 'unknown' for them when none is configured. */
export interface LayerSizeResolver {
  resolve(arn: string, token?: CancellationTokenLike): Promise<ResolvedLayer>;
}

const LAYER_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[A-Za-z0-9_-]+:(\d+)$/;

export interface LambdaLayerResolverOptions {
  /** For reading the archive's directory over HTTP ranges; the global fetch by default. */
  fetch?: typeof fetch;
  /** Per-request time limit for reading the archive's directory. */
  timeoutMs?: number;
}

/**
 * Resolves layer ARNs with GetLayerVersion. Its Content.CodeSize is the size of the layer's zip; the
 * limit is on unzipped bytes, so the zip's central directory is read from Content.Location (a
 * pre-signed S3 URL) with HTTP range requests: a few KiB, not the whole archive. Layer versions
 * never change, so answers are kept for the resolver's lifetime.
 */
export function lambdaLayerResolver(client: Pick<LambdaClient, 'send'>, opts: LambdaLayerResolverOptions = {}): LayerSizeResolver {
  const known = new Map<string, ResolvedLayer>();
  return {
    async resolve(arn, token) {
      const cached = known.get(arn);
      if (cached) return cached;
      const m = LAYER_ARN.exec(arn);
      if (!m) return { unzippedBytes: null, zippedBytes: null, detail: `'${arn}' is not a layer version ARN` };
      throwIfCancelled(token, 'looking up layers');
      const { GetLayerVersionCommand } = await import('@aws-sdk/client-lambda');
      let content: { CodeSize?: number; Location?: string } | undefined;
      try {
        const out = await client.send(new GetLayerVersionCommand({ LayerName: arn.slice(0, arn.lastIndexOf(':')), VersionNumber: Number(m[1]) }));
        content = out.Content;
      } catch (err) {
        // Not kept: credentials can be fixed and the lookup tried again.
        return { unzippedBytes: null, zippedBytes: null, detail: describeAwsError(err) };
      }
      const zippedBytes = typeof content?.CodeSize === 'number' ? content.CodeSize : null;
      let result: ResolvedLayer;
      if (zippedBytes === null || !content?.Location) {
        result = { unzippedBytes: null, zippedBytes, detail: 'GetLayerVersion returned no archive to read its unzipped size from' };
      } else {
        try {
          const dir = await readZipDirectory(httpReadAt(content.Location, opts, token), zippedBytes);
          result = { unzippedBytes: dir.unzippedBytes, zippedBytes, detail: 'from the published archive' };
        } catch (err) {
          return { unzippedBytes: null, zippedBytes, detail: `its archive is ${zippedBytes} bytes zipped, but its unzipped size could not be read (${err instanceof Error ? err.message : String(err)})` };
        }
      }
      known.set(arn, result);
      return result;
    },
  };
}

function httpReadAt(url: string, opts: LambdaLayerResolverOptions, token?: CancellationTokenLike) {
  const doFetch = opts.fetch ?? fetch;
  return async (offset: number, length: number): Promise<Buffer> => {
    throwIfCancelled(token, 'looking up layers');
    if (length === 0) return Buffer.alloc(0);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), opts.timeoutMs ?? 15_000);
    const sub = token?.onCancellationRequested(() => abort.abort());
    try {
      const res = await doFetch(url, { headers: { Range: `bytes=${offset}-${offset + length - 1}` }, signal: abort.signal });
      if (res.status === 206) return Buffer.from(await res.arrayBuffer());
      if (res.status === 200) {
        // A server that ignores Range sends everything: take the part asked for.
        const all = Buffer.from(await res.arrayBuffer());
        return all.subarray(offset, offset + length);
      }
      throw new Error(`HTTP ${res.status} reading the layer archive`);
    } finally {
      clearTimeout(timer);
      sub?.dispose();
    }
  };
}

function describeAwsError(err: unknown): string {
  const e = err as { name?: string; message?: string };
  if (e.name === 'CredentialsProviderError' || /credential/i.test(e.message ?? '')) return 'no AWS credentials to look it up with';
  if (e.name === 'AccessDeniedException') return 'AWS denied lambda:GetLayerVersion';
  if (e.name === 'ResourceNotFoundException') return 'the layer version does not exist (or is in another region)';
  return `looking it up failed: ${e.message ?? String(err)}`;
}
