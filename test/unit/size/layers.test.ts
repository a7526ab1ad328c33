import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { GetLayerVersionCommand } from '@aws-sdk/client-lambda';
import { lambdaLayerResolver, SizeEngine } from '../../../src/core/size';
import { fnSpec, tempDir, writeTree } from './fixtures';

/** Serves one file, honouring single Range requests (as S3 does) unless told not to; counts bytes sent. */
function serve(path: string, ranges = true): Promise<{ url: string; sent: () => number; close(): Promise<void> }> {
  const body = readFileSync(path);
  let sent = 0;
  const server: Server = createServer((req, res) => {
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (ranges && m) {
      const [start, end] = [Number(m[1]), Math.min(Number(m[2]), body.length - 1)];
      const part = body.subarray(start, end + 1);
      sent += part.length;
      res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${body.length}`, 'content-length': part.length });
      res.end(part);
    } else {
      sent += body.length;
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/layer.zip?X-Amz-Signature=abc`,
        sent: () => sent,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    ),
  );
}

describe('size: layers given by ARN', () => {
  let t: ReturnType<typeof tempDir>;
  let archive: string;
  let unzipped: number;
  before(async () => {
    t = tempDir();
    const layerDir = join(t.dir, 'layer');
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`nodejs/node_modules/lib${i % 20}/f${i}.js`] = `module.exports = ${i};\n`.repeat(50 + i);
    const blob = randomBytes(1_000_000);
    writeTree(layerDir, { ...files, 'nodejs/data.bin': blob });
    unzipped = Object.values(files).reduce((n, c) => n + c.length, 0) + blob.length;
    archive = join(t.dir, 'layer.zip');
    const engine = new SizeEngine({ workers: 0 });
    try {
      await engine.package(fnSpec({ codeUri: layerDir }), archive);
    } finally {
      await engine.dispose();
    }
  });
  after(() => t.cleanup());

  const ARN = 'arn:aws:lambda:eu-west-1:123456789012:layer:shared-libs:7';

  it('reads the unzipped size from the archive directory with range requests, not a download', async () => {
    const server = await serve(archive);
    try {
      const calls: unknown[] = [];
      const client = {
        send: (cmd: unknown) => {
          calls.push(cmd);
          return Promise.resolve({ Content: { CodeSize: readFileSync(archive).length, Location: server.url } });
        },
      };
      const resolver = lambdaLayerResolver(client as never);
      const r = await resolver.resolve(ARN);
      assert.deepEqual(r, { unzippedBytes: unzipped, zippedBytes: readFileSync(archive).length, detail: 'from the published archive' });
      assert.ok(calls[0] instanceof GetLayerVersionCommand);
      assert.deepEqual((calls[0] as GetLayerVersionCommand).input, { LayerName: 'arn:aws:lambda:eu-west-1:123456789012:layer:shared-libs', VersionNumber: 7 });
      assert.ok(server.sent() < readFileSync(archive).length / 4, `read ${server.sent()} of ${readFileSync(archive).length} bytes`);
      await resolver.resolve(ARN);
      assert.equal(calls.length, 1, 'a layer version never changes: asked once');
    } finally {
      await server.close();
    }
  });

  it('copes with a server that ignores Range', async () => {
    const server = await serve(archive, false);
    try {
      const resolver = lambdaLayerResolver({ send: () => Promise.resolve({ Content: { CodeSize: readFileSync(archive).length, Location: server.url } }) } as never);
      assert.equal((await resolver.resolve(ARN)).unzippedBytes, unzipped);
    } finally {
      await server.close();
    }
  });

  it('leaves the size unknown, with the reason, when AWS cannot be asked', async () => {
    const noCredentials = lambdaLayerResolver({ send: () => Promise.reject(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })) } as never);
    assert.deepEqual(await noCredentials.resolve(ARN), { unzippedBytes: null, zippedBytes: null, detail: 'no AWS credentials to look it up with' });
    const denied = lambdaLayerResolver({ send: () => Promise.reject(Object.assign(new Error('no'), { name: 'AccessDeniedException' })) } as never);
    assert.match((await denied.resolve(ARN)).detail, /denied lambda:GetLayerVersion/);
    const noArchive = lambdaLayerResolver({ send: () => Promise.resolve({ Content: { CodeSize: 1234, Location: 'http://127.0.0.1:9/gone.zip' } }) } as never);
    const r = await noArchive.resolve(ARN);
    assert.equal(r.unzippedBytes, null, 'the zip size is not passed off as the unzipped size');
    assert.equal(r.zippedBytes, 1234);
    assert.match(r.detail, /1234 bytes zipped, but its unzipped size could not be read/);
    assert.match((await noCredentials.resolve('not-an-arn')).detail, /is not a layer version ARN/);
  });

  it('adds a resolved layer to the function total', async () => {
    const server = await serve(archive);
    const code = join(t.dir, 'fn');
    writeTree(code, { 'app.js': 'x'.repeat(100) });
    const engine = new SizeEngine({ workers: 0, layerResolver: lambdaLayerResolver({ send: () => Promise.resolve({ Content: { CodeSize: readFileSync(archive).length, Location: server.url } }) } as never) });
    try {
      const s = await engine.measure(fnSpec({ codeUri: code, layers: [{ kind: 'arn', arn: ARN }] }));
      assert.equal(s.status, 'ok');
      assert.equal(s.layersUnzippedBytes, unzipped);
      assert.equal(s.totalUnzippedBytes, 100 + unzipped);
      assert.deepEqual(s.layers[0], { name: ARN, ref: 'arn', arn: ARN, unzippedBytes: unzipped, zippedBytes: readFileSync(archive).length, status: 'measured', detail: 'from the published archive' });
    } finally {
      await engine.dispose();
      await server.close();
    }
  });
});
