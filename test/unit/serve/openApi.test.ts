import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTemplate } from '../../../src/core/model';
import { matchRoute } from '../../../src/core/serve/match';
import { integrationFunction } from '../../../src/core/serve/openApi';
import { buildServeTable } from '../../../src/core/serve/table';
import type { ListenerSpec } from '../../../src/core/serve/types';

const HTTP_TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function: { Runtime: nodejs22.x, Handler: app.handler, CodeUri: . }
Resources:
  Items:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Listed: { Type: HttpApi, Properties: { ApiId: !Ref Http, Path: /listed, Method: get } }
  Other:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: other-fn
  Guard:
    Type: AWS::Serverless::Function
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Lam
        Authorizers:
          Lam: { FunctionArn: !GetAtt Guard.Arn, Identity: { Headers: [ Authorization ] } }
      DefinitionBody:
        openapi: '3.0.1'
        paths:
          /items/{id}:
            parameters: [ { name: id, in: path } ]
            get:
              security: []
              x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: !GetAtt Items.Arn, payloadFormatVersion: '2.0' }
            delete:
              x-amazon-apigateway-integration:
                type: AWS_PROXY
                uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Other.Arn}/invocations
                payloadFormatVersion: '1.0'
                timeoutInMillis: 4000
          /files/{proxy+}:
            x-amazon-apigateway-any-method:
              x-amazon-apigateway-integration: { type: aws_proxy, uri: 'arn:aws:lambda:us-east-1:123456789012:function:other-fn' }
          /listed:
            get:
              x-amazon-apigateway-integration: { type: aws_proxy, uri: !GetAtt Other.Arn }
          /mocked:
            get:
              x-amazon-apigateway-integration: { type: mock }
          /ghost:
            get:
              x-amazon-apigateway-integration: { type: aws_proxy, uri: !GetAtt Ghost.Arn }
          /staged:
            get:
              x-amazon-apigateway-integration: { type: aws_proxy, uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:\${stageVariables.fn}/invocations' }
          /bad/{proxy+}/tail:
            get:
              x-amazon-apigateway-integration: { type: aws_proxy, uri: !GetAtt Items.Arn }
          $default:
            x-amazon-apigateway-any-method:
              x-amazon-apigateway-integration: { type: aws_proxy, uri: !GetAtt Items.Arn }
`;

describe('serve: routes an OpenAPI definition declares', () => {
  it("serves an HttpApi's DefinitionBody routes: methods, ANY, {proxy+}, $default, payload format, timeout, security", () => {
    const table = buildServeTable([parseTemplate('/p/template.yaml', HTTP_TEMPLATE)]);
    const http = table.listeners.find((l) => l.name === 'Http')!;
    assert.deepEqual(
      http.routes.map((r) => [r.fn.logicalId, r.method, r.path, r.payload, r.timeoutMs, r.authorizer?.name ?? 'none']),
      [
        ['Items', 'GET', '/listed', '2.0', 30_000, 'Lam'],
        ['Items', 'GET', '/items/{id}', '2.0', 30_000, 'none'],
        ['Other', 'DELETE', '/items/{id}', '1.0', 4000, 'Lam'],
        ['Other', 'ANY', '/files/{proxy+}', '2.0', 30_000, 'Lam'],
        ['Items', 'ANY', '$default', '2.0', 30_000, 'Lam'],
      ],
      "the event's /listed route stands; the definition adds the rest",
    );
    assert.deepEqual({ ...matchRoute(http, 'PUT', '/files/a/b.txt')?.pathParameters }, { proxy: 'a/b.txt' });
    assert.equal(matchRoute(http, 'DELETE', '/items/7')?.route.fn.logicalId, 'Other');
    assert.equal(matchRoute(http, 'POST', '/nowhere')?.route.path, '$default');
    const warnings = table.warnings.join('\n');
    assert.match(warnings, /Http's OpenAPI operation GET \/ghost integrates Ghost, which is not a function of \/p\/template.yaml: it is not served/);
    assert.match(warnings, /Http's OpenAPI operation GET \/staged \(its integration uri names no function/);
    assert.match(warnings, /GET \/bad\/\{proxy\+\}\/tail \(a greedy \{name\+\} parameter must be the last segment\)/);
    assert.match(warnings, /1 operation with integrations other than aws_proxy/);
    assert.doesNotMatch(warnings, /OpenAPI definition \(DefinitionBody or DefinitionUri\)/);
  });

  describe('a REST API whose DefinitionUri is a local file', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'lwb-openapi-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const restTemplate = (uri: string): string => `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs22.x, Handler: app.handler, CodeUri: . }
  Shop:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      DefinitionUri: ${uri}
`;

    it('reads its operations (long-form Fn::Sub, JSON or YAML) and its binary media types', () => {
      writeFileSync(
        join(dir, 'api.json'),
        JSON.stringify({
          swagger: '2.0',
          'x-amazon-apigateway-binary-media-types': ['image~1png'],
          paths: {
            '/pets/{petId}': {
              get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: { 'Fn::Sub': ['arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations', {}] } } },
            },
          },
        }),
      );
      const table = buildServeTable([parseTemplate(join(dir, 'template.yaml'), restTemplate('api.json'))]);
      const shop = table.listeners.find((l) => l.name === 'Shop')!;
      assert.deepEqual([shop.kind, shop.stage, shop.binaryMediaTypes], ['rest-api', 'v1', ['image/png']]);
      assert.deepEqual(shop.routes.map((r) => [r.method, r.path, r.payload, r.timeoutMs]), [['GET', '/pets/{petId}', '1.0', 29_000]]);
      assert.deepEqual({ ...matchRoute(shop, 'GET', '/v1/pets/9')?.pathParameters }, { petId: '9' });
      assert.deepEqual(table.warnings, []);
    });

    it('gives a warning, never a throw, for a file outside the folder, missing, not YAML, or of the wrong shape', () => {
      mkdirSync(join(dir, 'sub'), { recursive: true });
      writeFileSync(join(dir, 'secret.yaml'), 'paths: {}\n');
      symlinkSync(join(dir, 'secret.yaml'), join(dir, 'sub', 'link.yaml'));
      writeFileSync(join(dir, 'sub', 'broken.yaml'), 'paths: [\n');
      writeFileSync(join(dir, 'sub', 'list.yaml'), '- 1\n');
      writeFileSync(join(dir, 'sub', 'paths.yaml'), 'paths: [ 1, 2 ]\n');
      const warn = (uri: string): string => {
        const table = buildServeTable([parseTemplate(join(dir, 'sub', 'template.yaml'), restTemplate(uri))]);
        assert.equal(table.listeners.length, 0, uri);
        return table.warnings.join('\n');
      };
      assert.match(warn('../secret.yaml'), /Shop's DefinitionUri \.\.\/secret.yaml is outside the template's folder/);
      assert.match(warn('link.yaml'), /is outside the template's folder/, 'a link leading out counts as outside');
      assert.match(warn('missing.yaml'), /cannot be read/);
      assert.match(warn('broken.yaml'), /is not YAML or JSON/);
      assert.match(warn('list.yaml'), /is not a map/);
      assert.match(warn('paths.yaml'), /Shop's OpenAPI definition has paths that are not a map/);
      assert.match(warn('s3://bucket/api.yaml'), /is not a local file/);
    });
  });

  it('stops at a cap on a huge definition and reads odd values without throwing', () => {
    const paths: Record<string, unknown> = {};
    for (let i = 0; i < 3100; i++) paths[`/p${i}`] = { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: 'arn:aws:lambda:us-east-1:1:function:Fn' } } };
    paths['/odd'] = 'text';
    const many = `Resources:
  Fn: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs22.x, Handler: a.b, CodeUri: . } }
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody: ${JSON.stringify({ paths })}
  Odd:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody: { paths: { /a: { get: { x-amazon-apigateway-integration: [ 1 ] } }, /b: { get: { x-amazon-apigateway-integration: { type: 7, uri: { a: 1 } } } }, /c: { post: { security: 5, x-amazon-apigateway-integration: { type: aws_proxy, uri: !GetAtt Fn.Arn } } } } }
  Included:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody: { 'Fn::Transform': { Name: AWS::Include, Parameters: { Location: s3://b/k } } }
`;
    const table = buildServeTable([parseTemplate('/p/template.yaml', many)]);
    const byName = (n: string): ListenerSpec | undefined => table.listeners.find((l) => l.name === n);
    assert.equal(byName('Api')?.routes.length, 3000);
    assert.deepEqual(byName('Odd')?.routes.map((r) => [r.method, r.path]), [['POST', '/c']]);
    const warnings = table.warnings.join('\n');
    assert.match(warnings, /Api's OpenAPI definition has more than 3000 operations: only the first 3000 are served/);
    assert.match(warnings, /Included's DefinitionBody is an intrinsic function \(Fn::Transform\)/);
  });

  it("reads the Lambda and JWT authorizers an OpenAPI definition declares, and a route's security or the document's", () => {
    const template = `Resources:
  Fn: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs22.x, Handler: a.b, CodeUri: . } }
  Guard: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs22.x, Handler: a.b, CodeUri: . } }
  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      DefinitionBody:
        swagger: '2.0'
        securityDefinitions:
          Tok:
            type: apiKey
            in: header
            name: X-Token
            x-amazon-apigateway-authorizer: { type: token, authorizerUri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Guard.Arn}/invocations', identityValidationExpression: '^ok' }
          Req:
            type: apiKey
            in: header
            name: unused
            x-amazon-apigateway-authorizer: { type: request, authorizerUri: !GetAtt Guard.Arn, identitySource: 'method.request.header.X, method.request.querystring.q', authorizerResultTtlInSeconds: 0 }
          Lost:
            x-amazon-apigateway-authorizer: { type: request, authorizerUri: !GetAtt Nobody.Arn, identitySource: method.request.header.X }
          Pool:
            type: apiKey
            in: header
            name: X-Id
            x-amazon-apigateway-authorizer: { type: cognito_user_pools, providerARNs: [ 'arn:aws:cognito-idp:us-east-1:1:userpool/p' ] }
          Iam:
            x-amazon-apigateway-authorizer: { type: iam }
          Key: { type: apiKey, in: header, name: x-api-key }
          sigv4: { type: apiKey, in: header, name: Authorization, x-amazon-apigateway-authtype: awsSigv4 }
        paths:
          /t: { get: { security: [ { Tok: [] } ], x-amazon-apigateway-integration: { type: aws_proxy, uri: !GetAtt Fn.Arn } } }
          /r: { get: { security: [ { Req: [] } ], x-amazon-apigateway-integration: { type: aws_proxy, uri: !GetAtt Fn.Arn } } }
          /l: { get: { security: [ { Lost: [] } ], x-amazon-apigateway-integration: { type: aws_proxy, uri: !GetAtt Fn.Arn } } }
          /c: { get: { security: [ { Pool: [] } ], x-amazon-apigateway-integration: { type: aws_proxy, uri: !GetAtt Fn.Arn } } }
          /s: { get: { security: [ { sigv4: [] } ], x-amazon-apigateway-integration: { type: aws_proxy, uri: !GetAtt Fn.Arn } } }
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: '3.0.1'
        security: [ { Simple: [] } ]
        components:
          securitySchemes:
            Simple:
              type: apiKey
              x-amazon-apigateway-authorizer: { type: request, authorizerUri: !GetAtt Guard.Arn, authorizerPayloadFormatVersion: '2.0', enableSimpleResponses: true, identitySource: [ $request.header.Authorization ], authorizerResultTtlInSeconds: 60 }
            Jwt:
              type: oauth2
              x-amazon-apigateway-authorizer: { type: jwt, identitySource: [ $request.header.Authorization ], jwtConfiguration: { issuer: 'https://i', audience: [ app ] } }
            Old:
              x-amazon-apigateway-authorizer: { type: token, authorizerUri: !GetAtt Guard.Arn }
        paths:
          /d: { get: { x-amazon-apigateway-integration: { type: aws_proxy, uri: !GetAtt Fn.Arn } } }
          /j: { get: { security: [ { Jwt: [ read ] } ], x-amazon-apigateway-integration: { type: aws_proxy, uri: !GetAtt Fn.Arn } } }
`;
    const table = buildServeTable([parseTemplate('/p/template.yaml', template)]);
    const auth = (api: string, path: string) => table.listeners.find((l) => l.name === api)!.routes.find((r) => r.path === path)!;
    const tok = auth('Rest', '/t').authorizer;
    assert.deepEqual(tok?.kind === 'lambda' && [tok.fn?.logicalId, tok.payload, tok.format, tok.identity, tok.validationExpression, tok.ttlSeconds], ['Guard', 'TOKEN', 'rest', [{ where: 'header', name: 'X-Token' }], '^ok', 300]);
    const req = auth('Rest', '/r').authorizer;
    assert.deepEqual(req?.kind === 'lambda' && [req.payload, req.identity, req.ttlSeconds], ['REQUEST', [{ where: 'header', name: 'X' }, { where: 'query', name: 'q' }], 0]);
    const lost = auth('Rest', '/l').authorizer;
    assert.deepEqual(lost?.kind === 'lambda' && [lost.fn, lost.unresolved], [undefined, 'its function Nobody is not in the template']);
    const simple = auth('Http', '/d').authorizer;
    assert.deepEqual(simple?.kind === 'lambda' && [simple.name, simple.format, simple.simpleResponses, simple.identity, simple.ttlSeconds], ['Simple', '2.0', true, [{ where: 'header', name: 'Authorization' }], 60], "the document's security is the default");
    const jwt = auth('Http', '/j');
    assert.deepEqual([jwt.authorizer?.kind, jwt.authorizer?.kind === 'jwt' && jwt.authorizer.issuer, jwt.scopes], ['jwt', 'https://i', ['read']]);
    const warnings = table.warnings.join('\n');
    assert.deepEqual(auth('Rest', '/c').authorizer, { kind: 'cognito', name: 'Pool', identity: [{ where: 'header', name: 'X-Id' }] });
    assert.deepEqual(auth('Rest', '/s').authorizer, { kind: 'iam', name: 'sigv4' });
    assert.match(warnings, /Rest's OpenAPI authorizer Iam is of type iam, which does not run locally/);
    assert.match(warnings, /Http's OpenAPI authorizer Old is a token authorizer, which HTTP APIs do not have/);
    assert.match(warnings, /Fn's OpenAPI operation GET \/l \(in Rest\) uses the authorizer Lost, but its function Nobody is not in the template: its requests are refused \(500\)/);
    assert.doesNotMatch(warnings, /Key/);
  });

  it('finds the function an integration uri names, as SAM CLI does', () => {
    assert.equal(integrationFunction('arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:Calc:Prod/invocations'), 'Calc');
    assert.equal(integrationFunction('arn:aws:lambda:us-east-1:1:function:Calc'), 'Calc');
    assert.equal(integrationFunction({ 'Fn::GetAtt': ['Fn', 'Arn'] }), 'Fn');
    assert.equal(integrationFunction({ 'Fn::GetAtt': 'Fn.Arn' }), 'Fn');
    assert.equal(integrationFunction({ 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Alias}/invocations' }), 'Fn');
    assert.equal(integrationFunction({ 'Fn::GetAtt': ['Fn', 'RootResourceId'] }), undefined);
    assert.equal(integrationFunction({ 'Fn::Join': ['', ['a']] }), undefined);
    assert.equal(integrationFunction('https://example.com/x'), undefined);
    assert.equal(integrationFunction(`arn:aws:lambda:${'x:'.repeat(5000)}`), undefined);
    assert.equal(integrationFunction(42), undefined);
  });
});
