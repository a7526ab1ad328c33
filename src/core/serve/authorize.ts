import { RE2JS } from 're2js';
import type { FunctionSpec } from '../model/types';
import type { AuthorizerCache } from './authCache';
import { bearer, claimsProblem, decodeJwt, policyVerdict, stringClaims, tokenScopes } from './authTokens';
import { eventV1, eventV2, type GatewayContext } from './events';
import type { GatewayError } from './replies';
import { firstHeader, type HttpRequestData, queryPairs } from './request';
import type { AuthorizerConfig, IdentitySource } from './types';

/** How an authorizer decided: the request goes on with requestContext.authorizer, or is refused. */
export type AuthOutcome =
  | { kind: 'allow'; authorizer?: Record<string, unknown>; headers: [string, string][] }
  | { kind: 'refuse'; error: GatewayError; why: string };

/** Runs an authorizer function with its event; its JSON result, or the error it ended with. */
export type RunAuthorizer = (fn: FunctionSpec, event: unknown) => Promise<{ payload: string | null; errorMessage: string | null }>;

/** Said on every response of a route whose JWT or Cognito token was decoded but not verified. */
export const UNVERIFIED_HEADER: [string, string] = ['x-lambda-workbench-authorizer', 'token decoded, signature not verified locally'];

/**
 * Decides whether a request may reach its route the way the route's authorizer would: a Lambda
 * authorizer runs (TOKEN or REQUEST, IAM policy or simple response) and its context reaches the
 * event; a JWT or Cognito token is decoded into claims, its time, issuer, audience and scopes
 * checked, its signature not; IAM needs a SigV4 Authorization header, whose signature is not checked.
 */
export async function authorize(a: AuthorizerConfig, req: HttpRequestData, ctx: GatewayContext, run: RunAuthorizer, cache?: AuthorizerCache, nowSeconds = Date.now() / 1000): Promise<AuthOutcome> {
  const http = ctx.listener.kind !== 'rest-api';
  const v2 = ctx.match.route.payload === '2.0';
  switch (a.kind) {
    case 'iam': {
      const auth = firstHeader(req.headers, 'authorization') ?? '';
      const m = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\//.exec(auth);
      if (!m) return refuse(http ? 'forbidden' : 'not-found', 'the request is not signed (SigV4 Authorization header)');
      const iam = { accessKey: m[1], accountId: ctx.accountId, callerId: m[1], cognitoIdentity: null, principalOrgId: null, userArn: `arn:aws:iam::${ctx.accountId}:user/local`, userId: m[1] };
      return { kind: 'allow', authorizer: v2 ? { iam } : undefined, headers: [['x-lambda-workbench-authorizer', 'SigV4 signature not verified locally']] };
    }
    case 'jwt':
    case 'cognito': {
      const raw = identityValues(a.identity, req, ctx)[0];
      if (!raw) return refuse('unauthorized', 'the request has no token');
      const claims = decodeJwt(bearer(raw));
      if (!claims) return refuse('unauthorized', 'the token is not a JWT');
      const problem = claimsProblem(claims, nowSeconds, a.kind === 'jwt' ? a : {});
      if (problem) return refuse('unauthorized', problem);
      const scopes = tokenScopes(claims);
      const required = ctx.match.route.scopes;
      if (required.length > 0 && !required.some((s) => scopes.includes(s))) return refuse('forbidden', `the token grants none of the scopes ${required.join(', ')}`);
      const strings = stringClaims(claims);
      const authorizer = a.kind === 'cognito' ? { claims: strings } : v2 ? { jwt: { claims: strings, scopes: scopes.length > 0 ? scopes : null } } : { claims: strings, scopes: scopes.length > 0 ? scopes : null };
      return { kind: 'allow', authorizer, headers: [UNVERIFIED_HEADER] };
    }
    case 'lambda':
      return lambdaAuthorizer(a, req, ctx, run, cache);
  }
}

async function lambdaAuthorizer(a: Extract<AuthorizerConfig, { kind: 'lambda' }>, req: HttpRequestData, ctx: GatewayContext, run: RunAuthorizer, cache: AuthorizerCache | undefined): Promise<AuthOutcome> {
  if (!a.fn) return refuse('authorizer-error', `the authorizer ${a.name} cannot run locally: ${a.unresolved ?? 'no function'}`);
  const values = identityValues(a.identity, req, ctx);
  if (values.length < a.identity.length || values.some((v) => v === '')) return refuse('unauthorized', `the request lacks the authorizer's identity source (${a.identity.map((i) => `${i.where} ${i.name}`).join(', ')})`);
  if (a.validationExpression !== undefined && !safeTest(a.validationExpression, values[0])) return refuse('unauthorized', 'the token does not match the ValidationExpression');
  const arn = `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${ctx.listener.apiId}/${ctx.listener.stage}/${req.method}${ctx.match.path}`;
  // Without identity sources there is nothing to key a result by: such an authorizer runs every time.
  const cacheable = cache !== undefined && a.ttlSeconds > 0 && a.identity.length > 0;
  const started = Date.now();
  let out = cacheable ? cache.get(a.name, values) : undefined;
  if (out === undefined) {
    const result = await run(a.fn, authorizerEvent(a, req, ctx, values, arn));
    if (result.errorMessage !== null) return refuse(result.errorMessage === 'Unauthorized' ? 'unauthorized' : 'authorizer-error', `the authorizer ${a.name} failed: ${result.errorMessage}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(result.payload ?? 'null');
    } catch {
      parsed = undefined;
    }
    if (!isRecord(parsed)) return refuse('authorizer-error', `the authorizer ${a.name} returned no object`);
    out = parsed;
    // Its answer is kept, allow or deny alike; an error (Unauthorized included) is not.
    if (cacheable) cache.set(a.name, values, out, a.ttlSeconds);
  }
  const context = out.context === undefined || out.context === null ? {} : out.context;
  if (!isRecord(context)) return refuse('authorizer-error', `the authorizer ${a.name}'s context is not an object`);
  if (a.simpleResponses) {
    if (typeof out.isAuthorized !== 'boolean') return refuse('authorizer-error', `the authorizer ${a.name} returned no isAuthorized`);
    if (!out.isAuthorized) return refuse('forbidden', `the authorizer ${a.name} said isAuthorized: false`);
  } else {
    const verdict = policyVerdict(out.policyDocument, arn);
    if (verdict === 'malformed') return refuse('authorizer-error', `the authorizer ${a.name} returned no valid policyDocument`);
    if (verdict === 'deny') return refuse('deny', `the authorizer ${a.name}'s policy denies ${arn}`);
    if (verdict === 'none') return refuse('forbidden', `the authorizer ${a.name}'s policy does not allow ${arn}`);
  }
  if (a.format === 'rest' && Object.values(context).some((v) => v !== null && typeof v === 'object')) {
    return refuse('authorizer-error', `the authorizer ${a.name}'s context holds an object or list, which REST APIs refuse`);
  }
  const latency = Date.now() - started;
  const principal = out.principalId === undefined ? {} : { principalId: out.principalId };
  const authorizer = ctx.match.route.payload === '2.0' ? { lambda: context } : { ...context, ...principal, integrationLatency: latency };
  return { kind: 'allow', authorizer, headers: [] };
}

/** The event of each authorizer kind: REST TOKEN and REQUEST, HTTP API REQUEST in format 1.0 and 2.0. */
function authorizerEvent(a: Extract<AuthorizerConfig, { kind: 'lambda' }>, req: HttpRequestData, ctx: GatewayContext, values: string[], arn: string): unknown {
  if (a.payload === 'TOKEN') return { type: 'TOKEN', authorizationToken: values[0], methodArn: arn };
  // The request's event without its body: authorizers never see one.
  const omit = (event: Record<string, unknown>, keys: string[]): Record<string, unknown> => Object.fromEntries(Object.entries(event).filter(([k]) => !keys.includes(k)));
  if (a.format === '2.0') return { version: '2.0', type: 'REQUEST', routeArn: arn, identitySource: values, ...omit(eventV2(req, ctx), ['version', 'body', 'isBase64Encoded']) };
  const request = omit(eventV1(req, { ...ctx, listener: { ...ctx.listener, kind: a.format === 'rest' ? 'rest-api' : 'http-api' } }), ['version', 'body', 'isBase64Encoded']);
  if (a.format === 'rest') return { type: 'REQUEST', methodArn: arn, ...request };
  return { version: '1.0', type: 'REQUEST', methodArn: arn, identitySource: values.join(','), authorizationToken: values.join(','), ...request };
}

/** The identity sources' values, in order; a missing one is left out. */
function identityValues(sources: IdentitySource[], req: HttpRequestData, ctx: GatewayContext): string[] {
  return sources.flatMap((s) => {
    let v: string | undefined;
    if (s.where === 'header') v = firstHeader(req.headers, s.name);
    else if (s.where === 'query') v = queryPairs(req.rawQuery).find(([k]) => k === s.name)?.[1];
    else if (s.where === 'stage') v = ctx.listener.stageVariables[s.name];
    else v = s.name === 'identity.sourceIp' ? req.sourceIp : s.name === 'httpMethod' ? req.method : undefined;
    return v === undefined ? [] : [v];
  });
}

/** A template's ValidationExpression, tested in linear time (RE2) without letting a bad pattern throw. */
function safeTest(pattern: string, value: string): boolean {
  try {
    return RE2JS.compile(pattern).matches(value);
  } catch {
    return false;
  }
}

function refuse(error: GatewayError, why: string): AuthOutcome {
  return { kind: 'refuse', error, why };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
