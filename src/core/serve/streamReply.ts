import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResponseStream } from '../local/responseStream';
import { StreamPacer } from './streamPacer';

/** The content type awslambda.HttpResponseStream.from gives a stream: a JSON prelude, 8 NUL bytes, then the body. */
export const HTTP_INTEGRATION_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = Buffer.alloc(8);
/** A prelude is status, headers and cookies: far below this. */
const PRELUDE_LIMIT = 64 * 1024;

/** How a streamed reply went: whole; failed before anything was sent (the caller answers 502); or cut after its head. */
export type StreamReplyOutcome = 'complete' | 'failed-before-head' | 'cut';

/**
 * Streams a function's response to an HTTP client as the function writes it, the way a function
 * URL in RESPONSE_STREAM mode does: the head comes from the HttpResponseStream prelude (status,
 * headers, cookies) or is a 200 with the stream's content type; each chunk is passed on as it
 * arrives, at the pace Lambda allows (see StreamPacer). An error the function ends with cuts the
 * response (the client sees it incomplete). A client that goes away leaves the function running,
 * its bytes dropped.
 */
export async function sendStream(
  res: ServerResponse,
  stream: ResponseStream,
  extraHeaders: [string, string][],
  pace: { pacer: StreamPacer; wait(ms: number): Promise<unknown> } = { pacer: new StreamPacer(), wait: (ms) => sleep(ms) },
): Promise<StreamReplyOutcome> {
  const prelude = stream.contentType.split(';')[0].trim().toLowerCase() === HTTP_INTEGRATION_TYPE;
  let pending: Buffer | undefined = prelude ? Buffer.alloc(0) : undefined;
  let headSent = false;
  let malformed = false;
  const writeHead = (status: number, headers: [string, string][]): void => {
    res.writeHead(status, [...headers, ...extraHeaders].flat());
    headSent = true;
  };
  res.on('close', () => {
    // The client is gone: keep draining so the runtime is never blocked on a reader.
    if (!res.writableFinished) stream.body.resume();
  });
  for await (const chunk of stream.body as AsyncIterable<Buffer>) {
    if (res.destroyed || malformed) continue;
    // Held here, the chunk holds the runtime back too (the Runtime API reads at the pace it is read).
    const delay = pace.pacer.delayFor(chunk.length);
    if (delay > 0) await pace.wait(delay);
    if (pending !== undefined) {
      pending = Buffer.concat([pending, chunk]);
      const at = pending.indexOf(DELIMITER);
      if (at < 0) {
        if (pending.length > PRELUDE_LIMIT) malformed = true;
        continue;
      }
      const head = parsePrelude(pending.subarray(0, at));
      if (!head) {
        malformed = true;
        continue;
      }
      writeHead(head.status, head.headers);
      const rest = pending.subarray(at + DELIMITER.length);
      pending = undefined;
      if (rest.length > 0) await write(res, rest);
      continue;
    }
    if (!headSent) writeHead(200, [['content-type', stream.contentType]]);
    await write(res, chunk);
  }
  const end = await stream.ended;
  if (end.kind === 'error' || malformed || (pending !== undefined && pending.length > 0 && !headSent)) {
    if (!headSent) return 'failed-before-head';
    res.destroy();
    return 'cut';
  }
  if (!headSent) writeHead(200, prelude ? [] : [['content-type', stream.contentType]]);
  res.end();
  return 'complete';
}

/** The prelude's status, headers and cookies (cookies become Set-Cookie headers). */
function parsePrelude(bytes: Buffer): { status: number; headers: [string, string][] } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const p = value as Record<string, unknown>;
  const status = p.statusCode === undefined ? 200 : p.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return undefined;
  const headers: [string, string][] = [];
  for (const [k, v] of Object.entries(p.headers !== null && typeof p.headers === 'object' ? (p.headers as Record<string, unknown>) : {})) {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(k) || (typeof v !== 'string' && typeof v !== 'number') || /[\r\n\0]/.test(String(v))) return undefined;
    headers.push([k, String(v)]);
  }
  for (const c of Array.isArray(p.cookies) ? p.cookies : []) {
    if (typeof c !== 'string' || /[\r\n\0]/.test(c)) return undefined;
    headers.push(['set-cookie', c]);
  }
  return { status, headers };
}

/** Writes a chunk and waits for the socket to take it (the function's pace is the client's). */
function write(res: ServerResponse, chunk: Buffer): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    if (res.write(chunk)) resolve();
    else {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    }
  });
}
