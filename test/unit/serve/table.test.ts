import assert from 'node:assert/strict';
import { parseTemplate } from '../../../src/core/model';
import { matchRoute } from '../../../src/core/serve/match';
import { buildServeTable } from '../../../src/core/serve/table';
import type { ListenerSpec } from '../../../src/core/serve/types';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function: { Runtime: nodejs22.x, Handler: app.handler, CodeUri: . }
  HttpApi:
    CorsConfiguration: true
Resources:
  Items:
    Type: AWS::Serverless::Function
    Properties:
      ReservedConcurrentExecutions: 3
      Events:
        One: { Type: HttpApi, Properties: { Path: '/items/{id}', Method: GET } }
        All: { Type: HttpApi, Properties: { Path: '/items/{proxy+}', Method: ANY } }
        Exact: { Type: HttpApi, Properties: { Path: /items/special, Method: get } }
        Default: { Type: HttpApi }
        Old: { Type: HttpApi, Properties: { Path: /old, Method: post, PayloadFormatVersion: '1.0', TimeoutInMillis: 5000 } }
        Rest: { Type: Api, Properties: { Path: '/r/{id}', Method: any, RestApiId: !Ref Shop } }
        Implicit: { Type: Api, Properties: { Path: /plain, Method: get } }
        Elsewhere: { Type: HttpApi, Properties: { Path: /x, Method: get, ApiId: !ImportValue OtherApi } }
        Queue: { Type: SQS, Properties: { Queue: arn:aws:sqs:us-east-1:123456789012:q } }
  Streamer:
    Type: AWS::Serverless::Function
    Properties:
      FunctionUrlConfig: { AuthType: AWS_IAM, InvokeMode: RESPONSE_STREAM, Cors: { AllowOrigins: ['*'] } }
  Guarded:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get: { Type: Api, Properties: { Path: /g, Method: get, RestApiId: !Ref Shop, Auth: { Authorizer: Missing } } }
  Shop:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v2
      Variables: { color: blue, size: 3 }
      BinaryMediaTypes: [ 'image~1*' ]
      DefinitionUri: openapi.yaml
      Cors: "'https://shop.example'"
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Lb
      DefaultActions: [ { Type: forward, TargetGroupArn: !Ref Fallback } ]
  Rule:
    Type: AWS::ElasticLoadBalancingV2::ListenerRule
    Properties:
      ListenerArn: !Ref Listener
      Priority: 5
      Conditions:
        - { Field: path-pattern, PathPatternConfig: { Values: [ '/api/*' ] } }
        - { Field: http-request-method, HttpRequestMethodConfig: { Values: [ POST ] } }
        - { Field: host-header, Values: [ a.example ] }
      Actions: [ { Type: forward, TargetGroupArn: !Ref ApiTargets } ]
  ApiTargets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      TargetType: lambda
      Targets: [ { Id: !GetAtt Items.Arn } ]
      TargetGroupAttributes: [ { Key: lambda.multi_value_headers.enabled, Value: 'true' } ]
  Fallback:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      TargetType: lambda
      Targets: [ { Id: !GetAtt Streamer.Arn } ]
`;

describe('serve: the route table from the template', () => {
  const table = buildServeTable([parseTemplate('/p/template.yaml', TEMPLATE)]);
  const byName = (name: string, kind?: string): ListenerSpec => table.listeners.find((l) => l.name === name && (!kind || l.kind === kind))!;

  it('groups routes by API (one port each), gives each function URL and load balancer listener its own', () => {
    assert.deepEqual(
      table.listeners.map((l) => [l.kind, l.name, l.stage]),
      [
        ['http-api', 'ServerlessHttpApi', '$default'],
        ['rest-api', 'Shop', 'v2'],
        ['rest-api', 'ServerlessRestApi', 'Prod'],
        ['function-url', 'Streamer', '$default'],
        ['alb', 'Listener', '$default'],
      ],
    );
    const http = byName('ServerlessHttpApi');
    assert.deepEqual(
      http.routes.map((r) => [r.method, r.path, r.payload, r.timeoutMs]),
      [
        ['GET', '/items/{id}', '2.0', 30_000],
        ['ANY', '/items/{proxy+}', '2.0', 30_000],
        ['GET', '/items/special', '2.0', 30_000],
        ['ANY', '$default', '2.0', 30_000],
        ['POST', '/old', '1.0', 5000],
      ],
    );
    assert.equal(http.routes[0].fn.reservedConcurrency, 3);
    assert.deepEqual(http.cors?.allowOrigins, ['*'], "Globals.HttpApi applies to the implicit API");
  });

  it("reads a REST API's stage, variables, binary media types and Cors; refuses routes it cannot authorize", () => {
    const shop = byName('Shop');
    assert.deepEqual(shop.stageVariables, { color: 'blue', size: '3' });
    assert.deepEqual(shop.binaryMediaTypes, ['image/*']);
    assert.deepEqual(shop.cors?.allowOrigins, ['https://shop.example']);
    const guarded = shop.routes.find((r) => r.fn.logicalId === 'Guarded')!;
    assert.equal(guarded.authorizer?.kind, 'lambda');
    assert.match(table.warnings.join('\n'), /Guarded's event Get uses the authorizer Missing, which the API's Auth.Authorizers does not declare: its requests are refused \(500\)/);
    assert.match(table.warnings.join('\n'), /Shop's DefinitionUri openapi.yaml cannot be read: its routes are not read; only its functions' events are served/);
    assert.match(table.warnings.join('\n'), /Items's event Elsewhere belongs to an API that is not an AWS::Serverless::HttpApi/);
  });

  it('reads a function URL: its invoke mode, auth type and CORS, and its timeout as the function has it', () => {
    const url = byName('Streamer', 'function-url');
    assert.deepEqual([url.invokeMode, url.authType, url.cors?.allowOrigins, url.routes[0].timeoutMs], ['RESPONSE_STREAM', 'AWS_IAM', ['*'], 3000]);
    assert.equal(url.apiId.length, 32);
    assert.match(table.warnings.join('\n'), /AuthType AWS_IAM/);
  });

  it('routes a load balancer listener by its rules in priority order, then its default action', () => {
    const lb = byName('Listener');
    assert.deepEqual(lb.routes.map((r) => [r.fn.logicalId, r.priority ?? null, r.pathPatterns ?? null, r.methods ?? null, r.targetGroup?.multiValueHeaders]), [
      ['Items', 5, ['/api/*'], ['POST'], true],
      ['Streamer', null, null, null, false],
    ]);
    assert.equal(matchRoute(lb, 'POST', '/api/orders/1')?.route.fn.logicalId, 'Items');
    assert.equal(matchRoute(lb, 'GET', '/api/orders/1')?.route.fn.logicalId, 'Streamer', 'another method falls to the default action');
    assert.match(table.warnings.join('\n'), /host-header condition, which is not evaluated locally/);
  });
});

describe('serve: choosing the route as API Gateway does', () => {
  const table = buildServeTable([parseTemplate('/p/template.yaml', TEMPLATE)]);
  const http = table.listeners[0];
  const shop = table.listeners[1];
  const pick = (l: ListenerSpec, method: string, path: string): string | undefined => {
    const m = matchRoute(l, method, path);
    return m && `${m.route.method} ${m.route.path} ${JSON.stringify(m.pathParameters ?? {})}`;
  };

  it('prefers a literal segment over a parameter over a greedy one, a method of its own over ANY, then $default', () => {
    assert.equal(pick(http, 'GET', '/items/special'), 'GET /items/special {}');
    assert.equal(pick(http, 'GET', '/items/42'), 'GET /items/{id} {"id":"42"}');
    assert.equal(pick(http, 'POST', '/items/42'), 'ANY /items/{proxy+} {"proxy":"42"}', 'no POST of its own: the greedy ANY');
    assert.equal(pick(http, 'GET', '/items/a/b%20c'), 'ANY /items/{proxy+} {"proxy":"a/b c"}');
    assert.equal(pick(http, 'GET', '/items/42/'), 'GET /items/{id} {"id":"42"}', 'a trailing slash names the same resource');
    assert.equal(pick(http, 'GET', '/items'), 'ANY $default {}', '{proxy+} needs a segment; $default takes the rest');
    assert.equal(pick(http, 'DELETE', '/old'), 'ANY $default {}');
  });

  it('requires the stage before the path of a named stage', () => {
    assert.equal(pick(shop, 'PUT', '/v2/r/%E2%9C%93'), 'ANY /r/{id} {"id":"✓"}');
    assert.equal(pick(shop, 'GET', '/r/1'), undefined);
    assert.equal(pick(shop, 'GET', '/v2x/r/1'), undefined);
    assert.equal(pick(shop, 'GET', '/v2/r/%ZZ'), 'ANY /r/{id} {"id":"%ZZ"}', 'a malformed escape is kept as sent');
  });
});
