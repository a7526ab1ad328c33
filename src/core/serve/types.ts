import type { FunctionSpec } from '../model/types';

/** What calls the function: each builds its own event and reads the result its own way. */
export type FrontDoor = 'http-api' | 'rest-api' | 'function-url' | 'alb';

/** CORS as the template configures it, in one shape for HTTP APIs, REST APIs and function URLs. */
export interface CorsConfig {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAge?: number;
  allowCredentials: boolean;
}

/** Where a Lambda authorizer finds the caller's identity: `$request.header.Authorization`, `method.request.querystring.q`... */
export interface IdentitySource {
  where: 'header' | 'query' | 'stage' | 'context';
  name: string;
}

export type AuthorizerConfig =
  | {
      kind: 'lambda';
      name: string;
      /** The authorizer function, when it is in the template; otherwise why it cannot run. */
      fn?: FunctionSpec;
      unresolved?: string;
      /** TOKEN (REST only) or REQUEST. */
      payload: 'TOKEN' | 'REQUEST';
      /** The event and response format: REST's, or an HTTP API's 1.0 / 2.0. */
      format: 'rest' | '1.0' | '2.0';
      /** HTTP API 2.0: { isAuthorized, context } instead of an IAM policy. */
      simpleResponses: boolean;
      identity: IdentitySource[];
      /** REST TOKEN: the token must match this regular expression, or 401 without calling. */
      validationExpression?: string;
      /** How long a result is cached, by the identity sources' values (0: every request calls the authorizer). */
      ttlSeconds: number;
    }
  | { kind: 'jwt'; name: string; identity: IdentitySource[]; issuer?: string; audience: string[] }
  | { kind: 'cognito'; name: string; identity: IdentitySource[] }
  | { kind: 'iam'; name: string };

/** One route: a method and a path template of one API (or a URL's or load balancer's catch-all). */
export interface RouteSpec {
  fn: FunctionSpec;
  /** Upper case, or ANY. */
  method: string;
  /** `/items/{id}`, `/{proxy+}`, or `$default` (HTTP API default route, function URLs, ALB default action). */
  path: string;
  payload: '1.0' | '2.0';
  authorizer?: AuthorizerConfig;
  /** Scopes the route requires of a JWT (AuthorizationScopes). */
  scopes: string[];
  /** How long the front door waits for the function (API Gateway's integration timeout). */
  timeoutMs: number;
  /** ALB: the rule's priority (lower first), its conditions, and the target group it forwards to. */
  priority?: number;
  methods?: string[];
  pathPatterns?: string[];
  targetGroup?: { name: string; id: string; multiValueHeaders: boolean };
}

/** One local port: an API (all its routes), a function URL, or a load balancer. */
export interface ListenerSpec {
  kind: FrontDoor;
  /** The API's, function's (URL) or load balancer's logical id. */
  name: string;
  templatePath: string;
  /** `$default` or a stage name; a named stage prefixes every path (`/Prod/...`). */
  stage: string;
  stageVariables: Record<string, string>;
  routes: RouteSpec[];
  cors?: CorsConfig;
  /** REST: content types whose bodies are passed base64-encoded (BinaryMediaTypes, with `~1` read as `/`). */
  binaryMediaTypes: string[];
  /** Function URLs: BUFFERED or RESPONSE_STREAM. */
  invokeMode?: 'BUFFERED' | 'RESPONSE_STREAM';
  /** Function URLs: NONE or AWS_IAM. */
  authType?: string;
  /** Deterministic id, as API Gateway's 10-character API ids and URL ids look. */
  apiId: string;
}

/** The routes of a set of templates, and what could not be served as the template asks. */
export interface ServeTable {
  listeners: ListenerSpec[];
  warnings: string[];
}

/** One route as `serve` prints it: `ROUTE <LogicalId> <METHOD or ANY> <url>`. */
export interface ServedRoute {
  logicalId: string;
  /** The template of the route's function. */
  templatePath: string;
  method: string;
  url: string;
  kind: FrontDoor;
  /** The API, URL function or load balancer listener it belongs to. */
  listener: string;
}
