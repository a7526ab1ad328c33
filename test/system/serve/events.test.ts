import assert from 'node:assert/strict';
import { call, serveFixture, type ServeFixture } from './fixture';

// Real HTTP against real containers (the Node.js test image runs AWS's own runtime client): the
// event each front door builds, and how the function's result comes back.

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: echo.handler
      CodeUri: fn/
      Events:
        Item:
          Type: HttpApi
          Properties: { Path: '/items/{id}', Method: get }
        Post:
          Type: HttpApi
          Properties: { Path: /upload, Method: post }
        Old:
          Type: HttpApi
          Properties: { Path: '/v1/{name}', Method: any, PayloadFormatVersion: '1.0' }
        Files:
          Type: Api
          Properties: { Path: '/files/{proxy+}', Method: any, RestApiId: !Ref Rest }
        Binary:
          Type: Api
          Properties: { Path: /raw, Method: post, RestApiId: !Ref Rest }
  Shapes:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: shapes.handler
      CodeUri: fn/
      Events:
        Http:
          Type: HttpApi
          Properties: { Path: '/shape/{kind}', Method: get }
        Rest:
          Type: Api
          Properties: { Path: '/shape/{kind}', Method: get, RestApiId: !Ref Rest }
      FunctionUrlConfig:
        AuthType: NONE
  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
      Variables: { table: orders }
      BinaryMediaTypes: [ image~1png ]
`;

const ECHO = `export const handler = async (event) => {
  if (event.body && event.isBase64Encoded && event.rawPath === '/upload') {
    const bytes = Buffer.from(event.body, 'base64');
    return { statusCode: 200, isBase64Encoded: true, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from(bytes.reverse()).toString('base64') };
  }
  const cookies = event.version === '2.0' ? { cookies: ['a=1; Path=/', 'b=2'] } : {};
  return { statusCode: 200, headers: { 'content-type': 'application/json', 'x-echo': 'yes' }, ...cookies, body: JSON.stringify(event) };
};
`;

const SHAPES = `export const handler = async (event) => {
  const kind = event.pathParameters?.kind ?? event.rawPath.slice(1);
  if (kind === 'string') return 'hello';
  if (kind === 'object') return { hello: 'world' };
  if (kind === 'throw') throw new Error('boom');
  if (kind === 'malformed') return { statusCode: 'not a number', body: 1 };
  if (kind === 'multi') return { statusCode: 201, headers: { 'x-one': 'a' }, multiValueHeaders: { 'x-many': ['1', '2'] }, body: 'ok' };
  return { statusCode: 404, body: 'no shape ' + kind };
};
`;

interface V2 {
  version: string;
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  pathParameters?: Record<string, string>;
  requestContext: { http: Record<string, string>; stage: string; routeKey: string; requestId: string; time: string; timeEpoch: number };
  body?: string;
  isBase64Encoded: boolean;
}

interface V1 {
  version?: string;
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  requestContext: Record<string, string>;
  body: string | null;
}

describe('serve: events and responses over real HTTP (real Docker, aws-lambda-ric)', function () {
  this.timeout(120_000);
  let fx: ServeFixture;
  before(async () => {
    fx = await serveFixture(TEMPLATE, { 'fn/echo.mjs': ECHO, 'fn/shapes.mjs': SHAPES });
  });
  after(() => fx?.dispose());

  it('builds payload format 2.0 as HTTP APIs do: route key, path parameters, joined repeated keys, cookies, lower-case headers', async () => {
    const r = await call(`${fx.base('Echo', 'http-api')}/items/a%20b?x=1&x=2&y=%C3%A9&z`, {
      headers: [['X-Multi', 'one'], ['X-Multi', 'two'], ['Cookie', 'c1=v1; c2=v2'], ['Cookie', 'c3=v3'], ['User-Agent', 'lwb-test']],
    });
    assert.equal(r.status, 200, r.text);
    const e = r.json() as V2;
    assert.equal(e.version, '2.0');
    assert.equal(e.routeKey, 'GET /items/{id}');
    assert.equal(e.rawPath, '/items/a%20b');
    assert.equal(e.rawQueryString, 'x=1&x=2&y=%C3%A9&z');
    assert.deepEqual(e.pathParameters, { id: 'a b' });
    assert.deepEqual(e.queryStringParameters, { x: '1,2', y: 'é', z: '' });
    assert.deepEqual(e.cookies, ['c1=v1', 'c2=v2', 'c3=v3']);
    assert.equal(e.headers['x-multi'], 'one,two');
    assert.equal(e.headers.cookie, undefined, 'cookies leave the headers');
    assert.equal(e.headers['x-forwarded-for'], '127.0.0.1');
    assert.match(e.headers['x-amzn-trace-id'], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.ok(Object.keys(e.headers).every((k) => k === k.toLowerCase()));
    const c = e.requestContext;
    assert.equal(c.http.method, 'GET');
    assert.equal(c.http.path, '/items/a%20b');
    assert.equal(c.http.sourceIp, '127.0.0.1');
    assert.equal(c.http.userAgent, 'lwb-test');
    assert.equal(c.stage, '$default');
    assert.equal(c.routeKey, 'GET /items/{id}');
    assert.match(c.requestId, /^[A-Za-z0-9+/]{14}[A-Za-z0-9+/=]{2}$/);
    assert.equal(r.headers['apigw-requestid'], c.requestId, 'the response carries the request id');
    assert.match(c.time, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    assert.equal(typeof c.timeEpoch, 'number');
    assert.equal(e.isBase64Encoded, false);
    assert.equal(e.body, undefined);
    // The response: headers as given, each cookie a Set-Cookie header.
    assert.equal(r.headers['x-echo'], 'yes');
    assert.deepEqual(r.headers['set-cookie'], ['a=1; Path=/', 'b=2']);
  });

  it('passes binary bodies base64-encoded and decodes a base64 response', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const r = await call(`${fx.base('Echo', 'http-api')}/upload`, { method: 'POST', headers: [['Content-Type', 'application/octet-stream']], body: bytes });
    assert.equal(r.status, 200);
    assert.deepEqual([...r.body], [255, 250, 2, 1, 0]);
    const text = await call(`${fx.base('Echo', 'http-api')}/items/1`, { method: 'GET', headers: [['Content-Type', 'application/json']], body: '{"a":1}' });
    const e = text.json() as Record<string, unknown>;
    assert.deepEqual([e.body, e.isBase64Encoded], ['{"a":1}', false], 'JSON stays text');
  });

  it('builds payload format 1.0 for an HTTP API route set to it: multi-value maps, the last value in the single ones', async () => {
    const r = await call(`${fx.base('Echo', 'http-api')}/v1/joe?q=1&q=2`, { method: 'PUT', headers: [['X-Dup', 'a'], ['X-Dup', 'b']], body: 'hi' });
    const e = r.json() as V1;
    assert.equal(e.version, '1.0');
    assert.equal(e.resource, '/v1/{name}');
    assert.equal(e.httpMethod, 'PUT');
    assert.deepEqual(e.pathParameters, { name: 'joe' });
    assert.deepEqual(e.queryStringParameters, { q: '2' });
    assert.deepEqual(e.multiValueQueryStringParameters, { q: ['1', '2'] });
    assert.equal(e.headers['x-dup'], 'b');
    assert.deepEqual(e.multiValueHeaders['x-dup'], ['a', 'b']);
    assert.equal(e.stageVariables, null);
  });

  it('serves a REST API under its stage: {proxy+}, ANY, stage variables, headers as sent, the stage in requestContext.path only', async () => {
    const base = fx.base('Echo', 'rest-api');
    const r = await call(`${base}/dev/files/a/b%2Fc/d.txt`, { method: 'DELETE', headers: [['X-Custom-Case', 'v']] });
    assert.equal(r.status, 200, r.text);
    const e = r.json() as V1;
    assert.equal(e.version, undefined);
    assert.equal(e.resource, '/files/{proxy+}');
    assert.equal(e.path, '/files/a/b%2Fc/d.txt');
    assert.deepEqual(e.pathParameters, { proxy: 'a/b/c/d.txt' });
    assert.deepEqual(e.stageVariables, { table: 'orders' });
    assert.equal(e.requestContext.stage, 'dev');
    assert.equal(e.requestContext.path, '/dev/files/a/b%2Fc/d.txt');
    assert.equal(e.requestContext.resourcePath, '/files/{proxy+}');
    assert.equal(e.headers['X-Custom-Case'], 'v');
    assert.equal(e.queryStringParameters, null);
    assert.equal(e.body, null);
    assert.match(r.headers['x-amzn-requestid'] as string, /^[0-9a-f-]{36}$/);
    const missing = await call(`${base}/files/a`);
    assert.deepEqual([missing.status, missing.json()], [403, { message: 'Missing Authentication Token' }], 'without the stage there is no such resource');
  });

  it('gives REST APIs binary bodies only for their BinaryMediaTypes', async () => {
    const base = fx.base('Echo', 'rest-api');
    const png = await call(`${base}/dev/raw`, { method: 'POST', headers: [['Content-Type', 'image/png']], body: Buffer.from([137, 80, 78, 71]) });
    const e = png.json() as Record<string, unknown>;
    assert.deepEqual([e.isBase64Encoded, e.body], [true, Buffer.from([137, 80, 78, 71]).toString('base64')]);
    const text = (await call(`${base}/dev/raw`, { method: 'POST', headers: [['Content-Type', 'application/octet-stream']], body: 'plain' })).json() as Record<string, unknown>;
    assert.deepEqual([text.isBase64Encoded, text.body], [false, 'plain']);
  });

  it('treats a bare result, a function error and a malformed response as each front door does', async () => {
    const http = fx.base('Shapes', 'http-api');
    const rest = `${fx.base('Shapes', 'rest-api')}/dev`;
    const url = fx.base('Shapes', 'function-url');
    const str = await call(`${http}/shape/string`);
    assert.deepEqual([str.status, str.headers['content-type'], str.text], [200, 'application/json', 'hello']);
    const obj = await call(`${http}/shape/object`);
    assert.deepEqual([obj.status, obj.json()], [200, { hello: 'world' }]);
    const urlString = await call(`${url}/string`);
    assert.deepEqual([urlString.status, urlString.text], [200, '"hello"'], 'a function URL returns the JSON text');
    const thrown = await call(`${http}/shape/throw`);
    assert.deepEqual([thrown.status, thrown.json()], [500, { message: 'Internal Server Error' }]);
    const restThrown = await call(`${rest}/shape/throw`);
    assert.deepEqual([restThrown.status, restThrown.json()], [502, { message: 'Internal server error' }]);
    const restString = await call(`${rest}/shape/string`);
    assert.equal(restString.status, 502, 'a REST API needs the proxy response format');
    const malformed = await call(`${http}/shape/malformed`);
    assert.equal(malformed.status, 500);
    const urlThrown = await call(`${url}/throw`);
    assert.deepEqual([urlThrown.status, urlThrown.text], [502, 'Internal Server Error']);
    const multi = await call(`${rest}/shape/multi`);
    assert.equal(multi.status, 201);
    assert.deepEqual(multi.raw.filter(([k]) => k.toLowerCase() === 'x-many').map(([, v]) => v), ['1', '2']);
    const notFound = await call(`${http}/nowhere`);
    assert.deepEqual([notFound.status, notFound.json()], [404, { message: 'Not Found' }]);
    assert.ok(fx.requests.some((l) => l.status === 500 && /Error: boom/.test(l.note ?? '')), 'the log says why');
  });

  it('gives a function URL its own port and the $default route', async () => {
    const urls = fx.api.routes.filter((r) => r.kind === 'function-url');
    assert.deepEqual(urls.map((r) => [r.logicalId, r.method]), [['Shapes', 'ANY']]);
    const ports = new Set(fx.api.listeners.map((l) => l.url));
    assert.equal(ports.size, fx.api.listeners.length, 'every listener has a port of its own');
    assert.equal(fx.api.listeners.length, 3, 'the HTTP API, the REST API and the URL');
  });
});
