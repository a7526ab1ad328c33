import assert from 'node:assert/strict';
import { cancellationSource, CancelledError } from '../../../src/core/cancel';
import { invokeRemote, reportLine } from '../../../src/core/cloud/invoke';
import { UserError } from '../../../src/core/errors';
import { LIMITS } from '../../../src/core/limits';
import { Loopback } from './loopbackLambda';

const LOG = [
  'START RequestId: 8f5e Version: $LATEST',
  '2024-05-01T10:00:00.000Z\t8f5e\tINFO\tcharging order 42',
  'END RequestId: 8f5e',
  'REPORT RequestId: 8f5e\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\t',
  '',
].join('\n');

describe('cloud: remote invoke', () => {
  let api: Loopback;
  let answer: { status: number; headers: Record<string, string>; body: string; delayMs?: number };
  before(async () => {
    // Invoke as Lambda answers it: the response body, and the log tail base64 in a header.
    api = await new Loopback(async (_req, res) => {
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body);
    }).start();
  });
  after(() => api.stop());
  beforeEach(() => api.seen.splice(0));

  it('sends the event with LogType Tail and returns status, parsed payload and the decoded log tail', async () => {
    answer = { status: 200, headers: { 'x-amz-log-result': Buffer.from(LOG).toString('base64'), 'x-amz-executed-version': '$LATEST' }, body: '{"statusCode":200,"body":"ok"}' };
    const lambda = api.lambda();
    const r = await invokeRemote(lambda, 'orders', '{"orderId": 42}');
    assert.equal(api.seen.length, 1);
    const req = api.seen[0];
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/2015-03-31/functions/orders/invocations');
    assert.equal(req.headers['x-amz-log-type'], 'Tail');
    assert.equal(req.headers['x-amz-invocation-type'], 'RequestResponse');
    assert.equal(req.body.toString(), '{"orderId": 42}', 'the event is sent as typed');
    assert.equal(r.statusCode, 200);
    assert.equal(r.functionError, undefined);
    assert.equal(r.executedVersion, '$LATEST');
    assert.deepEqual(r.payload, { statusCode: 200, body: 'ok' });
    assert.equal(r.payloadIsJson, true);
    assert.equal(r.logTail, LOG);
    assert.equal(r.report, 'REPORT RequestId: 8f5e  Duration: 12.34 ms  Billed Duration: 13 ms  Memory Size: 128 MB  Max Memory Used: 64 MB');
    lambda.destroy();
  });

  it('reports a function error with its error payload, and keeps a payload that is not JSON as text', async () => {
    answer = { status: 200, headers: { 'x-amz-function-error': 'Unhandled' }, body: '{"errorType":"TypeError","errorMessage":"x is undefined"}' };
    const lambda = api.lambda();
    const failed = await invokeRemote(lambda, 'orders', '{}');
    assert.equal(failed.functionError, 'Unhandled');
    assert.deepEqual(failed.payload, { errorType: 'TypeError', errorMessage: 'x is undefined' });
    assert.equal(failed.logTail, undefined);

    answer = { status: 200, headers: {}, body: 'plain words' };
    const text = await invokeRemote(lambda, 'orders', '{}');
    assert.equal(text.payloadIsJson, false);
    assert.equal(text.payload, 'plain words');
    lambda.destroy();
  });

  it('refuses an event that is not JSON or over 6 MiB before sending anything', async () => {
    const lambda = api.lambda();
    await assert.rejects(invokeRemote(lambda, 'orders', '{oops'), (err: unknown) => err instanceof UserError && /not JSON/.test(err.message));
    const big = JSON.stringify({ data: 'x'.repeat(LIMITS.syncPayloadBytes) });
    await assert.rejects(invokeRemote(lambda, 'orders', big), (err: unknown) => err instanceof UserError && /over Lambda's 6291456-byte limit/.test(err.message));
    assert.equal(api.seen.length, 0);
    lambda.destroy();
  });

  it('stops waiting when cancelled', async () => {
    answer = { status: 200, headers: {}, body: '{}', delayMs: 2_000 };
    const lambda = api.lambda();
    const source = cancellationSource();
    const started = Date.now();
    setTimeout(() => source.cancel(), 100);
    await assert.rejects(invokeRemote(lambda, 'slow', '{}', { token: source.token }), CancelledError);
    assert.ok(Date.now() - started < 1_500, 'returned at the cancel, not at the answer');
    lambda.destroy();
  });

  it('finds the REPORT line of a log tail', () => {
    assert.equal(reportLine('START x\nREPORT RequestId: 1\tDuration: 1 ms\n'), 'REPORT RequestId: 1  Duration: 1 ms');
    assert.equal(reportLine('START x\nEND x\n'), undefined);
  });
});
