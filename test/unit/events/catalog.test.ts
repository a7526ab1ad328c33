import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  buildSampleEvent,
  jsonValidationContributions,
  planSampleEvent,
  SAMPLE_EVENT_TYPES,
  SAMPLE_EVENTS,
  sampleEventDefinition,
  sampleEventFileName,
  sampleEventTypeOfFile,
  sampleTypesForFunction,
  serializeSampleEvent,
  validateJson,
  type SampleParams,
} from '../../../src/core/events';
import { UserError } from '../../../src/core/errors';

/** Parameter sets that exercise every builder's options. */
const VARIANTS: SampleParams[] = [
  {},
  { recordCount: 1 },
  { recordCount: 5, region: 'eu-west-1', accountId: '111122223333' },
  { method: 'post', path: '/orders/42', body: '{"sku":"A-1"}', headers: { 'X-Trace': 'abc' }, query: { page: '2', q: 'a b' } },
  { method: 'PUT', path: '/upload', body: 'binary\u0000data', base64Body: true },
  { queueName: 'jobs.fifo', topicName: 'alerts', bucketName: 'my.bucket-1', objectKey: 'a dir/file (1).txt', message: 'plain text' },
  { tableName: 'Orders', streamName: 'clicks', source: 'my.app', detailType: 'Thing', detail: { a: 1 }, ruleName: 'nightly' },
  { logGroup: '/aws/lambda/x', userPoolId: 'eu-west-1_AbC123', userName: 'sam', triggerSource: 'PostConfirmation_ConfirmSignUp' },
  { triggerSource: 'PreAuthentication_Authentication' },
  { triggerSource: 'PostAuthentication_Authentication' },
  { input: [1, 'two', { three: 3 }] },
];

describe('sample event catalog', () => {
  it('covers every declared type once, in the catalog and in SAMPLE_EVENT_TYPES', () => {
    assert.deepEqual(SAMPLE_EVENTS.map((d) => d.type).sort(), [...SAMPLE_EVENT_TYPES].sort());
    for (const d of SAMPLE_EVENTS) {
      assert.ok(d.label && d.description && d.defaultName, `${d.type} is described`);
      assert.equal(d.schema.$schema, 'http://json-schema.org/draft-07/schema#');
      assert.ok(d.schema.title, `${d.type} schema has a title`);
    }
  });

  for (const def of SAMPLE_EVENTS) {
    it(`${def.type}: every variant validates against its schema`, () => {
      for (const params of VARIANTS) {
        const event = buildSampleEvent(def.type, params);
        const problems = validateJson(event, def.schema);
        assert.deepEqual(problems, [], `${def.type} with ${JSON.stringify(params)}: ${JSON.stringify(problems)}`);
      }
    });

    it(`${def.type}: is deterministic and survives a JSON round trip`, () => {
      const a = serializeSampleEvent(buildSampleEvent(def.type, {}));
      const b = serializeSampleEvent(buildSampleEvent(def.type, {}));
      assert.equal(a, b);
      assert.ok(a.endsWith('}\n'));
      assert.deepEqual(validateJson(JSON.parse(a), def.schema), []);
    });
  }

  it('rejects samples that break their schema (the schemas are not vacuous)', () => {
    const sqs = buildSampleEvent('sqs') as { Records: Record<string, unknown>[] };
    delete sqs.Records[0].messageId;
    sqs.Records[0].eventSource = 'aws:sns';
    const problems = validateJson(sqs, sampleEventDefinition('sqs').schema).map((p) => `${p.path} ${p.message}`);
    assert.ok(problems.some((p) => p.includes("missing required property 'messageId'")), problems.join('; '));
    assert.ok(problems.some((p) => p.startsWith('/Records/0/eventSource')), problems.join('; '));

    const kinesis = buildSampleEvent('kinesis') as { Records: { kinesis: { data: string } }[] };
    kinesis.Records[0].kinesis.data = 'not base64!';
    assert.equal(validateJson(kinesis, sampleEventDefinition('kinesis').schema).length, 1);

    const http = buildSampleEvent('apigateway-http') as Record<string, unknown>;
    http.isBase64Encoded = 'false';
    assert.deepEqual(
      validateJson(http, sampleEventDefinition('apigateway-http').schema).map((p) => p.path),
      ['/isBase64Encoded'],
    );
  });

  it('uses the parameters it is given', () => {
    const rest = buildSampleEvent('apigateway-rest', { method: 'delete', path: '/items/7', query: { force: 'yes' } }) as Record<string, unknown>;
    assert.equal(rest.httpMethod, 'DELETE');
    assert.equal(rest.path, '/items/7');
    assert.deepEqual(rest.queryStringParameters, { force: 'yes' });
    assert.deepEqual(rest.multiValueQueryStringParameters, { force: ['yes'] });
    assert.equal((rest.requestContext as { path: string }).path, '/Prod/items/7');

    const http = buildSampleEvent('apigateway-http', { method: 'POST', path: '/a', query: { q: 'a b' } }) as Record<string, unknown>;
    assert.equal(http.routeKey, 'POST /a');
    assert.equal(http.rawQueryString, 'q=a%20b');

    const sqs = buildSampleEvent('sqs', { queueName: 'jobs', recordCount: 3, region: 'eu-west-1' }) as { Records: { eventSourceARN: string }[] };
    assert.equal(sqs.Records.length, 3);
    assert.equal(sqs.Records[2].eventSourceARN, 'arn:aws:sqs:eu-west-1:123456789012:jobs');
    assert.equal(new Set(sqs.Records.map((r) => JSON.stringify(r))).size, 3, 'records differ');

    const ddb = buildSampleEvent('dynamodb', { recordCount: 3 }) as { Records: { eventName: string; dynamodb: Record<string, unknown> }[] };
    assert.deepEqual(ddb.Records.map((r) => r.eventName), ['INSERT', 'MODIFY', 'REMOVE']);
    assert.ok(!('OldImage' in ddb.Records[0].dynamodb) && !('NewImage' in ddb.Records[2].dynamodb));

    const cognito = buildSampleEvent('cognito-user-pool', { triggerSource: 'PostConfirmation_ConfirmSignUp' }) as Record<string, unknown>;
    assert.equal(cognito.triggerSource, 'PostConfirmation_ConfirmSignUp');
    assert.deepEqual(cognito.response, {});

    assert.deepEqual(buildSampleEvent('stepfunctions', { input: { a: 1 } }), { a: 1 });
  });

  it('refuses invalid parameters with sentences that say what to use', () => {
    const bad: [SampleParams, RegExp][] = [
      [{ recordCount: 0 }, /whole number from 1 to 100/],
      [{ recordCount: 2.5 }, /whole number/],
      [{ method: 'FETCH' }, /GET, POST/],
      [{ path: 'orders' }, /start with '\/'/],
      [{ bucketName: 'Bad_Bucket' }, /lower-case/],
      [{ region: 'mars' }, /us-east-1/],
      [{ accountId: '42' }, /12 digits/],
      [{ base64Body: true }, /needs a body/],
    ];
    for (const [params, message] of bad) {
      assert.throws(() => buildSampleEvent('sqs', params), (err: unknown) => err instanceof UserError && message.test(err.message), JSON.stringify(params));
    }
    assert.throws(
      () => sampleEventDefinition('carrier-pigeon'),
      (err: unknown) => err instanceof UserError && /no sample event of type 'carrier-pigeon'/.test(err.message) && /^Use one of: apigateway-http, /.test(err.hint ?? ''),
    );
  });

  it('names saved samples <name>.<type>.json and reads the type back', () => {
    assert.equal(sampleEventFileName('two-messages', 'sqs'), 'two-messages.sqs.json');
    assert.equal(sampleEventTypeOfFile('two-messages.sqs.json'), 'sqs');
    assert.equal(sampleEventTypeOfFile('get.apigateway-http.json'), 'apigateway-http');
    assert.equal(sampleEventTypeOfFile('get-hello.json'), undefined);
    assert.equal(sampleEventTypeOfFile('x.carrier-pigeon.json'), undefined);
    // A path counts by its file name: a checkout under a folder with a dot (tmp.Xy12) is no different.
    assert.equal(sampleEventTypeOfFile('/tmp/tmp.Xy12/examples/events/F/two-messages.sqs.json'), 'sqs');
    assert.equal(sampleEventTypeOfFile('C:\\work.d\\events\\F\\get.apigateway-http.json'), 'apigateway-http');
    assert.equal(sampleEventTypeOfFile('/a.b/get-hello.json'), undefined);
    assert.throws(() => sampleEventFileName('bad name', 'sqs'), UserError);
    assert.throws(() => sampleEventFileName('../up', 'sqs'), UserError);
  });

  it('plans a new sample under events/<LogicalId>/ and refuses to replace one', () => {
    const dir = join('/', 'project');
    const edit = planSampleEvent({ templateDir: dir, logicalId: 'Orders', type: 'sqs', params: { recordCount: 1 } }, () => false);
    assert.equal(edit.path, join(dir, 'events', 'Orders', 'batch.sqs.json'));
    assert.equal((JSON.parse(edit.content) as { Records: unknown[] }).Records.length, 1);
    assert.throws(
      () => planSampleEvent({ templateDir: dir, logicalId: 'Orders', type: 'sqs', name: 'mine' }, (p) => p.endsWith('mine.sqs.json')),
      /already exists/,
    );
  });

  it('suggests the sample types that fit a function from its SAM events', () => {
    assert.deepEqual(sampleTypesForFunction(['HttpApi', 'SQS', 'HttpApi']), ['apigateway-http', 'sqs']);
    assert.deepEqual(sampleTypesForFunction(['ScheduleV2', 'MQ'], true), ['schedule', 'function-url']);
    assert.deepEqual(sampleTypesForFunction([]), []);
  });

  it('contributes one jsonValidation entry per type, matching saved sample names', () => {
    const entries = jsonValidationContributions();
    assert.equal(entries.length, SAMPLE_EVENTS.length);
    for (const e of entries) {
      const type = e.url.replace('./schemas/events/', '').replace('.schema.json', '');
      assert.deepEqual(e.fileMatch, [`**/events/*/*.${type}.json`]);
      assert.equal(sampleEventTypeOfFile(sampleEventFileName('x', type as (typeof SAMPLE_EVENT_TYPES)[number])), type);
    }
  });
});
