import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadFunctionCode, downloadZipInto } from '../../../src/core/cloud/download';
import { checkDownloadTarget } from '../../../src/core/cloud/downloadTarget';
import { UserError } from '../../../src/core/errors';
import { freePort } from '../../support/proc';
import { makeZip } from '../local/zipFixture';
import { json, Loopback } from './loopbackLambda';

const GOOD = makeZip([
  { name: 'index.mjs', data: 'export const handler = async () => "hi";\n' },
  { name: 'lib/' },
  { name: 'lib/util.mjs', data: 'export const x = 1;\n' },
  { name: 'bin/run', data: '#!/bin/sh\n', mode: 0o100755 },
]);
const EVIL = makeZip([
  { name: 'index.mjs', data: 'ok' },
  { name: '../evil.txt', data: 'escaped' },
]);

/** The download's scratch folders in the temp dir, to check none outlives a download. */
const scratchDirs = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith('lwb-download-'));

function rejectsWith(code: string, message: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof UserError, `a UserError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    return true;
  };
}

describe('cloud: downloading a function’s code', () => {
  let api: Loopback;
  let work: string;
  // GetFunction as Lambda answers it, with a code location on the same loopback server standing in for S3.
  const zips: Record<string, Buffer> = { good: GOOD, evil: EVIL };
  before(async () => {
    api = await new Loopback((req, res) => {
      const getFunction = /^\/2015-03-31\/functions\/([^/]+)$/.exec(req.path);
      if (getFunction) {
        const name = getFunction[1];
        if (name === 'container') {
          return json(res, 200, { Configuration: { FunctionName: name, PackageType: 'Image' }, Code: { RepositoryType: 'ECR', ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1' } });
        }
        if (name === 'missing') return json(res, 404, { Type: 'User', message: `Function not found: ${name}` }, { 'x-amzn-errortype': 'ResourceNotFoundException' });
        return json(res, 200, { Configuration: { FunctionName: name, PackageType: 'Zip' }, Code: { RepositoryType: 'S3', Location: `${api.url}/code/${name}.zip?X-Amz-Signature=abc` } });
      }
      const code = /^\/code\/([^/]+)\.zip$/.exec(req.path);
      if (code?.[1] === 'endless') {
        // No length header, and more bytes than any package: only counting them can stop it.
        res.writeHead(200, { 'content-type': 'application/zip' });
        for (let i = 0; i < 64; i++) res.write(Buffer.alloc(64 * 1024));
        return void res.end();
      }
      if (code && zips[code[1]]) {
        res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(zips[code[1]].length) });
        return void res.end(zips[code[1]]);
      }
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<Error><Code>AccessDenied</Code></Error>');
    }).start();
  });
  after(() => api.stop());
  beforeEach(() => {
    api.seen.splice(0);
    work = mkdtempSync(join(tmpdir(), 'lwb-cloud-download-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('fetches GetFunction’s code location and unpacks it into a new folder', async () => {
    const lambda = api.lambda();
    const progress: number[] = [];
    const result = await downloadFunctionCode(lambda, 'good', join(work, 'good'), { onProgress: (n) => progress.push(n) });
    assert.deepEqual(
      api.seen.map((s) => `${s.method} ${s.path}`),
      ['GET /2015-03-31/functions/good', 'GET /code/good.zip'],
    );
    assert.equal(result.dir, join(work, 'good'));
    assert.equal(result.files, 3);
    assert.equal(result.zipBytes, GOOD.length);
    assert.equal(progress[progress.length - 1], GOOD.length);
    assert.equal(readFileSync(join(work, 'good', 'index.mjs'), 'utf8'), 'export const handler = async () => "hi";\n');
    assert.equal(readFileSync(join(work, 'good', 'lib', 'util.mjs'), 'utf8'), 'export const x = 1;\n');
    assert.equal(statSync(join(work, 'good', 'bin', 'run')).mode & 0o111, 0o111);
    assert.deepEqual(readdirSync(work), ['good'], 'no staging folder left beside it');
    lambda.destroy();
  });

  it('unpacks into an existing empty folder, and creates missing parent folders', async () => {
    mkdirSync(join(work, 'empty'));
    await downloadZipInto(`${api.url}/code/good.zip`, join(work, 'empty'));
    assert.ok(existsSync(join(work, 'empty', 'index.mjs')));
    await downloadZipInto(`${api.url}/code/good.zip`, join(work, 'a', 'b', 'c'));
    assert.ok(existsSync(join(work, 'a', 'b', 'c', 'lib', 'util.mjs')));
  });

  it('refuses a zip with ../ entries and leaves nothing behind, not even the folders it created', async () => {
    const scratchBefore = scratchDirs();
    await assert.rejects(downloadZipInto(`${api.url}/code/evil.zip`, join(work, 'x', 'evil')), rejectsWith('unsafe-zip', /invalid relative path: \.\.\/evil\.txt/));
    assert.deepEqual(readdirSync(work), [], 'no target, no staging folder, no created parent');
    assert.equal(existsSync(join(work, 'x', 'evil.txt')), false);
    assert.equal(existsSync(join(work, 'evil.txt')), false);
    assert.deepEqual(scratchDirs().filter((d) => !scratchBefore.includes(d)), [], 'the fetched zip is gone too');

    // An existing empty target stays as it was.
    mkdirSync(join(work, 'kept'));
    await assert.rejects(downloadZipInto(`${api.url}/code/evil.zip`, join(work, 'kept')), rejectsWith('unsafe-zip', /evil\.txt/));
    assert.deepEqual(readdirSync(work), ['kept']);
    assert.deepEqual(readdirSync(join(work, 'kept')), []);
  });

  it('refuses a non-empty folder or a file before fetching anything', async () => {
    mkdirSync(join(work, 'full'));
    writeFileSync(join(work, 'full', 'mine.txt'), 'keep me');
    writeFileSync(join(work, 'file'), 'x');
    const lambda = api.lambda();
    await assert.rejects(downloadFunctionCode(lambda, 'good', join(work, 'full')), rejectsWith('download-target', /is not empty/));
    await assert.rejects(downloadFunctionCode(lambda, 'good', join(work, 'file')), rejectsWith('download-target', /is a file/));
    assert.equal(api.seen.length, 0);
    assert.equal(readFileSync(join(work, 'full', 'mine.txt'), 'utf8'), 'keep me');
    assert.equal(checkDownloadTarget(join(work, 'new')), 'absent');
    lambda.destroy();
  });

  it('says what failed when the location refuses the download, and leaves nothing', async () => {
    const lambda = api.lambda();
    await assert.rejects(downloadFunctionCode(lambda, 'expired', join(work, 'expired')), rejectsWith('download-failed', /answered HTTP 403/));
    assert.deepEqual(readdirSync(work), []);
    const closed = await freePort();
    await assert.rejects(downloadZipInto(`http://127.0.0.1:${closed}/code.zip`, join(work, 'nowhere')), rejectsWith('download-failed', new RegExp(`from 127\\.0\\.0\\.1:${closed}: ECONNREFUSED`)));
    assert.deepEqual(readdirSync(work), []);
    lambda.destroy();
  });

  it('stops a download that is larger than any package, by its length header or by its bytes, and leaves nothing', async () => {
    zips.huge = Buffer.alloc(2 * 1024 * 1024);
    for (const name of ['huge', 'endless']) {
      await assert.rejects(downloadZipInto(`${api.url}/code/${name}.zip`, join(work, name), { maxZipBytes: 1024 * 1024 }), rejectsWith('archive-too-large', /larger than 1,048,576 bytes/));
    }
    assert.deepEqual(readdirSync(work), []);
  });

  it('refuses a container image function, naming its image', async () => {
    const lambda = api.lambda();
    await assert.rejects(downloadFunctionCode(lambda, 'container', join(work, 'c')), rejectsWith('download-image-function', /container image function/));
    await assert.rejects(downloadFunctionCode(lambda, 'container', join(work, 'c')), (err: unknown) => err instanceof UserError && /docker pull 123456789012\.dkr/.test(err.hint ?? ''));
    await assert.rejects(downloadFunctionCode(lambda, 'missing', join(work, 'm')), (err: unknown) => (err as Error).name === 'ResourceNotFoundException');
    assert.deepEqual(readdirSync(work), []);
    lambda.destroy();
  });
});
