import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, GetFunctionConfigurationCommand, ListLayerVersionsCommand, PublishLayerVersionCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { attachLayer, deleteLayerVersion, detachLayer } from '../../../src/core/cloud/layers';
import { downloadFunctionCode } from '../../../src/core/cloud/download';
import { invokeRemote } from '../../../src/core/cloud/invoke';
import { PagedList } from '../../../src/core/cloud/pagedList';
import { functionPages } from '../../../src/core/cloud/paging';
import type { AwsSession } from '../../../src/core/deploy';
import { UserError } from '../../../src/core/errors';
import { makeZip } from '../../unit/local/zipFixture';
import { testEnv } from '../env';
import { createRole, motoSession, resetMoto } from '../deploy/support';

const CODE = makeZip([
  { name: 'index.js', data: 'exports.handler = async (e) => e;\n' },
  { name: 'lib/util.js', data: 'module.exports = 1;\n' },
]);

function refusal(code: string, message: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof UserError, `a UserError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    return true;
  };
}

/** The Cloud view's operations against the AWS API emulator. */
describe('cloud: deployed functions and layers against moto', () => {
  let session: AwsSession;
  let role: string;

  async function publish(name: string, patch: { runtimes?: string[]; architectures?: ('x86_64' | 'arm64')[] } = {}): Promise<string> {
    const out = await session.lambda.send(
      new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: CODE }, CompatibleRuntimes: patch.runtimes as never, CompatibleArchitectures: patch.architectures }),
    );
    return out.LayerVersionArn!;
  }

  async function createFunction(name: string, layers: string[] = []): Promise<void> {
    await session.lambda.send(new CreateFunctionCommand({ FunctionName: name, Role: role, Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { ZipFile: CODE }, Layers: layers }));
  }

  const layersOf = async (name: string): Promise<string[]> =>
    ((await session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).Layers ?? []).map((l) => l.Arn!);

  beforeEach(async () => {
    await resetMoto();
    session = await motoSession();
    role = await createRole(session);
  });
  afterEach(() => session.destroy());

  it('attaches, replaces and detaches layer versions, reading the compatibility Lambda records', async () => {
    const shared1 = await publish('shared', { runtimes: ['nodejs22.x'] });
    const shared2 = await publish('shared', { runtimes: ['nodejs22.x'] });
    const other = await publish('other');
    const python = await publish('py', { runtimes: ['python3.13'] });
    const arm = await publish('arm', { architectures: ['arm64'] });
    await createFunction('api', [other]);

    const attached = await attachLayer(session.lambda, 'api', shared1);
    assert.deepEqual(attached.layers, [other, shared1]);
    assert.deepEqual(await layersOf('api'), [other, shared1]);
    assert.deepEqual(attached.configuration.Layers?.map((l) => l.Arn), [other, shared1], 'the configuration after the wait');

    const replaced = await attachLayer(session.lambda, 'api', shared2);
    assert.equal(replaced.replaced, shared1);
    assert.deepEqual(await layersOf('api'), [other, shared2]);

    // Given only an ARN, the layer's runtimes and architectures are read from Lambda.
    await assert.rejects(attachLayer(session.lambda, 'api', python), refusal('layer-incompatible', /py:1 is made for python3\.13, and api uses nodejs22\.x/));
    await assert.rejects(attachLayer(session.lambda, 'api', arm), refusal('layer-incompatible', /arm:1 is built for arm64, and api runs on x86_64/));
    await assert.rejects(attachLayer(session.lambda, 'api', shared2), refusal('layer-duplicate', /already attached/));
    await assert.rejects(
      attachLayer(session.lambda, 'api', 'arn:aws:lambda:us-east-1:123456789012:layer:shared:9'),
      refusal('layer-not-found', /does not exist/),
    );
    assert.deepEqual(await layersOf('api'), [other, shared2], 'refusals changed nothing');

    const detached = await detachLayer(session.lambda, 'api', other);
    assert.deepEqual(detached.layers, [shared2]);
    assert.deepEqual(await layersOf('api'), [shared2]);
  });

  it('refuses a sixth layer', async () => {
    const five: string[] = [];
    for (let i = 1; i <= 5; i++) five.push(await publish(`l${i}`));
    const sixth = await publish('l6');
    await createFunction('full', five);
    await assert.rejects(attachLayer(session.lambda, 'full', sixth), refusal('layer-limit', /already has 5 layers/));
    assert.deepEqual(await layersOf('full'), five);
  });

  it('deletes a layer version no function uses, and refuses one that a function uses', async () => {
    const v1 = await publish('shared');
    const v2 = await publish('shared');
    await createFunction('uses-v1', [v1]);
    const functions = new PagedList(functionPages(session.lambda));
    await functions.loadAll();
    await assert.rejects(deleteLayerVersion(session.lambda, v1, { functions: functions.fetched }), refusal('layer-in-use', /shared:1 is used by uses-v1/));
    await deleteLayerVersion(session.lambda, v2, { functions: functions.fetched });
    const left = await session.lambda.send(new ListLayerVersionsCommand({ LayerName: 'shared' }));
    assert.deepEqual(left.LayerVersions?.map((v) => v.Version), [1]);
  });

  it('counts a published function version that keeps a layer version as a user', async () => {
    const v1 = await publish('shared');
    await createFunction('api', [v1]);
    await session.lambda.send(new PublishVersionCommand({ FunctionName: 'api' }));
    await detachLayer(session.lambda, 'api', v1);
    const latest = new PagedList(functionPages(session.lambda));
    await latest.loadAll();
    const all = new PagedList(functionPages(session.lambda, { allVersions: true }));
    await all.loadAll();
    assert.ok(all.fetched.length > latest.fetched.length, 'FunctionVersion ALL lists the published version too');
    await assert.rejects(deleteLayerVersion(session.lambda, v1, { functions: all.fetched }), refusal('layer-in-use', /shared:1 is used by api:1\./));
  });

  it('pages the emulator’s one-page listing 50 at a time, from one request', async () => {
    for (let i = 0; i < 120; i += 20) await Promise.all(Array.from({ length: 20 }, (_, j) => createFunction(`fn-${i + j}`)));
    let requests = 0;
    const counted = { send: ((...args: Parameters<AwsSession['lambda']['send']>) => (requests++, session.lambda.send(...args))) as AwsSession['lambda']['send'] };
    const list = new PagedList(functionPages(counted));
    await list.first();
    assert.equal(list.items.length, 50);
    assert.equal(list.hasMore, true);
    await list.loadAll();
    assert.equal(list.items.length, 120);
    assert.equal(new Set(list.items.map((f) => f.FunctionName)).size, 120);
    assert.equal(requests, 1);
  });

  describe('downloading code', () => {
    let work: string;
    let server: Server;
    let storeUrl = '';
    const served: string[] = [];
    before(async () => {
      // The emulator's code location names an S3 host that cannot be reached here; this server
      // stands in for it and serves the bytes the function was created with.
      server = createServer((req, res) => {
        served.push(req.url ?? '');
        res.writeHead(200, { 'content-type': 'application/zip' });
        res.end(CODE);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      storeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    beforeEach(() => {
      work = mkdtempSync(join(tmpdir(), 'lwb-cloud-system-'));
      served.splice(0);
    });
    afterEach(() => rmSync(work, { recursive: true, force: true }));

    it('downloads from the location GetFunction gives and unpacks into a new folder', async () => {
      await createFunction('api');
      const viaStore: typeof fetch = (url, init) => fetch(`${storeUrl}${new URL(String(url)).pathname}`, init);
      const result = await downloadFunctionCode(session.lambda, 'api', join(work, 'api'), { fetch: viaStore });
      assert.equal(served.length, 1);
      assert.match(served[0], /^\/api-/, 'the path of the location the emulator gave');
      assert.equal(result.files, 2);
      assert.equal(readFileSync(join(work, 'api', 'lib', 'util.js'), 'utf8'), 'module.exports = 1;\n');
    });

    it('says the download failed when the location cannot be reached, and leaves nothing', async () => {
      await createFunction('api');
      await assert.rejects(downloadFunctionCode(session.lambda, 'api', join(work, 'api')), refusal('download-failed', /Could not download the code of api.* awslambda-us-east-1-tasks\.s3/));
      assert.deepEqual(readdirSync(work), []);
      await assert.rejects(downloadFunctionCode(session.lambda, 'nope', join(work, 'nope')), (err: unknown) => (err as Error).name === 'ResourceNotFoundException');
      assert.equal(existsSync(join(work, 'nope')), false);
    });
  });

  it('invokes a function and returns what it answered (the emulator echoes without Docker)', async () => {
    const config = (useDocker: boolean) =>
      fetch(`${testEnv().motoUrl}/moto-api/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lambda: { use_docker: useDocker } }) });
    await config(false);
    try {
      await createFunction('echo');
      const r = await invokeRemote(session.lambda, 'echo', '{"order": 42, "items": ["a", "b"]}');
      assert.equal(r.statusCode, 200);
      assert.equal(r.functionError, undefined);
      assert.deepEqual(r.payload, { order: 42, items: ['a', 'b'] });
      assert.equal(r.logTail, undefined, 'the emulator sends no log tail');
    } finally {
      await config(true);
    }
  });
});
