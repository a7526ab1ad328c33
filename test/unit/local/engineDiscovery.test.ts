import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerOptions } from '../../../src/core/docker/connect';
import { defaultSocketCandidates, parseDockerHost, resolveEndpoint } from '../../../src/core/docker/endpoint';
import { engineError } from '../../../src/core/docker/engineError';
import { UserError } from '../../../src/core/errors';

/** Writes a docker context the way `docker context create` stores it. */
function writeContext(configDir: string, name: string, host: string, opts: { skipTlsVerify?: boolean; tls?: boolean } = {}): void {
  const id = createHash('sha256').update(name).digest('hex');
  const meta = join(configDir, 'contexts', 'meta', id);
  mkdirSync(meta, { recursive: true });
  writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: opts.skipTlsVerify ?? false } } }));
  if (opts.tls) {
    const tls = join(configDir, 'contexts', 'tls', id, 'docker');
    mkdirSync(tls, { recursive: true });
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(tls, f), `-----${f}-----`);
  }
}

describe('docker: finding the engine like the docker CLI', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'lwb-home-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const resolve = (env: Record<string, string | undefined>, dockerHost?: string) => resolveEndpoint({ env, home, platform: 'linux', dockerHost });

  it('parses every DOCKER_HOST form', () => {
    assert.deepEqual(parseDockerHost('unix:///var/run/docker.sock', 'DOCKER_HOST'), { url: 'unix:///var/run/docker.sock', kind: 'unix', socketPath: '/var/run/docker.sock', source: 'DOCKER_HOST' });
    assert.deepEqual(parseDockerHost('/run/user/1000/docker.sock', 's'), { url: 'unix:///run/user/1000/docker.sock', kind: 'unix', socketPath: '/run/user/1000/docker.sock', source: 's' });
    assert.deepEqual(parseDockerHost('tcp://10.0.0.5:2375', 's'), { url: 'tcp://10.0.0.5:2375', kind: 'tcp', host: '10.0.0.5', port: 2375, source: 's' });
    assert.deepEqual(parseDockerHost('build-box:2376', 's'), { url: 'tcp://build-box:2376', kind: 'tcp', host: 'build-box', port: 2376, source: 's' });
    assert.deepEqual(parseDockerHost('tcp://build-box', 's'), { url: 'tcp://build-box:2375', kind: 'tcp', host: 'build-box', port: 2375, source: 's' });
    assert.deepEqual(parseDockerHost('ssh://me@build-box', 's'), { url: 'ssh://me@build-box', kind: 'ssh', host: 'build-box', port: 22, username: 'me', source: 's' });
    assert.deepEqual(parseDockerHost('ssh://me@build-box:2222', 's'), { url: 'ssh://me@build-box:2222', kind: 'ssh', host: 'build-box', port: 2222, username: 'me', source: 's' });
    assert.deepEqual(parseDockerHost('npipe:////./pipe/docker_engine', 's'), { url: 'npipe:////./pipe/docker_engine', kind: 'npipe', socketPath: '//./pipe/docker_engine', source: 's' });
    assert.throws(() => parseDockerHost('ftp://x', 'DOCKER_HOST'), (e: unknown) => e instanceof UserError && /'ftp' is not one Docker uses/.test(e.message) && /DOCKER_HOST/.test(e.message));
    assert.throws(() => parseDockerHost('unix://', 'the setting'), /socket path is missing/);
  });

  it('puts an explicit setting first, then DOCKER_HOST, then the context', () => {
    const configDir = join(home, '.docker');
    writeContext(configDir, 'colima', `unix://${home}/.colima/default/docker.sock`);
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ currentContext: 'colima' }));
    const env = { DOCKER_HOST: 'tcp://10.1.1.1:2375' };
    assert.equal(resolve(env, 'unix:///custom.sock').url, 'unix:///custom.sock');
    assert.equal(resolve(env, 'unix:///custom.sock').source, 'the lambdaWorkbench.docker.host setting');
    assert.equal(resolve(env).url, 'tcp://10.1.1.1:2375');
    assert.equal(resolve(env).source, 'DOCKER_HOST');
    const fromContext = resolve({});
    assert.equal(fromContext.url, `unix://${home}/.colima/default/docker.sock`);
    assert.equal(fromContext.context, 'colima');
    assert.equal(fromContext.source, "docker context 'colima'");
  });

  it('lets DOCKER_CONTEXT pick another context, and DOCKER_CONFIG move the config folder', () => {
    const configDir = join(home, 'elsewhere');
    writeContext(configDir, 'remote', 'tcp://203.0.113.9:2376', { tls: true });
    writeContext(configDir, 'other', 'unix:///other.sock');
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ currentContext: 'other' }));
    const ep = resolve({ DOCKER_CONFIG: configDir, DOCKER_CONTEXT: 'remote' });
    assert.equal(ep.url, 'tcp://203.0.113.9:2376');
    assert.equal(ep.tls?.verify, true);
    assert.equal(ep.tls?.caPath, join(configDir, 'contexts', 'tls', createHash('sha256').update('remote').digest('hex'), 'docker', 'ca.pem'));
    assert.equal(resolve({ DOCKER_CONFIG: configDir }).url, 'unix:///other.sock');
  });

  it('treats the default context as the default socket, and says when a named one is missing', () => {
    mkdirSync(join(home, '.docker'));
    writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: 'default' }));
    assert.equal(resolve({}).source, 'the default socket');
    assert.throws(
      () => resolve({ DOCKER_CONTEXT: 'gone' }),
      (e: unknown) => e instanceof UserError && e.message === "The docker context 'gone' (from DOCKER_CONTEXT) does not exist." && /docker context ls/.test(e.hint ?? ''),
    );
  });

  it('says when config.json is not JSON', () => {
    mkdirSync(join(home, '.docker'));
    writeFileSync(join(home, '.docker', 'config.json'), '{ nope');
    assert.throws(() => resolve({}), /config\.json is not valid JSON/);
  });

  it('falls back to the default socket, then Docker Desktop\'s, Colima\'s and Podman\'s sockets that exist', () => {
    const candidates = defaultSocketCandidates(home, { XDG_RUNTIME_DIR: join(home, 'run') }, 'linux');
    assert.deepEqual(
      candidates.map((c) => c.socketPath),
      ['/var/run/docker.sock', `${home}/.docker/run/docker.sock`, `${home}/.docker/desktop/docker.sock`, `${home}/.colima/default/docker.sock`, `${home}/run/podman/podman.sock`, '/run/podman/podman.sock'],
    );
    assert.equal(candidates[4].podman, true);
    const only = (path: string) => (p: string) => p === path;
    const pick = (path: string) => resolveEndpoint({ env: { XDG_RUNTIME_DIR: join(home, 'run') }, home, platform: 'linux', exists: only(path) });
    assert.equal(pick('/var/run/docker.sock').source, 'the default socket');
    assert.equal(pick(`${home}/.docker/run/docker.sock`).source, "Docker Desktop's socket");
    const podman = pick(`${home}/run/podman/podman.sock`);
    assert.equal(podman.url, `unix://${home}/run/podman/podman.sock`);
    assert.equal(podman.podman, true);
    // None there: the default, so the error names the socket Docker uses.
    assert.equal(resolveEndpoint({ env: {}, home, platform: 'linux', exists: () => false }).url, 'unix:///var/run/docker.sock');
  });

  it('uses DOCKER_TLS_VERIFY and DOCKER_CERT_PATH for a tcp DOCKER_HOST', () => {
    const certs = join(home, 'certs');
    mkdirSync(certs);
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certs, f), f);
    const ep = resolve({ DOCKER_HOST: 'tcp://203.0.113.9:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs });
    assert.deepEqual(ep.tls, { verify: true, caPath: join(certs, 'ca.pem'), certPath: join(certs, 'cert.pem'), keyPath: join(certs, 'key.pem') });
    const opts = dockerOptions(ep);
    assert.equal(opts.protocol, 'https');
    assert.equal(String(opts.ca), 'ca.pem');
  });

  it('gives dockerode every connection key, so DOCKER_HOST cannot leak into an explicit socket', () => {
    const opts = dockerOptions(parseDockerHost('unix:///x.sock', 's'));
    assert.ok('host' in opts && opts.host === undefined);
    assert.ok('protocol' in opts && opts.protocol === undefined);
    assert.equal(opts.socketPath, '/x.sock');
  });
});

describe('docker: errors a person can act on', () => {
  const sock = parseDockerHost('unix:///var/run/docker.sock', 'the default socket');
  const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`connect ${code}`), { code });

  it('not installed: no socket and no docker command', () => {
    const e = engineError(errno('ENOENT'), sock, false, 3000, 'linux');
    assert.equal(e.code, 'docker-not-installed');
    assert.match(e.message, /^Docker is not installed/);
    assert.match(e.hint ?? '', /docs\.docker\.com\/engine\/install/);
  });

  it('not running: installed, nothing answers', () => {
    const e = engineError(errno('ECONNREFUSED'), sock, true, 3000, 'linux');
    assert.equal(e.code, 'docker-not-running');
    assert.equal(e.message, 'Docker is not running: nothing answers at unix:///var/run/docker.sock (the default socket).');
    assert.match(e.hint ?? '', /sudo systemctl start docker/);
    assert.match(engineError(errno('ENOENT'), sock, true, 3000, 'darwin').hint ?? '', /Start Docker Desktop/);
    const podman = { ...sock, podman: true, source: "Podman's user socket" };
    assert.match(engineError(errno('ENOENT'), podman, true, 3000, 'linux').hint ?? '', /systemctl --user start podman\.socket/);
  });

  it('not reachable at a remote address, with the reason', () => {
    const tcp = parseDockerHost('tcp://203.0.113.9:2375', 'DOCKER_HOST');
    const e = engineError(errno('ECONNREFUSED'), tcp, true, 3000, 'linux');
    assert.equal(e.code, 'docker-unreachable');
    assert.equal(e.message, 'The Docker engine is not reachable at tcp://203.0.113.9:2375 (DOCKER_HOST): connection refused.');
    assert.match(engineError(errno('ENOTFOUND'), tcp, true, 3000).message, /host name does not resolve/);
    assert.match(engineError(Object.assign(new Error('x'), { statusCode: 404 }), tcp, true, 3000).message, /not a Docker engine API \(HTTP 404\)/);
  });

  it('timeout and permission', () => {
    const t = engineError(Object.assign(new Error('aborted'), { name: 'AbortError' }), sock, true, 3000, 'linux');
    assert.equal(t.code, 'docker-timeout');
    assert.match(t.message, /did not answer within 3 s/);
    const p = engineError(errno('EACCES'), sock, true, 3000, 'linux');
    assert.equal(p.code, 'docker-permission');
    assert.match(p.hint ?? '', /usermod -aG docker/);
  });
});
