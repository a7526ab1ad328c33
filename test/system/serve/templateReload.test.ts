import assert from 'node:assert/strict';
import type { TemplateReloadEvent } from '../../../src/core/serve';
import { describeTemplateReload } from '../../../src/core/serve';
import { call, serveFixture, type ServeFixture, until } from './fixture';

// A template saved while serving: its routes are read again and served on the same ports (new
// ones answer, removed ones 404, a function whose settings changed runs with the new ones, an API
// only an OpenAPI definition declares opens), a request already running finishes on what it
// matched, and a template that no longer parses leaves the old routes serving.

const layer = `  Signals:
    Type: AWS::Serverless::LayerVersion
    Properties: { ContentUri: signals/ }
`;
const fn = (id: string, greeting: string, events: string): string => `  ${id}:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: app.handler
      CodeUri: fn/
      Timeout: 60
      Layers: [ !Ref Signals ]
      Environment: { Variables: { GREETING: ${greeting} } }
${events ? `      Events:\n${events}` : ''}`;

const V1 = `Transform: AWS::Serverless-2016-10-31
Resources:
${fn('Greeter', 'one', '        A: { Type: HttpApi, Properties: { Path: /a, Method: get } }\n')}${fn('Other', 'other', '        B: { Type: HttpApi, Properties: { Path: /b, Method: get } }\n')}${layer}`;

const V2 = `Transform: AWS::Serverless-2016-10-31
Resources:
${fn('Greeter', 'two', '        A: { Type: HttpApi, Properties: { Path: /a, Method: get } }\n        C: { Type: HttpApi, Properties: { Path: /c, Method: get } }\n')}${fn('Other', 'other', '')}${layer}  Defined:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: '3.0.1'
        paths:
          /defined/{id}:
            get:
              x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: !GetAtt Other.Arn, payloadFormatVersion: '2.0' }
`;

const APP = `import { existsSync } from 'node:fs';
export const handler = async (event) => {
  const id = event.queryStringParameters?.wait;
  while (id && !existsSync('/opt/node_modules/.signals/' + id)) await new Promise((r) => setTimeout(r, 20));
  return { greeting: process.env.GREETING, path: event.rawPath, params: event.pathParameters ?? null };
};
`;

describe('serve: template reload while serving (real Docker, aws-lambda-ric)', function () {
  this.timeout(180_000);
  let fx: ServeFixture;
  const events: TemplateReloadEvent[] = [];
  before(async () => {
    fx = await serveFixture(V1, { 'fn/app.mjs': APP, 'signals/node_modules/.signals/.keep': '' }, { watch: true, onTemplateReload: (e) => events.push(e) });
  });
  after(() => fx?.dispose());

  it('serves the saved routes and settings on the same port, without dropping the request in flight', async () => {
    const base = fx.base('Greeter');
    assert.deepEqual((await call(`${base}/a`)).json(), { greeting: 'one', path: '/a', params: null });
    assert.equal((await call(`${base}/b`)).status, 200);
    const inFlight = call(`${base}/a?wait=held`);
    await until(() => fx.api.load(fx.fn('Greeter'))?.running === 1, 'the request in flight');

    fx.write('template.yaml', V2);
    await until(() => events.length > 0, 'the template reload');
    const e = events[0];
    assert.equal(e.error, undefined, e.error);
    assert.deepEqual(e.added.map((r) => [r.method, r.url.replace(/^http:\/\/[^/]+/, ''), r.logicalId]), [['GET', '/c', 'Greeter'], ['GET', '/defined/{id}', 'Other']]);
    assert.deepEqual(e.removed.map((r) => [r.method, r.url.replace(/^http:\/\/[^/]+/, ''), r.logicalId]), [['GET', '/b', 'Other']]);
    assert.deepEqual(e.changed, ['Greeter']);
    assert.match(describeTemplateReload(e), /^template\.yaml reloaded: added GET http:\/\/127\.0\.0\.1:\d+\/c \(Greeter\), GET http:\/\/127\.0\.0\.1:\d+\/defined\/\{id\} \(Other\); removed GET http:\/\/127\.0\.0\.1:\d+\/b \(Other\); changed Greeter$/);

    assert.equal(fx.base('Greeter'), base, 'the API kept its port');
    assert.deepEqual((await call(`${base}/a`)).json(), { greeting: 'two', path: '/a', params: null }, 'the changed function runs with its new settings');
    assert.deepEqual((await call(`${base}/c`)).json(), { greeting: 'two', path: '/c', params: null });
    const gone = await call(`${base}/b`);
    assert.deepEqual([gone.status, gone.json()], [404, { message: 'Not Found' }]);
    const defined = await call(`${fx.base('Other')}/defined/42`);
    assert.deepEqual(defined.json(), { greeting: 'other', path: '/defined/42', params: { id: '42' } }, "the OpenAPI definition's route reaches its function");

    fx.write('signals/node_modules/.signals/held', 'go');
    const old = await inFlight;
    assert.deepEqual([old.status, old.json()], [200, { greeting: 'one', path: '/a', params: null }], 'the request in flight finished on the old settings');
  });

  it('keeps the old routes when the saved template no longer parses, and says why', async () => {
    const base = fx.base('Greeter');
    const before = events.length;
    fx.write('template.yaml', 'Resources:\n  Greeter: [\n    Type: x\n');
    await until(() => events.length > before, 'the failed reload');
    const e = events[before];
    assert.match(e.error ?? '', /YAML/);
    assert.match(describeTemplateReload(e), /^template\.yaml not reloaded: YAML: .*\(line \d+\); the previous routes keep serving$/);
    assert.equal((await call(`${base}/c`)).status, 200);
  });
});
