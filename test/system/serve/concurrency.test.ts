import assert from 'node:assert/strict';
import { call, serveFixture, type ServeFixture, until } from './fixture';

// Concurrency as Lambda has it: each concurrent request gets a container of its own, up to the
// function's limit (ReservedConcurrentExecutions, else the configured default); more wait. The
// handler holds each request until the test has seen them all arrive, and answers with its
// container's host name.

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs22.x
    Handler: wait.handler
    CodeUri: fn/
    Timeout: 60
    Layers: [ !Ref Signals ]
Resources:
  Parallel:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get: { Type: HttpApi, Properties: { Path: /parallel, Method: get } }
  Limited:
    Type: AWS::Serverless::Function
    Properties:
      ReservedConcurrentExecutions: 2
      Events:
        Get: { Type: HttpApi, Properties: { Path: /limited, Method: get } }
  Signals:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: signals/
`;

const WAIT = `import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
export const handler = async (event) => {
  const id = event.queryStringParameters?.id;
  while (id && !existsSync('/opt/node_modules/.signals/' + id)) await new Promise((r) => setTimeout(r, 20));
  return { statusCode: 200, body: hostname() };
};
`;

describe('serve: concurrency per function (real Docker, aws-lambda-ric)', function () {
  this.timeout(180_000);
  let fx: ServeFixture;
  before(async () => {
    fx = await serveFixture(TEMPLATE, { 'fn/wait.mjs': WAIT, 'signals/node_modules/.signals/.keep': '' }, { concurrency: 10 });
  });
  after(() => fx?.dispose());

  it('runs N parallel requests in N containers', async () => {
    const url = `${fx.base('Parallel')}/parallel?id=p`;
    const replies = Promise.all([1, 2, 3].map(() => call(url)));
    await until(() => fx.api.load(fx.fn('Parallel'))?.running === 3, 'three requests running');
    fx.write('signals/node_modules/.signals/p', 'go');
    const hosts = (await replies).map((r) => r.text);
    assert.equal(new Set(hosts).size, 3, `three containers answered: ${hosts.join(', ')}`);
    assert.equal(await fx.containers('Parallel'), 3);
  });

  it('holds requests beyond ReservedConcurrentExecutions until a container is free', async () => {
    const url = `${fx.base('Limited')}/limited?id=l`;
    const replies = Promise.all([1, 2, 3, 4].map(() => call(url)));
    await until(() => {
      const load = fx.api.load(fx.fn('Limited'));
      return load?.running === 2 && load.waiting === 2;
    }, 'two requests running and two waiting');
    fx.write('signals/node_modules/.signals/l', 'go');
    const all = await replies;
    assert.deepEqual(all.map((r) => r.status), [200, 200, 200, 200]);
    assert.equal(new Set(all.map((r) => r.text)).size, 2, 'the waiting requests ran in the two containers');
    assert.equal(await fx.containers('Limited'), 2);
  });

  it('starts --warm containers through their init before serving: the first requests are warm', async () => {
    const warm = await serveFixture(TEMPLATE, { 'fn/wait.mjs': WAIT, 'signals/node_modules/.signals/.keep': '' }, { warm: 2 });
    try {
      assert.equal(warm.runner.containerCount(warm.fn('Limited')), 2, 'two warm containers before any request');
      const r = await call(`${warm.base('Limited')}/limited`);
      assert.equal(r.status, 200);
      await until(() => warm.logs.some((e) => e.logicalId === 'Limited' && e.line.startsWith('REPORT')), 'the REPORT line');
      const report = warm.logs.find((e) => e.logicalId === 'Limited' && e.line.startsWith('REPORT'))!;
      assert.doesNotMatch(report.line, /Init Duration/, 'a warm start has no Init Duration');
    } finally {
      await warm.dispose();
    }
  });
});
