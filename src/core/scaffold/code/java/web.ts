import { javaPackageFor } from '../../names';
import type { CodeContext, HandlerSource } from '../types';
import { handlerClass, javaString, testClass } from './syntax';

// HTTP handlers: API Gateway HTTP API and function URLs (payload 2.0, one event type for both),
// REST API (payload 1.0), ALB.

interface WebShape {
  doc: string;
  request: string;
  response: string;
  method: string;
  path: string;
  /** The response, from `status` lines of code with `body` and `headers` in scope. */
  build: string;
  query: [string, string];
}

const V2 = {
  request: 'APIGatewayV2HTTPEvent',
  response: 'APIGatewayV2HTTPResponse',
  method: 'event.getRequestContext().getHttp().getMethod()',
  path: 'event.getRawPath()',
  build: `return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(200)
        .withHeaders(headers)
        .withBody(body)
        .build();`,
  query: ['Ada', 'Ada'] as [string, string],
};

const SHAPES: Record<'http-api' | 'function-url' | 'rest-api' | 'alb', WebShape> = {
  'http-api': { doc: 'Answers requests routed by an API Gateway HTTP API (payload format 2.0).', ...V2 },
  'function-url': { doc: "Answers requests to the function's URL (payload format 2.0, the same event as an HTTP API's).", ...V2 },
  'rest-api': {
    doc: 'Answers requests from an API Gateway REST API proxy integration (payload format 1.0).',
    request: 'APIGatewayProxyRequestEvent',
    response: 'APIGatewayProxyResponseEvent',
    method: 'event.getHttpMethod()',
    path: 'event.getPath()',
    build: 'return new APIGatewayProxyResponseEvent().withStatusCode(200).withHeaders(headers).withBody(body);',
    query: ['Ada', 'Ada'],
  },
  alb: {
    doc: 'Answers requests an Application Load Balancer forwards to its Lambda target group.',
    request: 'ApplicationLoadBalancerRequestEvent',
    response: 'ApplicationLoadBalancerResponseEvent',
    method: 'event.getHttpMethod()',
    path: 'event.getPath()',
    build: `ApplicationLoadBalancerResponseEvent response = new ApplicationLoadBalancerResponseEvent();
response.setStatusCode(200);
response.setStatusDescription("200 OK");
response.setHeaders(headers);
response.setBody(body);
return response;`,
    query: ['Ada%20Lovelace', 'Ada Lovelace'],
  },
};

export function javaWeb(source: keyof typeof SHAPES, ctx: CodeContext): HandlerSource {
  const s = SHAPES[source];
  const alb = source === 'alb';
  const pkg = javaPackageFor(ctx.name);
  const events = 'com.amazonaws.services.lambda.runtime.events';
  const imports = [`${events}.${s.request}`, `${events}.${s.response}`, 'java.util.Map', ...(alb ? ['java.net.URLDecoder', 'java.nio.charset.StandardCharsets'] : [])];
  const name = alb
    ? `// ALB passes query parameters as the client sent them, still URL-encoded.
String name = query == null || !query.containsKey("name") ? "world" : URLDecoder.decode(query.get("name"), StandardCharsets.UTF_8);`
    : 'String name = query == null ? "world" : query.getOrDefault("name", "world");';
  const body = `/** The JSON body of every answer. */
record Greeting(String message, String method, String path) {}

@Override
public ${s.response} handleRequest(${s.request} event, Context context) {
    Map<String, String> query = event.getQueryStringParameters();
${name.replace(/^/gm, '    ')}
    String body = json(new Greeting("Hello, " + name + "!", ${s.method}, ${s.path}));
    Map<String, String> headers = Map.of("Content-Type", "application/json");
${s.build.replace(/^/gm, '    ')}
}`;
  const method = (ctx.sample.method ?? 'GET').toUpperCase();
  const path = ctx.sample.path ?? '/';
  const test = `@Test
void answersTheSampleRequestWithAGreeting() throws IOException {
    ${s.response} response = new Handler().handleRequest(sample(), new TestContext());
    assertEquals(200, response.getStatusCode());
    assertEquals("application/json", response.getHeaders().get("Content-Type"));
    assertEquals(new Handler.Greeting("Hello, world!", ${javaString(method)}, ${javaString(path)}), MAPPER.readValue(response.getBody(), Handler.Greeting.class));
}

@Test
void greetsTheNameGivenInTheQueryString() throws IOException {
    ${s.request} event = sample();
    event.setQueryStringParameters(Map.of("name", ${javaString(s.query[0])}));
    ${s.response} response = new Handler().handleRequest(event, new TestContext());
    assertEquals(${javaString(`Hello, ${s.query[1]}!`)}, MAPPER.readValue(response.getBody(), Handler.Greeting.class).message());
}`;
  return {
    handler: handlerClass(pkg, imports, s.doc, s.request, s.response, body),
    test: testClass(pkg, [`${events}.${s.request}`, `${events}.${s.response}`, 'java.util.Map', 'static org.junit.jupiter.api.Assertions.assertEquals'], s.request, ctx, test),
  };
}
