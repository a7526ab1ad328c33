import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { PassThrough, type Readable } from 'node:stream';
import { type LambdaError, parseRuntimeError, responseAborted, STREAM_RESPONSE_LIMIT_BYTES, streamTooLarge } from './lambdaErrors';

/**
 * A response the runtime streams (Lambda-Runtime-Function-Response-Mode: streaming): its bytes as
 * they arrive, and how it ended. The body ends in every case; `ended` says whether it was whole,
 * or why not (an error the runtime sent in its trailers, a cut connection, the size limit, a
 * timeout). Bytes flow at the pace the reader takes them: a slow reader slows the runtime down.
 */
export interface ResponseStream {
  /** The Content-Type the runtime gave its stream (application/vnd.awslambda.http-integration-response for HttpResponseStream). */
  contentType: string;
  body: Readable;
  ended: Promise<StreamEnd>;
}

export type StreamEnd = { kind: 'complete'; bytes: number; at: number } | { kind: 'error'; error: LambdaError; at: number };

/** The Runtime API's header for a streamed response, and the trailers a runtime ends a failed one with. */
export const RESPONSE_MODE_HEADER = 'lambda-runtime-function-response-mode';
const ERROR_TYPE_TRAILER = 'lambda-runtime-function-error-type';
const ERROR_BODY_TRAILER = 'lambda-runtime-function-error-body';

/** A streamed post being read: the stream for the caller, and a way to end it from outside (timeout, crash). */
export interface StreamReader {
  stream: ResponseStream;
  abort(error: LambdaError): void;
}

/**
 * Reads a streamed response post. `onEnd` runs once, when the stream is over; the post is
 * answered 202 by the caller then (the runtime waits for that answer before its next /next),
 * unless `cut`: the invocation was ended from outside and the connection is gone.
 */
export function readResponseStream(req: IncomingMessage, requestId: string, onEnd: (end: StreamEnd, cut: boolean) => void, limit = STREAM_RESPONSE_LIMIT_BYTES): StreamReader {
  const body = new PassThrough();
  let bytes = 0;
  let settled = false;
  let cut = false;
  let resolveEnded!: (e: StreamEnd) => void;
  const ended = new Promise<StreamEnd>((r) => (resolveEnded = r));
  const finish = (end: StreamEnd): void => {
    if (settled) return;
    settled = true;
    body.end();
    resolveEnded(end);
    onEnd(end, cut);
  };
  body.on('drain', () => req.resume());
  // A reader that goes away (the HTTP client hung up) must not stall the runtime: drop the rest.
  body.on('close', () => req.resume());
  req.on('data', (chunk: Buffer) => {
    if (settled) return;
    bytes += chunk.length;
    if (bytes > limit) {
      // Lambda ends the stream at its limit; the rest of the post is drained and dropped.
      finish({ kind: 'error', error: streamTooLarge(), at: performance.now() });
      return;
    }
    if (!body.destroyed && !body.write(chunk)) req.pause();
  });
  req.on('end', () => {
    const type = trailer(req, ERROR_TYPE_TRAILER);
    if (type === undefined) return finish({ kind: 'complete', bytes, at: performance.now() });
    const encoded = trailer(req, ERROR_BODY_TRAILER);
    const detail = encoded === undefined ? Buffer.alloc(0) : Buffer.from(encoded, 'base64');
    finish({ kind: 'error', error: parseRuntimeError(detail, type), at: performance.now() });
  });
  req.on('error', () => finish({ kind: 'error', error: responseAborted(requestId, 'response', bytes), at: performance.now() }));
  req.on('close', () => {
    if (!req.complete) finish({ kind: 'error', error: responseAborted(requestId, 'response', bytes), at: performance.now() });
  });
  const contentType = req.headers['content-type'] ?? 'application/octet-stream';
  return {
    stream: { contentType, body, ended },
    abort(error) {
      // The runtime's connection goes first: it gets no answer, as when Lambda stops an invocation.
      cut = true;
      req.destroy();
      finish({ kind: 'error', error, at: performance.now() });
    },
  };
}

/**
 * Reads a whole stream into memory for a caller that takes no stream (a plain invoke), as Lambda's
 * Invoke API buffers a streaming function's response: at most `limit` bytes.
 */
export async function bufferStream(stream: ResponseStream, limit: number, tooLarge: () => LambdaError): Promise<{ body: Buffer } | { error: LambdaError }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let over = false;
  for await (const chunk of stream.body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > limit) over = true;
    if (!over) chunks.push(chunk);
  }
  const end = await stream.ended;
  if (end.kind === 'error') return { error: end.error };
  return over ? { error: tooLarge() } : { body: Buffer.concat(chunks) };
}

function trailer(req: IncomingMessage, name: string): string | undefined {
  const v = req.trailers[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
