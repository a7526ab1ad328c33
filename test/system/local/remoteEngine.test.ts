import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { buildImage } from '../../../src/core/deploy/image';
import { type Engine, openEngine, resolveEndpoint } from '../../../src/core/docker';
import { engineIsLocal, engineLocality } from '../../../src/core/docker/locality';
import { UserError } from '../../../src/core/errors';
import { LocalRunner } from '../../../src/core/local';
import { codeMounts, copyBindsIn } from '../../../src/core/local/codeCopy';
import { lambdaEnvironment } from '../../../src/core/local/environment';
import { allowedOnceRunning, initialAllowed, planRuntimeAddress, type RuntimeAddressPlan } from '../../../src/core/local/network';
import { RuntimeApiServer } from '../../../src/core/local/runtimeApi';
import { runtimeApiReachError } from '../../../src/core/local/runtimeReach';
import { EDITOR_SOURCES } from '../../../src/core/sources';
import { runLabels, testEnv } from '../env';
import { functionSpec, writeFiles } from './fixture';
import { nonLoopbackAddress, startTcpProxy, type TcpProxy } from './tcpProxy';

const SOCKET = resolveEndpoint().socketPath ?? '/var/run/docker.sock';
const SETTING = 'the lambdaWorkbench.local.runtimeApiAddress setting';

/** The same engine as if it reported another machine's host name: what a tunnel or a remote engine looks like from here. */
function elsewhere(engine: Engine): Engine {
  return { ...engine, info: { ...engine.info, name: 'build-box' } };
}

/** A function container made the way the runner makes one, with its code bound or (remote) copied in. */
async function lambdaContainer(engine: Engine, plan: RuntimeAddressPlan, server: RuntimeApiServer, binds: string[], local: boolean): Promise<Docker.Container> {
  const { env } = lambdaEnvironment({ functionName: 'reach', memoryMb: 128, region: 'us-east-1', handler: 'index.handler', runtime: 'nodejs22.x', template: {} });
  const code = codeMounts(binds, local);
  const container = await engine.docker.createContainer({
    Image: testEnv().image,
    Cmd: ['index.handler'],
    Env: Object.entries({ ...env, AWS_LAMBDA_RUNTIME_API: server.runtimeApi }).map(([k, v]) => `${k}=${v}`),
    Labels: runLabels(),
    HostConfig: {
      Binds: code.binds,
      Mounts: [...code.mounts, { Type: 'volume', Source: '', Target: '/tmp' }],
      NetworkMode: plan.networkMode,
      ReadonlyRootfs: true,
      ExtraHosts: [server.hostsEntry(plan.containerHost)],
    },
  });
  if (!local) await copyBindsIn(container, binds);
  return container;
}

function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

describe('docker engine over tcp: remote reach, the Runtime API address, code copied in (real engine through a TCP proxy)', () => {
  let root: string;
  let unix: Engine;
  const proxies: TcpProxy[] = [];
  const containers: Docker.Container[] = [];
  const proxy = async (host: string): Promise<TcpProxy> => {
    const p = await startTcpProxy(host, SOCKET);
    proxies.push(p);
    return p;
  };
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'lwb-remote-'));
    unix = await openEngine();
  });
  afterEach(async () => {
    await Promise.all(containers.splice(0).map((c) => c.remove({ force: true, v: true }).catch(() => undefined)));
  });
  after(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    rmSync(root, { recursive: true, force: true });
  });

  it('answers version and info through tcp://127.0.0.1, and counts as this machine\'s engine with the bridge-gateway plan', async () => {
    const p = await proxy('127.0.0.1');
    const engine = await openEngine({ dockerHost: p.url });
    assert.equal(engine.endpoint.kind, 'tcp');
    assert.ok(p.connections > 0, 'the check went through the proxy');
    assert.equal(engine.info.version, unix.info.version);
    assert.equal(engine.info.name, unix.info.name);

    const where = await engineLocality(engine);
    assert.equal(where.local, true, where.reason);
    assert.deepEqual(where.route, { localAddress: '127.0.0.1', remoteAddress: '127.0.0.1' });
    assert.equal(await engineIsLocal(unix), true);
    assert.deepEqual(await planRuntimeAddress(engine, 'bridge'), await planRuntimeAddress(unix, 'bridge'));
    assert.equal((await planRuntimeAddress(engine, 'bridge')).source, 'the bridge gateway');
  });

  it('tells a tunnel to another machine from this machine\'s engine by the host name the engine reports, and says what to set', async () => {
    const p = await proxy('127.0.0.1');
    // Opened as the editor opens it: its hints name settings.
    const far = elsewhere(await openEngine({ dockerHost: p.url, sources: EDITOR_SOURCES }));
    const where = await engineLocality(far);
    assert.equal(where.local, false);
    assert.match(where.reason, /reports the host name 'build-box'/);
    assert.equal(await engineIsLocal(far), false);
    const tunnel = (err: unknown): boolean => {
      assert.ok(err instanceof UserError);
      assert.equal(err.code, 'runtime-api-unreachable');
      assert.match(err.message, new RegExp(`^The Docker engine at ${p.url.replace(/[.]/g, '\\.')} \\(the lambdaWorkbench\\.docker\\.host setting\\) runs containers on another machine .*tunnel`));
      assert.match(err.hint ?? '', /ssh:\/\/user@host.*lambdaWorkbench\.docker\.host.*lambdaWorkbench\.local\.runtimeApiAddress/);
      assert.doesNotMatch(err.hint ?? '', /--/, 'the editor names no flag');
      return true;
    };
    await assert.rejects(planRuntimeAddress(far, 'bridge'), tunnel);
    // A chosen address does not help: calls from that machine could not be told apart.
    await assert.rejects(planRuntimeAddress({ ...far, runtimeApiAddress: { address: '127.0.0.1', source: SETTING } }, 'bridge'), tunnel);

    // The runner says the same before it starts a container.
    const runner = await LocalRunner.create({ engine: far, cacheDir: join(root, 'cache'), images: { 'nodejs22.x': testEnv().image }, labels: runLabels() });
    try {
      const fn = functionSpec(root, 'Tunnelled', { 'index.mjs': 'export const handler = async () => 1;\n' });
      await assert.rejects(runner.invoke(fn, {}), tunnel);
    } finally {
      await runner.dispose();
    }
  });

  it('copies code and layers into a container with putArchive, for an engine without this machine\'s folders', async () => {
    const p = await proxy('127.0.0.1');
    const engine = await openEngine({ dockerHost: p.url });
    writeFiles(join(root, 'copy-code'), { 'index.mjs': 'export const handler = async () => 1;\n', 'lib/data.txt': 'from this machine\n' });
    writeFiles(join(root, 'copy-opt'), { 'nodejs/node_modules/dep/index.js': 'module.exports = 1;\n' });
    const binds = [`${join(root, 'copy-code')}:/var/task:ro`, `${join(root, 'copy-opt')}:/opt:ro`];
    const code = codeMounts(binds, false);
    assert.deepEqual(code.binds, []);
    const container = await engine.docker.createContainer({
      Image: testEnv().image,
      Entrypoint: ['/bin/sh', '-c', 'cat /var/task/lib/data.txt; ls /var/task; ls /opt/nodejs/node_modules/dep'],
      Labels: runLabels(),
      HostConfig: { Binds: code.binds, Mounts: code.mounts, ReadonlyRootfs: true },
    });
    containers.push(container);
    await copyBindsIn(container, binds);
    await container.start();
    const exit = (await container.wait()) as { StatusCode: number };
    const output = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
    assert.equal(exit.StatusCode, 0, output);
    for (const expected of ['from this machine', 'index.mjs', 'lib', 'index.js']) assert.ok(output.includes(expected), `${expected} in:\n${output}`);
  });

  it('builds an image through the tcp engine: the build context is sent, not read from a shared disk', async () => {
    const p = await proxy('127.0.0.1');
    const engine = await openEngine({ dockerHost: p.url });
    const context = join(root, 'image');
    writeFiles(context, { Dockerfile: `FROM ${testEnv().image}\nCOPY app.mjs /var/task/\n`, 'app.mjs': 'export const handler = async () => "built";\n' });
    const ref = `lwb-remote-build:${Date.now()}`;
    const built = await buildImage(engine.docker, { dockerfile: join(context, 'Dockerfile'), dockerContext: context }, 'x86_64', ref, () => undefined);
    try {
      assert.ok(built.sizeBytes > 0);
      assert.equal((await unix.docker.getImage(ref).inspect()).Id, built.imageId);
    } finally {
      await unix.docker.getImage(ref).remove({ force: true }).catch(() => undefined);
    }
  });

  it('on an engine elsewhere, binds the address this machine uses to reach it, which its containers reach (simulated on a non-loopback address)', async function () {
    const address = nonLoopbackAddress();
    if (!address) return this.skip(); // No interface but loopback: no second address to play the other machine's route.
    const p = await proxy(address);
    const far = elsewhere(await openEngine({ dockerHost: p.url }));
    const where = await engineLocality(far);
    assert.equal(where.local, false);
    assert.deepEqual(where.route, { localAddress: address, remoteAddress: address });
    const plan = await planRuntimeAddress(far, 'bridge');
    assert.deepEqual(plan, { networkMode: 'bridge', bindHost: address, containerHost: address, allow: [address], allowContainer: true, source: 'the address this machine uses to reach the engine' });

    // A container on that engine reaches the server there, with its code copied in, and runs the handler.
    writeFiles(join(root, 'far-code'), { 'index.mjs': "import { readFileSync } from 'node:fs';\nexport const handler = async (e) => ({ n: e.n * 2, data: readFileSync('/var/task/data.txt', 'utf8') });\n", 'data.txt': 'copied' });
    const server = await RuntimeApiServer.listen({ host: plan.bindHost, allowed: initialAllowed(plan) });
    try {
      const container = await lambdaContainer(far, plan, server, [`${join(root, 'far-code')}:/var/task:ro`], await engineIsLocal(far));
      containers.push(container);
      await container.start();
      const ip = (await container.inspect()).NetworkSettings.Networks.bridge?.IPAddress;
      const allowed = allowedOnceRunning(plan, ip);
      assert.deepEqual(allowed, [address, ip]);
      server.allow(allowed!);
      const pending = server.submit({ requestId: randomUUID(), payload: Buffer.from('{"n":21}'), timeoutMs: 5000, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:reach', traceId: 'Root=1-00000000-000000000000000000000000' });
      const outcome = await within(15_000, 'the handler\'s response', pending.outcome);
      assert.equal(outcome.kind, 'response');
      assert.deepEqual(JSON.parse(outcome.kind === 'response' ? outcome.body.toString('utf8') : ''), { n: 42, data: 'copied' });
      assert.deepEqual(server.refused, []);
    } finally {
      await server.close();
    }
  });

  it('says the container could not reach the Runtime API, and which setting to change, when the address is wrong for it', async () => {
    // Loopback is an address of this machine that bridge containers cannot reach.
    const chosen = { ...unix, runtimeApiAddress: { address: '127.0.0.1', source: SETTING } };
    const plan = await planRuntimeAddress(chosen, 'bridge');
    assert.deepEqual(plan, { networkMode: 'bridge', bindHost: '127.0.0.1', containerHost: '127.0.0.1', allow: 'container-address', source: SETTING });
    writeFiles(join(root, 'lost-code'), { 'index.mjs': 'export const handler = async () => 1;\n' });
    const server = await RuntimeApiServer.listen({ host: plan.bindHost, allowed: initialAllowed(plan) });
    try {
      const container = await lambdaContainer(unix, plan, server, [`${join(root, 'lost-code')}:/var/task:ro`], true);
      containers.push(container);
      await container.start();
      const exit = (await within(15_000, 'the runtime exiting', container.wait())) as { StatusCode: number };
      const err = runtimeApiReachError({
        logicalId: 'Lost',
        plan,
        runtimeApi: `${plan.containerHost}:${server.port}`,
        contacted: server.contacted,
        refused: server.refused,
        ended: { kind: 'exit', code: exit.StatusCode, oomKilled: false },
        sources: EDITOR_SOURCES,
      });
      assert.ok(err, `a runtime that exited with ${exit.StatusCode} and never connected could not reach the address`);
      assert.equal(err.code, 'runtime-api-unreachable');
      assert.match(err.message, new RegExp(`^The container for Lost could not reach the Runtime API at 127\\.0\\.0\\.1:${server.port} \\(${SETTING}\\): it exited \\(code \\d+\\) without ever connecting`));
      assert.match(err.hint ?? '', /lambdaWorkbench\.local\.runtimeApiAddress/);
      assert.match(err.hint ?? '', /an address of this machine that the engine can reach/);
      assert.doesNotMatch(err.hint ?? '', /--/, 'the editor names no flag');
    } finally {
      await server.close();
    }
  });

  it('refuses a Runtime API address that is not this machine\'s, or not one address, and reads it from the environment', async () => {
    // 203.0.113.0/24 is for documentation: never an address of a real machine.
    await assert.rejects(planRuntimeAddress({ ...unix, runtimeApiAddress: { address: '203.0.113.7', source: SETTING } }, 'bridge'), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.equal(err.code, 'runtime-api-address');
      assert.equal(err.message, `The Runtime API address 203.0.113.7 (from ${SETTING}) is not an address of this machine.`);
      return true;
    });
    // A value that is not one IP address fails where it is used, not when the engine is opened (deploys do not need it).
    const named = await openEngine({ runtimeApiAddress: 'my-laptop.local', runtimeApiAddressSource: '--runtime-api-address' });
    await assert.rejects(planRuntimeAddress(named, 'bridge'), (err: unknown) => err instanceof UserError && err.code === 'runtime-api-address-invalid' && /'my-laptop\.local' \(from --runtime-api-address\)/.test(err.message));
    const fromEnv = await openEngine({ env: { ...process.env, LAMBDA_WORKBENCH_RUNTIME_API_ADDRESS: '127.0.0.1' } });
    assert.deepEqual(fromEnv.runtimeApiAddress, { address: '127.0.0.1', source: 'LAMBDA_WORKBENCH_RUNTIME_API_ADDRESS' });
  });
});
