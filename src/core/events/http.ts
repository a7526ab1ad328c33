import {
  account,
  base64,
  clfTime,
  hexFrom,
  lowerCaseHeaders,
  queryString,
  region,
  SAMPLE_EPOCH_MS,
  uuidFrom,
} from './common';
import { bool, eventSchema, int, matching, nullable, obj, oneOfStrings, str, STRING_LIST_MAP, STRING_MAP } from './schemaParts';
import type { SampleEventDefinition, SampleParams } from './types';

// HTTP front doors: API Gateway HTTP API (payload 2.0), REST API (proxy, payload 1.0), function
// URLs (payload 2.0 with sentinel route and stage) and Application Load Balancer targets.

const HTTP_PARAMS = ['method', 'path', 'headers', 'query', 'body', 'base64Body', 'region', 'accountId'] as const;

interface HttpRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  query?: Record<string, string>;
  /** The body as the event carries it (already base64 when encoded), or undefined. */
  body?: string;
  isBase64Encoded: boolean;
}

function request(p: SampleParams, host: string): HttpRequest {
  const headers: Record<string, string> = {
    accept: 'application/json',
    host,
    'user-agent': 'curl/8.5.0',
    'x-forwarded-for': '203.0.113.10',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    ...(p.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...lowerCaseHeaders(p.headers ?? {}),
  };
  const encode = p.base64Body === true && p.body !== undefined;
  return {
    method: (p.method ?? 'GET').toUpperCase(),
    path: p.path ?? '/',
    headers,
    query: p.query && Object.keys(p.query).length > 0 ? p.query : undefined,
    body: p.body === undefined ? undefined : encode ? base64(p.body) : p.body,
    isBase64Encoded: encode,
  };
}

/** Payload format 2.0, shared by HTTP APIs and function URLs. */
function payloadV2(p: SampleParams, opts: { apiId: string; domainName: string; routeKey: string; accountId: string }): unknown {
  const r = request(p, opts.domainName);
  const seed = `${r.method} ${r.path}`;
  return {
    version: '2.0',
    routeKey: opts.routeKey,
    rawPath: r.path,
    rawQueryString: queryString(r.query),
    headers: r.headers,
    ...(r.query ? { queryStringParameters: r.query } : {}),
    requestContext: {
      accountId: opts.accountId,
      apiId: opts.apiId,
      domainName: opts.domainName,
      domainPrefix: opts.apiId,
      http: {
        method: r.method,
        path: r.path,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.10',
        userAgent: r.headers['user-agent'],
      },
      requestId: uuidFrom(`request ${seed}`),
      routeKey: opts.routeKey,
      stage: '$default',
      time: clfTime(),
      timeEpoch: SAMPLE_EPOCH_MS,
    },
    ...(r.body !== undefined ? { body: r.body } : {}),
    isBase64Encoded: r.isBase64Encoded,
  };
}

const V2_SCHEMA = obj(
  {
    version: { const: '2.0' },
    routeKey: str('$default, or METHOD /path'),
    rawPath: matching('^/'),
    rawQueryString: str(),
    cookies: { type: 'array', items: { type: 'string' } },
    headers: STRING_MAP,
    queryStringParameters: STRING_MAP,
    pathParameters: STRING_MAP,
    stageVariables: STRING_MAP,
    requestContext: obj(
      {
        accountId: str(),
        apiId: str(),
        domainName: str(),
        domainPrefix: str(),
        http: obj({ method: str(), path: matching('^/'), protocol: str(), sourceIp: str(), userAgent: str() }),
        requestId: str(),
        routeKey: str(),
        stage: str(),
        time: str(),
        timeEpoch: int(),
      },
      ['domainPrefix'],
    ),
    body: str('Request body; base64 when isBase64Encoded is true'),
    isBase64Encoded: bool(),
  },
  ['cookies', 'queryStringParameters', 'pathParameters', 'stageVariables', 'body'],
);

export const apiGatewayHttp: SampleEventDefinition = {
  type: 'apigateway-http',
  label: 'API Gateway HTTP API request',
  description: 'An HTTP API route invocation, payload format 2.0.',
  defaultName: 'get',
  params: HTTP_PARAMS,
  build(p) {
    const apiId = hexFrom('http-api', 10);
    const r = request(p, '');
    return payloadV2(p, {
      apiId,
      domainName: `${apiId}.execute-api.${region(p)}.amazonaws.com`,
      routeKey: `${r.method} ${r.path}`,
      accountId: account(p),
    });
  },
  schema: eventSchema('apigateway-http', 'API Gateway HTTP API event (payload format 2.0)', V2_SCHEMA),
};

export const functionUrl: SampleEventDefinition = {
  type: 'function-url',
  label: 'Lambda function URL request',
  description: 'A request to a function URL (payload format 2.0, route and stage $default).',
  defaultName: 'get',
  params: HTTP_PARAMS,
  build(p) {
    const urlId = hexFrom('function-url', 32);
    return payloadV2(p, {
      apiId: urlId,
      domainName: `${urlId}.lambda-url.${region(p)}.on.aws`,
      routeKey: '$default',
      // A function URL with AuthType NONE reports the caller's account as 'anonymous'.
      accountId: 'anonymous',
    });
  },
  schema: eventSchema('function-url', 'Lambda function URL event (payload format 2.0)', V2_SCHEMA),
};

function multiValue(map: Record<string, string> | undefined): Record<string, string[]> | null {
  return map ? Object.fromEntries(Object.entries(map).map(([k, v]) => [k, [v]])) : null;
}

export const apiGatewayRest: SampleEventDefinition = {
  type: 'apigateway-rest',
  label: 'API Gateway REST API request',
  description: 'A REST API proxy integration invocation, payload format 1.0.',
  defaultName: 'get',
  params: HTTP_PARAMS,
  build(p) {
    const apiId = hexFrom('rest-api', 10);
    const r = request(p, `${apiId}.execute-api.${region(p)}.amazonaws.com`);
    // REST APIs keep the case the client sent; these are the names curl and browsers send.
    const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [titleCase(k), v]));
    const stage = 'Prod';
    return {
      resource: r.path,
      path: r.path,
      httpMethod: r.method,
      headers,
      multiValueHeaders: multiValue(headers),
      queryStringParameters: r.query ?? null,
      multiValueQueryStringParameters: multiValue(r.query),
      pathParameters: null,
      stageVariables: null,
      requestContext: {
        accountId: account(p),
        apiId,
        domainName: headers.Host,
        domainPrefix: apiId,
        extendedRequestId: hexFrom(`extended ${r.method} ${r.path}`, 16),
        httpMethod: r.method,
        identity: restIdentity('203.0.113.10', headers['User-Agent']),
        path: `/${stage}${r.path}`,
        protocol: 'HTTP/1.1',
        requestId: uuidFrom(`rest request ${r.method} ${r.path}`),
        requestTime: clfTime(),
        requestTimeEpoch: SAMPLE_EPOCH_MS,
        resourceId: hexFrom('rest resource', 6),
        resourcePath: r.path,
        stage,
      },
      body: r.body ?? null,
      isBase64Encoded: r.isBase64Encoded,
    };
  },
  schema: eventSchema(
    'apigateway-rest',
    'API Gateway REST API proxy event (payload format 1.0)',
    obj(
      {
        resource: str(),
        path: matching('^/'),
        httpMethod: oneOfStrings('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
        headers: nullable(STRING_MAP),
        multiValueHeaders: nullable(STRING_LIST_MAP),
        queryStringParameters: nullable(STRING_MAP),
        multiValueQueryStringParameters: nullable(STRING_LIST_MAP),
        pathParameters: nullable(STRING_MAP),
        stageVariables: nullable(STRING_MAP),
        requestContext: obj(
          {
            accountId: str(),
            apiId: str(),
            httpMethod: str(),
            identity: obj({ sourceIp: str() }),
            path: str(),
            protocol: str(),
            requestId: str(),
            requestTimeEpoch: int(),
            resourceId: str(),
            resourcePath: str(),
            stage: str(),
          },
          ['protocol'],
        ),
        body: nullable(str('Request body; base64 when isBase64Encoded is true')),
        isBase64Encoded: bool(),
      },
      ['multiValueHeaders', 'multiValueQueryStringParameters', 'stageVariables'],
    ),
  ),
};

/** A REST (payload 1.0) requestContext.identity: without IAM or Cognito, only the caller's address and agent are known. */
export function restIdentity(sourceIp: string, userAgent: string | null): Record<string, string | null> {
  return {
    accessKey: null,
    accountId: null,
    caller: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp,
    user: null,
    userAgent,
    userArn: null,
  };
}

function titleCase(header: string): string {
  return header.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

export const alb: SampleEventDefinition = {
  type: 'alb',
  label: 'Application Load Balancer request',
  description: 'A request an ALB forwards to a Lambda target group (multi-value headers off).',
  defaultName: 'get',
  params: HTTP_PARAMS,
  build(p) {
    const r = request(p, `example-alb-${hexFrom('alb', 9)}.${region(p)}.elb.amazonaws.com`);
    return {
      requestContext: {
        elb: {
          targetGroupArn: `arn:aws:elasticloadbalancing:${region(p)}:${account(p)}:targetgroup/example-targets/${hexFrom('tg', 16)}`,
        },
      },
      httpMethod: r.method,
      path: r.path,
      // ALB passes query parameters as they were sent, still URL-encoded.
      queryStringParameters: r.query
        ? Object.fromEntries(Object.entries(r.query).map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)]))
        : {},
      headers: { ...r.headers, 'x-amzn-trace-id': `Root=1-${(SAMPLE_EPOCH_MS / 1000).toString(16)}-${hexFrom('trace', 24)}` },
      body: r.body ?? '',
      isBase64Encoded: r.isBase64Encoded,
    };
  },
  schema: eventSchema(
    'alb',
    'Application Load Balancer target group event',
    obj({
      requestContext: obj({ elb: obj({ targetGroupArn: matching('^arn:aws[a-z-]*:elasticloadbalancing:') }) }),
      httpMethod: str(),
      path: matching('^/'),
      queryStringParameters: STRING_MAP,
      headers: STRING_MAP,
      body: str('Request body; base64 when isBase64Encoded is true'),
      isBase64Encoded: bool(),
    }),
  ),
};
