import assert from 'node:assert/strict';
import { claimsProblem, decodeJwt, policyVerdict, stringClaims, tokenScopes } from '../../../src/core/serve/authTokens';
import { Gate } from '../../../src/core/serve/gate';
import { globMatch } from '../../../src/core/serve/glob';
import { httpApiCors, preflightHeaders, responseCorsHeaders, restApiCors, restPreflightHeaders } from '../../../src/core/serve/cors';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc/Prod/GET/items/1';
const policy = (...statements: object[]): object => ({ Version: '2012-10-17', Statement: statements });

describe('serve: authorizer policies and tokens', () => {
  it('evaluates an IAM policy as API Gateway does: an explicit deny wins, wildcards match, nothing allowed is no', () => {
    assert.equal(policyVerdict(policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN }), ARN), 'allow');
    assert.equal(policyVerdict(policy({ Effect: 'Allow', Action: 'execute-api:*', Resource: 'arn:aws:execute-api:*:*:abc/*/GET/*' }), ARN), 'allow');
    assert.equal(policyVerdict(policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: ['arn:aws:execute-api:us-east-1:123456789012:abc/Prod/GET/items/?'] }), ARN), 'deny');
    assert.equal(policyVerdict(policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:*:*:abc/*/POST/*' }), ARN), 'none');
    assert.equal(policyVerdict({ Statement: [{ Effect: 'Maybe' }] }, ARN), 'malformed');
    assert.equal(policyVerdict('nope', ARN), 'malformed');
  });

  it('matches many-star patterns without backtracking blowups', () => {
    const value = 'a'.repeat(5000);
    assert.equal(globMatch(`${'*a'.repeat(40)}b`, value), false);
    assert.equal(globMatch('*a*a*', value), true);
    assert.equal(globMatch('EXECUTE-API:*', 'execute-api:Invoke', true), true);
  });

  it('decodes JWT claims (no signature check) and checks expiry, issuer, audience and scopes', () => {
    const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    const claims = { iss: 'https://i', aud: ['a', 'b'], exp: 2000, scope: 'read write', groups: ['x', 'y'], n: 1 };
    const token = `${part({ alg: 'none' })}.${part(claims)}.`;
    assert.deepEqual(decodeJwt(token), claims);
    assert.equal(decodeJwt('a.b'), undefined);
    assert.equal(decodeJwt(`${part({})}.${part('just a string')}.x`), undefined);
    assert.equal(decodeJwt('%%%.x.y'), undefined);
    assert.equal(claimsProblem(claims, 1000, { issuer: 'https://i', audience: ['b'] }), undefined);
    assert.match(claimsProblem(claims, 2000, {}) ?? '', /expired/);
    assert.match(claimsProblem(claims, 1000, { issuer: 'https://other' }) ?? '', /issuer/);
    assert.match(claimsProblem(claims, 1000, { audience: ['c'] }) ?? '', /audience/);
    assert.equal(claimsProblem({ client_id: 'c' }, 1000, { audience: ['c'] }), undefined, 'Cognito access tokens carry client_id instead of aud');
    assert.deepEqual(tokenScopes(claims), ['read', 'write']);
    assert.deepEqual(tokenScopes({ scp: ['s1'] }), ['s1']);
    assert.deepEqual({ ...stringClaims(claims) }, { iss: 'https://i', aud: '[a b]', exp: '2000', scope: 'read write', groups: '[x y]', n: '1' });
  });
});

describe('serve: CORS', () => {
  it("answers an HTTP API preflight for an allowed origin only, echoing requested headers for '*'", () => {
    const all = httpApiCors(true)!;
    const ask = (h: Record<string, string>) => (n: string): string | undefined => h[n];
    assert.deepEqual(preflightHeaders(all, ask({ origin: 'https://a', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-one' })), [
      ['access-control-allow-origin', '*'],
      ['access-control-allow-methods', 'PUT'],
      ['access-control-allow-headers', 'x-one'],
    ]);
    const strict = httpApiCors({ AllowOrigins: ['https://a'], AllowCredentials: true, ExposeHeaders: ['x-id'] })!;
    assert.deepEqual(preflightHeaders(strict, ask({ origin: 'https://b', 'access-control-request-method': 'GET' })), []);
    assert.deepEqual(responseCorsHeaders(strict, 'https://a'), [['access-control-allow-origin', 'https://a'], ['access-control-allow-credentials', 'true'], ['access-control-expose-headers', 'x-id']]);
    assert.deepEqual(responseCorsHeaders(strict, undefined), []);
  });

  it("gives a REST preflight the path's methods and OPTIONS, as SAM's Cors does", () => {
    const cors = restApiCors({ AllowOrigin: "'https://a'", AllowHeaders: "'X-Api-Key'", MaxAge: "'60'", AllowCredentials: true })!;
    assert.deepEqual(restPreflightHeaders(cors, ['POST', 'GET']), [
      ['Access-Control-Allow-Origin', 'https://a'],
      ['Access-Control-Allow-Methods', 'GET,OPTIONS,POST'],
      ['Access-Control-Allow-Headers', 'X-Api-Key'],
      ['Access-Control-Max-Age', '60'],
      ['Access-Control-Allow-Credentials', 'true'],
    ]);
    assert.equal(restPreflightHeaders(restApiCors("'*'")!, ['ANY'])[1][1], 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT');
  });
});

describe('serve: concurrency gate', () => {
  it('lets `limit` through, queues the rest in order, throttles past the queue, and forgets waiters who give up', async () => {
    const gate = new Gate(2, 2);
    const a = await gate.acquire();
    const b = await gate.acquire();
    assert.deepEqual([typeof a, typeof b], ['function', 'function']);
    let giveUp!: () => void;
    const c = gate.acquire(new Promise<void>((r) => (giveUp = r)));
    const d = gate.acquire();
    assert.equal(await gate.acquire(), 'throttled', 'two waiting already');
    assert.deepEqual([gate.active, gate.queued], [2, 2]);
    giveUp();
    assert.equal(await c, 'abandoned');
    (a as () => void)();
    const granted = await d;
    assert.equal(typeof granted, 'function', 'the next waiter gets the free place');
    assert.deepEqual([gate.active, gate.queued], [2, 0]);
    (a as () => void)();
    assert.equal(gate.active, 2, 'releasing twice frees one place only');
  });
});
