import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../../src/core/errors';
import { type DebugTarget, InvocationClock } from '../../../src/core/local';
import { Dap, type StackFrame } from '../../support/dap';
import { pythonImages } from '../env';
import { pythonWheels } from '../pythonTools';
import { functionSpec, type LocalFixture, localFixture } from './fixture';

const DEBUG_IMAGE = 'lambda-workbench-test/python:3.13-debugpy';

/**
 * What the product tells a user whose image has no debugpy: build one FROM it with
 * `RUN pip install debugpy` and map the runtime to it. Done here with debugpy from the wheel cache.
 */
async function imageWithDebugpy(fx: LocalFixture): Promise<void> {
  const context = mkdtempSync(join(tmpdir(), 'lwb-debugpy-image-'));
  try {
    const wheel = readdirSync(pythonWheels()).find((f) => /^debugpy-1\.8\.22-.*\.whl$/.test(f));
    assert.ok(wheel, 'the debugpy wheel is in the cache');
    copyFileSync(join(pythonWheels(), wheel), join(context, wheel));
    writeFileSync(join(context, 'Dockerfile'), `FROM ${pythonImages()['python3.13']}\nCOPY ${wheel} /tmp/\nRUN pip install --no-index --no-cache-dir /tmp/${wheel} && rm /tmp/${wheel}\n`);
    const stream = await fx.engine.docker.buildImage({ context, src: ['Dockerfile', wheel] }, { t: DEBUG_IMAGE, rm: true, forcerm: true });
    const output = await new Promise<{ error?: string; stream?: string }[]>((resolve, reject) =>
      fx.engine.docker.modem.followProgress(stream, (err: Error | null, out: { error?: string; stream?: string }[]) => (err ? reject(err) : resolve(out))),
    );
    const failed = output.find((o) => o.error);
    assert.ok(!failed, `building ${DEBUG_IMAGE}: ${failed?.error} ${output.map((o) => o.stream ?? '').join('')}`);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

describe('local debug of Python functions: real debugpy over the Debug Adapter Protocol (CPython 3.13, awslambdaric)', () => {
  let fx: LocalFixture;
  before(async () => {
    fx = await localFixture();
    await imageWithDebugpy(fx);
  });
  after(() => fx?.dispose());

  it('stops on a breakpoint in the handler with the event in scope; the paused time does not count against the timeout', async () => {
    const runner = await fx.another({ images: { 'python3.13': DEBUG_IMAGE } });
    const fn = functionSpec(
      fx.root,
      'PyDebuggee',
      { 'app.py': 'import sys\n\n\ndef handler(event, context):\n    doubled = event["n"] * 2\n    return {"doubled": doubled, "path": sys.path[sys.path.index("/var/task"):][:3]}\n' },
      { runtime: 'python3.13', handler: 'app.handler', timeout: 1 },
    );
    const clock = new InvocationClock();
    let dap: Dap | undefined;
    let seen: { target: DebugTarget; frame: StackFrame; event: string; hostIps: string[] } | undefined;
    const result = await runner.invoke(fn, {
      event: { n: 21 },
      debug: {
        clock,
        detach: async () => dap?.close(),
        attach: async (target) => {
          const hostIps = await fx.publishedOn(target.containerId, 5678);
          dap = await Dap.connect(target.host, target.port);
          const d = dap;
          // Stays stopped longer than the function's 1 s timeout.
          d.onStop(clock, 'event', 1500, (stop) => {
            seen = { target, frame: stop.frame, event: stop.value, hostIps };
          });
          await d.request('initialize', { clientID: 'lambda-workbench-test', adapterID: 'debugpy', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
          const initialized = d.once('initialized');
          // debugpy answers attach once the configuration is done.
          const attached = d.request('attach', { justMyCode: true, pathMappings: [{ localRoot: target.localRoot, remoteRoot: target.remoteRoot }] });
          await initialized;
          await d.request('setBreakpoints', { source: { path: join(target.localRoot, 'app.py') }, breakpoints: [{ line: 5 }] });
          await d.request('configurationDone');
          await attached;
        },
      },
    });
    dap?.close();
    assert.equal(result.error, null, `paused past the timeout, yet not timed out: ${JSON.stringify(result.error)}`);
    assert.deepEqual(result.payload, { doubled: 42, path: ['/var/task', '/opt/python/lib/python3.13/site-packages', '/opt/python'] }, 'layers stay on the module path under the debugger');
    assert.ok(seen, 'the breakpoint was hit');
    assert.equal(seen.event, "{'n': 21}", 'the event is in scope at the breakpoint');
    assert.equal(seen.frame.name, 'handler');
    assert.equal(seen.frame.line, 5);
    assert.equal(seen.frame.source?.path, join(fn.codeUri!, 'app.py'), 'the frame maps back to the file on this machine');
    assert.deepEqual(seen.hostIps, ['127.0.0.1'], 'debugpy is published on loopback only');
    assert.deepEqual([seen.target.language, seen.target.remoteRoot, seen.target.localRoot], ['python', '/var/task', fn.codeUri]);
    assert.equal(runner.containerCount(fn), 0, 'a debug container is not kept warm');
  });

  it('says an image without debugpy cannot be debugged, and how to add it', async () => {
    const runner = await fx.another({ images: { 'python3.13': pythonImages()['python3.13'] } });
    const fn = functionSpec(fx.root, 'PyNoDebugpy', { 'app.py': 'def handler(event, context):\n    return 1\n' }, { runtime: 'python3.13', handler: 'app.handler' });
    await assert.rejects(
      runner.invoke(fn, { debug: { attach: async () => assert.fail('nothing to attach to') } }),
      (err: unknown) => err instanceof UserError && err.code === 'debugpy-missing' && /has no debugpy/.test(err.message) && /--image/.test(err.hint ?? ''),
    );
  });
});
