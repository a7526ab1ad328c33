import assert from 'node:assert/strict';
import { request } from 'node:http';
import { parseTemplate } from '../../../src/core/model';
import { AuthorizerCache } from '../../../src/core/serve/authCache';
import { FrontDoor } from '../../../src/core/serve/frontDoor';
import { buildServeTable } from '../../../src/core/serve/table';
import { testFunctionSpec } from '../../support/specs';
import { listener } from './listener';

// Lambda authorizer results cached as API Gateway caches them: by the identity sources' values,
// for the authorizer's TTL; 0 caches nothing. The authorizer here is a plain function that counts
// its calls (the seam LocalApi fills with the runner).

function get(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve: authorizer result caching', () => {
  it('keeps a result for its TTL by authorizer and identity values, then asks again (injected clock)', () => {
    let now = 1_000_000;
    const cache = new AuthorizerCache(() => now);
    cache.set('A', ['tok'], { isAuthorized: true }, 300);
    cache.set('B', ['tok'], { isAuthorized: false }, 0);
    assert.deepEqual(cache.get('A', ['tok']), { isAuthorized: true });
    assert.equal(cache.get('A', ['other']), undefined);
    assert.equal(cache.get('B', ['tok']), undefined, 'TTL 0 keeps nothing');
    assert.equal(cache.get('A', ['to', 'k']), undefined, 'values are kept apart, not joined');
    now += 299_999;
    assert.ok(cache.get('A', ['tok']));
    now += 1;
    assert.equal(cache.get('A', ['tok']), undefined, 'expired at its TTL');
  });

  it('reads the TTLs from the template: ReauthorizeEvery (REST, 300 by default), AuthorizerResultTtlInSeconds (HTTP API, 0 by default)', () => {
    const model = parseTemplate('/p/template.yaml', `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: a.b
      CodeUri: .
      Events:
        R1: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /a, Method: get, Auth: { Authorizer: Tok } } }
        R2: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /b, Method: get, Auth: { Authorizer: Req } } }
        H1: { Type: HttpApi, Properties: { ApiId: !Ref Http, Path: /c, Method: get, Auth: { Authorizer: Plain } } }
        H2: { Type: HttpApi, Properties: { ApiId: !Ref Http, Path: /d, Method: get, Auth: { Authorizer: Kept } } }
  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      Auth:
        Authorizers:
          Tok: { FunctionArn: !GetAtt Fn.Arn }
          Req: { FunctionArn: !GetAtt Fn.Arn, FunctionPayloadType: REQUEST, Identity: { Headers: [ X ], ReauthorizeEvery: 0 } }
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        Authorizers:
          Plain: { FunctionArn: !GetAtt Fn.Arn, Identity: { Headers: [ X ] } }
          Kept: { FunctionArn: !GetAtt Fn.Arn, AuthorizerResultTtlInSeconds: 5000, EnableSimpleResponses: true, AuthorizerPayloadFormatVersion: '2.0', Identity: { Headers: [ X ] } }
`);
    const ttls = buildServeTable([model]).listeners.flatMap((l) => l.routes.map((r) => [r.path, r.authorizer?.kind === 'lambda' ? r.authorizer.ttlSeconds : undefined]));
    assert.deepEqual(ttls, [['/a', 300], ['/b', 0], ['/c', 0], ['/d', 3600]]);
  });

  it('calls the authorizer once per identity while its result lasts, every time with TTL 0, and checks a cached policy against each route', async () => {
    const authFn = testFunctionSpec({ logicalId: 'Auth' });
    const lambda = (name: string, ttlSeconds: number) => ({ kind: 'lambda' as const, name, fn: authFn, payload: 'TOKEN' as const, format: 'rest' as const, simpleResponses: false, identity: [{ where: 'header' as const, name: 'Authorization' }], ttlSeconds });
    const spec = listener('rest-api', [
      { method: 'GET', path: '/a', payload: '1.0', authorizer: lambda('Cached', 300) },
      { method: 'GET', path: '/b', payload: '1.0', authorizer: lambda('Cached', 300) },
      { method: 'GET', path: '/c', payload: '1.0', authorizer: lambda('Uncached', 0) },
    ]);
    const tokens: string[] = [];
    const door = await FrontDoor.listen({ ...spec, stage: 'Prod' }, 0, {
      region: 'us-east-1',
      accountId: '123456789012',
      invoke: async (fn, event) => {
        if (fn.logicalId !== 'Auth') return { payload: JSON.stringify({ statusCode: 200, body: 'ok' }), error: null };
        const e = event as { authorizationToken: string; methodArn: string };
        tokens.push(e.authorizationToken);
        // Allows only the method it was asked about: a cached policy must be checked against the next route's ARN.
        return { payload: JSON.stringify({ principalId: 'p', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: e.methodArn }] } }), error: null };
      },
    });
    try {
      assert.equal(await get(door.port, '/Prod/a', { Authorization: 'one' }), 200);
      assert.equal(await get(door.port, '/Prod/a', { Authorization: 'one' }), 200);
      assert.equal(await get(door.port, '/Prod/a', { Authorization: 'two' }), 200);
      assert.deepEqual(tokens, ['one', 'two'], 'the second request with token one used the cached result');
      assert.equal(await get(door.port, '/Prod/b', { Authorization: 'one' }), 403, "the cached policy allows /a only, as in API Gateway");
      assert.deepEqual(tokens, ['one', 'two']);
      assert.equal(await get(door.port, '/Prod/c', { Authorization: 'one' }), 200);
      assert.equal(await get(door.port, '/Prod/c', { Authorization: 'one' }), 200);
      assert.deepEqual(tokens, ['one', 'two', 'one', 'one'], 'TTL 0: every request calls the authorizer');
    } finally {
      await door.close();
    }
  });
});
