import assert from 'node:assert/strict';
import { request } from 'node:http';
import { functionSpec, type LocalFixture, localFixture } from './fixture';

const NAME = /^([0-9a-f]{32}\.runtime\.lambda-workbench\.internal):(\d+)$/;

/** A handler that tells what the runtime was given, and echoes the event. */
const HANDLER = `import { readFileSync } from 'node:fs';
export const handler = async (event) => ({ api: process.env.AWS_LAMBDA_RUNTIME_API, hosts: readFileSync('/etc/hosts', 'utf8'), event });
`;

/** Another process of this machine calling the Runtime API's port, as any local program could. */
function stranger(port: number, method: string, path: string, host?: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent: false, headers: host ? { Host: host } : {} }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('local: the Runtime API answers only its own container (real Docker, aws-lambda-ric)', () => {
  let fx: LocalFixture;
  before(async () => {
    fx = await localFixture();
  });
  after(() => fx?.dispose());

  it('on the host network, where every local process shares the runtime\'s loopback, a stranger cannot take the next event or post a result', async () => {
    const runner = await fx.another({ network: 'host' });
    const fn = functionSpec(fx.root, 'Guarded', { 'index.mjs': HANDLER }, { timeout: 5 });
    const first = await runner.invoke(fn, { event: { n: 1 } });
    assert.equal(first.error, null, first.logText());
    const p = first.payload as { api: string; hosts: string };
    // AWS's runtime client took the secret name as given, resolved it, and named it in its requests.
    const m = NAME.exec(p.api);
    assert.ok(m, `AWS_LAMBDA_RUNTIME_API is a secret name and a port: ${p.api}`);
    const [, name, port] = m;
    assert.match(p.hosts, new RegExp(`^127\\.0\\.0\\.1\\s+${name.replace(/\./g, '\\.')}$`, 'm'), 'the container resolves it to loopback');

    // The warm runtime is long-polling. A local process polls too, on the same port, and waits for the event.
    const polls = [stranger(Number(port), 'GET', '/2018-06-01/runtime/invocation/next'), stranger(Number(port), 'GET', '/2018-06-01/runtime/invocation/next', `127.0.0.1:${port}`)];
    await new Promise((r) => setTimeout(r, 200));
    const second = await runner.invoke(fn, { event: { n: 2 } });
    assert.equal(second.error, null, second.logText());
    assert.equal(second.report.cold, false);
    assert.deepEqual((second.payload as { event: unknown }).event, { n: 2 }, 'the runtime, not the stranger, got the event');
    for (const poll of await Promise.all(polls)) {
      assert.equal(poll.status, 403);
      assert.doesNotMatch(poll.body, /"n"/);
    }
    const forged = await stranger(Number(port), 'POST', `/2018-06-01/runtime/invocation/${second.requestId}/response`, `localhost:${port}`, '"forged"');
    assert.equal(forged.status, 403);
  });

  it('on the bridge network, the same secret name leads the runtime to the bridge gateway', async () => {
    const fn = functionSpec(fx.root, 'GuardedBridge', { 'index.mjs': HANDLER });
    const r = await fx.runner.invoke(fn, { event: {} });
    assert.equal(r.error, null, r.logText());
    const p = r.payload as { api: string; hosts: string };
    const m = NAME.exec(p.api);
    assert.ok(m, p.api);
    const line = p.hosts.split('\n').find((l) => l.trim().endsWith(m[1]));
    assert.match(line ?? '', /^172\.\d+\.\d+\.1\s/, `the name maps to the gateway: ${line}`);
  });
});
