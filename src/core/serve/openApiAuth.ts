import type { FunctionSpec } from '../model/types';
import { record, sources, strings, ttl } from './authConfig';
import { integrationFunction } from './openApi';
import type { AuthorizerConfig, IdentitySource } from './types';

/** Security schemes past this many are not read. */
const MAX_SCHEMES = 100;

/**
 * The authorizers an OpenAPI definition declares (components.securitySchemes, or Swagger 2's
 * securityDefinitions, with x-amazon-apigateway-authorizer), by name, read as SAM CLI reads them:
 * Lambda `token` (REST) and `request` authorizers whose authorizerUri names a function of the
 * template, a REST API's `cognito_user_pools` and an HTTP API's `jwt` authorizers, and SigV4
 * (`x-amazon-apigateway-authtype: awsSigv4`) as IAM. Others are a warning; a Lambda authorizer whose
 * function is not in the template is kept with the reason, so its routes answer 500.
 */
export function definitionAuthorizers(doc: Record<string, unknown>, apiName: string, http: boolean, functions: readonly FunctionSpec[], warnings: string[]): Map<string, AuthorizerConfig> {
  const out = new Map<string, AuthorizerConfig>();
  const schemes = { ...record(doc.securityDefinitions), ...record(record(doc.components).securitySchemes) };
  for (const [name, raw] of Object.entries(schemes).slice(0, MAX_SCHEMES)) {
    const scheme = record(raw);
    const a = record(scheme['x-amazon-apigateway-authorizer']);
    if (typeof scheme['x-amazon-apigateway-authtype'] === 'string' && scheme['x-amazon-apigateway-authtype'].toLowerCase() === 'awssigv4') {
      out.set(name, { kind: 'iam', name });
      continue;
    }
    // API keys are not authorizers.
    if (Object.keys(a).length === 0) continue;
    const type = typeof a.type === 'string' ? a.type.toLowerCase() : '';
    const skip = (why: string): void => void warnings.push(`${apiName}'s OpenAPI authorizer ${name} ${why}: its routes answer 500.`);
    if (type === 'jwt' && http) {
      const jwt = record(a.jwtConfiguration);
      const identity = sources(strings(a.identitySource));
      out.set(name, { kind: 'jwt', name, identity: identity.length > 0 ? identity : [{ where: 'header', name: 'Authorization' }], ...(typeof jwt.issuer === 'string' ? { issuer: jwt.issuer } : {}), audience: strings(jwt.audience) });
      continue;
    }
    if (type === 'cognito_user_pools' && !http) {
      out.set(name, { kind: 'cognito', name, identity: [{ where: 'header', name: scheme.in === 'header' && typeof scheme.name === 'string' && scheme.name !== '' ? scheme.name : 'Authorization' }] });
      continue;
    }
    if (type !== 'token' && type !== 'request') {
      skip(`is of type ${typeof a.type === 'string' ? a.type.slice(0, 40) : 'none'}, which does not run locally (token, request, ${http ? 'jwt' : 'cognito_user_pools'})`);
      continue;
    }
    if (http && type === 'token') {
      skip('is a token authorizer, which HTTP APIs do not have (use request)');
      continue;
    }
    const version = a.authorizerPayloadFormatVersion === undefined ? undefined : String(a.authorizerPayloadFormatVersion);
    if (http && version !== '1.0' && version !== '2.0') {
      skip('needs an authorizerPayloadFormatVersion of 1.0 or 2.0');
      continue;
    }
    let identity: IdentitySource[];
    if (type === 'token') {
      if (scheme.in !== 'header' || typeof scheme.name !== 'string' || scheme.name === '') {
        skip("needs in: header and the header's name");
        continue;
      }
      identity = [{ where: 'header', name: scheme.name }];
    } else {
      identity = sources(typeof a.identitySource === 'string' ? a.identitySource.split(',') : strings(a.identitySource));
    }
    const fnName = integrationFunction(a.authorizerUri);
    const fn = fnName === undefined ? undefined : (functions.find((f) => f.logicalId === fnName) ?? functions.find((f) => f.functionName === fnName));
    const format = !http ? 'rest' : version === '1.0' ? '1.0' : '2.0';
    out.set(name, {
      kind: 'lambda',
      name,
      ...(fn ? { fn } : { unresolved: fnName ? `its function ${fnName} is not in the template` : 'its authorizerUri names no function of the template' }),
      payload: type === 'token' ? 'TOKEN' : 'REQUEST',
      format,
      simpleResponses: format === '2.0' && a.enableSimpleResponses === true,
      identity,
      ...(!http && typeof a.identityValidationExpression === 'string' ? { validationExpression: a.identityValidationExpression } : {}),
      ttlSeconds: ttl(a.authorizerResultTtlInSeconds, http ? 0 : 300),
    });
  }
  return out;
}
