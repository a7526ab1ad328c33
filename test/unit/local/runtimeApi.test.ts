import assert from 'node:assert/strict';
import { request } from 'node:http';
import { UserError } from '../../../src/core/errors';
import { RESPONSE_LIMIT_BYTES } from '../../../src/core/local/lambdaErrors';
import { type RuntimeInvocation, RuntimeApiServer } from '../../../src/core/local/runtimeApi';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain HTTP client, as a runtime in the container would be: it names the server by the secret host it was given. */
function call(api: RuntimeApiServer, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: api.port, method, path, headers: { Host: api.runtimeApi, ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const NEXT = '/2018-06-01/runtime/invocation/next';

function invocation(over: Partial<RuntimeInvocation> = {}): RuntimeInvocation {
  return {
    requestId: 'req-1',
    payload: Buffer.from('{"hello":"world"}'),
    timeoutMs: 3000,
    functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
    traceId: 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=0',
    ...over,
  };
}

describe('local: Runtime API server', () => {
  let api: RuntimeApiServer;
  let firstPolls: number;
  let initErrors: { errorType: string; errorMessage: string }[];
  let rejected: string[];

  beforeEach(async () => {
    firstPolls = 0;
    initErrors = [];
    rejected = [];
    api = await RuntimeApiServer.listen({
      host: '127.0.0.1',
      allowed: ['127.0.0.1'],
      listener: { onFirstPoll: () => firstPolls++, onInitError: (e) => initErrors.push(e), onRejected: (a) => rejected.push(a) },
    });
  });
  afterEach(() => api.close());

  it('long-polls /next until an event comes, then sends it with Lambda\'s headers', async () => {
    let answered = false;
    const next = call(api, 'GET', NEXT).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(answered, false, 'the poll waits while there is no event');
    assert.equal(firstPolls, 1, 'the first poll marks the end of init');
    const before = Date.now();
    const pending = api.submit(invocation({ clientContext: '{"client":{"app":"x"}}', cognitoIdentity: '{"cognitoIdentityId":"id-1"}' }));
    const reply = await next;
    assert.equal(reply.status, 200);
    assert.equal(reply.body, '{"hello":"world"}');
    assert.equal(reply.headers['lambda-runtime-aws-request-id'], 'req-1');
    assert.equal(reply.headers['lambda-runtime-invoked-function-arn'], 'arn:aws:lambda:us-east-1:123456789012:function:fn');
    assert.equal(reply.headers['lambda-runtime-trace-id'], 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=0');
    assert.equal(reply.headers['lambda-runtime-client-context'], '{"client":{"app":"x"}}');
    assert.equal(reply.headers['lambda-runtime-cognito-identity'], '{"cognitoIdentityId":"id-1"}');
    const deadline = Number(reply.headers['lambda-runtime-deadline-ms']);
    assert.ok(deadline >= before + 3000 && deadline <= Date.now() + 3000, `deadline ${deadline} is the timeout after delivery`);
    assert.equal(typeof (await pending.delivered), 'number');
  });

  it('leaves out the client context and cognito headers when there are none', async () => {
    api.submit(invocation());
    const reply = await call(api, 'GET', NEXT);
    assert.equal(reply.headers['lambda-runtime-client-context'], undefined);
    assert.equal(reply.headers['lambda-runtime-cognito-identity'], undefined);
  });

  it('takes the response (202) and resolves the invocation with it', async () => {
    const pending = api.submit(invocation());
    await call(api, 'GET', NEXT);
    const reply = await call(api, 'POST', '/2018-06-01/runtime/invocation/req-1/response', '{"ok":true}');
    assert.equal(reply.status, 202);
    assert.deepEqual(JSON.parse(reply.body), { status: 'OK' });
    const outcome = await pending.outcome;
    assert.equal(outcome.kind, 'response');
    assert.equal(outcome.kind === 'response' && outcome.body.toString(), '{"ok":true}');
  });

  it('takes an error with errorType, errorMessage and trace or stackTrace', async () => {
    const pending = api.submit(invocation());
    await call(api, 'GET', NEXT);
    const body = JSON.stringify({ errorType: 'ValidationError', errorMessage: 'bad input', trace: ['ValidationError: bad input', '    at handler (/var/task/index.mjs:2:9)'] });
    const reply = await call(api, 'POST', '/2018-06-01/runtime/invocation/req-1/error', body, { 'Lambda-Runtime-Function-Error-Type': 'ValidationError' });
    assert.equal(reply.status, 202);
    const outcome = await pending.outcome;
    assert.deepEqual(outcome.kind === 'error' && outcome.error, { errorType: 'ValidationError', errorMessage: 'bad input', trace: ['ValidationError: bad input', '    at handler (/var/task/index.mjs:2:9)'] });

    const second = api.submit(invocation({ requestId: 'req-2' }));
    await call(api, 'GET', NEXT);
    await call(api, 'POST', '/2018-06-01/runtime/invocation/req-2/error', JSON.stringify({ errorType: 'Exception', errorMessage: 'boom', stackTrace: ['  File "app.py", line 3'] }));
    const o2 = await second.outcome;
    assert.deepEqual(o2.kind === 'error' && o2.error, { errorType: 'Exception', errorMessage: 'boom', stackTrace: ['  File "app.py", line 3'] });
  });

  it('falls back to the Lambda-Runtime-Function-Error-Type header when the body is not the error JSON', async () => {
    const pending = api.submit(invocation());
    await call(api, 'GET', NEXT);
    await call(api, 'POST', '/2018-06-01/runtime/invocation/req-1/error', 'segfault somewhere', { 'Lambda-Runtime-Function-Error-Type': 'Runtime.Crash' });
    const outcome = await pending.outcome;
    assert.deepEqual(outcome.kind === 'error' && outcome.error, { errorType: 'Runtime.Crash', errorMessage: 'segfault somewhere' });
  });

  it('takes an init error before the first /next, and refuses one after it', async () => {
    const body = JSON.stringify({ errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'nope'", trace: [] });
    const reply = await call(api, 'POST', '/2018-06-01/runtime/init/error', body, { 'Lambda-Runtime-Function-Error-Type': 'Runtime.ImportModuleError' });
    assert.equal(reply.status, 202);
    assert.deepEqual(initErrors, [{ errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'nope'", trace: [] }]);
    api.submit(invocation());
    await call(api, 'GET', NEXT);
    const late = await call(api, 'POST', '/2018-06-01/runtime/init/error', body);
    assert.equal(late.status, 403);
    assert.equal(JSON.parse(late.body).errorType, 'InvalidStateTransition');
  });

  it('accepts a response of exactly 6,291,556 bytes, Lambda\'s limit', async () => {
    const pending = api.submit(invocation());
    await call(api, 'GET', NEXT);
    const body = `"${'A'.repeat(RESPONSE_LIMIT_BYTES - 2)}"`;
    assert.equal(Buffer.byteLength(body), 6_291_556);
    const reply = await call(api, 'POST', '/2018-06-01/runtime/invocation/req-1/response', body);
    assert.equal(reply.status, 202);
    const outcome = await pending.outcome;
    assert.equal(outcome.kind === 'response' && outcome.body.length, 6_291_556);
  });

  it('refuses a response one byte over the limit with Lambda\'s wording, both to the runtime and to the caller', async () => {
    const pending = api.submit(invocation());
    await call(api, 'GET', NEXT);
    const reply = await call(api, 'POST', '/2018-06-01/runtime/invocation/req-1/response', `"${'A'.repeat(RESPONSE_LIMIT_BYTES - 1)}"`);
    assert.equal(reply.status, 413);
    assert.deepEqual(JSON.parse(reply.body), { errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).', errorType: 'RequestEntityTooLarge' });
    const outcome = await pending.outcome;
    assert.deepEqual(outcome.kind === 'error' && outcome.error, {
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
  });

  it('answers 400 for a response to an invocation that is not in progress', async () => {
    const reply = await call(api, 'POST', '/2018-06-01/runtime/invocation/nobody/response', '{}');
    assert.equal(reply.status, 400);
    assert.equal(JSON.parse(reply.body).errorType, 'InvalidRequestID');
    // settled from outside (a timeout): the late response is refused too
    const pending = api.submit(invocation());
    await call(api, 'GET', NEXT);
    api.settle('req-1', { kind: 'error', error: { errorType: 'Sandbox.Timedout', errorMessage: 'x' }, at: 0 });
    assert.equal((await pending.outcome).kind, 'error');
    assert.equal((await call(api, 'POST', '/2018-06-01/runtime/invocation/req-1/response', '{}')).status, 400);
  });

  it('answers 404 for unknown paths and 405 for wrong methods', async () => {
    assert.equal((await call(api, 'GET', '/2018-06-01/runtime/nope')).status, 404);
    assert.equal((await call(api, 'POST', NEXT, '{}')).status, 405);
  });

  it('queues an event submitted before the runtime polls', async () => {
    const pending = api.submit(invocation({ requestId: 'early' }));
    const reply = await call(api, 'GET', NEXT);
    assert.equal(reply.headers['lambda-runtime-aws-request-id'], 'early');
    assert.equal(typeof (await pending.delivered), 'number');
  });
});

describe('local: Runtime API server access', () => {
  it('answers 403 to an address that is not its container\'s', async () => {
    const rejected: string[] = [];
    const api = await RuntimeApiServer.listen({ host: '127.0.0.1', allowed: ['172.17.0.5'], listener: { onRejected: (a) => rejected.push(a) } });
    try {
      const reply = await call(api, 'GET', NEXT);
      assert.equal(reply.status, 403);
      assert.equal(JSON.parse(reply.body).errorType, 'AccessDenied');
      assert.deepEqual(rejected, ['127.0.0.1']);
    } finally {
      await api.close();
    }
  });

  it('holds requests until it knows its container\'s address, then lets the right one through', async () => {
    const api = await RuntimeApiServer.listen({ host: '127.0.0.1' });
    try {
      api.submit(invocation());
      const next = call(api, 'GET', NEXT);
      await new Promise((r) => setTimeout(r, 100));
      api.allow(['::ffff:127.0.0.1']);
      assert.equal((await next).status, 200);
    } finally {
      await api.close();
    }
  });

  it('refuses held requests when the address is never told', async () => {
    const api = await RuntimeApiServer.listen({ host: '127.0.0.1', allowWaitMs: 100 });
    try {
      assert.equal((await call(api, 'GET', NEXT)).status, 403);
    } finally {
      await api.close();
    }
  });

  it('refuses to listen on a wildcard address', async () => {
    for (const host of ['0.0.0.0', '::', '']) {
      await assert.rejects(RuntimeApiServer.listen({ host }), /must not listen on a wildcard address/);
    }
  });

  it('explains an address that is not on this machine', async () => {
    await assert.rejects(RuntimeApiServer.listen({ host: '203.0.113.77' }), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.match(err.message, /203\.0\.113\.77: that address is not on this machine/);
      return true;
    });
  });
});
