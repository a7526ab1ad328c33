import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIPv4 } from 'node:net';
import { performance } from 'node:perf_hooks';
import { UserError } from '../errors';
import { type LambdaError, parseRuntimeError, RESPONSE_LIMIT_BYTES, RUNTIME_PAYLOAD_TOO_LARGE, responseTooLarge } from './lambdaErrors';

/** One event for the runtime, with what Lambda sends alongside it. */
export interface RuntimeInvocation {
  requestId: string;
  payload: Buffer;
  /** The function's timeout: the deadline header is counted from the moment the event is handed over. */
  timeoutMs: number;
  functionArn: string;
  traceId: string;
  /** JSON text, sent as Lambda-Runtime-Client-Context when given. */
  clientContext?: string;
  /** JSON text, sent as Lambda-Runtime-Cognito-Identity when given. */
  cognitoIdentity?: string;
}

/** How an invocation ended, as the runtime reported it (times from performance.now()). */
export type RuntimeOutcome = { kind: 'response'; body: Buffer; at: number } | { kind: 'error'; error: LambdaError; at: number };

export interface PendingInvocation {
  requestId: string;
  /** When the runtime received the event. */
  delivered: Promise<number>;
  outcome: Promise<RuntimeOutcome>;
}

export interface RuntimeApiListener {
  /** The runtime asked for its first event: its init is done. */
  onFirstPoll?(at: number): void;
  /** The runtime reported that its init failed (it exits next). */
  onInitError?(error: LambdaError, at: number): void;
  /** A request from an address other than the container's was refused. */
  onRejected?(address: string): void;
}

export interface RuntimeApiOptions {
  /** The one address to listen on: the bridge gateway, or loopback for host networking. Never a wildcard. */
  host: string;
  port?: number;
  /** Who may call. Until set (the container's address is known only once it runs), requests wait. */
  allowed?: string[];
  listener?: RuntimeApiListener;
  /** How long a request may wait for allow() before it is refused. */
  allowWaitMs?: number;
  /** Response and error bodies above this are refused like Lambda refuses them. */
  responseLimitBytes?: number;
}

const BASE = '/2018-06-01/runtime';
const INVOCATION_PATH = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;
const ERROR_TYPE_HEADER = 'lambda-runtime-function-error-type';

interface InFlight {
  invocation: RuntimeInvocation;
  resolveDelivered(at: number): void;
  resolveOutcome(outcome: RuntimeOutcome): void;
  delivered: boolean;
}

/**
 * The Lambda Runtime API (2018-06-01) for one container: the runtime long-polls /next for an
 * event and posts its response or error back. It listens on a single non-wildcard address and
 * answers only the addresses it is told are its container's.
 */
export class RuntimeApiServer {
  private readonly queue: InFlight[] = [];
  private readonly inFlight = new Map<string, InFlight>();
  private pendingPoll: ServerResponse | undefined;
  private allowed: Set<string> | undefined;
  private readonly waiting: { req: IncomingMessage; res: ServerResponse; timer: NodeJS.Timeout }[] = [];
  private firstPollSeen = false;
  private closed = false;
  private connected = false;
  private readonly refusedFrom = new Set<string>();

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    private readonly opts: RuntimeApiOptions,
  ) {
    if (opts.allowed) this.allowed = new Set(opts.allowed.map(normalizeAddress));
  }

  static async listen(opts: RuntimeApiOptions): Promise<RuntimeApiServer> {
    if (isWildcard(opts.host)) throw new Error(`The Runtime API must not listen on a wildcard address (${opts.host}).`);
    const server = createServer();
    // The runtime keeps one long poll open between invocations; no timer may cut it.
    server.keepAliveTimeout = 0;
    server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((err: NodeJS.ErrnoException) => {
      throw listenError(err, opts.host, opts.port);
    });
    const port = (server.address() as { port: number }).port;
    const api = new RuntimeApiServer(server, opts.host, port, opts);
    server.on('connection', () => (api.connected = true));
    server.on('request', (req, res) => api.onRequest(req, res));
    return api;
  }

  /** host:port, the value of AWS_LAMBDA_RUNTIME_API when the container reaches this address directly. */
  get address(): string {
    return `${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  /** Whether anything has connected, refused callers included: a runtime that never did could not reach this address. */
  get contacted(): boolean {
    return this.connected;
  }

  /** The addresses of callers that were refused. */
  get refused(): string[] {
    return [...this.refusedFrom];
  }

  /** Sets the addresses that may call (the container's), and lets waiting requests through or refuses them. */
  allow(addresses: string[]): void {
    this.allowed = new Set(addresses.map(normalizeAddress));
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer);
      this.onRequest(w.req, w.res);
    }
  }

  /** Queues an event; the runtime gets it on its next poll. */
  submit(invocation: RuntimeInvocation): PendingInvocation {
    let resolveDelivered!: (at: number) => void;
    let resolveOutcome!: (o: RuntimeOutcome) => void;
    const delivered = new Promise<number>((r) => (resolveDelivered = r));
    const outcome = new Promise<RuntimeOutcome>((r) => (resolveOutcome = r));
    const entry: InFlight = { invocation, resolveDelivered, resolveOutcome, delivered: false };
    this.inFlight.set(invocation.requestId, entry);
    this.queue.push(entry);
    this.deliver();
    return { requestId: invocation.requestId, delivered, outcome };
  }

  /** Ends an invocation from outside (timeout, crash, cancel): later posts for it are refused. */
  settle(requestId: string, outcome: RuntimeOutcome): void {
    const entry = this.inFlight.get(requestId);
    if (!entry) return;
    this.inFlight.delete(requestId);
    const queued = this.queue.indexOf(entry);
    if (queued >= 0) this.queue.splice(queued, 1);
    entry.resolveOutcome(outcome);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.waiting.splice(0)) clearTimeout(w.timer);
    this.pendingPoll?.destroy();
    this.pendingPoll = undefined;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private deliver(): void {
    const res = this.pendingPoll;
    if (!res || this.queue.length === 0) return;
    const entry = this.queue.shift()!;
    this.pendingPoll = undefined;
    const inv = entry.invocation;
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Content-Length': inv.payload.length,
      'Lambda-Runtime-Aws-Request-Id': inv.requestId,
      'Lambda-Runtime-Deadline-Ms': String(Date.now() + inv.timeoutMs),
      'Lambda-Runtime-Invoked-Function-Arn': inv.functionArn,
      'Lambda-Runtime-Trace-Id': inv.traceId,
    };
    if (inv.clientContext !== undefined) headers['Lambda-Runtime-Client-Context'] = inv.clientContext;
    if (inv.cognitoIdentity !== undefined) headers['Lambda-Runtime-Cognito-Identity'] = inv.cognitoIdentity;
    res.writeHead(200, headers);
    res.end(inv.payload);
    entry.delivered = true;
    entry.resolveDelivered(performance.now());
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const from = normalizeAddress(req.socket.remoteAddress ?? '');
    if (!this.allowed) {
      const timer = setTimeout(() => {
        const i = this.waiting.findIndex((w) => w.res === res);
        if (i >= 0) this.waiting.splice(i, 1);
        this.refuse(res, from);
      }, this.opts.allowWaitMs ?? 10_000);
      this.waiting.push({ req, res, timer });
      return;
    }
    if (!this.allowed.has(from)) {
      this.refuse(res, from);
      return;
    }
    const url = req.url ?? '';
    if (req.method === 'GET' && url === `${BASE}/invocation/next`) return this.onNext(res);
    if (req.method === 'POST' && url === `${BASE}/init/error`) return void this.onInitError(req, res);
    const m = INVOCATION_PATH.exec(url);
    if (req.method === 'POST' && m) return void this.onInvocationPost(req, res, decodeURIComponent(m[1]), m[2] as 'response' | 'error');
    const known = url === `${BASE}/invocation/next` || url === `${BASE}/init/error` || INVOCATION_PATH.test(url);
    req.resume();
    json(res, known ? 405 : 404, {
      errorType: known ? 'MethodNotAllowed' : 'NotFound',
      errorMessage: known ? `${req.method} is not allowed on ${url}` : `No such Runtime API resource: ${url}`,
    });
  }

  private refuse(res: ServerResponse, from: string): void {
    this.refusedFrom.add(from);
    this.opts.listener?.onRejected?.(from);
    json(res, 403, { errorType: 'AccessDenied', errorMessage: 'This Runtime API answers only its own container.' });
  }

  private onNext(res: ServerResponse): void {
    if (!this.firstPollSeen) {
      this.firstPollSeen = true;
      this.opts.listener?.onFirstPoll?.(performance.now());
    }
    // One poll at a time: a second one replaces a stale first (its connection is gone or abandoned).
    if (this.pendingPoll && !this.pendingPoll.writableEnded) this.pendingPoll.destroy();
    this.pendingPoll = res;
    res.on('close', () => {
      if (this.pendingPoll === res) this.pendingPoll = undefined;
    });
    this.deliver();
  }

  private async onInitError(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, this.opts.responseLimitBytes ?? RESPONSE_LIMIT_BYTES);
    const at = performance.now();
    if (this.firstPollSeen) {
      json(res, 403, { errorType: 'InvalidStateTransition', errorMessage: 'Init errors can be reported only before the first /next.' });
      return;
    }
    const header = req.headers[ERROR_TYPE_HEADER];
    const error = parseRuntimeError(body.data, Array.isArray(header) ? header[0] : header);
    json(res, 202, { status: 'OK' });
    this.opts.listener?.onInitError?.(error, at);
  }

  private async onInvocationPost(req: IncomingMessage, res: ServerResponse, requestId: string, kind: 'response' | 'error'): Promise<void> {
    const body = await readBody(req, this.opts.responseLimitBytes ?? RESPONSE_LIMIT_BYTES);
    const at = performance.now();
    const entry = this.inFlight.get(requestId);
    if (!entry || !entry.delivered) {
      json(res, 400, { errorType: 'InvalidRequestID', errorMessage: `Invalid request ID: ${requestId} is not an invocation in progress.` });
      return;
    }
    this.inFlight.delete(requestId);
    if (body.overflow) {
      json(res, 413, RUNTIME_PAYLOAD_TOO_LARGE);
      entry.resolveOutcome({ kind: 'error', error: responseTooLarge(), at });
      return;
    }
    json(res, 202, { status: 'OK' });
    if (kind === 'response') {
      entry.resolveOutcome({ kind: 'response', body: body.data, at });
    } else {
      const header = req.headers[ERROR_TYPE_HEADER];
      entry.resolveOutcome({ kind: 'error', error: parseRuntimeError(body.data, Array.isArray(header) ? header[0] : header), at });
    }
  }
}

/** Reads a request body, keeping at most `limit` bytes; a larger body is drained and flagged. */
function readBody(req: IncomingMessage, limit: number): Promise<{ data: Buffer; overflow: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let overflow = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) overflow = true;
      if (!overflow) chunks.push(chunk);
    });
    req.on('end', () => resolve({ data: overflow ? Buffer.alloc(0) : Buffer.concat(chunks, size), overflow }));
    req.on('error', () => resolve({ data: Buffer.alloc(0), overflow }));
  });
}

function json(res: ServerResponse, status: number, body: object): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** ::ffff:172.17.0.2 and 172.17.0.2 are the same caller. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped && isIPv4(mapped[1]) ? mapped[1] : address.toLowerCase();
}

function isWildcard(host: string): boolean {
  return host === '' || host === '0.0.0.0' || host === '::' || host === '[::]' || host === '::0';
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number | undefined): Error {
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
