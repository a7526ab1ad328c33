import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The AWS API emulator with the one thing it lacks for layers: their archives. moto answers
 * GetLayerVersion with Content.Location "s3://", which nothing can fetch, and does not implement
 * GetLayerVersionByArn; Lambda answers both with a pre-signed URL of the archive. This front
 * forwards every call to moto and gives those two answers the URL it serves the published
 * archive at, so the product reads and downloads layers as it does from Lambda.
 */
export interface LayerArchiveFront {
  /** Point lambdaWorkbench.aws.endpointUrl here. */
  url: string;
  /** Serves `zip` as the archive of the layer version published in moto as `arn`. */
  serve(arn: string, zip: Buffer): void;
  /** How many archive requests were answered, and how many of them asked for a byte range. */
  requests(): { all: number; ranged: number };
  close(): Promise<void>;
}

const LAYER_VERSION = /^\/2018-10-31\/layers\/([^/?]+)\/versions\/(\d+)$/;

export async function startLayerArchiveFront(motoUrl: string): Promise<LayerArchiveFront> {
  const moto = new URL(motoUrl);
  const archives = new Map<string, Buffer>();
  const counts = { all: 0, ranged: 0 };
  let base = '';

  const forward = (req: IncomingMessage, path: string): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = request({ host: moto.hostname, port: moto.port, method: req.method, path, headers: { ...req.headers, host: moto.host } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      out.on('error', reject);
      req.pipe(out);
    });

  const sendArchive = (req: IncomingMessage, res: ServerResponse, zip: Buffer): void => {
    counts.all++;
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (!m) {
      res.writeHead(200, { 'content-length': zip.length, 'content-type': 'application/zip' });
      res.end(zip);
      return;
    }
    counts.ranged++;
    const [start, end] = [Number(m[1]), Math.min(Number(m[2]), zip.length - 1)];
    res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${zip.length}`, 'content-length': end - start + 1 });
    res.end(zip.subarray(start, end + 1));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://front');
    const archive = /^\/archives\/(\d+)$/.exec(url.pathname);
    if (archive) {
      const zip = [...archives.values()][Number(archive[1])];
      if (!zip) res.writeHead(404).end();
      else sendArchive(req, res, zip);
      return;
    }
    // GetLayerVersionByArn is GetLayerVersion by other means.
    let path = `${url.pathname}${url.search}`;
    const byArn = req.method === 'GET' && url.pathname === '/2018-10-31/layers' && url.searchParams.get('find') === 'LayerVersion' ? url.searchParams.get('Arn') : null;
    if (byArn) {
      const i = byArn.lastIndexOf(':');
      path = `/2018-10-31/layers/${encodeURIComponent(byArn.slice(0, i))}/versions/${byArn.slice(i + 1)}`;
    }
    const answer = await forward(req, path);
    let body = answer.body;
    if (answer.status === 200 && req.method === 'GET' && LAYER_VERSION.test(path.split('?')[0])) {
      const version = JSON.parse(body.toString('utf8')) as { LayerVersionArn?: string; Content?: { Location?: string } };
      const index = [...archives.keys()].indexOf(version.LayerVersionArn ?? '');
      if (index >= 0 && version.Content) {
        version.Content.Location = `${base}/archives/${index}`;
        body = Buffer.from(JSON.stringify(version));
      }
    }
    const headers = { ...answer.headers, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    res.writeHead(answer.status, headers);
    res.end(body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(502).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    serve: (arn, zip) => void archives.set(arn, zip),
    requests: () => ({ ...counts }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
