import type { CodeContext, HandlerSource } from '../types';
import { awsLambdaImport, handlerSignature, lit, testPreamble, type NodeFlavour } from './syntax';

// HTTP handlers: API Gateway HTTP API and function URLs (payload 2.0), REST API (payload 1.0), ALB.

interface WebShape {
  intro: string;
  eventType: string;
  resultType: string;
  /** Expressions for the query parameter, method and path in this payload format. */
  name: string;
  method: string;
  path: string;
  extraResult: string[];
  /** Query parameter value the second test sends, and the name the handler must greet. */
  query: [string, string];
}

const SHAPES: Record<'http-api' | 'function-url' | 'rest-api' | 'alb', WebShape> = {
  'http-api': {
    intro: '// Answers requests routed by an API Gateway HTTP API (payload format 2.0).',
    eventType: 'APIGatewayProxyEventV2',
    resultType: 'APIGatewayProxyStructuredResultV2',
    name: "event.queryStringParameters?.name ?? 'world'",
    method: 'event.requestContext.http.method',
    path: 'event.rawPath',
    extraResult: [],
    query: ['Ada', 'Ada'],
  },
  'function-url': {
    intro: "// Answers requests to the function's URL (payload format 2.0, like an HTTP API).",
    eventType: 'APIGatewayProxyEventV2',
    resultType: 'APIGatewayProxyStructuredResultV2',
    name: "event.queryStringParameters?.name ?? 'world'",
    method: 'event.requestContext.http.method',
    path: 'event.rawPath',
    extraResult: [],
    query: ['Ada', 'Ada'],
  },
  'rest-api': {
    intro: '// Answers requests from an API Gateway REST API proxy integration (payload format 1.0).',
    eventType: 'APIGatewayProxyEvent',
    resultType: 'APIGatewayProxyResult',
    name: "event.queryStringParameters?.name ?? 'world'",
    method: 'event.httpMethod',
    path: 'event.path',
    extraResult: [],
    query: ['Ada', 'Ada'],
  },
  alb: {
    intro: '// Answers requests an Application Load Balancer forwards to its Lambda target group.',
    eventType: 'ALBEvent',
    resultType: 'ALBResult',
    // ALB passes query parameters as the client sent them: still URL-encoded.
    name: "decodeURIComponent((event.queryStringParameters?.name ?? 'world').replace(/\\+/g, ' '))",
    method: 'event.httpMethod',
    path: 'event.path',
    extraResult: ["statusDescription: '200 OK',", 'isBase64Encoded: false,'],
    query: ['Ada%20Lovelace', 'Ada Lovelace'],
  },
};

export function nodeWeb(source: keyof typeof SHAPES, f: NodeFlavour, ctx: CodeContext): HandlerSource {
  const s = SHAPES[source];
  const flavour = { ...f, types: [s.eventType, s.resultType] };
  const comment = source === 'alb' ? '  // ALB passes query parameters as the client sent them, still URL-encoded.\n' : '';
  const handler = `${s.intro}

${awsLambdaImport(flavour)}${handlerSignature(flavour, s.eventType, s.resultType)}
${comment}  const name = ${s.name};
  return {
    statusCode: 200,
${s.extraResult.map((l) => `    ${l}\n`).join('')}    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: \`Hello, \${name}!\`, method: ${s.method}, path: ${s.path} }),
  };
};
`;
  const expected = { message: 'Hello, world!', method: (ctx.sample.method ?? 'GET').toUpperCase(), path: ctx.sample.path ?? '/' };
  const test = `${testPreamble(flavour, s.eventType, ctx.eventFromTest)}
test('answers the sample request with a JSON greeting', async () => {
  const result = await handler(event);
  assert.equal(result.statusCode, 200);
  assert.deepEqual(JSON.parse(result.body ?? ''), ${lit(expected)});
});

test('greets the name given in the query string', async () => {
  const result = await handler({ ...event, queryStringParameters: { name: ${lit(s.query[0])} } });
  assert.equal(JSON.parse(result.body ?? '').message, ${lit(`Hello, ${s.query[1]}!`)});
});
`;
  return { handler, test };
}
