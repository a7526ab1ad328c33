import assert from 'node:assert/strict';
import { get, type IncomingMessage } from 'node:http';
import { serveFixture, type ServeFixture, until } from './fixture';

// Response streaming over a function URL in RESPONSE_STREAM mode: AWS's runtime client
// (awslambda.streamifyResponse) streams to the Runtime API, and the front door passes each chunk
// on as it comes. The handler waits for a signal the test gives only once it has the first
// chunk: were anything buffered on the way, the handler could not end and the test would fail.

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Streamer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: stream.handler
      CodeUri: fn/
      Timeout: 60
      Layers: [ !Ref Signals ]
      FunctionUrlConfig:
        AuthType: NONE
        InvokeMode: RESPONSE_STREAM
  Signals:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: signals/
`;

/** Signals live in a layer folder the test writes to (mounted at /opt, read-only, live). */
const STREAM = `import { existsSync } from 'node:fs';
const signal = async (id) => { while (!existsSync('/opt/node_modules/.signals/' + id)) await new Promise((r) => setTimeout(r, 20)); };
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const { id, mode } = event.queryStringParameters ?? {};
  if (mode === 'plain') {
    responseStream.setContentType('text/plain');
    responseStream.write('a');
    responseStream.end('b');
    return;
  }
  const out = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201, headers: { 'x-kind': 'streamed' }, cookies: ['s=1; Path=/'] });
  out.write('first\\n');
  await signal(id);
  if (mode === 'fail') throw new Error('mid-stream failure');
  out.write('second\\n');
  out.end();
});
`;

describe('serve: response streaming through a function URL (real Docker, aws-lambda-ric)', function () {
  this.timeout(120_000);
  let fx: ServeFixture;
  before(async () => {
    fx = await serveFixture(TEMPLATE, { 'fn/stream.mjs': STREAM, 'signals/node_modules/.signals/.keep': '' });
  });
  after(() => fx?.dispose());

  /** Requests the stream; on the first chunk, gives the handler its signal; resolves with what arrived and how it ended. */
  function streamed(query: string, id: string): Promise<{ res: IncomingMessage; first: string; rest: string; ended: 'end' | 'cut' }> {
    return new Promise((resolve, reject) => {
      get(`${fx.base('Streamer')}/?${query}`, (res) => {
        let first: string | undefined;
        let rest = '';
        let done = false;
        const finish = (ended: 'end' | 'cut'): void => {
          if (done) return;
          done = true;
          resolve({ res, first: first ?? '', rest, ended });
        };
        res.on('data', (chunk: Buffer) => {
          if (first === undefined) {
            first = chunk.toString();
            fx.write(`signals/node_modules/.signals/${id}`, 'go');
          } else {
            rest += chunk.toString();
          }
        });
        res.on('end', () => finish('end'));
        res.on('aborted', () => finish('cut'));
        res.on('error', () => finish('cut'));
        res.on('close', () => finish(res.complete ? 'end' : 'cut'));
      }).on('error', reject);
    });
  }

  it('streams the first chunk before the handler ends, with the status, headers and cookies of its prelude', async () => {
    const r = await streamed('id=one', 'one');
    assert.equal(r.res.statusCode, 201);
    assert.equal(r.res.headers['x-kind'], 'streamed');
    assert.deepEqual(r.res.headers['set-cookie'], ['s=1; Path=/']);
    assert.equal(r.res.headers['transfer-encoding'], 'chunked');
    assert.match(r.res.headers['x-amzn-requestid'] as string, /^[0-9a-f-]{36}$/);
    assert.equal(r.first, 'first\n', 'the first chunk came alone, before the handler could go on');
    assert.equal(r.rest, 'second\n');
    assert.equal(r.ended, 'end');
  });

  it('cuts the response when the handler fails after it began, as the error trailers say', async () => {
    const r = await streamed('id=two&mode=fail', 'two');
    assert.equal(r.first, 'first\n');
    assert.equal(r.ended, 'cut', 'the client sees an incomplete response, not a clean end');
    // The container's log reaches us on its own stream, possibly after the client saw the cut.
    await until(() => fx.logs.some((e) => e.line.includes('mid-stream failure')), 'the failure in the function log');
    await until(() => fx.requests.some((l) => l.path === '/' && l.logicalId === 'Streamer' && l.status === 201), 'the request logged with the status of its prelude');
  });

  it('streams without a prelude as a 200 of the content type the handler set', async () => {
    const r = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      get(`${fx.base('Streamer')}/?mode=plain`, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      }).on('error', reject);
    });
    assert.deepEqual(r, { status: 200, type: 'text/plain', body: 'ab' });
  });
});
