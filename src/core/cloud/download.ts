import { createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { type CancellationTokenLike, CancelledError } from '../cancel';
import { abortSignalFor } from '../deploy/retry';
import { UserError } from '../errors';
import { archiveTooLarge, extractZipSafely, MAX_ARCHIVE_BYTES } from '../archive/extract';
import { checkDownloadTarget } from './downloadTarget';

export interface DownloadResult {
  dir: string;
  files: number;
  /** Unzipped bytes. */
  bytes: number;
  zipBytes: number;
}

export interface DownloadOptions {
  token?: CancellationTokenLike;
  /** Bytes of the zip received so far, and its size when the server says. */
  onProgress?: (received: number, total: number | undefined) => void;
  fetch?: typeof fetch;
  /** Bytes of zip accepted before the download is refused (MAX_ARCHIVE_BYTES unless said). */
  maxZipBytes?: number;
}

/**
 * Downloads a function's deployment package (GetFunction's short-lived Code.Location) and
 * unpacks it into `targetDir`, a new or empty folder. Entries that would land outside the folder
 * are refused. On any failure, nothing is left behind: not the zip, not a partial folder.
 */
export async function downloadFunctionCode(
  lambda: Pick<LambdaClient, 'send'>,
  functionName: string,
  targetDir: string,
  opts: DownloadOptions & { qualifier?: string } = {},
): Promise<DownloadResult> {
  checkDownloadTarget(targetDir);
  const { GetFunctionCommand } = await import('@aws-sdk/client-lambda');
  const out = await lambda.send(new GetFunctionCommand({ FunctionName: functionName, ...(opts.qualifier ? { Qualifier: opts.qualifier } : {}) }));
  if (out.Code?.ImageUri || out.Configuration?.PackageType === 'Image') {
    throw new UserError(
      `${functionName} is a container image function: it has no zip to download.`,
      out.Code?.ImageUri ? `Pull its image instead: docker pull ${out.Code.ImageUri}` : 'Pull its image from ECR instead.',
      'download-image-function',
    );
  }
  const url = out.Code?.Location;
  if (!url) throw new UserError(`Lambda returned no download location for ${functionName}.`, 'Check that you may read its code (lambda:GetFunction).', 'download-failed');
  return downloadZipInto(url, targetDir, { ...opts, what: `the code of ${functionName}` });
}

/** Fetches a zip from `url` and unpacks it into `targetDir` (new or empty), all or nothing. */
export async function downloadZipInto(url: string, targetDir: string, opts: DownloadOptions & { what?: string } = {}): Promise<DownloadResult> {
  const what = opts.what ?? url;
  const target = resolve(targetDir);
  const state = checkDownloadTarget(target);
  const parent = dirname(target);
  const createdParent = firstMissing(parent);
  mkdirSync(parent, { recursive: true });
  // Unpacked beside the target and renamed into place at the end: the target never holds a
  // partial download, and a rename within one folder cannot fail half-way.
  const staging = mkdtempSync(join(parent, `.${basename(target)}.download-`));
  const scratch = mkdtempSync(join(tmpdir(), 'lwb-download-'));
  try {
    const zipPath = join(scratch, 'code.zip');
    const zipBytes = await fetchToFile(url, zipPath, what, opts);
    const { files, bytes } = await extractZipSafely(zipPath, staging, { what });
    if (opts.token?.isCancellationRequested) throw new CancelledError(`downloading ${what}`);
    if (state === 'empty') rmdirSync(target);
    renameSync(staging, target);
    return { dir: target, files, bytes, zipBytes };
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (createdParent) rmSync(createdParent, { recursive: true, force: true });
    else if (state === 'empty' && !existsSync(target)) mkdirSync(target);
    throw err;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function fetchToFile(url: string, file: string, what: string, opts: DownloadOptions): Promise<number> {
  const abort = abortSignalFor(opts.token);
  const host = safeHost(url);
  try {
    const res = await (opts.fetch ?? fetch)(url, { signal: abort.signal });
    if (!res.ok || !res.body) {
      throw new UserError(`Could not download ${what}: ${host} answered HTTP ${res.status}.`, 'The download link expires after 10 minutes: try again.', 'download-failed');
    }
    const total = Number(res.headers.get('content-length')) || undefined;
    const max = opts.maxZipBytes ?? MAX_ARCHIVE_BYTES;
    if (total !== undefined && total > max) throw archiveTooLarge(what, max);
    let received = 0;
    await pipeline(
      Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          received += chunk.length;
          // The length header may be missing or lie: the bytes themselves are counted.
          if (received > max) throw archiveTooLarge(what, max);
          opts.onProgress?.(received, total);
          yield chunk;
        }
      },
      createWriteStream(file),
    );
    return received;
  } catch (err) {
    if (opts.token?.isCancellationRequested) throw new CancelledError(`downloading ${what}`);
    if (err instanceof UserError) throw err;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new UserError(
      `Could not download ${what} from ${host}: ${cause?.code ?? cause?.message ?? (err as Error).message}.`,
      'Check your network connection and proxy settings, then try again.',
      'download-failed',
    );
  } finally {
    abort.dispose();
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the download location';
  }
}

/** The outermost folder of `dir` that does not exist yet (to remove what a failed download created). */
function firstMissing(dir: string): string | undefined {
  let missing: string | undefined;
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    missing = d;
    if (dirname(d) === d) break;
  }
  return missing;
}
