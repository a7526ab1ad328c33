import { isIntrinsic } from '../model/intrinsics';
import type { FunctionSpec } from '../model/types';
import type { AuthorizerConfig, IdentitySource } from './types';

// Reading the Auth section of SAM APIs into authorizer configurations (see authorize.ts for what
// runs). An authorizer the template names but this machine cannot run is kept with the reason,
// so its routes answer with API Gateway's error instead of letting requests through.

type Rec = Record<string, unknown>;

/** The authorizers an HttpApi's Auth declares, by name. */
export function httpApiAuthorizers(auth: Rec, functions: readonly FunctionSpec[]): Map<string, AuthorizerConfig> {
  const out = new Map<string, AuthorizerConfig>();
  for (const [name, raw] of Object.entries(record(auth.Authorizers))) {
    const a = record(raw);
    if (a.JwtConfiguration !== undefined) {
      const jwt = record(a.JwtConfiguration);
      out.set(name, {
        kind: 'jwt',
        name,
        identity: sources(strings(a.IdentitySource).length ? strings(a.IdentitySource) : ['$request.header.Authorization']),
        ...(typeof jwt.issuer === 'string' ? { issuer: jwt.issuer } : {}),
        audience: strings(jwt.audience),
      });
      continue;
    }
    const format = String(a.AuthorizerPayloadFormatVersion ?? '2.0') === '1.0' ? '1.0' : '2.0';
    const identity = record(a.Identity);
    out.set(name, {
      kind: 'lambda',
      name,
      ...lambdaFunction(a.FunctionArn, functions),
      payload: 'REQUEST',
      format,
      simpleResponses: format === '2.0' && a.EnableSimpleResponses === true,
      // An HTTP API caches nothing unless AuthorizerResultTtlInSeconds says so.
      ttlSeconds: ttl(a.AuthorizerResultTtlInSeconds, 0),
      identity: [
        ...strings(identity.Headers).map((n) => ({ where: 'header' as const, name: n })),
        ...strings(identity.QueryStrings).map((n) => ({ where: 'query' as const, name: n })),
        ...strings(identity.StageVariables).map((n) => ({ where: 'stage' as const, name: n })),
        ...strings(identity.Context).map((n) => ({ where: 'context' as const, name: n })),
      ],
    });
  }
  return out;
}

/** The authorizers an Api's Auth declares, by name. */
export function restApiAuthorizers(auth: Rec, functions: readonly FunctionSpec[]): Map<string, AuthorizerConfig> {
  const out = new Map<string, AuthorizerConfig>();
  for (const [name, raw] of Object.entries(record(auth.Authorizers))) {
    const a = record(raw);
    const identity = record(a.Identity);
    const header = typeof identity.Header === 'string' ? identity.Header : 'Authorization';
    if (a.UserPoolArn !== undefined) {
      out.set(name, { kind: 'cognito', name, identity: [{ where: 'header', name: header }] });
      continue;
    }
    const payload = a.FunctionPayloadType === 'REQUEST' ? 'REQUEST' : 'TOKEN';
    out.set(name, {
      kind: 'lambda',
      name,
      ...lambdaFunction(a.FunctionArn, functions),
      payload,
      format: 'rest',
      simpleResponses: false,
      identity:
        payload === 'TOKEN'
          ? [{ where: 'header', name: header }]
          : [
              ...strings(identity.Headers).map((n) => ({ where: 'header' as const, name: n })),
              ...strings(identity.QueryStrings).map((n) => ({ where: 'query' as const, name: n })),
              ...strings(identity.StageVariables).map((n) => ({ where: 'stage' as const, name: n })),
              ...strings(identity.Context).map((n) => ({ where: 'context' as const, name: n })),
            ],
      ...(typeof identity.ValidationExpression === 'string' ? { validationExpression: identity.ValidationExpression } : {}),
      // A REST API caches results for 300 seconds unless ReauthorizeEvery says otherwise.
      ttlSeconds: ttl(identity.ReauthorizeEvery, 300),
    });
  }
  return out;
}

/**
 * The authorizer of one route: the event's Auth.Authorizer, else the API's DefaultAuthorizer;
 * NONE means none; AWS_IAM is IAM (signed requests).
 */
export function routeAuthorizer(eventAuth: Rec, apiAuth: Rec, declared: Map<string, AuthorizerConfig>): AuthorizerConfig | undefined | string {
  const chosen = eventAuth.Authorizer ?? apiAuth.DefaultAuthorizer;
  if (chosen === undefined || chosen === 'NONE') return undefined;
  if (chosen === 'AWS_IAM') return { kind: 'iam', name: 'AWS_IAM' };
  if (typeof chosen !== 'string') return 'an authorizer given by an intrinsic function';
  return declared.get(chosen) ?? `the authorizer ${chosen}, which the API's Auth.Authorizers does not declare`;
}

/** A result TTL as API Gateway takes it: whole seconds, at most an hour. */
export function ttl(value: unknown, fallback: number): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.min(Math.floor(n), 3600) : fallback;
}

/**
 * Identity sources as HTTP APIs write them (`$request.header.Authorization`, `$request.querystring.q`,
 * `$stageVariables.v`, `$context.x`) and as REST APIs do (`method.request.header.Authorization`,
 * `method.request.querystring.q`, `stageVariables.v`, `context.x`).
 */
export function sources(list: string[]): IdentitySource[] {
  return list.flatMap((s): IdentitySource[] => {
    const m = /^(?:\$|method\.)?(request\.header|request\.querystring|stageVariables|context)\.(.+)$/.exec(s.trim());
    if (!m) return [];
    const where = m[1] === 'request.header' ? 'header' : m[1] === 'request.querystring' ? 'query' : m[1] === 'stageVariables' ? 'stage' : 'context';
    return [{ where, name: m[2] }];
  });
}

/** The template's function an authorizer's FunctionArn names (`!GetAtt Fn.Arn`, `!Sub ${Fn.Arn}`), or why it cannot run here. */
function lambdaFunction(arn: unknown, functions: readonly FunctionSpec[]): { fn: FunctionSpec } | { unresolved: string } {
  let id: string | undefined;
  if (isIntrinsic(arn) && arn.fn === 'GetAtt' && Array.isArray(arn.args) && typeof arn.args[0] === 'string') id = arn.args[0];
  if (isIntrinsic(arn) && arn.fn === 'Sub' && typeof arn.args === 'string') id = /^\$\{([A-Za-z0-9]+)\.Arn\}$/.exec(arn.args)?.[1];
  const fn = id === undefined ? undefined : functions.find((f) => f.logicalId === id);
  if (fn) return { fn };
  return { unresolved: id ? `its function ${id} is not in the template` : 'its FunctionArn names no function of the template (use !GetAtt Function.Arn)' };
}

export function record(v: unknown): Rec {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isIntrinsic(v) ? (v as Rec) : {};
}

export function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}
