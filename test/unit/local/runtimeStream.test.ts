import assert from 'node:assert/strict';
import { type ClientRequest, createServer, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { type ResponseStream, readResponseStream } from '../../../src/core/local/responseStream';
import { type RuntimeInvocation, RuntimeApiServer } from '../../../src/core/local/runtimeApi';

// The Runtime API's streaming response mode, driven the way aws-lambda-ric 4 drives it: a POST to
// /response with Lambda-Runtime-Function-Response-Mode: streaming, chunked, declaring the error
// trailers it may end with.

const NEXT = '/2018-06-01/runtime/invocation/next';
const invocation: RuntimeInvocation = { requestId: 'req-s', payload: Buffer.from('{}'), timeoutMs: 3000, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn', traceId: 'Root=1-0-0' };

function get(api: RuntimeApiServer, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: api.port, path, headers: { Host: api.runtimeApi }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    })
      .on('error', reject)
      .end();
  });
}

/** The runtime's streamed post, open: write to it, end it with or without trailers. */
function streamPost(api: RuntimeApiServer, contentType = 'application/octet-stream'): { req: ClientRequest; status: Promise<number> } {
  let req!: ClientRequest;
  const status = new Promise<number>((resolve) => {
    req = request(
      {
        host: '127.0.0.1',
        port: api.port,
        method: 'POST',
        path: `/2018-06-01/runtime/invocation/${invocation.requestId}/response`,
        headers: { Host: api.runtimeApi, 'Lambda-Runtime-Function-Response-Mode': 'streaming', 'Content-Type': contentType, 'Transfer-Encoding': 'chunked', Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body' },
        agent: false,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolve(-1));
  });
  return { req, status };
}

async function started(api: RuntimeApiServer): Promise<{ stream: ResponseStream; post: ReturnType<typeof streamPost> }> {
  const pending = api.submit(invocation);
  await get(api, NEXT);
  const post = streamPost(api, 'text/plain');
  post.req.flushHeaders();
  const outcome = await pending.outcome;
  assert.equal(outcome.kind, 'stream');
  return { stream: (outcome as { stream: ResponseStream }).stream, post };
}

/** The next chunk the reader gets. */
function nextChunk(stream: ResponseStream): Promise<string> {
  return new Promise((resolve) => stream.body.once('data', (c: Buffer) => resolve(c.toString())));
}

describe('local: Runtime API streaming response mode', () => {
  let api: RuntimeApiServer;
  beforeEach(async () => {
    api = await RuntimeApiServer.listen({ host: '127.0.0.1', allowed: ['127.0.0.1'] });
  });
  afterEach(() => api.close());

  it('hands the stream over at once and passes each chunk on as the runtime writes it; 202 after the end', async () => {
    const { stream, post } = await started(api);
    assert.equal(stream.contentType, 'text/plain');
    const first = nextChunk(stream);
    post.req.write('one');
    assert.equal(await first, 'one', 'the first chunk arrives while the post is still open');
    const second = nextChunk(stream);
    post.req.write('two');
    assert.equal(await second, 'two');
    post.req.end();
    const end = await stream.ended;
    assert.deepEqual([end.kind, end.kind === 'complete' && end.bytes], ['complete', 6]);
    assert.equal(await post.status, 202);
  });

  it('ends with the error the runtime put in its trailers', async () => {
    const { stream, post } = await started(api);
    stream.body.resume();
    post.req.write('partial');
    post.req.addTrailers({ 'Lambda-Runtime-Function-Error-Type': 'Error', 'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify({ errorType: 'Error', errorMessage: 'mid-stream', trace: ['at x'] })).toString('base64') });
    post.req.end();
    const end = await stream.ended;
    assert.equal(end.kind, 'error');
    assert.deepEqual(end.kind === 'error' && [end.error.errorType, end.error.errorMessage, end.error.trace], ['Error', 'mid-stream', ['at x']]);
    assert.equal(await post.status, 202);
  });

  it('ends with Runtime.ResponseAborted when the runtime goes away mid-stream', async () => {
    const { stream, post } = await started(api);
    stream.body.resume();
    post.req.write('partial');
    await new Promise((r) => setTimeout(r, 20));
    post.req.destroy();
    const end = await stream.ended;
    assert.deepEqual(end.kind === 'error' && end.error.errorType, 'Runtime.ResponseAborted');
  });

  it('ends the stream with the error when the invocation is settled from outside (a timeout), and cuts the post', async () => {
    const { stream, post } = await started(api);
    stream.body.resume();
    post.req.write('partial');
    await nextChunk(stream).catch(() => undefined);
    api.settle(invocation.requestId, { kind: 'error', error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 3.00 seconds' }, at: performance.now() });
    const end = await stream.ended;
    assert.deepEqual(end.kind === 'error' && end.error.errorType, 'Sandbox.Timedout');
    assert.equal(await post.status, -1, 'the runtime connection is cut');
  });

  it('stops at the size limit with Function.ResponseSizeTooLarge and drains the rest', async () => {
    const ends: string[] = [];
    const server = createServer((req, res) => {
      const reader = readResponseStream(req, 'r', (end) => {
        ends.push(end.kind === 'error' ? end.error.errorType : 'complete');
        res.end();
      }, 10);
      reader.stream.body.resume();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      await new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: (server.address() as { port: number }).port, method: 'POST', agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        });
        req.on('error', reject);
        req.end('x'.repeat(50));
      });
      assert.deepEqual(ends, ['Function.ResponseSizeTooLarge']);
    } finally {
      server.close();
    }
  });
});
