import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { UserError } from '../errors';
import type { LambdaError } from '../local/lambdaErrors';
import type { ResponseStream } from '../local/responseStream';
import { limitedServer, listenError, readBody } from '../local/runtimeHttp';
import type { FunctionSpec } from '../model/types';
import { ALB_BODY_LIMIT_BYTES } from './albTable';
import { AuthorizerCache } from './authCache';
import { authorize, type RunAuthorizer } from './authorize';
import { isPreflight, preflightHeaders, responseCorsHeaders, restPreflightHeaders } from './cors';
import { eventAlb, eventV1, eventV2, type GatewayContext } from './events';
import { matchRoute, methodsOfPath, type RouteMatch } from './match';
import { gatewayError, type GatewayError, type HttpReply, replyAlb, replyV1, replyV2 } from './replies';
import { firstHeader, headerPairs, type HttpRequestData, newTraceId, splitTarget } from './request';
import { sendStream } from './streamReply';
import type { RequestLog } from './requestLog';
import type { ListenerSpec } from './types';

export type { RequestLog } from './requestLog';

/** What the front door asks of the functions: run one with an event (waiting for a place when all are busy). */
export type InvokeFunction = (
  fn: FunctionSpec,
  event: unknown,
  opts: { onStream?: (stream: ResponseStream) => void; abandon: Promise<unknown> },
) => Promise<{ payload: string | null; error: LambdaError | null } | 'throttled' | 'abandoned'>;

export interface FrontDoorContext {
  invoke: InvokeFunction;
  region: string;
  accountId: string;
  onRequest?(log: RequestLog): void;
}

/** API Gateway's request limits: 10 MiB bodies, 10,240 bytes of request line and headers. */
const API_BODY_LIMIT = 10 * 1024 * 1024;
const API_HEADER_LIMIT = 10_240;
/** A function URL takes what Invoke takes: 6 MiB. */
const URL_BODY_LIMIT = 6 * 1024 * 1024;
const LIMITS = { maxConnections: 1024, idleMs: 5_000, headersMs: 10_000, requestMs: 60_000 };
const STRIPPED = /^(content-length|transfer-encoding|connection|keep-alive)$/i;

/**
 * One listener on 127.0.0.1: an API's routes, a function URL or a load balancer, answering as
 * that front door answers. Bounded like the Runtime API (connections, header and body sizes, time
 * to send a request); nothing a client sends can make it throw or wait forever.
 */
export class FrontDoor {
  /** Lambda authorizer results of this API, for their TTL (API Gateway caches per API). */
  private readonly authorizerCache = new AuthorizerCache();

  private constructor(
    private readonly server: Server,
    private current: ListenerSpec,
    readonly port: number,
    private readonly ctx: FrontDoorContext,
  ) {}

  /** What this port serves now: the template's reload may replace it (see replace). */
  get listener(): ListenerSpec {
    return this.current;
  }

  /**
   * Serves the routes of a reloaded template from the next request on; a request already running
   * keeps the route it matched. Cached authorizer results go with the old configuration.
   */
  replace(listener: ListenerSpec): void {
    this.current = listener;
    this.authorizerCache.clear();
  }

  static async listen(listener: ListenerSpec, port: number, ctx: FrontDoorContext): Promise<FrontDoor> {
    const server = limitedServer(LIMITS, () => undefined, listener.kind === 'alb' ? undefined : API_HEADER_LIMIT);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'EADDRINUSE'
        ? new UserError(`Cannot serve ${listener.name} on 127.0.0.1:${port}: the port is in use.`, 'Stop what uses it, or choose another port (0 picks free ones).', 'serve-port')
        : listenError(err, '127.0.0.1', port);
    });
    const door = new FrontDoor(server, listener, (server.address() as { port: number }).port, ctx);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void door.handle(req, res));
    return door;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Stops at once; with `drain`, requests running finish first (a listener a reload removed). */
  async close(drain = false): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      if (drain) this.server.closeIdleConnections();
      else this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The listener as it is now: a reload during the request does not change the request's routes.
    const spec = this.current;
    const started = performance.now();
    const kind = spec.kind;
    let logged: Omit<RequestLog, 'listener' | 'ms' | 'status' | 'method' | 'path'> = {};
    const { rawPath, rawQuery } = splitTarget(req.url ?? '/');
    try {
      const limit = kind === 'alb' ? ALB_BODY_LIMIT_BYTES : kind === 'function-url' ? URL_BODY_LIMIT : API_BODY_LIMIT;
      const body = await readBody(req, limit);
      if (body.kind === 'aborted') return;
      const data: HttpRequestData = {
        method: req.method ?? 'GET',
        rawPath,
        rawQuery,
        headers: headerPairs(req.rawHeaders),
        body: body.kind === 'complete' ? body.data : Buffer.alloc(0),
        sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        protocol: `HTTP/${req.httpVersion}`,
        port: this.port,
        at: new Date(),
      };
      const reply = body.kind === 'overflow' ? gatewayError(kind, 'too-large') : await this.answer(spec, data, res, (l) => (logged = { ...logged, ...l }));
      if (reply !== 'sent') send(res, reply);
      this.log(spec, req, rawPath, res.statusCode, started, logged);
    } catch (err) {
      // The front door's own bug must not take the process down: an answer, and the reason in the log.
      send(res, gatewayError(kind, 'function-error'));
      this.log(spec, req, rawPath, 500, started, { ...logged, note: `internal error: ${(err as Error).message}` });
    }
  }

  private async answer(spec: ListenerSpec, data: HttpRequestData, res: ServerResponse, note: (l: Partial<RequestLog>) => void): Promise<HttpReply | 'sent'> {
    const { kind, cors } = spec;
    const header = (name: string): string | undefined => firstHeader(data.headers, name);
    if (cors && (kind === 'http-api' || kind === 'function-url') && isPreflight(data.method, header)) {
      return { status: 204, headers: preflightHeaders(cors, header), body: Buffer.alloc(0) };
    }
    const match = matchRoute(spec, data.method, data.rawPath);
    if (cors && kind === 'rest-api' && data.method === 'OPTIONS' && match?.route.method !== 'OPTIONS') {
      // SAM's Cors gives every path an OPTIONS method whose mock integration answers.
      const methods = methodsOfPath(spec, data.rawPath);
      if (methods.length > 0) return { status: 200, headers: [['Content-Type', 'application/json'], ...restPreflightHeaders(cors, methods)], body: Buffer.from('{}') };
    }
    if (!match) return gatewayError(kind, 'not-found');
    note({ logicalId: match.route.fn.logicalId });
    const ctx = this.context(spec, data, match);
    const extra = this.gatewayHeaders(spec, ctx, header('origin'));
    const authorizer = match.route.authorizer ?? (kind === 'function-url' && spec.authType === 'AWS_IAM' ? { kind: 'iam' as const, name: 'AWS_IAM' } : undefined);
    if (authorizer) {
      const outcome = await authorize(authorizer, data, ctx, this.runAuthorizer(), this.authorizerCache);
      if (outcome.kind === 'refuse') {
        note({ note: outcome.why });
        return withHeaders(gatewayError(kind, outcome.error), extra);
      }
      ctx.authorizer = outcome.authorizer;
      extra.push(...outcome.headers);
    }
    const event = kind === 'alb' ? eventAlb(data, ctx) : match.route.payload === '2.0' ? eventV2(data, ctx) : eventV1(data, ctx);
    return this.run(spec, match, event, data, res, extra, note);
  }

  /** Runs the route's function within its integration timeout and maps what it returned. */
  private async run(spec: ListenerSpec, match: RouteMatch, event: unknown, data: HttpRequestData, res: ServerResponse, extra: [string, string][], note: (l: Partial<RequestLog>) => void): Promise<HttpReply | 'sent'> {
    const { kind } = spec;
    const fail = (error: GatewayError, why: string): HttpReply => {
      note({ note: why });
      return withHeaders(gatewayError(kind, error), extra);
    };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), match.route.timeoutMs)));
    const gone = new Promise<'gone'>((resolve) => res.on('close', () => resolve('gone')));
    let streaming: ReturnType<typeof sendStream> | undefined;
    const onStream = kind === 'function-url' && spec.invokeMode === 'RESPONSE_STREAM' ? (s: ResponseStream) => void (streaming = sendStream(res, s, extra)) : undefined;
    try {
      const result = await Promise.race([this.ctx.invoke(match.route.fn, event, { onStream, abandon: Promise.race([timedOut, gone]) }), timedOut]);
      if (streaming) {
        const outcome = await streaming;
        if (outcome !== 'failed-before-head') return 'sent';
        return fail('function-error', result !== 'timeout' && typeof result === 'object' && result.error ? `${result.error.errorType}: ${result.error.errorMessage}` : 'the stream failed before its head');
      }
      if (result === 'timeout') return fail('timeout', `no response within ${match.route.timeoutMs} ms (the integration timeout)`);
      if (result === 'throttled') return fail('throttled', 'too many requests wait for this function');
      if (result === 'abandoned') return fail('timeout', 'the client went away');
      if (result.error) return fail('function-error', `${result.error.errorType}: ${result.error.errorMessage}`);
      const reply = this.map(spec, result.payload ?? 'null', data, match);
      if (reply === 'malformed') return fail('malformed', 'the function returned a response in the wrong format');
      if (kind === 'alb' && reply.body.length > ALB_BODY_LIMIT_BYTES) return fail('malformed', 'the response is over 1 MB, the load balancer limit');
      return withHeaders(reply, extra, kind === 'http-api' || kind === 'function-url' ? spec.cors !== undefined : false);
    } catch (err) {
      if (err instanceof UserError && err.code === 'RequestEntityTooLargeException') return fail('too-large', err.message);
      return fail('function-error', `${match.route.fn.logicalId} could not run: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private map(spec: ListenerSpec, payload: string, data: HttpRequestData, { route }: RouteMatch): HttpReply | 'malformed' {
    const { kind, binaryMediaTypes } = spec;
    if (kind === 'alb') return replyAlb(payload, route.targetGroup?.multiValueHeaders ?? false);
    if (kind === 'function-url') return replyV2(payload, 'function-url');
    if (kind === 'http-api' && route.payload === '2.0') return replyV2(payload, 'http-api');
    return replyV1(payload, { rest: kind === 'rest-api', binaryMediaTypes, accept: firstHeader(data.headers, 'accept') });
  }

  private context(spec: ListenerSpec, data: HttpRequestData, match: RouteMatch): GatewayContext {
    const short = randomBytes(11).toString('base64');
    const kind = spec.kind;
    return {
      listener: spec,
      match,
      accountId: '123456789012',
      region: this.ctx.region,
      requestId: kind === 'http-api' ? short : randomUUID(),
      extendedRequestId: short,
      traceId: newTraceId(data.at),
    };
  }

  /** The ids each front door puts on its responses, and the CORS headers HTTP APIs and function URLs add. */
  private gatewayHeaders(spec: ListenerSpec, ctx: GatewayContext, origin: string | undefined): [string, string][] {
    const { kind, cors } = spec;
    const out: [string, string][] = [];
    if (kind === 'http-api') out.push(['apigw-requestid', ctx.requestId]);
    if (kind === 'rest-api') out.push(['x-amzn-RequestId', ctx.requestId], ['x-amz-apigw-id', ctx.extendedRequestId], ['X-Amzn-Trace-Id', ctx.traceId]);
    if (kind === 'function-url') out.push(['x-amzn-RequestId', ctx.requestId], ['X-Amzn-Trace-Id', ctx.traceId]);
    if (cors && (kind === 'http-api' || kind === 'function-url')) out.push(...responseCorsHeaders(cors, origin));
    return out;
  }

  private runAuthorizer(): RunAuthorizer {
    return async (fn, event) => {
      const result = await this.ctx.invoke(fn, event, { abandon: new Promise(() => undefined) });
      if (typeof result === 'string') return { payload: null, errorMessage: result === 'throttled' ? 'Rate Exceeded.' : 'abandoned' };
      return { payload: result.payload, errorMessage: result.error ? result.error.errorMessage : null };
    };
  }

  private log(spec: ListenerSpec, req: IncomingMessage, path: string, status: number, started: number, l: Partial<RequestLog>): void {
    try {
      this.ctx.onRequest?.({ listener: spec, method: req.method ?? '', path, status, ms: performance.now() - started, ...l });
    } catch {
      // a listener's bug is its own
    }
  }
}

/** The reply with the gateway's headers; with `corsOwned`, the function's own Access-Control-* headers give way to the gateway's. */
function withHeaders(reply: HttpReply, extra: [string, string][], corsOwned = false): HttpReply {
  const own = reply.headers.filter(([k]) => !STRIPPED.test(k) && !(corsOwned && /^access-control-/i.test(k)));
  return { ...reply, headers: [...own, ...extra] };
}

function send(res: ServerResponse, reply: HttpReply): void {
  if (res.headersSent || res.destroyed) return;
  try {
    res.writeHead(reply.status, reply.headers.filter(([k]) => !STRIPPED.test(k)).flat());
  } catch {
    // A header Node refuses (the mappers check them; this is the last guard).
    res.writeHead(502, ['Content-Type', 'text/plain']);
    res.end('Bad Gateway');
    return;
  }
  res.end(reply.body);
}
