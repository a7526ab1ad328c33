import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaClient } from '@aws-sdk/client-lambda';

export interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export type Route = (req: Seen, res: ServerResponse) => void | Promise<void>;

/**
 * A real HTTP server on loopback that answers what a test routes, and records every request.
 * Pointed at by a real LambdaClient, it checks what the SDK sends and returns exactly what the
 * service would (paged listings honouring Marker, Invoke's log headers, a code location), which
 * the emulator cannot: it answers every list in one page and invokes without logs.
 */
export class Loopback {
  readonly seen: Seen[] = [];
  private server: Server | undefined;
  url = '';

  constructor(private readonly route: Route) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const u = new URL(req.url ?? '/', 'http://loopback');
        const seen: Seen = { method: req.method ?? 'GET', path: decodeURIComponent(u.pathname), query: u.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
        this.seen.push(seen);
        Promise.resolve(this.route(seen, res)).catch((err: Error) => {
          res.writeHead(500);
          res.end(err.message);
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  lambda(): LambdaClient {
    return new LambdaClient({ endpoint: this.url, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 });
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
