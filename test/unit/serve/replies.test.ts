import assert from 'node:assert/strict';
import { gatewayError, replyAlb, replyV1, replyV2, type HttpReply } from '../../../src/core/serve/replies';

/** A reply as the client sees it: status, headers, body text. */
function seen(r: HttpReply | 'malformed'): unknown {
  return r === 'malformed' ? r : { status: r.status, headers: r.headers, body: r.body.toString('latin1') };
}

describe('serve: function results back to HTTP, as AWS documents it', () => {
  it("infers a 2.0 response when there is no statusCode: an HTTP API's string is the body, a URL's is its JSON", () => {
    // Lambda's function URL guide and API Gateway's HTTP API guide, "Lambda function response format".
    assert.deepEqual(seen(replyV2('"Hello from Lambda!"', 'http-api')), { status: 200, headers: [['content-type', 'application/json']], body: 'Hello from Lambda!' });
    assert.deepEqual(seen(replyV2('"Hello, world!"', 'function-url')), { status: 200, headers: [['content-type', 'application/json']], body: '"Hello, world!"' });
    assert.deepEqual(seen(replyV2('{"message":"Hello, world!"}', 'function-url')), { status: 200, headers: [['content-type', 'application/json']], body: '{"message":"Hello, world!"}' });
    assert.deepEqual(seen(replyV2('[1,2]', 'http-api')), { status: 200, headers: [['content-type', 'application/json']], body: '[1,2]' });
  });

  it('maps a custom 2.0 response: status, headers, each cookie a Set-Cookie, base64 bodies decoded', () => {
    const custom = JSON.stringify({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', 'My-Custom-Header': 'Custom Value', 'X-Number': 3 },
      body: JSON.stringify({ message: 'Hello, world!' }),
      cookies: ['Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT', 'Cookie_2=Value2; Max-Age=78000'],
      isBase64Encoded: false,
    });
    assert.deepEqual(seen(replyV2(custom, 'function-url')), {
      status: 201,
      headers: [
        ['Content-Type', 'application/json'],
        ['My-Custom-Header', 'Custom Value'],
        ['X-Number', '3'],
        ['set-cookie', 'Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT'],
        ['set-cookie', 'Cookie_2=Value2; Max-Age=78000'],
      ],
      body: '{"message":"Hello, world!"}',
    });
    assert.deepEqual(replyV2(JSON.stringify({ statusCode: 200, body: Buffer.from([0, 200]).toString('base64'), isBase64Encoded: true }), 'http-api') !== 'malformed' && [...(replyV2(JSON.stringify({ statusCode: 200, body: 'AMg=', isBase64Encoded: true }), 'http-api') as HttpReply).body], [0, 200]);
  });

  it('calls a 2.0 response malformed when its status, headers, cookies or body cannot be sent', () => {
    for (const bad of [{ statusCode: 'x' }, { statusCode: 99 }, { statusCode: 200, headers: { 'Bad Name': 'v' } }, { statusCode: 200, headers: { a: 'line\r\nInjected: 1' } }, { statusCode: 200, headers: { a: { nested: 1 } } }, { statusCode: 200, cookies: 'a=1' }, { statusCode: 200, body: { not: 'a string' } }]) {
      assert.equal(replyV2(JSON.stringify(bad), 'http-api'), 'malformed', JSON.stringify(bad));
    }
    assert.equal(replyV2('not json', 'http-api'), 'malformed');
  });

  it("holds REST to the proxy format (nothing but its five keys) and merges headers with multiValueHeaders, the latter's values winning", () => {
    const r = replyV1(JSON.stringify({ statusCode: 200, headers: { A: '1', B: '2' }, multiValueHeaders: { b: ['x', 'y'] }, body: 'ok' }), { rest: true });
    assert.deepEqual(seen(r), { status: 200, headers: [['Content-Type', 'application/json'], ['A', '1'], ['b', 'x'], ['b', 'y']], body: 'ok' });
    assert.equal(replyV1(JSON.stringify({ statusCode: 200, body: 'ok', cookies: [] }), { rest: true }), 'malformed');
    assert.equal(replyV1('"a string"', { rest: true }), 'malformed');
    assert.equal(replyV1(JSON.stringify({ body: 'no status' }), { rest: true }), 'malformed');
    assert.notEqual(replyV1(JSON.stringify({ statusCode: 200, body: 'ok', extra: 1 }), { rest: false }), 'malformed', 'an HTTP API ignores what it does not know');
  });

  it('decodes a REST base64 body only for the binary media types, by Accept or by Content-Type', () => {
    const payload = JSON.stringify({ statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: 'AP8=', isBase64Encoded: true });
    assert.equal((replyV1(payload, { rest: true, binaryMediaTypes: [] }) as HttpReply).body.toString(), 'AP8=', 'not a binary media type: the text as returned');
    assert.deepEqual([...(replyV1(payload, { rest: true, binaryMediaTypes: ['image/*'] }) as HttpReply).body], [0, 255]);
    const octets = JSON.stringify({ statusCode: 200, body: 'AP8=', isBase64Encoded: true });
    assert.deepEqual([...(replyV1(octets, { rest: true, binaryMediaTypes: ['application/octet-stream'], accept: 'application/octet-stream, */*' }) as HttpReply).body], [0, 255]);
  });

  it('maps a load balancer response by its multi-value setting', () => {
    assert.deepEqual(seen(replyAlb(JSON.stringify({ statusCode: 200, statusDescription: '200 OK', headers: { a: '1' }, body: 'hi' }), false)), { status: 200, headers: [['a', '1']], body: 'hi' });
    assert.deepEqual(seen(replyAlb(JSON.stringify({ statusCode: 200, multiValueHeaders: { a: ['1', '2'] }, body: '' }), true)), { status: 200, headers: [['a', '1'], ['a', '2']], body: '' });
    assert.equal(replyAlb('{}', false), 'malformed');
  });

  it("answers with each front door's own errors", () => {
    const e = (door: Parameters<typeof gatewayError>[0], err: Parameters<typeof gatewayError>[1]): [number, string] => {
      const r = gatewayError(door, err);
      return [r.status, r.body.toString()];
    };
    assert.deepEqual(e('rest-api', 'function-error'), [502, '{"message":"Internal server error"}']);
    assert.deepEqual(e('rest-api', 'not-found'), [403, '{"message":"Missing Authentication Token"}']);
    assert.deepEqual(e('rest-api', 'timeout'), [504, '{"message":"Endpoint request timed out"}']);
    assert.deepEqual(e('http-api', 'function-error'), [500, '{"message":"Internal Server Error"}']);
    assert.deepEqual(e('http-api', 'not-found'), [404, '{"message":"Not Found"}']);
    assert.deepEqual(e('http-api', 'timeout'), [503, '{"message":"Service Unavailable"}']);
    assert.deepEqual(e('function-url', 'function-error'), [502, 'Internal Server Error']);
    assert.deepEqual(e('function-url', 'throttled'), [429, '{"Message":"Rate Exceeded."}']);
    assert.equal(e('alb', 'malformed')[0], 502);
    assert.match(e('alb', 'malformed')[1], /502 Bad Gateway/);
  });
});
