import type { CodeContext, HandlerSource } from '../types';
import { PY_TEST_FOOTER, pyLit, pyTestPreamble } from './syntax';

// HTTP handlers: API Gateway HTTP API and function URLs (payload 2.0), REST API (payload 1.0), ALB.

interface WebShape {
  doc: string;
  eventTypes: string;
  eventType: string;
  method: string;
  path: string;
  extraResponse: string[];
  responseFields: string[];
  imports: string[];
  name: string;
  query: [string, string];
}

const V2_TYPES = `class HttpDescription(TypedDict):
    method: str
    path: str


class RequestContext(TypedDict):
    http: HttpDescription


class HttpEvent(TypedDict):
    rawPath: str
    requestContext: RequestContext
    queryStringParameters: NotRequired[dict[str, str]]`;

const SHAPES: Record<'http-api' | 'function-url' | 'rest-api' | 'alb', WebShape> = {
  'http-api': {
    doc: 'Answers requests routed by an API Gateway HTTP API (payload format 2.0).',
    eventTypes: V2_TYPES,
    eventType: 'HttpEvent',
    method: 'event["requestContext"]["http"]["method"]',
    path: 'event["rawPath"]',
    extraResponse: [],
    responseFields: [],
    imports: [],
    name: '(event.get("queryStringParameters") or {}).get("name", "world")',
    query: ['Ada', 'Ada'],
  },
  'function-url': {
    doc: "Answers requests to the function's URL (payload format 2.0, like an HTTP API).",
    eventTypes: V2_TYPES,
    eventType: 'HttpEvent',
    method: 'event["requestContext"]["http"]["method"]',
    path: 'event["rawPath"]',
    extraResponse: [],
    responseFields: [],
    imports: [],
    name: '(event.get("queryStringParameters") or {}).get("name", "world")',
    query: ['Ada', 'Ada'],
  },
  'rest-api': {
    doc: 'Answers requests from an API Gateway REST API proxy integration (payload format 1.0).',
    eventTypes: `class RestEvent(TypedDict):
    httpMethod: str
    path: str
    queryStringParameters: dict[str, str] | None`,
    eventType: 'RestEvent',
    method: 'event["httpMethod"]',
    path: 'event["path"]',
    extraResponse: [],
    responseFields: [],
    imports: [],
    name: '(event.get("queryStringParameters") or {}).get("name", "world")',
    query: ['Ada', 'Ada'],
  },
  alb: {
    doc: 'Answers requests an Application Load Balancer forwards to its Lambda target group.',
    eventTypes: `class AlbEvent(TypedDict):
    httpMethod: str
    path: str
    queryStringParameters: dict[str, str]`,
    eventType: 'AlbEvent',
    method: 'event["httpMethod"]',
    path: 'event["path"]',
    extraResponse: ['"statusDescription": "200 OK",', '"isBase64Encoded": False,'],
    responseFields: ['statusDescription: str', 'isBase64Encoded: bool'],
    imports: ['from urllib.parse import unquote_plus'],
    name: 'unquote_plus((event.get("queryStringParameters") or {}).get("name", "world"))',
    query: ['Ada%20Lovelace', 'Ada Lovelace'],
  },
};

export function pythonWeb(source: keyof typeof SHAPES, ctx: CodeContext): HandlerSource {
  const s = SHAPES[source];
  const typing = s.eventTypes.includes('NotRequired') ? 'Any, NotRequired, TypedDict' : 'Any, TypedDict';
  const comment = source === 'alb' ? '    # ALB passes query parameters as the client sent them, still URL-encoded.\n' : '';
  const handler = `"""${s.doc}"""

import json
from typing import ${typing}
${s.imports.join('\n')}${s.imports.length > 0 ? '\n' : ''}

${s.eventTypes}


class HttpResponse(TypedDict):
    statusCode: int
${s.responseFields.map((f) => `    ${f}\n`).join('')}    headers: dict[str, str]
    body: str


def lambda_handler(event: ${s.eventType}, context: Any) -> HttpResponse:
${comment}    name = ${s.name}
    body = {"message": f"Hello, {name}!", "method": ${s.method}, "path": ${s.path}}
    return {
        "statusCode": 200,
${s.extraResponse.map((l) => `        ${l}\n`).join('')}        "headers": {"content-type": "application/json"},
        "body": json.dumps(body),
    }
`;
  const expected = { message: 'Hello, world!', method: (ctx.sample.method ?? 'GET').toUpperCase(), path: ctx.sample.path ?? '/' };
  const test = `${pyTestPreamble(ctx.eventFromTest)}    def test_answers_the_sample_request_with_a_json_greeting(self) -> None:
        result = app.lambda_handler(load_event(), None)
        self.assertEqual(result["statusCode"], 200)
        self.assertEqual(json.loads(result["body"]), ${pyLit(expected)})

    def test_greets_the_name_given_in_the_query_string(self) -> None:
        event = load_event()
        event["queryStringParameters"] = {"name": ${pyLit(s.query[0])}}
        result = app.lambda_handler(event, None)
        self.assertEqual(json.loads(result["body"])["message"], ${pyLit(`Hello, ${s.query[1]}!`)})
${PY_TEST_FOOTER}`;
  return { handler, test };
}
