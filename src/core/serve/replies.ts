import { isBinaryMediaType } from './request';
import type { FrontDoor } from './types';

// Function results mapped back to HTTP the way each front door maps them, and the front doors' own
// error answers. Pure: a result that does not fit the format is 'malformed', never an exception.

export interface HttpReply {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

export type GatewayError = 'function-error' | 'malformed' | 'not-found' | 'timeout' | 'too-large' | 'unauthorized' | 'forbidden' | 'deny' | 'authorizer-error' | 'throttled' | 'bad-signature';

const json = (status: number, body: unknown, extra: [string, string][] = []): HttpReply => ({
  status,
  headers: [['Content-Type', 'application/json'], ...extra],
  body: Buffer.from(JSON.stringify(body)),
});

/** What API Gateway (REST or HTTP), a function URL or a load balancer answers when it cannot give the function's response. */
export function gatewayError(door: FrontDoor, error: GatewayError): HttpReply {
  if (door === 'rest-api') {
    const type = (t: string): [string, string][] => [['x-amzn-ErrorType', t]];
    switch (error) {
      case 'function-error':
      case 'malformed':
        return json(502, { message: 'Internal server error' }, type('InternalServerErrorException'));
      case 'not-found':
        return json(403, { message: 'Missing Authentication Token' }, type('MissingAuthenticationTokenException'));
      case 'timeout':
        return json(504, { message: 'Endpoint request timed out' });
      case 'too-large':
        return json(413, { message: 'Request Too Long' });
      case 'unauthorized':
        return json(401, { message: 'Unauthorized' }, type('UnauthorizedException'));
      case 'forbidden':
      case 'bad-signature':
        return json(403, { message: 'User is not authorized to access this resource' }, type('AccessDeniedException'));
      case 'deny':
        return json(403, { message: 'User is not authorized to access this resource with an explicit deny' }, type('AccessDeniedException'));
      case 'authorizer-error':
        return json(500, { message: null }, type('AuthorizerConfigurationException'));
      case 'throttled':
        return json(429, { message: 'Too Many Requests' });
    }
  }
  if (door === 'http-api') {
    switch (error) {
      case 'function-error':
      case 'malformed':
      case 'authorizer-error':
        return json(500, { message: 'Internal Server Error' });
      case 'not-found':
        return json(404, { message: 'Not Found' });
      case 'timeout':
        return json(503, { message: 'Service Unavailable' });
      case 'too-large':
        return json(413, { message: 'Request Entity Too Large' });
      case 'unauthorized':
        return json(401, { message: 'Unauthorized' });
      case 'forbidden':
      case 'deny':
      case 'bad-signature':
        return json(403, { message: 'Forbidden' });
      case 'throttled':
        return json(429, { message: 'Too Many Requests' });
    }
  }
  if (door === 'function-url') {
    switch (error) {
      case 'too-large':
        return json(413, { Message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation' });
      case 'throttled':
        return json(429, { Message: 'Rate Exceeded.' });
      case 'forbidden':
      case 'unauthorized':
      case 'deny':
      case 'bad-signature':
        return json(403, { Message: 'Forbidden' });
      default:
        return { status: 502, headers: [['Content-Type', 'text/plain']], body: Buffer.from('Internal Server Error') };
    }
  }
  const page = (status: number, text: string): HttpReply => ({
    status,
    headers: [['Content-Type', 'text/html']],
    body: Buffer.from(`<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n</body>\r\n</html>\r\n`),
  });
  if (error === 'too-large') return page(413, 'Request Entity Too Large');
  if (error === 'timeout') return page(504, 'Gateway Time-out');
  if (error === 'throttled') return page(503, 'Service Temporarily Unavailable');
  return page(502, 'Bad Gateway');
}

/**
 * Payload format 2.0 (HTTP APIs, function URLs): an object with statusCode is a response; anything
 * else is the body of a 200 JSON response. An HTTP API gives a string result as the body itself;
 * a function URL gives the result's JSON text, quotes included (as their documentation shows).
 */
export function replyV2(payload: string, door: 'http-api' | 'function-url'): HttpReply | 'malformed' {
  const value = parse(payload);
  if (value === MALFORMED) return 'malformed';
  if (!isRecord(value) || !('statusCode' in value)) {
    const text = door === 'http-api' && typeof value === 'string' ? value : payload;
    return { status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(text) };
  }
  const status = statusOf(value.statusCode);
  const headers = singleHeaders(value.headers);
  const cookies = value.cookies === undefined || value.cookies === null ? [] : Array.isArray(value.cookies) && value.cookies.every((c) => typeof c === 'string' && validValue(c)) ? (value.cookies as string[]) : undefined;
  const body = bodyOf(value.body, value.isBase64Encoded);
  if (status === undefined || headers === undefined || cookies === undefined || body === undefined) return 'malformed';
  return { status, headers: [...headers, ...cookies.map((c): [string, string] => ['set-cookie', c])], body: body.bytes };
}

/**
 * Payload format 1.0. REST APIs are strict (an object of statusCode, headers, multiValueHeaders,
 * body and isBase64Encoded, nothing else) and decode a base64 body only for their binary media
 * types (by the client's first Accept type or the response's Content-Type); HTTP APIs ignore
 * other keys and always decode.
 */
export function replyV1(payload: string, opts: { rest: boolean; binaryMediaTypes?: readonly string[]; accept?: string }): HttpReply | 'malformed' {
  const value = parse(payload);
  if (!isRecord(value)) return 'malformed';
  if (opts.rest && Object.keys(value).some((k) => !['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded'].includes(k))) return 'malformed';
  const status = statusOf(value.statusCode);
  const headers = mergedHeaders(value.headers, value.multiValueHeaders);
  if (status === undefined || headers === undefined) return 'malformed';
  const contentType = headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const binary = !opts.rest || isBinaryMediaType(opts.accept?.split(',')[0], opts.binaryMediaTypes ?? []) || isBinaryMediaType(contentType, opts.binaryMediaTypes ?? []);
  const body = bodyOf(value.body, binary ? value.isBase64Encoded : false);
  if (body === undefined) return 'malformed';
  if (opts.rest && !contentType) headers.unshift(['Content-Type', 'application/json']);
  return { status, headers, body: body.bytes };
}

/** A load balancer's Lambda response: statusCode, statusDescription, headers or multiValueHeaders (as the target group is set), body. */
export function replyAlb(payload: string, multiValue: boolean): HttpReply | 'malformed' {
  const value = parse(payload);
  if (!isRecord(value)) return 'malformed';
  const status = statusOf(value.statusCode);
  const headers = multiValue ? mergedHeaders(undefined, value.multiValueHeaders) : singleHeaders(value.headers);
  const body = bodyOf(value.body, value.isBase64Encoded);
  if (status === undefined || headers === undefined || body === undefined) return 'malformed';
  return { status, headers, body: body.bytes };
}

const MALFORMED = Symbol('malformed');

function parse(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return MALFORMED;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A status code: a whole number from 100 to 599, also written as a string. */
function statusOf(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{3}$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function validValue(v: string): boolean {
  return !/[\r\n\0]/.test(v);
}

/** A value API Gateway accepts in a header map: a string, or a number or boolean it writes out. */
function headerValue(v: unknown): string | undefined {
  if (typeof v === 'string') return validValue(v) ? v : undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function singleHeaders(v: unknown): [string, string][] | undefined {
  if (v === undefined || v === null) return [];
  if (!isRecord(v)) return undefined;
  const out: [string, string][] = [];
  for (const [k, raw] of Object.entries(v)) {
    const value = headerValue(raw);
    if (!TOKEN.test(k) || value === undefined) return undefined;
    out.push([k, value]);
  }
  return out;
}

/** headers and multiValueHeaders together; a name in both keeps multiValueHeaders' values. */
function mergedHeaders(single: unknown, multi: unknown): [string, string][] | undefined {
  const one = singleHeaders(single);
  if (one === undefined) return undefined;
  if (multi === undefined || multi === null) return one;
  if (!isRecord(multi)) return undefined;
  const out: [string, string][] = [];
  const names = new Set<string>();
  for (const [k, list] of Object.entries(multi)) {
    if (!TOKEN.test(k) || !Array.isArray(list)) return undefined;
    names.add(k.toLowerCase());
    for (const raw of list) {
      const value = headerValue(raw);
      if (value === undefined) return undefined;
      out.push([k, value]);
    }
  }
  return [...one.filter(([k]) => !names.has(k.toLowerCase())), ...out];
}

/** The body's bytes: a string (base64-decoded when flagged), or none. */
function bodyOf(body: unknown, base64: unknown): { bytes: Buffer } | undefined {
  if (body === undefined || body === null) return { bytes: Buffer.alloc(0) };
  if (typeof body !== 'string') return undefined;
  return { bytes: base64 === true || base64 === 'true' ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8') };
}
