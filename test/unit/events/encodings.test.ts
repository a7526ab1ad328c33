import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { buildSampleEvent, decodeLogsData } from '../../../src/core/events';

// The fields AWS encodes must decode to what the person asked for, with the encodings AWS uses.

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

describe('sample event encodings', () => {
  it('CloudWatch Logs data is base64 of real gzip of the JSON batch', () => {
    const event = buildSampleEvent('cloudwatch-logs', { message: 'ERROR boom', recordCount: 3, logGroup: '/aws/lambda/orders' }) as {
      awslogs: { data: string };
    };
    const raw = Buffer.from(event.awslogs.data, 'base64');
    assert.deepEqual([...raw.subarray(0, 2)], [0x1f, 0x8b], 'gzip magic bytes');
    const json = JSON.parse(gunzipSync(raw).toString('utf8')) as ReturnType<typeof decodeLogsData>;
    assert.equal(json.messageType, 'DATA_MESSAGE');
    assert.equal(json.logGroup, '/aws/lambda/orders');
    assert.equal(json.owner, '123456789012');
    assert.deepEqual(json.logEvents.map((e) => e.message), ['ERROR boom', 'ERROR boom', 'ERROR boom']);
    assert.ok(json.logEvents.every((e) => /^\d{56}$/.test(e.id) && Number.isInteger(e.timestamp)));
    assert.deepEqual(decodeLogsData(event.awslogs.data), json);
  });

  it('Kinesis record data is base64 of the message', () => {
    const event = buildSampleEvent('kinesis', { message: '{"n":1}', recordCount: 2 }) as {
      Records: { kinesis: { data: string; sequenceNumber: string }; eventID: string }[];
    };
    assert.deepEqual(event.Records.map((r) => b64(r.kinesis.data)), ['{"n":1}', '{"n":1}']);
    for (const r of event.Records) assert.equal(r.eventID, `shardId-000000000000:${r.kinesis.sequenceNumber}`);
    const defaults = buildSampleEvent('kinesis') as { Records: { kinesis: { data: string } }[] };
    assert.deepEqual(JSON.parse(b64(defaults.Records[1].kinesis.data)), { id: 2, message: 'Hello from Kinesis' });
  });

  it('Firehose record data is base64 of the message', () => {
    const event = buildSampleEvent('firehose', { message: 'line one\n' }) as { records: { data: string }[] };
    assert.equal(b64(event.records[0].data), 'line one\n');
  });

  for (const type of ['apigateway-http', 'apigateway-rest', 'function-url', 'alb'] as const) {
    it(`${type} body is base64 exactly when isBase64Encoded`, () => {
      const body = '{"ok":true}\u00e9';
      const encoded = buildSampleEvent(type, { method: 'POST', body, base64Body: true }) as { body: string; isBase64Encoded: boolean };
      assert.equal(encoded.isBase64Encoded, true);
      assert.equal(Buffer.from(encoded.body, 'base64').toString('utf8'), body);
      const plain = buildSampleEvent(type, { method: 'POST', body }) as { body: string; isBase64Encoded: boolean };
      assert.equal(plain.isBase64Encoded, false);
      assert.equal(plain.body, body);
    });
  }

  it('SQS md5OfBody is the MD5 of the body', () => {
    const event = buildSampleEvent('sqs', { message: 'héllo' }) as { Records: { body: string; md5OfBody: string }[] };
    for (const r of event.Records) assert.equal(r.md5OfBody, createHash('md5').update(r.body, 'utf8').digest('hex'));
  });

  it('S3 keys are URL-encoded as S3 sends them (space as +, slashes kept)', () => {
    const event = buildSampleEvent('s3', { objectKey: 'a dir/my file (1)+x.txt' }) as { Records: { s3: { object: { key: string } } }[] };
    const key = event.Records[0].s3.object.key;
    assert.equal(key, 'a+dir/my+file+%281%29%2Bx.txt');
    assert.equal(decodeURIComponent(key.replace(/\+/g, ' ')), 'a dir/my file (1)+x.txt');
  });

  it('ALB query parameters stay URL-encoded; HTTP API ones are decoded', () => {
    const alb = buildSampleEvent('alb', { query: { name: 'Ada Lovelace' } }) as { queryStringParameters: Record<string, string> };
    assert.deepEqual(alb.queryStringParameters, { name: 'Ada%20Lovelace' });
    const http = buildSampleEvent('apigateway-http', { query: { name: 'Ada Lovelace' } }) as { queryStringParameters: Record<string, string> };
    assert.deepEqual(http.queryStringParameters, { name: 'Ada Lovelace' });
  });
});
