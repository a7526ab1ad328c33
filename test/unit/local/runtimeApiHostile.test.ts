import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { type RuntimeInvocation, RuntimeApiServer, type RuntimeOutcome } from '../../../src/core/local/runtimeApi';

// What a function, or another process on this machine, can send to a Runtime API: the server must
// answer or drop it, never throw, never hold it forever, and never hand an event to a stranger.

const NEXT = '/2018-06-01/runtime/invocation/next';

interface Reply {
  status: number;
  body: string;
}

function call(port: number, method: string, path: string, opts: { host?: string; body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = { ...(opts.host === undefined ? {} : { Host: opts.host }), ...opts.headers };
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A raw connection: writes `text`, then collects what comes back until the server closes it (or `waitMs` passes). */
function raw(port: number, text: string | Buffer, waitMs = 3000): Promise<{ data: string; closedByServer: boolean; socket: Socket }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    let settled = false;
    const done = (closedByServer: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ data, closedByServer, socket });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => done(true));
    socket.on('end', () => done(true));
    if (text.length > 0) socket.write(text);
  });
}

function invocation(requestId = 'req-1'): RuntimeInvocation {
  return { requestId, payload: Buffer.from('{"secret":"event"}'), timeoutMs: 3000, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn', traceId: 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700' };
}

function settledWithin<T>(p: Promise<T>, ms: number): Promise<T | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);
}

describe('local: Runtime API against hostile callers', () => {
  const open: RuntimeApiServer[] = [];
  const sockets: Socket[] = [];
  async function server(opts: Partial<Parameters<typeof RuntimeApiServer.listen>[0]> = {}): Promise<RuntimeApiServer> {
    const api = await RuntimeApiServer.listen({ host: '127.0.0.1', allowed: ['127.0.0.1'], ...opts });
    open.push(api);
    return api;
  }
  /** The event handed to the runtime, when the runtime asks by its secret name. */
  async function takeEvent(api: RuntimeApiServer): Promise<Reply> {
    return call(api.port, 'GET', NEXT, { host: api.runtimeApi });
  }
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await Promise.all(open.splice(0).map((a) => a.close()));
  });

  it('gives each server a secret host name for AWS_LAMBDA_RUNTIME_API, and the hosts entry that sends it to the right address', async () => {
    const a = await server();
    const b = await server();
    assert.match(a.runtimeApi, new RegExp(`^[0-9a-f]{32}\\.runtime\\.lambda-workbench\\.internal:${a.port}$`));
    assert.notEqual(a.hostName, b.hostName, 'every container has a name of its own');
    assert.equal(a.hostsEntry('172.17.0.1'), `${a.hostName}:172.17.0.1`);
    assert.equal(a.hostsEntry('[fd00::1]'), `${a.hostName}:fd00::1`);
    // Docker Desktop and Podman machines: the engine's own name for this machine.
    assert.equal(a.hostsEntry('host.docker.internal'), `${a.hostName}:host-gateway`);
  });

  it('refuses a caller that does not know the secret name (403), and never hands it the event', async () => {
    const api = await server();
    const pending = api.submit(invocation());
    for (const host of [`127.0.0.1:${api.port}`, `localhost:${api.port}`, `x${api.runtimeApi}`, api.hostName, `${api.hostName}:1`]) {
      const r = await call(api.port, 'GET', NEXT, { host });
      assert.equal(r.status, 403, `Host: ${host}`);
      assert.doesNotMatch(r.body, /secret/);
    }
    // HTTP/1.0 without a Host header at all.
    const bare = await raw(api.port, `GET ${NEXT} HTTP/1.0\r\n\r\n`);
    assert.match(bare.data, /^HTTP\/1\.1 403/);
    // A forged result for the (queued) invocation, without the name: refused, and nothing settles.
    const forged = await call(api.port, 'POST', '/2018-06-01/runtime/invocation/req-1/response', { host: `127.0.0.1:${api.port}`, body: '"forged"' });
    assert.equal(forged.status, 403);
    assert.equal(await settledWithin(pending.outcome, 50), 'pending');
    // The container, which knows it, still gets the event.
    const own = await takeEvent(api);
    assert.equal(own.status, 200);
    assert.equal(own.body, '{"secret":"event"}');
    assert.equal(api.refused.length, 0, 'a wrong name is not an address problem');
  });

  it('answers a bad percent-escape in the request id with 400 and keeps serving', async () => {
    const api = await server();
    const pending = api.submit(invocation());
    await takeEvent(api);
    const bad = await call(api.port, 'POST', '/2018-06-01/runtime/invocation/%E0%A4%A/response', { host: api.runtimeApi, body: '{}' });
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.body).errorType, 'InvalidRequestID');
    const ok = await call(api.port, 'POST', '/2018-06-01/runtime/invocation/req-1/response', { host: api.runtimeApi, body: '"fine"' });
    assert.equal(ok.status, 202);
    const outcome = await pending.outcome;
    assert.equal(outcome.kind === 'response' && outcome.body.toString(), '"fine"');
  });

  it('takes an /error whose trace holds objects, numbers and nulls, and bounds a huge trace', async () => {
    const api = await server();
    const first = api.submit(invocation('a'));
    await takeEvent(api);
    const odd = JSON.stringify({ errorType: { not: 'a string' }, errorMessage: ['x'], trace: [{ toString: 1 }, { valueOf: 2, toString: 3 }, 5, null, 'at handler'] });
    assert.equal((await call(api.port, 'POST', '/2018-06-01/runtime/invocation/a/error', { host: api.runtimeApi, body: odd, headers: { 'Lambda-Runtime-Function-Error-Type': 'Odd' } })).status, 202);
    const o1 = (await first.outcome) as Extract<RuntimeOutcome, { kind: 'error' }>;
    assert.deepEqual(o1.error, { errorType: 'Odd', errorMessage: '["x"]', trace: ['{"toString":1}', '{"valueOf":2,"toString":3}', '5', 'null', 'at handler'] });

    const second = api.submit(invocation('b'));
    await takeEvent(api);
    const huge = JSON.stringify({ errorType: 'Big', errorMessage: 'm', stackTrace: Array.from({ length: 100_000 }, (_, i) => `line ${i} ${'x'.repeat(10)}`), trace: ['y'.repeat(100_000)] });
    assert.equal((await call(api.port, 'POST', '/2018-06-01/runtime/invocation/b/error', { host: api.runtimeApi, body: huge })).status, 202);
    const o2 = (await second.outcome) as Extract<RuntimeOutcome, { kind: 'error' }>;
    assert.equal(o2.error.stackTrace?.length, 201);
    assert.equal(o2.error.stackTrace?.[200], '... 99800 more lines');
    assert.ok((o2.error.trace?.[0].length ?? 0) <= 4100, 'a single line is clipped');
  });

  it('records a response whose client went away mid-body as an error, not as a shorter response', async () => {
    const api = await server();
    const pending = api.submit(invocation());
    await takeEvent(api);
    const head = `POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\nHost: ${api.runtimeApi}\r\nContent-Length: 1000\r\n\r\n{"partial":`;
    const socket = connect(api.port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((r) => socket.write(head, () => r()));
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    const outcome = await pending.outcome;
    assert.equal(outcome.kind, 'error');
    assert.equal(outcome.kind === 'error' && outcome.error.errorType, 'Runtime.ResponseAborted');
    assert.match(outcome.kind === 'error' ? outcome.error.errorMessage : '', /closed before its response was complete \(11 bytes received\)/);
  });

  it('cuts off a body that never ends, and says so to the caller of the invocation', async () => {
    const api = await server({ limits: { requestMs: 300, headersMs: 300 } });
    const pending = api.submit(invocation());
    await takeEvent(api);
    const stalled = raw(api.port, `POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\nHost: ${api.runtimeApi}\r\nContent-Length: 100\r\n\r\n{"slow":`, 5000);
    const outcome = await settledWithin(pending.outcome, 3000);
    assert.notEqual(outcome, 'pending', 'the invocation ends');
    assert.equal(outcome !== 'pending' && outcome.kind === 'error' && outcome.error.errorType, 'Runtime.ResponseAborted');
    const r = await stalled;
    sockets.push(r.socket);
    assert.equal(r.closedByServer, true);
  });

  it('closes connections that send nothing, and idle ones between requests', async () => {
    const api = await server({ limits: { headersMs: 200, requestMs: 200, idleMs: 200 } });
    const silent = await raw(api.port, '', 3000);
    sockets.push(silent.socket);
    assert.equal(silent.closedByServer, true, 'a connection that never sends a request is closed');
    const idle = await raw(api.port, `GET /nope HTTP/1.1\r\nHost: ${api.runtimeApi}\r\n\r\n`, 3000);
    sockets.push(idle.socket);
    assert.match(idle.data, /^HTTP\/1\.1 404/);
    assert.equal(idle.closedByServer, true, 'a keep-alive connection left idle is closed');
  });

  it('keeps the long poll open however long it waits for an event', async () => {
    const api = await server({ limits: { headersMs: 100, requestMs: 100, idleMs: 100 } });
    const next = takeEvent(api);
    await new Promise((r) => setTimeout(r, 600));
    api.submit(invocation());
    assert.equal((await next).status, 200);
  });

  it('bounds the connections it keeps open', async () => {
    const api = await server({ limits: { maxConnections: 4, headersMs: 5000, requestMs: 5000 } });
    const conns = await Promise.all(Array.from({ length: 10 }, () => raw(api.port, '', 500)));
    for (const c of conns) sockets.push(c.socket);
    const dropped = conns.filter((c) => c.closedByServer).length;
    assert.equal(dropped, 6, 'connections past the limit are closed at once');
  });

  it('bounds the requests waiting for the container to start', async () => {
    const api = await server({ allowed: undefined, allowWaitMs: 10_000 });
    const waits = Array.from({ length: 20 }, () => call(api.port, 'GET', NEXT, { host: api.runtimeApi }));
    const answered = await Promise.all(waits.map((w) => settledWithin(w, 500)));
    const busy = answered.filter((a): a is Reply => a !== 'pending');
    assert.equal(busy.length, 4, 'past 16 waiting requests, the rest are answered at once');
    for (const b of busy) assert.equal(b.status, 503);
    api.allow(['127.0.0.1']);
  });

  it('answers unknown methods, paths and garbage without stopping', async () => {
    const api = await server();
    const brew = await raw(api.port, `BREW ${NEXT} HTTP/1.1\r\nHost: ${api.runtimeApi}\r\n\r\n`);
    assert.match(brew.data, /^HTTP\/1\.1 400/);
    const junk = await raw(api.port, Buffer.from([0, 1, 2, 255, 13, 10, 13, 10]));
    assert.match(junk.data, /^HTTP\/1\.1 400/);
    assert.equal((await call(api.port, 'DELETE', NEXT, { host: api.runtimeApi })).status, 405);
    assert.equal((await call(api.port, 'GET', '/2018-06-01/runtime/invocation/%zz/response', { host: api.runtimeApi })).status, 405);
    assert.equal((await call(api.port, 'GET', '/%zz', { host: api.runtimeApi })).status, 404);
    assert.equal((await call(api.port, 'POST', '/2018-06-01/runtime/invocation/nobody/error', { host: api.runtimeApi, body: 'x'.repeat(10_000) })).status, 400);
    api.submit(invocation());
    assert.equal((await takeEvent(api)).status, 200, 'still serving');
  });

  it('refuses a second post for the same invocation while the first is being read', async () => {
    const api = await server();
    const pending = api.submit(invocation());
    await takeEvent(api);
    const slow = connect(api.port, '127.0.0.1');
    sockets.push(slow);
    slow.on('error', () => undefined);
    slow.write(`POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\nHost: ${api.runtimeApi}\r\nContent-Length: 7\r\n\r\n"fir`);
    await new Promise((r) => setTimeout(r, 50));
    const second = await call(api.port, 'POST', '/2018-06-01/runtime/invocation/req-1/response', { host: api.runtimeApi, body: '"second"' });
    assert.equal(second.status, 400);
    slow.write('st"');
    const outcome = await pending.outcome;
    assert.equal(outcome.kind === 'response' && outcome.body.toString(), '"first"');
  });

  it('survives a listener that throws', async () => {
    const api = await server({
      listener: {
        onFirstPoll: () => {
          throw new Error('listener bug');
        },
      },
    });
    api.submit(invocation());
    assert.equal((await takeEvent(api)).status, 200);
  });
});
