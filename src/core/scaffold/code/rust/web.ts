import type { CodeContext, HandlerSource } from '../types';
import { RUST_MAIN, rustString, rustTestHead, rustUses } from './syntax';

// HTTP handlers: API Gateway HTTP API and function URLs (payload 2.0), REST API (payload 1.0), ALB.

interface WebShape {
  doc: string;
  module: string;
  request: string;
  response: string;
  method: string;
  path: string;
  /** How the `name` query parameter is read (the two payload formats keep them differently). */
  name: string;
  body: 'Body' | 'String';
  extra: string[];
  query: [string, string];
}

const SHAPES: Record<'http-api' | 'function-url' | 'rest-api' | 'alb', WebShape> = {
  'http-api': {
    doc: 'Answers requests routed by an API Gateway HTTP API (payload format 2.0).',
    module: 'apigw',
    request: 'ApiGatewayV2httpRequest',
    response: 'ApiGatewayV2httpResponse',
    method: 'request.request_context.http.method.as_str()',
    path: 'request.raw_path.as_deref().unwrap_or("/")',
    name: 'request.query_string_parameters.first("name")',
    body: 'Body',
    extra: [],
    query: ['Ada', 'Ada'],
  },
  'function-url': {
    doc: "Answers requests to the function's URL (payload format 2.0, like an HTTP API).",
    module: 'lambda_function_urls',
    request: 'LambdaFunctionUrlRequest',
    response: 'LambdaFunctionUrlResponse',
    method: 'request.request_context.http.method.as_deref().unwrap_or_default()',
    path: 'request.raw_path.as_deref().unwrap_or("/")',
    name: 'request.query_string_parameters.get("name").map(String::as_str)',
    body: 'String',
    extra: [],
    query: ['Ada', 'Ada'],
  },
  'rest-api': {
    doc: 'Answers requests from an API Gateway REST API proxy integration (payload format 1.0).',
    module: 'apigw',
    request: 'ApiGatewayProxyRequest',
    response: 'ApiGatewayProxyResponse',
    method: 'request.http_method.as_str()',
    path: 'request.path.as_deref().unwrap_or("/")',
    name: 'request.query_string_parameters.first("name")',
    body: 'Body',
    extra: [],
    query: ['Ada', 'Ada'],
  },
  alb: {
    doc: 'Answers requests an Application Load Balancer forwards to its Lambda target group.',
    module: 'alb',
    request: 'AlbTargetGroupRequest',
    response: 'AlbTargetGroupResponse',
    method: 'request.http_method.as_str()',
    path: 'request.path.as_deref().unwrap_or("/")',
    name: 'request.query_string_parameters.first("name")',
    body: 'Body',
    extra: ['response.status_description = Some("200 OK".to_string());'],
    query: ['Ada%20Lovelace', 'Ada Lovelace'],
  },
};

export function rustWeb(source: keyof typeof SHAPES, ctx: CodeContext): HandlerSource {
  const s = SHAPES[source];
  const alb = source === 'alb';
  const uses = [
    `aws_lambda_events::${s.module}::{${s.request}, ${s.response}}`,
    'aws_lambda_events::http::header::{HeaderValue, CONTENT_TYPE}',
    'lambda_runtime::{run, service_fn, Error, LambdaEvent}',
    'serde_json::json',
    ...(s.body === 'Body' ? ['aws_lambda_events::encodings::Body'] : []),
  ];
  const name = alb
    ? `    // ALB passes query parameters as the client sent them, still URL-encoded.
    let name = ${s.name}.map(decode).unwrap_or_else(|| "world".to_string());`
    : `    let name = ${s.name}.unwrap_or("world");`;
  const body = s.body === 'Body' ? 'Some(Body::Text(body.to_string()))' : 'Some(body.to_string())';
  const handler = `//! ${s.doc}
${rustUses(uses)}

async fn handler(event: LambdaEvent<${s.request}>) -> Result<${s.response}, Error> {
    let request = event.payload;
${name}
    let body = json!({
        "message": format!("Hello, {name}!"),
        "method": ${s.method},
        "path": ${s.path},
    });
    // The event types are open to new fields: a response starts from its default.
    let mut response = ${s.response}::default();
    response.status_code = 200;
${s.extra.map((l) => `    ${l}\n`).join('')}    response.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response.body = ${body};
    Ok(response)
}
${alb ? DECODE : ''}
${RUST_MAIN}`;
  const method = (ctx.sample.method ?? 'GET').toUpperCase();
  const path = ctx.sample.path ?? '/';
  const text = s.body === 'Body' ? 'Some(Body::Text(text)) => serde_json::from_str(text).expect("the body is JSON")' : 'Some(text) => serde_json::from_str(text).expect("the body is JSON")';
  const test = `${rustTestHead(ctx.eventFromTest, s.request, ['serde_json::json'])}
fn body_of(response: &${s.response}) -> Value {
    match &response.body {
        ${text},
        other => panic!("body {other:?} is not text"),
    }
}

#[tokio::test]
async fn answers_the_sample_request_with_a_greeting() {
    let response = handler(invocation(sample())).await.unwrap();
    assert_eq!(response.status_code, 200);
    assert_eq!(
        body_of(&response),
        json!({ "message": "Hello, world!", "method": ${rustString(method)}, "path": ${rustString(path)} })
    );
}

#[tokio::test]
async fn greets_the_name_given_in_the_query_string() {
    let mut event = sample();
    event["queryStringParameters"] = json!({ "name": ${rustString(s.query[0])} });
    let response = handler(invocation(event)).await.unwrap();
    assert_eq!(body_of(&response)["message"], ${rustString(`Hello, ${s.query[1]}!`)});
}
`;
  return { handler, test };
}

const DECODE = `
/// Percent-decodes a query value ('+' is a space in a query string).
fn decode(value: &str) -> String {
    percent_encoding::percent_decode_str(&value.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}
`;
