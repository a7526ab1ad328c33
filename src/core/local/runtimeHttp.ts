import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIPv4 } from 'node:net';
import { UserError } from '../errors';

/**
 * The HTTP side of the Runtime API, kept apart from its state machine: limits on connections,
 * time and bytes, reading bodies that may never end or be cut off, and answering without ever
 * throwing. Whatever a function sends to its Runtime API, the process hosting it (the extension
 * host, the CLI) must not crash or grow without bound.
 */
export interface HttpLimits {
  /** Open connections at once; a runtime needs two or three (its long poll, a post, an init error). */
  maxConnections: number;
  /** A connection between requests is closed after this long: a little over the function's timeout, so a runtime's own connection never is. */
  idleMs: number;
  /** Time to receive a request's headers. */
  headersMs: number;
  /** Time to receive a whole request, body included (a long poll's request is complete at once). */
  requestMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { maxConnections: 32, idleMs: 60_000, headersMs: 10_000, requestMs: 30_000 };

/**
 * A server with the limits applied. Errors of the server and of its clients are answered or
 * dropped, never thrown. `maxHeaderSize` bounds a request's header section (Node's default: 16 KiB).
 */
export function limitedServer(limits: HttpLimits, onError: (err: Error) => void, maxHeaderSize?: number): Server {
  const headersTimeout = Math.min(limits.headersMs, limits.requestMs);
  // Node checks those two deadlines on this interval (30 s by default): often enough for the limits given.
  const connectionsCheckingInterval = Math.max(20, Math.min(1000, Math.floor(headersTimeout / 2)));
  const server = createServer({ requestTimeout: limits.requestMs, headersTimeout, connectionsCheckingInterval, ...(maxHeaderSize ? { maxHeaderSize } : {}) });
  server.maxConnections = limits.maxConnections;
  server.keepAliveTimeout = limits.idleMs;
  // The long poll is a request in progress: Node's keep-alive timer does not run during it, and
  // this socket timer (which would) stays off.
  server.timeout = 0;
  server.on('error', onError);
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Malformed requests, unknown methods, headers too large, deadlines passed: a plain answer when the socket can take one.
    if (socket.writable && !socket.destroyed && err.code !== 'ECONNRESET') {
      const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  });
  return server;
}

/** A request body: complete, over the limit (its bytes dropped), or cut off before its end. */
export type Body = { kind: 'complete'; data: Buffer } | { kind: 'overflow'; bytes: number } | { kind: 'aborted'; bytes: number };

/**
 * Reads a body keeping at most `limit` bytes. Past the limit `onOverflow` is called at once (the
 * outcome is known) and the rest is drained until the body ends, so the client can read the answer;
 * the request deadline bounds how long that may take. A body whose connection closes before its
 * end is 'aborted', never a shorter complete one.
 */
export function readBody(req: IncomingMessage, limit: number, onOverflow?: () => void): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let over = false;
    let done = false;
    const finish = (body: Body): void => {
      if (done) return;
      done = true;
      resolve(body);
    };
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (!over && bytes > limit) {
        over = true;
        chunks.length = 0;
        try {
          onOverflow?.();
        } catch {
          // the caller's bookkeeping must not stop the drain
        }
      }
      if (!over) chunks.push(chunk);
    });
    req.on('end', () => finish(over ? { kind: 'overflow', bytes } : { kind: 'complete', data: Buffer.concat(chunks, bytes) }));
    req.on('error', () => finish({ kind: 'aborted', bytes }));
    // 'close' without 'end': the client went away mid-body (or the deadline cut it).
    req.on('close', () => finish(req.complete ? (over ? { kind: 'overflow', bytes } : { kind: 'complete', data: Buffer.concat(chunks, bytes) }) : { kind: 'aborted', bytes }));
  });
}

/** Answers with a JSON body, unless the answer is already on its way or the socket is gone. */
export function json(res: ServerResponse, status: number, body: object, close = false): void {
  if (res.headersSent || res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) };
  if (close) headers.Connection = 'close';
  res.writeHead(status, headers);
  res.end(text);
}

export type Route =
  | { kind: 'next' }
  | { kind: 'init-error' }
  | { kind: 'invocation'; requestId: string; outcome: 'response' | 'error' }
  | { kind: 'bad-request-id' }
  | { kind: 'wrong-method' }
  | { kind: 'unknown' };

const BASE = '/2018-06-01/runtime';
const INVOCATION_PATH = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;

/** Where a request goes. Total: any method and any bytes in the path give a route. */
export function route(method: string | undefined, url: string | undefined): Route {
  const path = (url ?? '').split('?')[0];
  const m = INVOCATION_PATH.exec(path);
  const known = path === `${BASE}/invocation/next` || path === `${BASE}/init/error` || m !== null;
  if (!known) return { kind: 'unknown' };
  if (path === `${BASE}/invocation/next`) return method === 'GET' ? { kind: 'next' } : { kind: 'wrong-method' };
  if (method !== 'POST') return { kind: 'wrong-method' };
  if (!m) return { kind: 'init-error' };
  let requestId: string;
  try {
    requestId = decodeURIComponent(m[1]);
  } catch {
    // A malformed percent-escape names no invocation.
    return { kind: 'bad-request-id' };
  }
  return { kind: 'invocation', requestId, outcome: m[2] as 'response' | 'error' };
}

/** The first value of a header that may be given more than once. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** ::ffff:172.17.0.2 and 172.17.0.2 are the same caller. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped && isIPv4(mapped[1]) ? mapped[1] : address.toLowerCase();
}

export function isWildcard(host: string): boolean {
  return host === '' || host === '0.0.0.0' || host === '::' || host === '[::]' || host === '::0';
}

export function listenError(err: NodeJS.ErrnoException, host: string, port: number | undefined): Error {
  const where = `${host}${port ? `:${port}` : ''}`;
  switch (err.code) {
    case 'EADDRNOTAVAIL':
      return new UserError(
        `Cannot listen for the container's runtime on ${where}: that address is not on this machine.`,
        'The Docker bridge gateway must be a local address (a Docker engine on this machine). Use a local engine, or set the network to host.',
        'runtime-api-address',
      );
    case 'EADDRINUSE':
      return new UserError(`Cannot listen on ${where}: the port is in use.`, 'Stop what uses it, or let the port be chosen automatically.', 'runtime-api-port');
    case 'EACCES':
      return new UserError(`Not allowed to listen on ${where}.`, 'Use a port above 1024, or let the port be chosen automatically.', 'runtime-api-port');
    default:
      return new UserError(`Cannot listen on ${where}: ${err.message}`, undefined, 'runtime-api-listen');
  }
}
