import assert from 'node:assert/strict';
import { call, serveFixture, type ServeFixture, until } from './fixture';

// Authorizers and CORS as the template configures them, over real HTTP: a Lambda authorizer runs
// in its own container before the route (HTTP API simple responses, REST TOKEN with IAM
// policies) and its context reaches the event; JWTs are decoded into claims, unverified, and the
// response says so; preflights are answered as HTTP APIs and SAM's REST Cors answer them.

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs22.x
    CodeUri: fn/
Resources:
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Handler: echo.handler
      Events:
        Open: { Type: HttpApi, Properties: { ApiId: !Ref Http, Path: /open, Method: get } }
        Private: { Type: HttpApi, Properties: { ApiId: !Ref Http, Path: /private, Method: get, Auth: { Authorizer: LambdaAuth } } }
        Jwt: { Type: HttpApi, Properties: { ApiId: !Ref Http, Path: /jwt, Method: get, Auth: { Authorizer: Jwt, AuthorizationScopes: [read] } } }
        Token: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /token, Method: get } }
        Cached: { Type: HttpApi, Properties: { ApiId: !Ref Http, Path: /cached, Method: get, Auth: { Authorizer: CachedAuth } } }
        Cognito: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /cognito, Method: get, Auth: { Authorizer: Pool } } }
  Authorizer:
    Type: AWS::Serverless::Function
    Properties:
      Handler: auth.handler
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration:
        AllowOrigins: [ 'https://app.example' ]
        AllowMethods: [ GET, POST ]
        AllowHeaders: [ content-type, authorization ]
        ExposeHeaders: [ x-echo ]
        MaxAge: 600
      Auth:
        Authorizers:
          LambdaAuth:
            FunctionArn: !GetAtt Authorizer.Arn
            AuthorizerPayloadFormatVersion: '2.0'
            EnableSimpleResponses: true
            Identity: { Headers: [ Authorization ] }
          CachedAuth:
            FunctionArn: !GetAtt Authorizer.Arn
            AuthorizerPayloadFormatVersion: '2.0'
            EnableSimpleResponses: true
            AuthorizerResultTtlInSeconds: 300
            Identity: { Headers: [ Authorization ] }
          Jwt:
            IdentitySource: $request.header.Authorization
            JwtConfiguration: { issuer: 'https://issuer.example', audience: [ my-app ] }
  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      Cors: { AllowOrigin: "'*'", AllowHeaders: "'Authorization'", MaxAge: "'300'" }
      Auth:
        DefaultAuthorizer: TokenAuth
        Authorizers:
          TokenAuth: { FunctionArn: !GetAtt Authorizer.Arn }
          Pool: { UserPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Local' }
`;

const ECHO = `export const handler = async (event) => ({ statusCode: 200, headers: { 'x-echo': 'yes', 'access-control-allow-origin': 'https://evil.example' }, body: JSON.stringify(event) });\n`;

const AUTH = `let calls = 0;
const policy = (effect, arn) => ({ Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: arn }] });
export const handler = async (event) => {
  if (event.type === 'TOKEN') {
    if (event.authorizationToken === 'deny') return { principalId: 'x', policyDocument: policy('Deny', event.methodArn) };
    if (event.authorizationToken !== 'allow') throw new Error('Unauthorized');
    return { principalId: 'user-1', policyDocument: policy('Allow', event.methodArn), context: { tenant: 'acme', n: 3 } };
  }
  calls++;
  return { isAuthorized: event.headers.authorization === 'letmein', context: { user: 'u-7', routeArn: event.routeArn, source: event.identitySource, call: calls } };
};
`;

function jwt(claims: Record<string, unknown>): string {
  const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

interface Echoed {
  requestContext: { authorizer?: Record<string, unknown>; apiId: string };
}

describe('serve: authorizers and CORS (real Docker, aws-lambda-ric)', function () {
  this.timeout(120_000);
  let fx: ServeFixture;
  let http: string;
  let rest: string;
  before(async () => {
    fx = await serveFixture(TEMPLATE, { 'fn/echo.mjs': ECHO, 'fn/auth.mjs': AUTH });
    http = fx.base('Echo', 'http-api');
    rest = `${fx.base('Echo', 'rest-api')}/Prod`;
  });
  after(() => fx?.dispose());

  it('runs an HTTP API Lambda authorizer (simple responses) and hands its context to the route', async () => {
    const none = await call(`${http}/private`);
    assert.deepEqual([none.status, none.json()], [401, { message: 'Unauthorized' }], 'no identity source: refused without calling the authorizer');
    const no = await call(`${http}/private`, { headers: [['Authorization', 'nope']] });
    assert.deepEqual([no.status, no.json()], [403, { message: 'Forbidden' }]);
    const yes = await call(`${http}/private`, { headers: [['Authorization', 'letmein']] });
    assert.equal(yes.status, 200, yes.text);
    const e = yes.json() as Echoed;
    const { call: count, ...context } = (e.requestContext.authorizer as { lambda: Record<string, unknown> }).lambda;
    assert.deepEqual(context, { user: 'u-7', routeArn: `arn:aws:execute-api:us-east-1:123456789012:${e.requestContext.apiId}/$default/GET/private`, source: ['letmein'] });
    assert.equal(typeof count, 'number');
  });

  it('runs a REST TOKEN authorizer: its IAM policy decides, its principal and context reach the event', async () => {
    const none = await call(`${rest}/token`);
    assert.deepEqual([none.status, none.json()], [401, { message: 'Unauthorized' }]);
    const thrown = await call(`${rest}/token`, { headers: [['Authorization', 'who']] });
    assert.deepEqual([thrown.status, thrown.json()], [401, { message: 'Unauthorized' }], "the authorizer's Unauthorized error is a 401");
    const denied = await call(`${rest}/token`, { headers: [['Authorization', 'deny']] });
    assert.deepEqual([denied.status, denied.json()], [403, { message: 'User is not authorized to access this resource with an explicit deny' }]);
    const allowed = await call(`${rest}/token`, { headers: [['Authorization', 'allow']] });
    assert.equal(allowed.status, 200, allowed.text);
    const a = (allowed.json() as Echoed).requestContext.authorizer!;
    assert.deepEqual({ ...a, integrationLatency: typeof a.integrationLatency }, { principalId: 'user-1', tenant: 'acme', n: 3, integrationLatency: 'number' });
  });

  it('caches an authorizer result for AuthorizerResultTtlInSeconds by its identity source, and not at all with no TTL', async () => {
    // The authorizer counts its calls in its (warm) container and says the count in its context.
    const reports = (): number => fx.logs.filter((l) => l.logicalId === 'Authorizer' && l.line.startsWith('REPORT ')).length;
    const callOf = async (path: string, token: string): Promise<unknown> => {
      const r = await call(`${http}${path}`, { headers: [['Authorization', token]] });
      assert.equal(r.status, 200, r.text);
      return ((r.json() as Echoed).requestContext.authorizer as { lambda: { call: unknown } }).lambda.call;
    };
    const base = reports();
    const first = await callOf('/cached', 'letmein');
    await until(() => reports() >= base + 1, "the first call's REPORT");
    const start = reports();
    assert.equal(await callOf('/cached', 'letmein'), first, 'the second request with the same token got the cached result');
    assert.equal(await callOf('/cached', 'letmein'), first);
    const uncached = await callOf('/private', 'letmein');
    assert.notEqual(uncached, first, 'a route whose authorizer has no TTL calls it');
    assert.notEqual(await callOf('/private', 'letmein'), uncached, 'and calls it again');
    await until(() => reports() >= start + 2, 'the REPORTs of the two uncached calls');
    assert.equal(reports(), start + 2, 'the cached requests ran no authorizer');
  });

  it('decodes a Cognito token into the claims of a REST route without verifying it, and says so', async () => {
    const claims = { sub: 'user-9', 'cognito:username': 'ann', token_use: 'id', exp: Math.floor(Date.now() / 1000) + 3600 };
    const ok = await call(`${rest}/cognito`, { headers: [['Authorization', jwt(claims)]] });
    assert.equal(ok.status, 200, ok.text);
    const authorizer = (ok.json() as Echoed).requestContext.authorizer as { claims: Record<string, string> };
    assert.deepEqual([authorizer.claims.sub, authorizer.claims['cognito:username']], ['user-9', 'ann']);
    assert.equal(ok.headers['x-lambda-workbench-authorizer'], 'token decoded, signature not verified locally');
    const none = await call(`${rest}/cognito`);
    assert.deepEqual([none.status, none.json()], [401, { message: 'Unauthorized' }]);
    const expired = await call(`${rest}/cognito`, { headers: [['Authorization', jwt({ ...claims, exp: 1000 })]] });
    assert.equal(expired.status, 401);
  });

  it('decodes a JWT into the claims without verifying it, checks issuer, audience, expiry and scopes, and says so', async () => {
    const base = { iss: 'https://issuer.example', aud: 'my-app', sub: 'abc', scope: 'read write', exp: Math.floor(Date.now() / 1000) + 3600 };
    const ok = await call(`${http}/jwt`, { headers: [['Authorization', `Bearer ${jwt(base)}`]] });
    assert.equal(ok.status, 200, ok.text);
    const authorizer = (ok.json() as Echoed).requestContext.authorizer as { jwt: { claims: Record<string, string>; scopes: string[] } };
    assert.equal(authorizer.jwt.claims.sub, 'abc');
    assert.equal(authorizer.jwt.claims.exp, String(base.exp), 'claims are strings, as API Gateway passes them');
    assert.deepEqual(authorizer.jwt.scopes, ['read', 'write']);
    assert.equal(ok.headers['x-lambda-workbench-authorizer'], 'token decoded, signature not verified locally');
    const audience = await call(`${http}/jwt`, { headers: [['Authorization', `Bearer ${jwt({ ...base, aud: 'other' })}`]] });
    assert.equal(audience.status, 401);
    const expired = await call(`${http}/jwt`, { headers: [['Authorization', `Bearer ${jwt({ ...base, exp: 1000 })}`]] });
    assert.equal(expired.status, 401);
    const scopes = await call(`${http}/jwt`, { headers: [['Authorization', `Bearer ${jwt({ ...base, scope: 'write' })}`]] });
    assert.deepEqual([scopes.status, scopes.json()], [403, { message: 'Forbidden' }]);
    const garbage = await call(`${http}/jwt`, { headers: [['Authorization', 'Bearer not-a-jwt']] });
    assert.equal(garbage.status, 401);
  });

  it("answers an HTTP API's preflight and puts its CORS headers on responses, in place of the function's", async () => {
    const pre = await call(`${http}/open`, { method: 'OPTIONS', headers: [['Origin', 'https://app.example'], ['Access-Control-Request-Method', 'POST'], ['Access-Control-Request-Headers', 'content-type']] });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers['access-control-allow-origin'], 'https://app.example');
    assert.equal(pre.headers['access-control-allow-methods'], 'GET,POST');
    assert.equal(pre.headers['access-control-allow-headers'], 'content-type,authorization');
    assert.equal(pre.headers['access-control-max-age'], '600');
    const stranger = await call(`${http}/open`, { method: 'OPTIONS', headers: [['Origin', 'https://other.example'], ['Access-Control-Request-Method', 'GET']] });
    assert.deepEqual([stranger.status, stranger.headers['access-control-allow-origin']], [204, undefined]);
    const get = await call(`${http}/open`, { headers: [['Origin', 'https://app.example']] });
    assert.equal(get.headers['access-control-allow-origin'], 'https://app.example', "the API's value, not the function's");
    assert.equal(get.headers['access-control-expose-headers'], 'x-echo');
  });

  it("answers a REST API's preflight with the OPTIONS method SAM's Cors adds, without its authorizer", async () => {
    const pre = await call(`${rest}/token`, { method: 'OPTIONS', headers: [['Origin', 'https://any.example'], ['Access-Control-Request-Method', 'GET']] });
    assert.equal(pre.status, 200);
    assert.equal(pre.headers['access-control-allow-origin'], '*');
    assert.equal(pre.headers['access-control-allow-methods'], 'GET,OPTIONS');
    assert.equal(pre.headers['access-control-allow-headers'], 'Authorization');
    assert.equal(pre.headers['access-control-max-age'], '300');
  });
});
