import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type Docker from 'dockerode';
import { platformFor } from '../../../src/core/deploy/image';
import { type Engine, runtimeApiAddressFrom } from '../../../src/core/docker/engine';
import { decideLocality, type LocalityFacts } from '../../../src/core/docker/locality';
import { UserError } from '../../../src/core/errors';
import { codeMounts, parseBind } from '../../../src/core/local/codeCopy';
import { allowedOnceRunning, initialAllowed, planRuntimeAddress, type RuntimeAddressPlan } from '../../../src/core/local/network';
import { type ColdStartEvidence, runtimeApiReachError } from '../../../src/core/local/runtimeReach';
import { tarFolder } from '../../../src/core/local/tarFolder';

const tcp: LocalityFacts = {
  kind: 'tcp',
  virtualized: false,
  route: { localAddress: '127.0.0.1', remoteAddress: '127.0.0.1' },
  routeEndsHere: true,
  engineName: 'dev-box',
  hostName: 'dev-box',
  gatewayIsHere: true,
};

/** An engine on a unix socket; its client is never called by what these tests run. */
function unixEngine(over: Partial<Engine> = {}, info: Partial<Engine['info']> = {}): Engine {
  return {
    docker: {} as Docker,
    endpoint: { url: 'unix:///var/run/docker.sock', kind: 'unix', socketPath: '/var/run/docker.sock', source: 'the default socket' },
    info: { version: '27.0.0', apiVersion: '1.46', operatingSystem: 'Debian', architecture: 'x86_64', virtualized: false, podman: false, ...info },
    ...over,
  };
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** Entries of a tar stream, read by the format's rules: pax path records win over the ustar name. */
async function readTar(buf: Buffer): Promise<{ name: string; type: string; size: number; mode: number; link: string; body: string }[]> {
  const out: { name: string; type: string; size: number; mode: number; link: string; body: string }[] = [];
  let at = 0;
  let pax: Record<string, string> = {};
  while (at + 512 <= buf.length) {
    const h = buf.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const str = (o: number, l: number): string => h.subarray(o, o + l).toString('utf8').replace(/\0.*$/s, '');
    const sum = h.reduce((s, b, i) => s + (i >= 148 && i < 156 ? 0x20 : b), 0);
    assert.equal(parseInt(str(148, 8), 8), sum, 'header checksum');
    assert.equal(str(257, 6), 'ustar');
    const size = parseInt(str(124, 12), 8);
    const body = buf.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    const type = str(156, 1);
    if (type === 'x') {
      for (const rec of body.toString('utf8').split('\n').filter(Boolean)) {
        const [len, kv] = [rec.slice(0, rec.indexOf(' ')), rec.slice(rec.indexOf(' ') + 1)];
        assert.equal(Number(len), Buffer.byteLength(`${rec}\n`), 'a pax record counts its own length');
        pax[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
      }
      continue;
    }
    out.push({ name: pax.path ?? str(0, 100), type, size, mode: parseInt(str(100, 8), 8), link: pax.linkpath ?? str(157, 100), body: body.toString('utf8') });
    pax = {};
  }
  assert.ok(buf.subarray(buf.length - 1024).every((b) => b === 0), 'two zero blocks end the archive');
  return out;
}

describe('engine reach: local or remote, the Runtime API address, code copied in', () => {
  it('decides locality from what the engine reports, not from the address alone', () => {
    assert.equal(decideLocality({ ...tcp, kind: 'unix', route: undefined }).local, true);
    assert.equal(decideLocality(tcp).local, true);
    // An ssh -L tunnel to another machine also answers on 127.0.0.1.
    const tunnel = decideLocality({ ...tcp, engineName: 'build-box' });
    assert.equal(tunnel.local, false);
    assert.match(tunnel.reason, /reports the host name 'build-box', not this machine's \('dev-box'\)/);
    assert.deepEqual(decideLocality({ ...tcp, gatewayIsHere: false }), { local: false, reason: 'its bridge gateway is not an address of this machine' });
    assert.deepEqual(decideLocality({ ...tcp, route: { localAddress: '10.0.0.2', remoteAddress: '10.0.0.5' }, routeEndsHere: false }), { local: false, reason: '10.0.0.5 is not an address of this machine' });
    // Docker Desktop's "expose daemon on tcp://localhost:2375": its VM forwards to this machine.
    assert.equal(decideLocality({ ...tcp, virtualized: true, engineName: 'docker-desktop', gatewayIsHere: false }).local, true);
    assert.equal(decideLocality({ ...tcp, kind: 'ssh', engineName: 'build-box' }).local, false);
  });

  it('answers the container once it runs, besides the fixed callers of an engine elsewhere', () => {
    const base = { networkMode: 'bridge' as const, bindHost: '10.0.0.2', containerHost: '10.0.0.2', source: 'x' };
    const remote: RuntimeAddressPlan = { ...base, allow: ['10.0.0.5'], allowContainer: true };
    assert.equal(initialAllowed(remote), undefined, 'calls wait until the container address is known');
    assert.deepEqual(allowedOnceRunning(remote, '172.17.0.3'), ['10.0.0.5', '172.17.0.3']);
    assert.deepEqual(allowedOnceRunning(remote, undefined), ['10.0.0.5']);
    const bridge: RuntimeAddressPlan = { ...base, allow: 'container-address' };
    assert.equal(initialAllowed(bridge), undefined);
    assert.deepEqual(allowedOnceRunning(bridge, '172.17.0.3'), ['172.17.0.3']);
    const loopback: RuntimeAddressPlan = { ...base, allow: ['127.0.0.1'] };
    assert.deepEqual(initialAllowed(loopback), ['127.0.0.1']);
    assert.equal(allowedOnceRunning(loopback, '172.17.0.3'), undefined);
  });

  it('plans a chosen address: bound as given, the container answered on a local bridge', async () => {
    const chosen = { address: '127.0.0.1', source: 'the lambdaWorkbench.local.runtimeApiAddress setting' };
    assert.deepEqual(await planRuntimeAddress(unixEngine({ runtimeApiAddress: chosen }), 'bridge'), {
      networkMode: 'bridge',
      bindHost: '127.0.0.1',
      containerHost: '127.0.0.1',
      allow: 'container-address',
      source: chosen.source,
    });
    assert.deepEqual((await planRuntimeAddress(unixEngine({ runtimeApiAddress: chosen }), 'host')).allow, ['127.0.0.1', '::1']);
    const v6 = await planRuntimeAddress(unixEngine({ runtimeApiAddress: { address: '::1', source: 'x' } }), 'bridge');
    assert.equal(v6.containerHost, '[::1]');
    assert.equal(v6.bindHost, '::1');
    await assert.rejects(planRuntimeAddress(unixEngine({}, { virtualized: true, operatingSystem: 'Docker Desktop' }), 'host'), (e: unknown) => e instanceof UserError && e.code === 'runtime-api-host-network');
  });

  it('reads the Runtime API address from the option, else the environment, and plans only one IP address', async () => {
    assert.equal(runtimeApiAddressFrom({ env: {} }), undefined);
    assert.deepEqual(runtimeApiAddressFrom({ env: { LAMBDA_WORKBENCH_RUNTIME_API_ADDRESS: ' 10.8.0.2 ' } }), { address: '10.8.0.2', source: 'LAMBDA_WORKBENCH_RUNTIME_API_ADDRESS' });
    assert.deepEqual(runtimeApiAddressFrom({ runtimeApiAddress: '10.8.0.3', env: { LAMBDA_WORKBENCH_RUNTIME_API_ADDRESS: '10.8.0.2' } }), {
      address: '10.8.0.3',
      source: 'the lambdaWorkbench.local.runtimeApiAddress setting',
    });
    assert.equal((await planRuntimeAddress(unixEngine({ runtimeApiAddress: { address: '[::1]', source: 'x' } }), 'bridge')).bindHost, '::1');
    for (const bad of ['0.0.0.0', '::', 'laptop.local', '10.8.0.2:9001']) {
      await assert.rejects(planRuntimeAddress(unixEngine({ runtimeApiAddress: { address: bad, source: '--runtime-api-address' } }), 'bridge'), (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.equal(e.code, 'runtime-api-address-invalid');
        assert.equal(e.message, `The Runtime API address '${bad}' (from --runtime-api-address) is not one address of this machine.`);
        assert.match(e.hint ?? '', /one IP address of this machine/);
        return true;
      });
    }
  });

  it('says a container could not reach the Runtime API only when nothing (or only refused callers) reached it', () => {
    const plan: RuntimeAddressPlan = { networkMode: 'bridge', bindHost: '10.0.0.2', containerHost: '10.0.0.2', allow: ['10.0.0.5'], allowContainer: true, source: 'the address this machine uses to reach the engine' };
    const e: ColdStartEvidence = { logicalId: 'Fn', plan, runtimeApi: '10.0.0.2:40000', contacted: false, refused: [], ended: { kind: 'exit', code: 1, oomKilled: false } };
    const lost = runtimeApiReachError(e);
    assert.ok(lost);
    assert.equal(lost.code, 'runtime-api-unreachable');
    assert.equal(
      lost.message,
      'The container for Fn could not reach the Runtime API at 10.0.0.2:40000 (the address this machine uses to reach the engine): it exited (code 1) without ever connecting, which is what a runtime does when that address does not answer (if its output shows it failed before trying, that is the cause instead).',
    );
    assert.equal(lost.hint, 'Give an address of this machine that the engine can reach as the Runtime API address (--runtime-api-address, or the LAMBDA_WORKBENCH_RUNTIME_API_ADDRESS variable).');
    assert.match(runtimeApiReachError({ ...e, ended: { kind: 'init-timeout', afterMs: 13_000 } })?.message ?? '', /: nothing connected within 13 s \(unless its init really takes that long\)\.$/);
    assert.match(runtimeApiReachError({ ...e, plan: { ...plan, source: 'the bridge gateway', allow: 'container-address' } })?.hint ?? '', /^A firewall on this machine .*ufw allow in on docker0/);

    const refused = runtimeApiReachError({ ...e, contacted: true, refused: ['192.168.1.1'] });
    assert.match(refused?.message ?? '', /reached the Runtime API at 10\.0\.0\.2:40000 .*, but from 192\.168\.1\.1, which it does not answer \(it answers 10\.0\.0\.5, the container's own address\)/);

    // The runtime's own failures stay its own.
    assert.equal(runtimeApiReachError({ ...e, contacted: true }), undefined);
    assert.equal(runtimeApiReachError({ ...e, ended: { kind: 'exit', code: 137, oomKilled: true } }), undefined);
    assert.equal(runtimeApiReachError({ ...e, ended: { kind: 'exit', code: 127, oomKilled: false } }), undefined);
    // A custom runtime is the function's own program: it may exit in its init before asking.
    assert.equal(runtimeApiReachError({ ...e, ownRuntime: true }), undefined);
    assert.ok(runtimeApiReachError({ ...e, ownRuntime: true, ended: { kind: 'init-timeout', afterMs: 13_000 } }), 'a silent init past its time still points at the address');
  });

  it('bind-mounts on a local engine, and makes each bind target a volume to copy into on a remote one', () => {
    assert.deepEqual(parseBind('/home/me/fn:/var/task:ro'), { source: '/home/me/fn', target: '/var/task', readOnly: true });
    assert.deepEqual(parseBind('C:\\code\\fn:/var/task:ro'), { source: 'C:\\code\\fn', target: '/var/task', readOnly: true });
    assert.deepEqual(parseBind('/opt-cache/x:/opt'), { source: '/opt-cache/x', target: '/opt', readOnly: false });
    assert.throws(() => parseBind('just-a-volume'));
    const binds = ['/home/me/fn:/var/task:ro', '/cache/opt:/opt:ro'];
    assert.deepEqual(codeMounts(binds, true), { binds, mounts: [] });
    const remote = codeMounts(binds, false);
    assert.deepEqual(remote.binds, []);
    assert.deepEqual(
      remote.mounts.map((m) => [m.Type, m.Source, m.Target, m.VolumeOptions?.NoCopy]),
      [
        ['volume', '', '/var/task', true],
        ['volume', '', '/opt', true],
      ],
    );
  });

  it('writes a folder as a tar stream the engine reads: files, folders, links, modes, long names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-tar-'));
    try {
      const long = `${'d'.repeat(80)}/${'e'.repeat(60)}/file.txt`;
      writeFiles(dir, { 'index.mjs': 'export const handler = 1;\n', 'lib/big.bin': 'x'.repeat(1500), [long]: 'deep', 'é.txt': 'accent' });
      symlinkSync('index.mjs', join(dir, 'link.mjs'));
      const chunks: Buffer[] = [];
      for await (const c of tarFolder(dir)) chunks.push(c as Buffer);
      const entries = await readTar(Buffer.concat(chunks));
      const byName = new Map(entries.map((e) => [e.name, e]));
      assert.deepEqual([...byName.keys()].sort(), [`${'d'.repeat(80)}/`, `${'d'.repeat(80)}/${'e'.repeat(60)}/`, long, 'index.mjs', 'lib/', 'lib/big.bin', 'link.mjs', 'é.txt'].sort());
      assert.equal(byName.get('lib/big.bin')?.body, 'x'.repeat(1500));
      assert.equal(byName.get(long)?.body, 'deep');
      assert.equal(byName.get('é.txt')?.body, 'accent');
      assert.equal(byName.get('lib/')?.type, '5');
      assert.deepEqual([byName.get('link.mjs')?.type, byName.get('link.mjs')?.link], ['2', 'index.mjs']);
      if (process.platform !== 'win32') assert.equal(byName.get('index.mjs')?.mode, 0o644 & ~process.umask());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('asks an image build for a platform only when the engine\'s machine is another architecture', () => {
    assert.equal(platformFor('x86_64', 'x86_64'), undefined);
    assert.equal(platformFor('arm64', 'aarch64'), undefined);
    assert.equal(platformFor('x86_64', 'aarch64'), 'linux/amd64');
    assert.equal(platformFor('arm64', 'x86_64'), 'linux/arm64');
  });
});
