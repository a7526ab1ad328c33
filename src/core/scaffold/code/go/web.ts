import type { CodeContext, HandlerSource } from '../types';
import { alignedFields, goImports, goString, goTestHelpers } from './syntax';

// HTTP handlers: API Gateway HTTP API and function URLs (payload 2.0), REST API (payload 1.0), ALB.

interface WebShape {
  doc: string;
  request: string;
  response: string;
  method: string;
  path: string;
  extraFields: [string, string][];
  query: [string, string];
}

const SHAPES: Record<'http-api' | 'function-url' | 'rest-api' | 'alb', WebShape> = {
  'http-api': {
    doc: 'Answers requests routed by an API Gateway HTTP API (payload format 2.0).',
    request: 'events.APIGatewayV2HTTPRequest',
    response: 'events.APIGatewayV2HTTPResponse',
    method: 'event.RequestContext.HTTP.Method',
    path: 'event.RawPath',
    extraFields: [],
    query: ['Ada', 'Ada'],
  },
  'function-url': {
    doc: "Answers requests to the function's URL (payload format 2.0, like an HTTP API).",
    request: 'events.LambdaFunctionURLRequest',
    response: 'events.LambdaFunctionURLResponse',
    method: 'event.RequestContext.HTTP.Method',
    path: 'event.RawPath',
    extraFields: [],
    query: ['Ada', 'Ada'],
  },
  'rest-api': {
    doc: 'Answers requests from an API Gateway REST API proxy integration (payload format 1.0).',
    request: 'events.APIGatewayProxyRequest',
    response: 'events.APIGatewayProxyResponse',
    method: 'event.HTTPMethod',
    path: 'event.Path',
    extraFields: [],
    query: ['Ada', 'Ada'],
  },
  alb: {
    doc: 'Answers requests an Application Load Balancer forwards to its Lambda target group.',
    request: 'events.ALBTargetGroupRequest',
    response: 'events.ALBTargetGroupResponse',
    method: 'event.HTTPMethod',
    path: 'event.Path',
    extraFields: [
      ['StatusDescription', '"200 OK"'],
      ['IsBase64Encoded', 'false'],
    ],
    query: ['Ada%20Lovelace', 'Ada Lovelace'],
  },
};

export function goWeb(source: keyof typeof SHAPES, ctx: CodeContext): HandlerSource {
  const s = SHAPES[source];
  const alb = source === 'alb';
  const decode = alb
    ? `
	// ALB passes query parameters as the client sent them, still URL-encoded.
	if decoded, err := url.QueryUnescape(name); err == nil {
		name = decoded
	}`
    : '';
  const fields = alignedFields(
    [
      ['StatusCode', '200'],
      ...s.extraFields,
      ['Headers', 'map[string]string{"content-type": "application/json"}'],
      ['Body', 'string(body)'],
    ],
    '\t\t',
  );
  const handler = `// ${s.doc}
package main

${goImports(['context', 'encoding/json', ...(alb ? ['net/url'] : [])], ['events', 'lambda'])}

type greeting struct {
	Message string \`json:"message"\`
	Method  string \`json:"method"\`
	Path    string \`json:"path"\`
}

func handler(ctx context.Context, event ${s.request}) (${s.response}, error) {
	name := event.QueryStringParameters["name"]
	if name == "" {
		name = "world"
	}${decode}
	body, err := json.Marshal(greeting{Message: "Hello, " + name + "!", Method: ${s.method}, Path: ${s.path}})
	if err != nil {
		return ${s.response}{}, err
	}
	return ${s.response}{
${fields}
	}, nil
}

func main() {
	lambda.Start(handler)
}
`;
  const method = (ctx.sample.method ?? 'GET').toUpperCase();
  const path = ctx.sample.path ?? '/';
  const test = `package main

${goImports(['context', 'encoding/json', 'os', 'testing'], ['events'])}

${goTestHelpers(ctx.eventFromTest, false)}
func TestAnswersTheSampleRequestWithAGreeting(t *testing.T) {
	var event ${s.request}
	loadEvent(t, &event)
	res, err := handler(context.Background(), event)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 {
		t.Fatalf("status %d, want 200", res.StatusCode)
	}
	var got greeting
	if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
		t.Fatal(err)
	}
	want := greeting{Message: "Hello, world!", Method: ${goString(method)}, Path: ${goString(path)}}
	if got != want {
		t.Errorf("body %+v, want %+v", got, want)
	}
}

func TestGreetsTheNameGivenInTheQueryString(t *testing.T) {
	var event ${s.request}
	loadEvent(t, &event)
	event.QueryStringParameters = map[string]string{"name": ${goString(s.query[0])}}
	res, err := handler(context.Background(), event)
	if err != nil {
		t.Fatal(err)
	}
	var got greeting
	if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
		t.Fatal(err)
	}
	if want := ${goString(`Hello, ${s.query[1]}!`)}; got.Message != want {
		t.Errorf("message %q, want %q", got.Message, want)
	}
}
`;
  return { handler, test };
}
