import { restIdentity } from '../events/http';
import type { RouteMatch } from './match';
import { dict, firstHeader, forwardedHeaders, type HttpRequestData, isBinaryMediaType, isTextBody, queryPairs, requestTime } from './request';
import type { ListenerSpec } from './types';

// The events each front door sends, built from the request exactly as AWS builds them: API
// Gateway's payload formats 2.0 (HTTP APIs, function URLs) and 1.0 (REST APIs, HTTP APIs set to
// 1.0), and the Application Load Balancer's. Pure: the ids and times come from the caller.

/** What the gateway knows besides the request. */
export interface GatewayContext {
  listener: ListenerSpec;
  match: RouteMatch;
  accountId: string;
  region: string;
  /** The gateway's id for this request (an HTTP API's short id, a REST API's or URL's UUID). */
  requestId: string;
  /** The HTTP API's short request id a REST API also carries as extendedRequestId. */
  extendedRequestId: string;
  traceId: string;
  /** requestContext.authorizer as the authorizer left it. */
  authorizer?: Record<string, unknown>;
}

/** Payload format 2.0: HTTP APIs and function URLs. */
export function eventV2(req: HttpRequestData, ctx: GatewayContext): Record<string, unknown> {
  const { route } = ctx.match;
  const url = ctx.listener.kind === 'function-url';
  const all = forwardedHeaders(req, ctx.traceId, true);
  const cookies = all.filter(([k]) => k.toLowerCase() === 'cookie').flatMap(([, v]) => v.split(';').map((c) => c.trim()).filter(Boolean));
  const headers = joined(all.filter(([k]) => k.toLowerCase() !== 'cookie').map(([k, v]) => [k.toLowerCase(), v]));
  const query = joined(queryPairs(req.rawQuery));
  const routeKey = url || route.path === '$default' ? '$default' : `${route.method} ${route.path}`;
  const { domainName, domainPrefix } = domain(req);
  const body = bodyOf(req, isTextBody(firstHeader(req.headers, 'content-type'), firstHeader(req.headers, 'content-encoding')));
  return {
    version: '2.0',
    routeKey,
    rawPath: req.rawPath,
    rawQueryString: req.rawQuery,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      // A function URL whose AuthType is NONE does not know the caller's account.
      accountId: url && ctx.listener.authType !== 'AWS_IAM' ? 'anonymous' : ctx.accountId,
      apiId: ctx.listener.apiId,
      ...(ctx.authorizer ? { authorizer: ctx.authorizer } : {}),
      domainName,
      domainPrefix,
      http: { method: req.method, path: req.rawPath, protocol: req.protocol, sourceIp: req.sourceIp, userAgent: firstHeader(req.headers, 'user-agent') ?? '' },
      requestId: ctx.requestId,
      routeKey,
      stage: ctx.listener.stage,
      time: requestTime(req.at),
      timeEpoch: req.at.getTime(),
    },
    ...(body.body !== null ? { body: body.body } : {}),
    ...(ctx.match.pathParameters ? { pathParameters: ctx.match.pathParameters } : {}),
    isBase64Encoded: body.isBase64Encoded,
    ...(Object.keys(ctx.listener.stageVariables).length > 0 ? { stageVariables: ctx.listener.stageVariables } : {}),
  };
}

/** Payload format 1.0: REST APIs (headers in the case sent, the stage outside `path`), and HTTP APIs set to 1.0. */
export function eventV1(req: HttpRequestData, ctx: GatewayContext): Record<string, unknown> {
  const rest = ctx.listener.kind === 'rest-api';
  const { route } = ctx.match;
  const all = forwardedHeaders(req, ctx.traceId, !rest).map(([k, v]): [string, string] => [rest ? k : k.toLowerCase(), v]);
  const query = queryPairs(req.rawQuery);
  const { domainName, domainPrefix } = domain(req);
  const contentType = firstHeader(req.headers, 'content-type');
  const text = rest ? !isBinaryMediaType(contentType, ctx.listener.binaryMediaTypes) : isTextBody(contentType, firstHeader(req.headers, 'content-encoding'));
  const body = bodyOf(req, text);
  const path = rest ? ctx.match.path : req.rawPath;
  const stageVariables = Object.keys(ctx.listener.stageVariables).length > 0 ? ctx.listener.stageVariables : null;
  return {
    ...(rest ? {} : { version: '1.0' }),
    resource: route.path,
    path,
    httpMethod: req.method,
    headers: last(all),
    multiValueHeaders: multi(all),
    queryStringParameters: query.length > 0 ? last(query, false) : null,
    multiValueQueryStringParameters: query.length > 0 ? multi(query, false) : null,
    requestContext: {
      accountId: ctx.accountId,
      apiId: ctx.listener.apiId,
      ...(ctx.authorizer ? { authorizer: ctx.authorizer } : {}),
      domainName,
      domainPrefix,
      extendedRequestId: ctx.extendedRequestId,
      httpMethod: req.method,
      identity: restIdentity(req.sourceIp, firstHeader(req.headers, 'user-agent') ?? null),
      path: rest ? (ctx.listener.stage === '$default' ? path : `/${ctx.listener.stage}${path}`) : path,
      protocol: req.protocol,
      requestId: ctx.requestId,
      requestTime: requestTime(req.at),
      requestTimeEpoch: req.at.getTime(),
      resourceId: rest ? ctx.listener.apiId.slice(0, 6) : null,
      resourcePath: route.path,
      stage: ctx.listener.stage,
    },
    pathParameters: ctx.match.pathParameters ?? null,
    stageVariables,
    body: body.body,
    isBase64Encoded: body.isBase64Encoded,
  };
}

/** What a load balancer sends a Lambda target: the query as sent (not decoded), headers lower-case. */
export function eventAlb(req: HttpRequestData, ctx: GatewayContext): Record<string, unknown> {
  const group = ctx.match.route.targetGroup!;
  const all = forwardedHeaders(req, ctx.traceId, true).map(([k, v]): [string, string] => [k.toLowerCase(), v]);
  const query = req.rawQuery === '' ? [] : req.rawQuery.split('&').map((p): [string, string] => {
    const i = p.indexOf('=');
    return i < 0 ? [p, ''] : [p.slice(0, i), p.slice(i + 1)];
  });
  const body = bodyOf(req, isTextBody(firstHeader(req.headers, 'content-type'), firstHeader(req.headers, 'content-encoding')));
  return {
    requestContext: { elb: { targetGroupArn: `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:targetgroup/${group.name.slice(0, 32)}/${group.id}` } },
    httpMethod: req.method,
    path: req.rawPath,
    ...(group.multiValueHeaders ? { multiValueQueryStringParameters: multi(query, false) } : { queryStringParameters: last(query, false) }),
    ...(group.multiValueHeaders ? { multiValueHeaders: multi(all) } : { headers: last(all) }),
    body: body.body ?? '',
    isBase64Encoded: body.isBase64Encoded,
  };
}

/** The domain the client called (its Host header without the port) and its first label. */
function domain(req: HttpRequestData): { domainName: string; domainPrefix: string } {
  const host = firstHeader(req.headers, 'host') ?? `127.0.0.1:${req.port}`;
  const domainName = host.replace(/:\d+$/, '');
  return { domainName, domainPrefix: domainName.split('.')[0] };
}

function bodyOf(req: HttpRequestData, text: boolean): { body: string | null; isBase64Encoded: boolean } {
  if (req.body.length === 0) return { body: null, isBase64Encoded: false };
  return text ? { body: req.body.toString('utf8'), isBase64Encoded: false } : { body: req.body.toString('base64'), isBase64Encoded: true };
}

/** Repeated names joined with commas (format 2.0). */
function joined(pairs: [string, string][]): Record<string, string> {
  const out = dict<string>();
  for (const [k, v] of pairs) out[k] = k in out ? `${out[k]},${v}` : v;
  return out;
}

/** The last value of each name (format 1.0's single-value maps). Header names compare without case, the first spelling kept. */
function last(pairs: [string, string][], caseless = true): Record<string, string> {
  const out = dict<string>();
  for (const [key, v] of spellings(pairs, caseless)) out[key] = v;
  return out;
}

function multi(pairs: [string, string][], caseless = true): Record<string, string[]> {
  const out = dict<string[]>();
  for (const [key, v] of spellings(pairs, caseless)) (out[key] ??= []).push(v);
  return out;
}

/** Each pair under the first spelling of its name (headers), or as sent (query parameters). */
function spellings(pairs: [string, string][], caseless: boolean): [string, string][] {
  if (!caseless) return pairs;
  const spelled = new Map<string, string>();
  return pairs.map(([k, v]) => {
    const key = spelled.get(k.toLowerCase()) ?? k;
    spelled.set(k.toLowerCase(), key);
    return [key, v];
  });
}
