import assert from 'node:assert/strict';
import { sampleEventDefinition, validateJson } from '../../../src/core/events';
import { eventAlb, eventV1, eventV2, type GatewayContext } from '../../../src/core/serve/events';
import { matchRoute } from '../../../src/core/serve/match';
import type { HttpRequestData } from '../../../src/core/serve/request';
import type { ListenerSpec, RouteSpec } from '../../../src/core/serve/types';
import { listener } from './listener';

// The events the front door builds, against AWS's documented examples: the request of the
// "Payload format version" examples of API Gateway's developer guide (POST /my/path with
// repeated headers, query keys and cookies) must give the documented 2.0 and 1.0 events, field
// for field, except the values that differ per request (ids, times, the caller's address).

const AT = new Date(Date.UTC(2020, 2, 12, 19, 3, 58, 390));

function docRequest(over: Partial<HttpRequestData> = {}): HttpRequestData {
  return {
    method: 'POST',
    rawPath: '/my/path',
    rawQuery: 'parameter1=value1&parameter1=value2&parameter2=value',
    headers: [
      ['Header1', 'value1'],
      ['Header2', 'value1'],
      ['Header2', 'value2'],
      ['Cookie', 'cookie1; cookie2'],
      ['User-Agent', 'agent'],
      ['Host', 'id.execute-api.us-east-1.amazonaws.com'],
      ['Content-Type', 'text/plain'],
      // Hop-by-hop: the connection's, never forwarded.
      ['Connection', 'keep-alive'],
    ],
    body: Buffer.from('Hello from Lambda'),
    sourceIp: '192.0.2.1',
    protocol: 'HTTP/1.1',
    port: 443,
    at: AT,
    ...over,
  };
}

/** The event as the function receives it: JSON (the builder's maps have no prototype). */
function plain(v: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
}

/** A value inside an event: at(e, 'requestContext', 'path'). */
function at(v: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], v);
}

function context(l: ListenerSpec, req: HttpRequestData): GatewayContext {
  return { listener: l, match: matchRoute(l, req.method, req.rawPath)!, accountId: '123456789012', region: 'us-east-1', requestId: 'id', extendedRequestId: 'request-id', traceId: 'Root=1-5e6a8b2e-0123456789abcdef01234567' };
}

/** The event without the headers the gateway adds (X-Forwarded-*, the trace id), which the documentation leaves out. */
function withoutForwarded<T extends Record<string, unknown>>(event: T): T {
  const drop = (h: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(h).filter(([k]) => !/^x-forwarded-|^x-amzn-trace-id$/i.test(k)));
  const out: Record<string, unknown> = { ...event, headers: drop(event.headers as Record<string, unknown>) };
  if (event.multiValueHeaders) out.multiValueHeaders = drop(event.multiValueHeaders as Record<string, unknown>);
  return JSON.parse(JSON.stringify(out)) as T;
}

describe('serve: events as AWS documents them', () => {
  it('builds the 2.0 example of the HTTP API guide ($default route)', () => {
    const l = listener('http-api', [{ path: '$default', pathParameters: undefined } as Partial<RouteSpec>]);
    const req = docRequest();
    const event = withoutForwarded(eventV2(req, context(l, req)));
    assert.deepEqual(event, {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/my/path',
      rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
      cookies: ['cookie1', 'cookie2'],
      headers: { header1: 'value1', header2: 'value1,value2', 'user-agent': 'agent', host: 'id.execute-api.us-east-1.amazonaws.com', 'content-type': 'text/plain' },
      queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
      requestContext: {
        accountId: '123456789012',
        apiId: 'id',
        domainName: 'id.execute-api.us-east-1.amazonaws.com',
        domainPrefix: 'id',
        http: { method: 'POST', path: '/my/path', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'agent' },
        requestId: 'id',
        routeKey: '$default',
        stage: '$default',
        time: '12/Mar/2020:19:03:58 +0000',
        timeEpoch: 1584039838390,
      },
      body: 'Hello from Lambda',
      isBase64Encoded: false,
    });
  });

  it('builds the 1.0 example of the HTTP API guide, with the last value in the single-value maps', () => {
    const l = listener('http-api', [{ path: '/my/path', payload: '1.0' }]);
    const req = docRequest({ method: 'GET' });
    const event = withoutForwarded(eventV1(req, context(l, req)));
    assert.deepEqual(event, {
      version: '1.0',
      resource: '/my/path',
      path: '/my/path',
      httpMethod: 'GET',
      headers: { header1: 'value1', header2: 'value2', cookie: 'cookie1; cookie2', 'user-agent': 'agent', host: 'id.execute-api.us-east-1.amazonaws.com', 'content-type': 'text/plain' },
      multiValueHeaders: { header1: ['value1'], header2: ['value1', 'value2'], cookie: ['cookie1; cookie2'], 'user-agent': ['agent'], host: ['id.execute-api.us-east-1.amazonaws.com'], 'content-type': ['text/plain'] },
      queryStringParameters: { parameter1: 'value2', parameter2: 'value' },
      multiValueQueryStringParameters: { parameter1: ['value1', 'value2'], parameter2: ['value'] },
      requestContext: {
        accountId: '123456789012',
        apiId: 'id',
        domainName: 'id.execute-api.us-east-1.amazonaws.com',
        domainPrefix: 'id',
        extendedRequestId: 'request-id',
        httpMethod: 'GET',
        identity: {
          accessKey: null,
          accountId: null,
          caller: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp: '192.0.2.1',
          user: null,
          userAgent: 'agent',
          userArn: null,
        },
        path: '/my/path',
        protocol: 'HTTP/1.1',
        requestId: 'id',
        requestTime: '12/Mar/2020:19:03:58 +0000',
        requestTimeEpoch: 1584039838390,
        resourceId: null,
        resourcePath: '/my/path',
        stage: '$default',
      },
      pathParameters: null,
      stageVariables: null,
      body: 'Hello from Lambda',
      isBase64Encoded: false,
    });
  });

  it("gives a REST API's event its stage in requestContext.path only, headers as sent, and null for what is absent", () => {
    const l = listener('rest-api', [{ path: '/items/{id}', payload: '1.0', method: 'GET' }], { stage: 'Prod', stageVariables: { v: '1' } });
    const req = docRequest({ method: 'GET', rawPath: '/Prod/items/a%2Fb', rawQuery: '', body: Buffer.alloc(0) });
    const e = plain(eventV1(req, context(l, req)));
    assert.equal(e.version, undefined, 'REST events carry no version');
    assert.deepEqual([e.resource, e.path, at(e, 'requestContext', 'path'), at(e, 'requestContext', 'resourcePath')], ['/items/{id}', '/items/a%2Fb', '/Prod/items/a%2Fb', '/items/{id}']);
    assert.deepEqual(e.pathParameters, { id: 'a/b' });
    assert.deepEqual(e.stageVariables, { v: '1' });
    assert.deepEqual([e.queryStringParameters, e.multiValueQueryStringParameters, e.body, e.isBase64Encoded], [null, null, null, false]);
    assert.equal(at(e, 'headers', 'Header2'), 'value2');
    assert.equal(at(e, 'headers', 'X-Forwarded-For'), '192.0.2.1');
    assert.equal(at(e, 'headers', 'X-Forwarded-Proto'), 'http');
  });

  it('builds the load balancer event: the query not decoded, headers lower-case, an empty body as ""', () => {
    const l = listener('alb', [{ payload: '1.0', targetGroup: { name: 'Targets', id: 'abc', multiValueHeaders: false } }]);
    const req = docRequest({ method: 'GET', rawQuery: 'q=a%20b&q=c', body: Buffer.alloc(0) });
    const e = withoutForwarded(eventAlb(req, context(l, req)));
    assert.deepEqual(e, {
      requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/Targets/abc' } },
      httpMethod: 'GET',
      path: '/my/path',
      queryStringParameters: { q: 'c' },
      headers: { header1: 'value1', header2: 'value2', cookie: 'cookie1; cookie2', 'user-agent': 'agent', host: 'id.execute-api.us-east-1.amazonaws.com', 'content-type': 'text/plain' },
      body: '',
      isBase64Encoded: false,
    });
    const multi = listener('alb', [{ payload: '1.0', targetGroup: { name: 'Targets', id: 'abc', multiValueHeaders: true } }]);
    const m = plain(eventAlb(req, context(multi, req)));
    assert.deepEqual(m.multiValueQueryStringParameters, { q: ['a%20b', 'c'] });
    assert.deepEqual(at(m, 'multiValueHeaders', 'header2'), ['value1', 'value2']);
    assert.equal(m.headers, undefined);
  });

  it('validates against the JSON schemas of the sample events the product publishes', () => {
    const req = docRequest({ rawPath: '/items/7', rawQuery: 'a=1' });
    const cases: [string, ListenerSpec, (r: HttpRequestData, c: GatewayContext) => unknown][] = [
      ['apigateway-http', listener('http-api', [{ path: '/items/{id}', method: 'POST' }]), eventV2],
      ['function-url', listener('function-url', [{}]), eventV2],
      ['apigateway-rest', listener('rest-api', [{ path: '/items/{id}', method: 'POST', payload: '1.0' }]), eventV1],
      ['alb', listener('alb', [{ payload: '1.0', targetGroup: { name: 'T', id: 'x', multiValueHeaders: false } }]), eventAlb],
    ];
    for (const [type, l, build] of cases) {
      const violations = validateJson(build(req, context(l, req)), sampleEventDefinition(type).schema);
      assert.deepEqual(violations, [], `${type}: ${JSON.stringify(violations)}`);
    }
  });

  it('passes binary bodies base64-encoded by content type, and keeps hostile names as plain keys', () => {
    const l = listener('http-api', [{}]);
    const png = docRequest({ headers: [['Content-Type', 'image/png']], body: Buffer.from([0, 255]) });
    const e = eventV2(png, context(l, png));
    assert.deepEqual([e.body, e.isBase64Encoded], ['AP8=', true]);
    const form = docRequest({ headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: Buffer.from('a=1') });
    assert.equal(eventV2(form, context(l, form)).isBase64Encoded, true, 'form posts arrive base64-encoded, as from AWS');
    const json = docRequest({ headers: [['Content-Type', 'application/vnd.api+json']], body: Buffer.from('{}') });
    assert.equal(eventV2(json, context(l, json)).isBase64Encoded, false);
    const hostile = docRequest({ rawQuery: '__proto__=x&constructor=y', headers: [['__proto__', 'h'], ['Constructor', 'c']] });
    const h = eventV2(hostile, context(l, hostile));
    assert.deepEqual(Object.entries(h.queryStringParameters as object), [['__proto__', 'x'], ['constructor', 'y']]);
    assert.equal(Object.getOwnPropertyDescriptor(h.headers, '__proto__')?.value, 'h');
    const v1 = eventV1(hostile, context(listener('rest-api', [{ payload: '1.0', path: '/my/path' }]), hostile));
    assert.deepEqual(Object.getOwnPropertyDescriptor(v1.multiValueHeaders, 'Constructor')?.value, ['c']);
  });
});
