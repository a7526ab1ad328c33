import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AwsSession, createAwsSession } from '../../../src/core/deploy';
import { motoClientConfig, testEnv } from '../env';

/** One request as the front received it. */
export interface FrontRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What the front does with a request: answer it itself, or pass it on and change moto's JSON answer. */
export type FrontAction = { answer: { status: number; headers?: Record<string, string>; json: unknown } } | { rewrite: (json: Record<string, unknown>) => Record<string, unknown> } | undefined;

/**
 * A real HTTP server on loopback in front of the emulator: every request goes on to moto as it
 * came, unless `route` answers it the way AWS does in a state moto never enters (a CodeSha256
 * that is not the upload's, a PublishVersion that fails, an update still in progress). The SDK's
 * own clients talk to it, so the product's requests and response parsing are the real ones.
 */
export async function startAwsFront(route: (req: FrontRequest) => FrontAction): Promise<{ url: string; requests: FrontRequest[]; session(): Promise<AwsSession>; close(): Promise<void> }> {
  const moto = testEnv().motoUrl;
  const requests: FrontRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: FrontRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(request);
      void respond(request).then(
        ({ status, headers, body }) => {
          // A HEAD answer has no body but the length of the object it describes.
          res.writeHead(status, request.method === 'HEAD' ? headers : { ...headers, 'content-length': String(body.length) });
          res.end(request.method === 'HEAD' ? undefined : body);
        },
        (err: unknown) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(String(err));
        },
      );
    });
  });

  async function respond(request: FrontRequest): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const action = route(request);
    if (action && 'answer' in action) {
      return { status: action.answer.status, headers: { 'content-type': 'application/json', ...action.answer.headers }, body: Buffer.from(JSON.stringify(action.answer.json)) };
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter((e): e is [string, string] => typeof e[1] === 'string' && !['host', 'content-length', 'connection', 'transfer-encoding'].includes(e[0])),
    );
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const upstream = await fetch(`${moto}${request.path}`, { method: request.method, headers, ...(hasBody ? { body: request.body } : {}) });
    let body = Buffer.from(await upstream.arrayBuffer());
    const out: Record<string, string> = {};
    upstream.headers.forEach((v, k) => {
      const length = k === 'content-length' && request.method !== 'HEAD';
      if (!length && !['content-encoding', 'transfer-encoding', 'connection'].includes(k)) out[k] = v;
    });
    if (action && 'rewrite' in action && upstream.ok) body = Buffer.from(JSON.stringify(action.rewrite(JSON.parse(body.toString('utf8')) as Record<string, unknown>)));
    return { status: upstream.status, headers: out, body };
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    session: () => {
      const { region, credentials } = motoClientConfig();
      return createAwsSession({ endpointUrl: url, region, credentials });
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Lambda's REST paths, as the SDK sends them. */
export const LAMBDA = {
  createFunction: (r: FrontRequest) => r.method === 'POST' && /^\/2015-03-31\/functions\/?(\?|$)/.test(r.path),
  updateCode: (r: FrontRequest, name: string) => r.method === 'PUT' && r.path.startsWith(`/2015-03-31/functions/${name}/code`),
  publishVersion: (r: FrontRequest, name: string) => r.method === 'POST' && r.path.startsWith(`/2015-03-31/functions/${name}/versions`),
  getFunction: (r: FrontRequest, name: string) => r.method === 'GET' && new RegExp(`^/2015-03-31/functions/${name}/?(\\?|$)`).test(r.path),
  configuration: (r: FrontRequest, name: string) => r.method === 'GET' && r.path.startsWith(`/2015-03-31/functions/${name}/configuration`),
};

/** How Lambda answers a request it failed internally. */
export const SERVICE_EXCEPTION = { answer: { status: 500, headers: { 'x-amzn-errortype': 'ServiceException' }, json: { Type: 'Service', message: 'An internal error occurred.' } } };
