import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { UserError } from '../../../src/core/errors';
import { fingerprint } from '../../../src/core/local/fingerprint';
import { LayerCache } from '../../../src/core/local/layerCache';
import { lambdaLayerDownloader } from '../../../src/core/local/layerDownload';
import { optFolder } from '../../../src/core/local/layers';
import { makeZip } from './zipFixture';

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

describe('local: layers at /opt', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'lwb-layers-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('mounts a single layer folder as it is, and none when there are none', async () => {
    assert.equal(await optFolder([], join(work, 'merge')), undefined);
    assert.equal(await optFolder([join(work, 'a')], join(work, 'merge')), join(work, 'a'));
    assert.equal(existsSync(join(work, 'merge')), false, 'nothing built');
  });

  it('merges several layers in template order, later ones winning, as hard links', async () => {
    const a = join(work, 'a');
    const b = join(work, 'b');
    write(join(a, 'nodejs/node_modules/shared/index.js'), 'from a');
    write(join(a, 'nodejs/node_modules/only-a/index.js'), 'a only');
    write(join(b, 'nodejs/node_modules/shared/index.js'), 'from b');
    write(join(b, 'bin/tool'), 'tool');
    const merged = (await optFolder([a, b], join(work, 'merge')))!;
    assert.equal(readFileSync(join(merged, 'nodejs/node_modules/shared/index.js'), 'utf8'), 'from b');
    assert.equal(readFileSync(join(merged, 'nodejs/node_modules/only-a/index.js'), 'utf8'), 'a only');
    assert.equal(readFileSync(join(merged, 'bin/tool'), 'utf8'), 'tool');
    assert.equal(statSync(join(merged, 'bin/tool')).ino, statSync(join(b, 'bin/tool')).ino, 'linked, not copied');
    assert.equal(await optFolder([a, b], join(work, 'merge')), merged, 'built once for the same contents');
    // A change makes a new merge and drops the old one.
    write(join(a, 'nodejs/node_modules/only-a/extra.js'), 'new');
    const again = (await optFolder([a, b], join(work, 'merge')))!;
    assert.notEqual(again, merged);
    assert.deepEqual(readdirSync(join(work, 'merge')), [again.split('/').pop()]);
  });

  it('fingerprints contents by name, size and time, so an edit is seen', async () => {
    const dir = join(work, 'code');
    write(join(dir, 'index.mjs'), 'export const handler = () => 1;');
    const before = await fingerprint({ folders: [dir] });
    assert.equal(await fingerprint({ folders: [dir] }), before);
    const t = new Date(Date.now() + 5000);
    utimesSync(join(dir, 'index.mjs'), t, t);
    const touched = await fingerprint({ folders: [dir] });
    assert.notEqual(touched, before);
    write(join(dir, 'lib/new.mjs'), 'x');
    assert.notEqual(await fingerprint({ folders: [dir] }), touched);
    assert.notEqual(await fingerprint({ folders: [dir], values: { memory: 256 } }), await fingerprint({ folders: [dir], values: { memory: 128 } }));
  });
});

describe('local: remote layers', () => {
  let work: string;
  let server: Server | undefined;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'lwb-layercache-'));
  });
  afterEach(() => {
    server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const ARN = 'arn:aws:lambda:eu-west-1:123456789012:layer:shared:3';

  it('downloads a layer once through GetLayerVersionByArn and unpacks it', async () => {
    const zip = makeZip([{ name: 'nodejs/node_modules/greet/index.js', data: 'module.exports = "hi";' }]);
    let downloads = 0;
    server = createServer((_req, res) => {
      downloads++;
      res.writeHead(200, { 'content-type': 'application/zip' }).end(zip);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/layer.zip`;
    const asked: { region: string; arn: unknown }[] = [];
    const client = (region: string): Promise<Pick<LambdaClient, 'send'>> =>
      Promise.resolve({
        send: (command: { input: { Arn?: string } }) => {
          asked.push({ region, arn: command.input.Arn });
          return Promise.resolve({ Content: { Location: url } });
        },
      } as unknown as Pick<LambdaClient, 'send'>);
    const cache = new LayerCache(join(work, 'layers'), lambdaLayerDownloader(client));
    const [first, second] = await Promise.all([cache.folderFor(ARN), cache.folderFor(ARN)]);
    assert.equal(first, second);
    assert.equal(readFileSync(join(first, 'nodejs/node_modules/greet/index.js'), 'utf8'), 'module.exports = "hi";');
    assert.deepEqual(asked, [{ region: 'eu-west-1', arn: ARN }], 'the region comes from the ARN; one download for two callers');
    assert.equal(downloads, 1);
    // A new cache over the same folder finds it without downloading.
    const again = await new LayerCache(join(work, 'layers'), () => Promise.reject(new Error('must not download'))).folderFor(ARN);
    assert.equal(again, first);
    assert.deepEqual(readdirSync(first), ['nodejs'], 'no bookkeeping files inside what becomes /opt');
  });

  it('stops a layer download that is larger than any layer, and leaves nothing in the cache', async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/zip' });
      for (let i = 0; i < 32; i++) res.write(Buffer.alloc(64 * 1024));
      res.end();
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/layer.zip`;
    const client = (): Promise<Pick<LambdaClient, 'send'>> => Promise.resolve({ send: () => Promise.resolve({ Content: { Location: url } }) } as unknown as Pick<LambdaClient, 'send'>);
    const cache = new LayerCache(join(work, 'layers'), lambdaLayerDownloader(client, fetch, 1024 * 1024));
    await assert.rejects(cache.folderFor(ARN), (err: unknown) => err instanceof UserError && err.code === 'archive-too-large' && /larger than 1,048,576 bytes/.test(err.message));
    assert.deepEqual(readdirSync(join(work, 'layers')), []);
  });

  it('refuses a crafted layer zip and leaves nothing in the cache', async () => {
    const cache = new LayerCache(join(work, 'layers'), () => Promise.resolve(makeZip([{ name: 'ok.txt', data: 'x' }, { name: '../../../escape.txt', data: 'x' }])));
    await assert.rejects(cache.folderFor(ARN), (err: unknown) => err instanceof UserError && /Refusing to extract the layer .*invalid relative path/.test(err.message));
    assert.deepEqual(readdirSync(join(work, 'layers')), []);
    assert.equal(existsSync(join(work, 'escape.txt')), false);
  });

  it('says what to do when there is no way to download', async () => {
    await assert.rejects(new LayerCache(join(work, 'layers')).folderFor(ARN), (err: unknown) => err instanceof UserError && /published in AWS/.test(err.message));
  });

  it('refuses something that is not a layer ARN', async () => {
    const cache = new LayerCache(join(work, 'layers'), lambdaLayerDownloader(() => Promise.reject(new Error('no client needed'))));
    await assert.rejects(cache.folderFor('arn:aws:lambda:us-east-1:1:function:f'), /is not a layer version ARN/);
  });
});
