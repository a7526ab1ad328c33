import type { LambdaClient } from '@aws-sdk/client-lambda';
import { archiveTooLarge, MAX_ARCHIVE_BYTES } from '../archive/extract';
import { UserError } from '../errors';
import type { LayerDownloader } from './layerCache';

/**
 * A downloader over Lambda's GetLayerVersionByArn: it returns a short-lived URL of the layer's zip,
 * fetched here. The client is asked for per region, because a layer lives in the region its ARN names.
 */
export function lambdaLayerDownloader(
  clientFor: (region: string) => Promise<Pick<LambdaClient, 'send'>>,
  fetchImpl: typeof fetch = fetch,
  maxBytes = MAX_ARCHIVE_BYTES,
): LayerDownloader {
  return async (arn, token) => {
    const parts = arn.split(':');
    if (parts.length < 8 || parts[2] !== 'lambda' || parts[5] !== 'layer') {
      throw new UserError(`'${arn}' is not a layer version ARN.`, 'Layer ARNs look like arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION.', 'layer-arn');
    }
    const client = await clientFor(parts[3]);
    const { GetLayerVersionByArnCommand } = await import('@aws-sdk/client-lambda');
    const out = await client.send(new GetLayerVersionByArnCommand({ Arn: arn }));
    const url = out.Content?.Location;
    if (!url) throw new UserError(`Lambda returned no download location for ${arn}.`, 'Check that the layer version exists and that you may use it.', 'layer-download');
    const abort = new AbortController();
    const sub = token?.onCancellationRequested(() => abort.abort());
    try {
      const res = await fetchImpl(url, { signal: abort.signal });
      if (!res.ok) throw new Error(`HTTP ${res.status} from the layer's download location`);
      return await readCapped(res, maxBytes, `the layer ${arn}`, abort);
    } finally {
      sub?.dispose();
    }
  };
}

/** The whole body, refused as soon as it passes `max` bytes (the length header may lie or be missing). */
async function readCapped(res: Response, max: number, what: string, abort: AbortController): Promise<Buffer> {
  if (Number(res.headers.get('content-length')) > max) throw archiveTooLarge(what, max);
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of res.body ?? []) {
    received += chunk.length;
    if (received > max) {
      abort.abort();
      throw archiveTooLarge(what, max);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
