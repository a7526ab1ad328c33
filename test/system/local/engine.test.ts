import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkEngine, openEngine, probeEngine, resolveEndpoint } from '../../../src/core/docker';
import { UserError } from '../../../src/core/errors';


describe('docker engine: found like the docker CLI finds it, with clear errors (real engine)', () => {
  let home: string;
  // The socket of the engine the tests run on, whichever way this machine names it.
  const SOCKET = resolveEndpoint().socketPath ?? '/var/run/docker.sock';
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'lwb-engine-'));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('answers with its version on the default socket, through DOCKER_HOST, and through a docker context', async () => {
    const plain = await checkEngine();
    assert.equal(plain.ok, true);
    assert.match(plain.version, /^\d+\.\d+/);

    const viaEnv = await checkEngine({ env: { DOCKER_HOST: `unix://${SOCKET}` }, home });
    assert.equal(viaEnv.endpoint.source, 'DOCKER_HOST');

    const configDir = join(home, 'docker-config');
    const id = createHash('sha256').update('workbench-test').digest('hex');
    mkdirSync(join(configDir, 'contexts', 'meta', id), { recursive: true });
    writeFileSync(join(configDir, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: 'workbench-test', Endpoints: { docker: { Host: `unix://${SOCKET}` } } }));
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ currentContext: 'workbench-test' }));
    const viaContext = await checkEngine({ env: { DOCKER_CONFIG: configDir }, home });
    assert.equal(viaContext.endpoint.context, 'workbench-test');
    assert.equal(viaContext.version, plain.version);
  });

  it('says Docker is not running, and how to start it, for a socket that does not exist', async () => {
    const missing = join(home, 'nowhere', 'docker.sock');
    await assert.rejects(openEngine({ dockerHost: `unix://${missing}` }), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.equal(err.code, 'docker-not-running');
      assert.equal(err.message, `Docker is not running: nothing answers at unix://${missing} (the lambdaWorkbench.docker.host setting).`);
      assert.match(err.hint ?? '', /sudo systemctl start docker|Start Docker Desktop/);
      return true;
    });
    // Through DOCKER_HOST, and with no docker command anywhere: "not installed".
    await assert.rejects(openEngine({ env: { DOCKER_HOST: `unix://${missing}`, PATH: join(home, 'empty-bin') }, home }), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.equal(err.code, 'docker-not-installed');
      assert.match(err.message, /\(DOCKER_HOST\)/);
      return true;
    });
    const probe = await probeEngine({ dockerHost: `unix://${missing}` });
    assert.deepEqual({ ok: probe.ok, endpoint: probe.endpoint, version: probe.version }, { ok: false, endpoint: `unix://${missing}`, version: null });
    assert.match(probe.error ?? '', /Docker is not running/);
  });

  it('says a tcp engine is not reachable, within the check\'s time limit', async () => {
    const started = Date.now();
    await assert.rejects(openEngine({ dockerHost: 'tcp://127.0.0.1:9', timeoutMs: 2000 }), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.equal(err.code, 'docker-unreachable');
      assert.match(err.message, /not reachable at tcp:\/\/127\.0\.0\.1:9 .*connection refused/);
      return true;
    });
    assert.ok(Date.now() - started < 10_000);
  });
});
