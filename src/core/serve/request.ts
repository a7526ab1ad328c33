import { randomBytes } from 'node:crypto';

export { clfDate as requestTime } from '../events/common';

/** An HTTP request as the front door received it: everything an event is built from. */
export interface HttpRequestData {
  /** As sent (Node's parser accepts only tokens, upper case for the known methods). */
  method: string;
  /** The path as sent, still percent-encoded, without the query. */
  rawPath: string;
  /** After the `?`, as sent; empty without one. */
  rawQuery: string;
  /** Every header line in order, names as the client wrote them. */
  headers: [string, string][];
  body: Buffer;
  sourceIp: string;
  /** `HTTP/1.1`. */
  protocol: string;
  /** The local port the request came in on (x-forwarded-port). */
  port: number;
  at: Date;
}

/** The request target split into its path and query, the way the client sent them. */
export function splitTarget(url: string): { rawPath: string; rawQuery: string } {
  const i = url.indexOf('?');
  const rawPath = i < 0 ? url : url.slice(0, i);
  return { rawPath: rawPath.startsWith('/') ? rawPath : `/${rawPath}`, rawQuery: i < 0 ? '' : url.slice(i + 1) };
}

/** Node's rawHeaders ([name, value, name, value...]) as pairs. */
export function headerPairs(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i], raw[i + 1]]);
  return out;
}

/** A header's values, in order, by case-insensitive name. */
export function headerValues(headers: readonly [string, string][], name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([k]) => k.toLowerCase() === lower).map(([, v]) => v);
}

/** A header's first value. */
export function firstHeader(headers: readonly [string, string][], name: string): string | undefined {
  return headerValues(headers, name)[0];
}

/**
 * The query's parameters, decoded the way API Gateway decodes them (`+` and percent-escapes; a
 * malformed escape is kept as sent), in order, repeated keys kept.
 */
export function queryPairs(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  return [...new URLSearchParams(rawQuery)];
}

/**
 * The headers the gateway forwards: the client's, without the hop-by-hop ones, and its own: the
 * caller's address appended to X-Forwarded-For, the port and protocol it came in on, and a new
 * X-Ray trace id. Names lower-case (`lower`) or in the case REST APIs send them.
 */
export function forwardedHeaders(req: HttpRequestData, traceId: string, lower: boolean): [string, string][] {
  const name = (n: string): string => (lower ? n.toLowerCase() : n);
  const xff = headerValues(req.headers, 'x-forwarded-for');
  // Hop-by-hop headers are the connection's, not the request's: a gateway does not pass them on.
  const kept = req.headers.filter(([k]) => !/^x-forwarded-(for|port|proto)$|^x-amzn-trace-id$|^(connection|keep-alive|proxy-connection|te|trailer|upgrade)$/i.test(k));
  return [
    ...kept,
    [name('X-Forwarded-For'), [...xff, req.sourceIp].join(', ')],
    [name('X-Forwarded-Port'), String(req.port)],
    [name('X-Forwarded-Proto'), 'http'],
    [name('X-Amzn-Trace-Id'), traceId],
  ];
}

/** An X-Ray trace id as API Gateway and load balancers start them: Root=1-<epoch hex>-<96 bits>. */
export function newTraceId(at: Date): string {
  return `Root=1-${Math.floor(at.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

/** Whether a body of this content type reaches the function as text (else base64), as HTTP APIs, function URLs and load balancers decide. */
export function isTextBody(contentType: string | undefined, contentEncoding: string | undefined): boolean {
  if (contentEncoding && contentEncoding.trim() !== '' && contentEncoding.trim().toLowerCase() !== 'identity') return false;
  if (!contentType) return false;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return /^text\//.test(type) || /^application\/(json|javascript|xml|ecmascript|x-javascript)$/.test(type) || /\+(json|xml)$/.test(type);
}

/** Whether a content type is one of a REST API's binary media types (`image/*`, `*\/*` wildcards). */
export function isBinaryMediaType(contentType: string | undefined, types: readonly string[]): boolean {
  if (!contentType || types.length === 0) return false;
  const [type, sub] = contentType.split(';')[0].trim().toLowerCase().split('/');
  return types.some((t) => {
    const [tt, ts] = t.trim().toLowerCase().split('/');
    return (tt === '*' || tt === type) && (ts === '*' || ts === sub);
  });
}

/**
 * Maps built from what a client sent have no prototype: a header or parameter named `__proto__` or
 * `constructor` is a key like any other.
 */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
