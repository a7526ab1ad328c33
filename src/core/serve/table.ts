import { hexFrom } from '../events/common';
import { isRef } from '../model/intrinsics';
import type { FunctionSpec, HttpResourceSpec, TemplateModel } from '../model/types';
import { albListeners } from './albTable';
import { httpApiAuthorizers, record, restApiAuthorizers, routeAuthorizer, strings } from './authConfig';
import { functionUrlCors, httpApiCors, restApiCors } from './cors';
import { definitionOf, definitionOperations } from './openApi';
import { definitionAuthorizers } from './openApiAuth';
import type { AuthorizerConfig, ListenerSpec, RouteSpec, ServeTable } from './types';

/** API Gateway's integration timeouts: 30 s for HTTP APIs, 29 s for REST APIs (TimeoutInMillis lowers them). */
const HTTP_API_TIMEOUT_MS = 30_000;
const REST_API_TIMEOUT_MS = 29_000;

/**
 * The routes the templates' events declare, grouped by front door the way AWS exposes them: the
 * routes of one API share a port, each function URL and each load balancer has a port of its own.
 * Pure: what cannot be served as written is a warning, never an exception.
 */
export function buildServeTable(models: readonly TemplateModel[]): ServeTable {
  const listeners: ListenerSpec[] = [];
  const warnings: string[] = [];
  for (const model of models) {
    const apis = new Map<string, ListenerSpec>();
    const resources = new Map(model.httpResources.map((r) => [`${r.resourceType}|${r.logicalId}`, r]));
    for (const fn of model.functions) {
      for (const event of fn.events) {
        if (event.type !== 'HttpApi' && event.type !== 'Api') continue;
        const http = event.type === 'HttpApi';
        const p = event.properties;
        const ref = http ? p.ApiId : p.RestApiId;
        const apiName = ref === undefined ? (http ? 'ServerlessHttpApi' : 'ServerlessRestApi') : isRef(ref) ? ref.args : undefined;
        const resourceType = http ? 'AWS::Serverless::HttpApi' : 'AWS::Serverless::Api';
        const resource = apiName === undefined ? undefined : (resources.get(`${resourceType}|${apiName}`) ?? (ref === undefined ? resources.get(`Globals::${http ? 'HttpApi' : 'Api'}|Globals`) : undefined));
        if (apiName === undefined || (ref !== undefined && !resource)) {
          warnings.push(`${fn.logicalId}'s event ${event.name} belongs to an API that is not an ${resourceType} of ${model.path}: it is not served.`);
          continue;
        }
        let listener = apis.get(apiName);
        if (!listener) {
          listener = apiListener(model.path, apiName, http, resource, ref === undefined);
          apis.set(apiName, listener);
          listeners.push(listener);
        }
        const route = apiRoute(fn, `event ${event.name}`, p, http, resource, model.functions, warnings);
        if (route) listener.routes.push(route);
      }
      if (fn.functionUrl) listeners.push(urlListener(fn, warnings));
    }
    for (const resource of model.httpResources) {
      const http = resource.resourceType === 'AWS::Serverless::HttpApi';
      if (!http && resource.resourceType !== 'AWS::Serverless::Api') continue;
      const doc = definitionOf(resource, warnings);
      if (!doc) continue;
      const operations = definitionOperations(doc, resource.logicalId, http, warnings);
      if (operations.length === 0) continue;
      let listener = apis.get(resource.logicalId);
      if (!listener) {
        listener = apiListener(model.path, resource.logicalId, http, resource, false);
        apis.set(resource.logicalId, listener);
        listeners.push(listener);
      }
      const authorizers = definitionAuthorizers(doc, resource.logicalId, http, model.functions, warnings);
      if (!http) listener.binaryMediaTypes.push(...strings(doc['x-amazon-apigateway-binary-media-types']).map((t) => t.replace(/~1/g, '/')));
      for (const op of operations) {
        // SAM writes the events' routes into the definition too: an event's route is the same route.
        if (listener.routes.some((r) => r.method === op.method && r.path === op.path)) continue;
        const fn = model.functions.find((f) => f.logicalId === op.functionName) ?? model.functions.find((f) => f.functionName === op.functionName);
        if (!fn) {
          warnings.push(`${resource.logicalId}'s OpenAPI operation ${op.method} ${op.path} integrates ${op.functionName}, which is not a function of ${model.path}: it is not served.`);
          continue;
        }
        const route = apiRoute(fn, `OpenAPI operation ${op.method} ${op.path} (in ${resource.logicalId})`, op.properties, http, resource, model.functions, warnings, authorizers);
        if (route) listener.routes.push(route);
      }
    }
    listeners.push(...albListeners(model, warnings));
  }
  return { listeners, warnings };
}

/** Deterministic ids in the shapes AWS uses: 10 characters for API ids, 32 for URL ids. */
export function listenerApiId(templatePath: string, name: string, length = 10): string {
  return hexFrom(`${templatePath}#${name}`, length).replace(/^\d/, 'a');
}

function apiListener(templatePath: string, name: string, http: boolean, resource: HttpResourceSpec | undefined, implicit: boolean): ListenerSpec {
  const p = resource?.properties ?? {};
  const stageName = typeof p.StageName === 'string' && p.StageName !== '' ? p.StageName : http ? '$default' : implicit ? 'Prod' : 'Prod';
  const variables = record(http ? p.StageVariables : p.Variables);
  return {
    kind: http ? 'http-api' : 'rest-api',
    name,
    templatePath,
    stage: stageName,
    stageVariables: Object.fromEntries(Object.entries(variables).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => [k, String(v)])),
    routes: [],
    ...(http ? corsOf(httpApiCors(p.CorsConfiguration)) : corsOf(restApiCors(p.Cors))),
    binaryMediaTypes: http ? [] : strings(p.BinaryMediaTypes).map((t) => t.replace(/~1/g, '/')),
    apiId: listenerApiId(templatePath, name),
  };
}

/** One route of an API, from an event's properties (or an OpenAPI operation's, read into their shape); `what` names it in warnings. */
function apiRoute(
  fn: FunctionSpec,
  what: string,
  p: Record<string, unknown>,
  http: boolean,
  resource: HttpResourceSpec | undefined,
  functions: readonly FunctionSpec[],
  warnings: string[],
  /** Authorizers the API's OpenAPI definition declares; its Auth's of the same name win. */
  fromDefinition: ReadonlyMap<string, AuthorizerConfig> = new Map(),
): RouteSpec | undefined {
  const rawMethod = typeof p.Method === 'string' ? p.Method : undefined;
  const rawPath = typeof p.Path === 'string' ? p.Path : undefined;
  if (!http && (rawMethod === undefined || rawPath === undefined)) {
    warnings.push(`${fn.logicalId}'s Api ${what} needs Path and Method: it is not served.`);
    return undefined;
  }
  const method = rawMethod === undefined ? 'ANY' : /^(any|x-amazon-apigateway-any-method)$/i.test(rawMethod) ? 'ANY' : rawMethod.toUpperCase();
  const path = rawPath === undefined ? '$default' : rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  const apiAuth = record(resource?.properties.Auth);
  const declared = new Map([...fromDefinition, ...(http ? httpApiAuthorizers(apiAuth, functions) : restApiAuthorizers(apiAuth, functions))]);
  const eventAuth = record(p.Auth);
  const chosen = routeAuthorizer(eventAuth, apiAuth, declared);
  let authorizer: AuthorizerConfig | undefined;
  if (typeof chosen === 'string') {
    warnings.push(`${fn.logicalId}'s ${what} uses ${chosen}: its requests are refused (500).`);
    authorizer = { kind: 'lambda', name: 'unknown', unresolved: chosen, payload: 'REQUEST', format: http ? '2.0' : 'rest', simpleResponses: false, identity: [], ttlSeconds: 0 };
  } else {
    authorizer = chosen;
  }
  if (authorizer?.kind === 'lambda' && authorizer.unresolved && typeof chosen !== 'string') {
    warnings.push(`${fn.logicalId}'s ${what} uses the authorizer ${authorizer.name}, but ${authorizer.unresolved}: its requests are refused (500).`);
  }
  const timeout = typeof p.TimeoutInMillis === 'number' && p.TimeoutInMillis > 0 ? p.TimeoutInMillis : undefined;
  const payload = http && String(p.PayloadFormatVersion ?? '2.0') === '1.0' ? '1.0' : http ? '2.0' : '1.0';
  return {
    fn,
    method,
    path,
    payload,
    ...(authorizer ? { authorizer } : {}),
    scopes: strings(eventAuth.AuthorizationScopes ?? (authorizer?.kind === 'jwt' ? record(record(apiAuth.Authorizers)[authorizer.name]).AuthorizationScopes : undefined)),
    timeoutMs: Math.min(timeout ?? Infinity, http ? HTTP_API_TIMEOUT_MS : REST_API_TIMEOUT_MS),
  };
}

function urlListener(fn: FunctionSpec, warnings: string[]): ListenerSpec {
  const url = fn.functionUrl!;
  if (url.authType === 'AWS_IAM') {
    warnings.push(`${fn.logicalId}'s function URL has AuthType AWS_IAM: requests must carry a SigV4 Authorization header, whose signature is not verified locally.`);
  }
  return {
    kind: 'function-url',
    name: fn.logicalId,
    templatePath: fn.templatePath,
    stage: '$default',
    stageVariables: {},
    // A function URL runs the function for as long as the function's own timeout allows.
    routes: [{ fn, method: 'ANY', path: '$default', payload: '2.0', scopes: [], timeoutMs: fn.timeout * 1000 }],
    ...corsOf(functionUrlCors(url.cors)),
    binaryMediaTypes: [],
    invokeMode: url.invokeMode,
    authType: url.authType,
    apiId: listenerApiId(fn.templatePath, `${fn.logicalId}Url`, 32),
  };
}

function corsOf(cors: ListenerSpec['cors']): Pick<ListenerSpec, 'cors'> {
  return cors ? { cors } : {};
}
