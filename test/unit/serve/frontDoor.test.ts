import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { FrontDoor, type InvokeFunction, type RequestLog } from '../../../src/core/serve/frontDoor';
import type { ListenerSpec } from '../../../src/core/serve/types';
import { listener } from './listener';

// The front door against hostile and broken clients, on real sockets. The function behind it is
// a plain async function here (the seam LocalApi fills with the runner): what is under test is
// what the HTTP side does with what clients send.

/** Sends raw bytes, returns everything the server sent back until it closed (or `endAfterMs` passed). */
function raw(port: number, bytes: string | Buffer, opts: { half?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (c) => {
      got += c.toString('latin1');
      if (/\r\n\r\n/.test(got) && /Content-Length: (\d+)/i.test(got)) {
        const length = Number(/Content-Length: (\d+)/i.exec(got)![1]);
        if (got.length - got.indexOf('\r\n\r\n') - 4 >= length) socket.end();
      }
    });
    socket.on('close', () => resolve(got));
    socket.on('error', () => resolve(got));
    socket.write(bytes);
    if (opts.half) socket.destroy();
  });
}

describe('serve: the front door against hostile requests', () => {
  let door: FrontDoor;
  let calls: unknown[];
  let logs: RequestLog[];
  let behave: InvokeFunction;
  const echo: InvokeFunction = async (_fn, event) => ({ payload: JSON.stringify({ statusCode: 200, body: JSON.stringify(event) }), error: null });

  async function open(kind: ListenerSpec['kind'], timeoutMs?: number): Promise<void> {
    await door?.close();
    calls = [];
    logs = [];
    behave = echo;
    door = await FrontDoor.listen(listener(kind, [{ timeoutMs: timeoutMs ?? 30_000 }]), 0, {
      invoke: (fn, event, opts) => {
        calls.push(event);
        return behave(fn, event, opts);
      },
      region: 'us-east-1',
      accountId: '123456789012',
      onRequest: (l) => logs.push(l),
    });
  }
  afterEach(() => door?.close());

  it('refuses a body over the limit with the gateway\'s 413, without calling the function, and keeps serving', async () => {
    await open('http-api');
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61);
    const reply = await raw(door.port, Buffer.concat([Buffer.from(`POST /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${big.length}\r\n\r\n`), big]));
    assert.match(reply, /^HTTP\/1\.1 413 /);
    assert.match(reply, /\{"message":"Request Entity Too Large"\}/);
    assert.equal(calls.length, 0);
    assert.match(await raw(door.port, 'GET /ok HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 200 /);
  });

  it('refuses a header section over 10,240 bytes (431) and a malformed request (400)', async () => {
    await open('rest-api');
    assert.match(await raw(door.port, `GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\nX-Big: ${'b'.repeat(11_000)}\r\n\r\n`), /^HTTP\/1\.1 431 /);
    assert.match(await raw(door.port, 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\nBad Header Name: x\r\n\r\n'), /^HTTP\/1\.1 400 /);
    assert.match(await raw(door.port, 'FROB\x00 / HTTP/1.1\r\n\r\n'), /^HTTP\/1\.1 400 /);
    assert.equal(calls.length, 0);
  });

  it('forgets a client that goes away mid-body, and answers the next one', async () => {
    await open('http-api');
    await raw(door.port, 'POST /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Length: 100\r\n\r\nonly part', { half: true });
    assert.match(await raw(door.port, 'GET /ok HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 200 /);
    assert.equal(calls.length, 1, 'the cut-off request never reached the function');
  });

  it('answers with the gateway error when the function fails, throws, returns what cannot be sent, or takes too long', async () => {
    await open('http-api', 50);
    behave = async () => ({ payload: JSON.stringify({ statusCode: 200, headers: { 'x-a': 'v\r\nSet-Cookie: stolen=1' } }), error: null });
    const injected = await raw(door.port, 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    assert.match(injected, /^HTTP\/1\.1 500 /);
    assert.doesNotMatch(injected, /stolen/);
    behave = async () => {
      throw new Error('container could not start');
    };
    assert.match(await raw(door.port, 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 500 /);
    assert.match(logs[logs.length - 1].note ?? '', /container could not start/);
    behave = () => new Promise(() => undefined);
    assert.match(await raw(door.port, 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 503 [^]*Service Unavailable/);
    behave = async () => 'throttled';
    assert.match(await raw(door.port, 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 429 /);
  });

  it('passes odd paths and query strings to the function as they were sent', async () => {
    await open('function-url');
    const reply = await raw(door.port, 'GET /../..//etc/passwd?%ZZ=%&a=b&__proto__=1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    assert.match(reply, /^HTTP\/1\.1 200 /);
    const event = calls[0] as { rawPath: string; rawQueryString: string; queryStringParameters: Record<string, string> };
    assert.equal(event.rawPath, '/../..//etc/passwd');
    assert.equal(event.rawQueryString, '%ZZ=%&a=b&__proto__=1');
    assert.equal(Object.getOwnPropertyDescriptor(event.queryStringParameters, '__proto__')?.value, '1');
  });
});
