import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { runLabels, testEnv } from '../env';
import { functionSpec, type LocalFixture, localFixture, writeFiles } from './fixture';

const CREDENTIALS = { accessKeyId: 'AKIAWORKBENCHTEST01', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYWORKBENCH', sessionToken: 'IQoJb3JpZ2luX2VjEWORKBENCHTOKEN' };
const HANDLER = 'export const handler = async () => ({ key: process.env.AWS_ACCESS_KEY_ID ?? null, secret: process.env.AWS_SECRET_ACCESS_KEY ?? null, token: process.env.AWS_SESSION_TOKEN ?? null, stage: process.env.STAGE ?? null });\n';

/** Every trace of the credentials in what the engine keeps about a container. */
function leaks(inspect: unknown): string[] {
  const text = JSON.stringify(inspect);
  return Object.values(CREDENTIALS).filter((v) => text.includes(v));
}

describe('local: AWS credentials passed to a function stay out of its container (real Docker, aws-lambda-ric)', () => {
  let fx: LocalFixture;
  before(async () => {
    fx = await localFixture();
  });
  after(() => fx?.dispose());

  it('hands them to the runtime without putting them in the container\'s configuration', async () => {
    const runner = await fx.another({ credentials: CREDENTIALS });
    const fn = functionSpec(fx.root, 'Creds', { 'index.mjs': HANDLER }, { environment: { STAGE: 'template' } });
    const r = await runner.invoke(fn, {});
    assert.equal(r.error, null, r.logText());
    assert.deepEqual(r.payload, { key: CREDENTIALS.accessKeyId, secret: CREDENTIALS.secretAccessKey, token: CREDENTIALS.sessionToken, stage: 'template' });
    const [info] = await fx.containers('Creds');
    const inspect = await fx.engine.docker.getContainer(info.Id).inspect();
    assert.deepEqual(leaks(inspect), [], 'docker inspect shows none of them');
    // Warm: the next invocation has them too, from the same process.
    const again = await runner.invoke(fn, {});
    assert.equal(again.report.cold, false);
    assert.equal((again.payload as { secret: string }).secret, CREDENTIALS.secretAccessKey);
  });

  it('leaves nothing of them in a warm container whose session died without removing it', async () => {
    writeFiles(join(fx.root, 'Holder'), { 'index.mjs': HANDLER });
    const child = spawn(process.execPath, [join(__dirname, 'credentialHolder.js')], {
      env: { ...process.env, LWB_HOLDER: JSON.stringify({ root: fx.root, image: testEnv().image, labels: runLabels(), credentials: CREDENTIALS }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      child.on('exit', (code) => reject(new Error(`the session ended early (${code}): ${err}`)));
    });
    assert.equal((JSON.parse(line) as { secret: string }).secret, CREDENTIALS.secretAccessKey, 'the function had them');
    const [info] = await fx.containers('Holder');
    assert.ok(info, 'the warm container is there');
    // The session dies: nothing removes its container.
    child.kill('SIGKILL');
    const container = fx.engine.docker.getContainer(info.Id);
    try {
      // Its runtime loses the Runtime API and exits; the container stays behind, stopped.
      const deadline = Date.now() + 15_000;
      let state = (await container.inspect()).State;
      while (state.Running && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        state = (await container.inspect()).State;
      }
      assert.equal(state.Running, false, 'the runtime exited once its Runtime API was gone');
      assert.deepEqual(leaks(await container.inspect()), [], 'the container left behind holds none of the credentials');
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
    }
  });
});
