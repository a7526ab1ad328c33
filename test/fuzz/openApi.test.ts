import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { parseTemplate } from '../../src/core/model';
import { buildServeTable } from '../../src/core/serve/table';
import { holds } from './seed';

// An API's OpenAPI definition is the user's to write, and often copied from elsewhere: whatever
// shape it has, the route table is built (what cannot be served is a warning), never a throw.

/** Values an OpenAPI definition is made of, in the places the reader looks, with wrong types mixed in. */
const word = fc.constantFrom('get', 'POST', 'x-amazon-apigateway-any-method', 'parameters', 'aws_proxy', 'AWS_PROXY', 'mock', 'token', 'request', 'jwt', 'header', '$default', '/a', '/{id}', '/{proxy+}/x', '{', '');
const scalar = fc.oneof(word, fc.string({ maxLength: 30 }), fc.integer(), fc.boolean(), fc.constant(null));
const uri = fc.oneof(
  scalar,
  fc.constantFrom('arn:aws:lambda:us-east-1:1:function:Fn', '/functions/${stageVariables.f}/invocations', 'arn:aws:lambda:x:y:function:Fn:alias'),
  fc.record({ 'Fn::Sub': fc.oneof(scalar, fc.constant('${Fn.Arn}'), fc.array(scalar, { maxLength: 3 })) }),
  fc.record({ 'Fn::GetAtt': fc.oneof(scalar, fc.constant(['Fn', 'Arn']), fc.array(scalar, { maxLength: 3 })) }),
);
const integration = fc.oneof(scalar, fc.record({ type: scalar, uri, payloadFormatVersion: scalar, timeoutInMillis: scalar }, { requiredKeys: [] }));
const operation = fc.oneof(scalar, fc.record({ 'x-amazon-apigateway-integration': integration, security: fc.oneof(scalar, fc.array(fc.dictionary(word, fc.array(scalar, { maxLength: 2 }), { maxKeys: 2 }), { maxLength: 2 })) }, { requiredKeys: [] }));
const paths = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.oneof(word, fc.string({ maxLength: 20 })), fc.oneof(scalar, fc.dictionary(word, operation, { maxKeys: 4 })), { maxKeys: 6 }));
const scheme = fc.record({ in: scalar, name: scalar, 'x-amazon-apigateway-authtype': scalar, 'x-amazon-apigateway-authorizer': fc.oneof(scalar, fc.record({ type: scalar, authorizerUri: uri, identitySource: fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), authorizerPayloadFormatVersion: scalar, authorizerResultTtlInSeconds: scalar, enableSimpleResponses: scalar }, { requiredKeys: [] })) }, { requiredKeys: [] });
const definition = fc.oneof(
  fc.anything({ maxDepth: 4 }),
  fc.record({ openapi: scalar, paths, security: fc.oneof(scalar, fc.array(fc.dictionary(word, fc.constant([]), { maxKeys: 2 }), { maxLength: 2 })), components: fc.record({ securitySchemes: fc.dictionary(word, scheme, { maxKeys: 3 }) }), securityDefinitions: fc.dictionary(word, scheme, { maxKeys: 3 }) }, { requiredKeys: [] }),
);

describe('fuzz: OpenAPI definitions in the route table', function () {
  this.timeout(60_000);
  it('builds the route table from any definition body without throwing; what it serves is well formed', async () => {
    await holds(
      fc.property(definition, fc.boolean(), (body, http) => {
        const template = `Resources:
  Fn: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs22.x, Handler: a.b, CodeUri: . } }
  Api:
    Type: AWS::Serverless::${http ? 'HttpApi' : 'Api'}
    Properties:
      DefinitionBody: ${JSON.stringify(body) ?? 'null'}
`;
        const table = buildServeTable([parseTemplate('/p/template.yaml', template)]);
        for (const route of table.listeners.flatMap((l) => l.routes)) {
          assert.ok(route.path === '$default' || route.path.startsWith('/'), route.path);
          assert.match(route.method, /^(ANY|GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH)$/);
          assert.equal(route.fn.logicalId, 'Fn');
        }
      }),
      1500,
      8000,
    );
  });
});
