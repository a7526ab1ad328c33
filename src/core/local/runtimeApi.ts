import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { type LambdaError, parseRuntimeError, RESPONSE_LIMIT_BYTES, RUNTIME_PAYLOAD_TOO_LARGE, responseAborted, responseTooLarge } from './lambdaErrors';
import { readResponseStream, RESPONSE_MODE_HEADER, type ResponseStream, type StreamReader } from './responseStream';
import { DEFAULT_HTTP_LIMITS, header, type HttpLimits, isWildcard, json, limitedServer, listenError, normalizeAddress, readBody, route } from './runtimeHttp';

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

/**
 * How an invocation ended, as the runtime reported it (times from performance.now()); or, for a
 * streamed response, that it began: the stream says when and how it ends.
 */
export type RuntimeOutcome = { kind: 'response'; body: Buffer; at: number } | { kind: 'error'; error: LambdaError; at: number } | { kind: 'stream'; stream: ResponseStream; at: number };

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
  /** Connection, time and queue limits (see HttpLimits). */
  limits?: Partial<HttpLimits>;
}

/** Requests that may wait for the container's address at once; a runtime sends one or two. */
const MAX_WAITING = 16;

/**
 * The secret part of AWS_LAMBDA_RUNTIME_API. On a bridge network the server answers only its
 * container's address, but on loopback (host networking, Docker Desktop, Podman machines, Colima)
 * every process of this machine calls from the same address as the container. So each server
 * has a random host name that only its container is told: AWS_LAMBDA_RUNTIME_API is
 * `<name>:<port>`, the container's /etc/hosts maps the name to the address it reaches us at
 * (ExtraHosts), and a request whose Host header is anything else is refused before it can take an
 * event or post a result.
 *
 * A host name, because it is the one part every runtime client uses as given. A path prefix
 * (`host:port/<token>`) is not: aws-lambda-ric 4 (Node.js) refuses any value but host:port at start
 * ("Invalid hostnamePort"), and 3.x drops what follows the port when it posts init errors and
 * streamed responses; awslambdaric (Python) posts init errors with http.client, which reads
 * "port/token" as a bad port. Only aws-lambda-go, and clients on aws-lambda-cpp (which build
 * `http://` + value + path), would carry a path. Each of them, like curl and any custom runtime,
 * resolves the name it was given and sends it in the Host header.
 */
const NAME_SUFFIX = 'runtime.lambda-workbench.internal';

interface InFlight {
  invocation: RuntimeInvocation;
  resolveDelivered(at: number): void;
  resolveOutcome(outcome: RuntimeOutcome): void;
  delivered: boolean;
  /** A post for it is being read: a second one is refused. */
  posting: boolean;
  /** Its response is being streamed: it stays in flight until the stream ends. */
  stream?: StreamReader;
}

/**
 * The Lambda Runtime API (2018-06-01) for one container: the runtime long-polls /next for an
 * event and posts its response or error back. It listens on a single non-wildcard address,
 * answers only requests for its own secret host name, and of those only the addresses it is told
 * are its container's. Nothing a caller sends can make it throw, hold unbounded memory or keep a
 * connection forever (see runtimeHttp.ts).
 */
export class RuntimeApiServer {
  /** The host name only its container knows (see NAME_SUFFIX). */
  readonly hostName = `${randomBytes(16).toString('hex')}.${NAME_SUFFIX}`;
  private readonly queue: InFlight[] = [];
  private readonly inFlight = new Map<string, InFlight>();
  private pendingPoll: ServerResponse | undefined;
  private allowed: Set<string> | undefined;
  private readonly waiting: { req: IncomingMessage; res: ServerResponse; timer: NodeJS.Timeout }[] = [];
  private firstPollSeen = false;
  private closed = false;
  private connected = false;
  private readonly refusedFrom = new Set<string>();
  private readonly limit: number;

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    private readonly opts: RuntimeApiOptions,
  ) {
    if (opts.allowed) this.allowed = new Set(opts.allowed.map(normalizeAddress));
    this.limit = opts.responseLimitBytes ?? RESPONSE_LIMIT_BYTES;
  }

  static async listen(opts: RuntimeApiOptions): Promise<RuntimeApiServer> {
    if (isWildcard(opts.host)) throw new Error(`The Runtime API must not listen on a wildcard address (${opts.host}).`);
    const server = limitedServer({ ...DEFAULT_HTTP_LIMITS, ...opts.limits }, () => {
      // Accept errors (out of file descriptors) and the like: the runtime's next call tells.
    });
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
    server.on('request', (req: IncomingMessage, res: ServerResponse) => api.handle(req, res));
    return api;
  }

  /** AWS_LAMBDA_RUNTIME_API for the container: its secret host name and this port. */
  get runtimeApi(): string {
    return `${this.hostName}:${this.port}`;
  }

  /**
   * The container's hosts entry (an ExtraHosts value) that sends the secret name to `address`,
   * where the container reaches this server: an IP address, or, when the container reaches it by
   * a name of the engine's (host.docker.internal), the engine's `host-gateway`, which that name means.
   */
  hostsEntry(address: string): string {
    const bare = address.replace(/^\[(.*)\]$/, '$1');
    return `${this.hostName}:${/^[\d.]+$|:/.test(bare) ? bare : 'host-gateway'}`;
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
      this.handle(w.req, w.res);
    }
  }

  /** Queues an event; the runtime gets it on its next poll. */
  submit(invocation: RuntimeInvocation): PendingInvocation {
    let resolveDelivered!: (at: number) => void;
    let resolveOutcome!: (o: RuntimeOutcome) => void;
    const delivered = new Promise<number>((r) => (resolveDelivered = r));
    const outcome = new Promise<RuntimeOutcome>((r) => (resolveOutcome = r));
    const entry: InFlight = { invocation, resolveDelivered, resolveOutcome, delivered: false, posting: false };
    this.inFlight.set(invocation.requestId, entry);
    this.queue.push(entry);
    this.deliver();
    return { requestId: invocation.requestId, delivered, outcome };
  }

  /**
   * Ends an invocation from outside (timeout, crash, cancel): later posts for it are refused, and a
   * response being streamed ends with the error.
   */
  settle(requestId: string, outcome: Exclude<RuntimeOutcome, { kind: 'stream' }>): void {
    const entry = this.inFlight.get(requestId);
    if (entry?.stream && outcome.kind === 'error') {
      this.inFlight.delete(requestId);
      entry.stream.abort(outcome.error);
    } else if (entry) {
      this.finish(entry, outcome);
    }
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

  private finish(entry: InFlight, outcome: RuntimeOutcome): void {
    this.inFlight.delete(entry.invocation.requestId);
    const queued = this.queue.indexOf(entry);
    if (queued >= 0) this.queue.splice(queued, 1);
    entry.resolveOutcome(outcome);
  }

  private deliver(): void {
    const res = this.pendingPoll;
    if (!res || this.queue.length === 0) return;
    this.pendingPoll = undefined;
    // A poll whose connection is gone would swallow the event: keep it for the next one.
    if (res.destroyed || res.writableEnded) return;
    const entry = this.queue.shift()!;
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

  /** Every request comes through here; nothing it does may throw into Node's request loop. */
  private handle(req: IncomingMessage, res: ServerResponse): void {
    try {
      this.onRequest(req, res);
    } catch {
      this.failed(req, res);
    }
  }

  private failed(req: IncomingMessage, res: ServerResponse): void {
    json(res, 500, { errorType: 'ServiceException', errorMessage: 'The Runtime API could not handle this request.' }, true);
    req.resume();
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    // The secret name first: a stranger is refused at once, and never waits or sees state.
    if (header(req, 'host')?.toLowerCase() !== this.runtimeApi) {
      req.resume();
      json(res, 403, { errorType: 'AccessDenied', errorMessage: 'This Runtime API answers only its own container.' }, true);
      return;
    }
    const from = normalizeAddress(req.socket.remoteAddress ?? '');
    if (!this.allowed) return this.wait(req, res, from);
    if (!this.allowed.has(from)) {
      req.resume();
      this.refuse(res, from);
      return;
    }
    const r = route(req.method, req.url);
    switch (r.kind) {
      case 'next':
        return this.onNext(req, res);
      case 'init-error':
        return this.later(req, res, this.onInitError(req, res));
      case 'invocation':
        return this.later(req, res, this.onInvocationPost(req, res, r.requestId, r.outcome));
      case 'bad-request-id':
        req.resume();
        return json(res, 400, { errorType: 'InvalidRequestID', errorMessage: 'Invalid request ID: the path does not name an invocation.' });
      case 'wrong-method':
        req.resume();
        return json(res, 405, { errorType: 'MethodNotAllowed', errorMessage: `${String(req.method).slice(0, 20)} is not allowed on this resource.` });
      default:
        req.resume();
        return json(res, 404, { errorType: 'NotFound', errorMessage: 'No such Runtime API resource.' });
    }
  }

  private later(req: IncomingMessage, res: ServerResponse, p: Promise<void>): void {
    p.catch(() => this.failed(req, res));
  }

  /** Holds a request until the container's address is known (bounded in number and time). */
  private wait(req: IncomingMessage, res: ServerResponse, from: string): void {
    if (this.waiting.length >= MAX_WAITING) {
      req.resume();
      json(res, 503, { errorType: 'TooManyRequests', errorMessage: 'Too many requests are waiting for the container to start.' }, true);
      return;
    }
    const timer = setTimeout(() => {
      const i = this.waiting.findIndex((w) => w.res === res);
      if (i >= 0) this.waiting.splice(i, 1);
      req.resume();
      this.refuse(res, from);
    }, this.opts.allowWaitMs ?? 10_000);
    this.waiting.push({ req, res, timer });
    res.on('close', () => {
      const i = this.waiting.findIndex((w) => w.res === res);
      if (i < 0) return;
      clearTimeout(this.waiting[i].timer);
      this.waiting.splice(i, 1);
    });
  }

  private refuse(res: ServerResponse, from: string): void {
    this.refusedFrom.add(from);
    notify(() => this.opts.listener?.onRejected?.(from));
    json(res, 403, { errorType: 'AccessDenied', errorMessage: 'This Runtime API answers only its own container.' }, true);
  }

  private onNext(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    if (!this.firstPollSeen) {
      this.firstPollSeen = true;
      notify(() => this.opts.listener?.onFirstPoll?.(performance.now()));
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
    const body = await readBody(req, this.limit);
    const at = performance.now();
    // Cut off: the runtime exits next, and its exit says what happened.
    if (body.kind === 'aborted') return;
    if (this.firstPollSeen) {
      json(res, 403, { errorType: 'InvalidStateTransition', errorMessage: 'Init errors can be reported only before the first /next.' });
      return;
    }
    if (body.kind === 'overflow') {
      json(res, 413, RUNTIME_PAYLOAD_TOO_LARGE);
      return;
    }
    const error = parseRuntimeError(body.data, header(req, ERROR_TYPE_HEADER));
    json(res, 202, { status: 'OK' });
    notify(() => this.opts.listener?.onInitError?.(error, at));
  }

  /** A streamed response: the caller gets the stream at once, the runtime its answer when the stream ends. */
  private async onStreamPost(req: IncomingMessage, res: ServerResponse, entry: InFlight): Promise<void> {
    const { requestId } = entry.invocation;
    entry.stream = readResponseStream(req, requestId, (end, cut) => {
      if (this.inFlight.get(requestId) === entry) this.inFlight.delete(requestId);
      if (cut) return;
      if (end.kind === 'error' && end.error.errorType === 'Function.ResponseSizeTooLarge') json(res, 413, RUNTIME_PAYLOAD_TOO_LARGE);
      else json(res, 202, { status: 'OK' });
    });
    entry.resolveOutcome({ kind: 'stream', stream: entry.stream.stream, at: performance.now() });
  }

  private async onInvocationPost(req: IncomingMessage, res: ServerResponse, requestId: string, kind: 'response' | 'error'): Promise<void> {
    const entry = this.inFlight.get(requestId);
    if (!entry || !entry.delivered || entry.posting) {
      await readBody(req, 0);
      json(res, 400, { errorType: 'InvalidRequestID', errorMessage: `Invalid request ID: ${requestId.slice(0, 100)} is not an invocation in progress.` });
      return;
    }
    entry.posting = true;
    if (kind === 'response' && header(req, RESPONSE_MODE_HEADER)?.toLowerCase() === 'streaming') return this.onStreamPost(req, res, entry);
    const current = (): boolean => this.inFlight.get(requestId) === entry;
    // Over the limit, the outcome is known at once; the rest of the body is drained.
    const body = await readBody(req, this.limit, () => {
      if (current()) this.finish(entry, { kind: 'error', error: responseTooLarge(), at: performance.now() });
    });
    const at = performance.now();
    if (body.kind === 'overflow') {
      json(res, 413, RUNTIME_PAYLOAD_TOO_LARGE);
      return;
    }
    if (body.kind === 'aborted') {
      if (current()) this.finish(entry, { kind: 'error', error: responseAborted(requestId, kind, body.bytes), at });
      return;
    }
    if (!current()) {
      // Settled meanwhile (a timeout): too late.
      json(res, 400, { errorType: 'InvalidRequestID', errorMessage: `Invalid request ID: ${requestId.slice(0, 100)} is not an invocation in progress.` });
      return;
    }
    json(res, 202, { status: 'OK' });
    if (kind === 'response') this.finish(entry, { kind: 'response', body: body.data, at });
    else this.finish(entry, { kind: 'error', error: parseRuntimeError(body.data, header(req, ERROR_TYPE_HEADER)), at });
  }
}

const ERROR_TYPE_HEADER = 'lambda-runtime-function-error-type';


/** A listener's exception is its own bug: it must not end the request that told it. */
function notify(call: () => void): void {
  try {
    call();
  } catch {
    // ignored on purpose
  }
}
