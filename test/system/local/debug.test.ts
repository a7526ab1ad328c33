import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BuildEngine } from '../../../src/core/build';
import { CancelledError, type CancellationTokenLike } from '../../../src/core/cancel';
import { UserError } from '../../../src/core/errors';
import { InvocationClock, type DebugTarget } from '../../../src/core/local';
import { Cdp } from '../../support/cdp';
import { runLabels, testEnv } from '../env';
import { functionSpec, type LocalFixture, localFixture } from './fixture';

interface Paused {
  reason: string;
  hitBreakpoints?: string[];
  callFrames: { callFrameId: string; url: string; location: { lineNumber: number } }[];
}

/** Attaches as a debugger does: breakpoint by URL, then lets the runtime go past its first-line pause. */
async function attachWithBreakpoint(target: DebugTarget, file: string, line: number, onHit: (cdp: Cdp, frame: Paused['callFrames'][0]) => Promise<void>): Promise<Cdp> {
  const cdp = await Cdp.connect(target.host, target.port);
  cdp.on<Paused>('Debugger.paused', (p) => {
    if (!p.hitBreakpoints?.length) {
      void cdp.send('Debugger.resume').catch(() => undefined);
      return;
    }
    void onHit(cdp, p.callFrames[0]);
  });
  await cdp.send('Runtime.enable');
  await cdp.send('Debugger.enable');
  await cdp.send('Debugger.setBreakpointByUrl', { urlRegex: `${file.replace(/\./g, '\\.')}$`, lineNumber: line });
  await cdp.send('Runtime.runIfWaitingForDebugger');
  return cdp;
}

describe('local debug: the runtime waits for a debugger on 127.0.0.1 (real Docker, Node inspector)', () => {
  let fx: LocalFixture;
  before(async () => {
    fx = await localFixture();
  });
  after(() => fx?.dispose());

  it('stops on a breakpoint in the handler with the event in scope; paused time does not count against the timeout', async () => {
    const fn = functionSpec(
      fx.root,
      'Debuggee',
      { 'index.mjs': `export const handler = async (event) => {\n  const doubled = event.n * 2;\n  return { doubled };\n};\n` },
      { timeout: 1 },
    );
    const clock = new InvocationClock();
    let seen: { target: DebugTarget; eventText: string; line: number; hostIps: string[] } | undefined;
    let cdp: Cdp | undefined;
    const result = await fx.runner.invoke(fn, {
      event: { n: 21 },
      debug: {
        clock,
        attach: async (target) => {
          const hostIps = await fx.publishedOn(target.containerId, 9229);
          cdp = await attachWithBreakpoint(target, 'index.mjs', 1, async (c, frame) => {
            clock.pause();
            const evaluated = await c.send<{ result: { value: string } }>('Debugger.evaluateOnCallFrame', { callFrameId: frame.callFrameId, expression: 'JSON.stringify(event)' });
            seen = { target, eventText: evaluated.result.value, line: frame.location.lineNumber, hostIps };
            // Stay paused longer than the function's 1 s timeout.
            await new Promise((r) => setTimeout(r, 1500));
            clock.resume();
            await c.send('Debugger.resume');
          });
        },
      },
    });
    cdp?.close();
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.deepEqual(result.payload, { doubled: 42 });
    assert.ok(seen, 'the breakpoint was hit');
    assert.equal(seen.eventText, '{"n":21}', 'the event is in scope at the breakpoint');
    assert.equal(seen.line, 1);
    assert.deepEqual(seen.hostIps, ['127.0.0.1'], 'the inspector is published on loopback only');
    assert.equal(seen.target.remoteRoot, '/var/task');
    assert.equal(seen.target.localRoot, fn.codeUri);
    assert.equal(seen.target.sourceMapped, false);
    assert.ok(result.report.durationMs < 1000, `Duration ${result.report.durationMs} ms leaves out the 1.5 s paused`);
    assert.equal(result.report.cold, true);
    assert.equal(fx.runner.containerCount(fn), 0, 'a debug container is not kept warm');
    assert.equal((await fx.containers('Debuggee')).length, 0);
  });

  it('puts the debuggee on a network of its own: other containers cannot reach its debugger, only the port published on 127.0.0.1 can', async () => {
    const runner = await fx.another({});
    const fn = functionSpec(fx.root, 'Isolated', { 'index.mjs': 'export const handler = async () => 7;\n' });
    let seen: { network: string; probes: Record<string, string> } | undefined;
    let cdp: Cdp | undefined;
    const result = await runner.invoke(fn, {
      debug: {
        attach: async (target) => {
          const info = await fx.engine.docker.getContainer(target.containerId).inspect();
          const network = info.HostConfig.NetworkMode as string;
          const ip = (info.NetworkSettings.Networks as Record<string, { IPAddress: string }>)[network]?.IPAddress;
          assert.ok(ip, `the debuggee has an address on ${network}`);
          // Another function's container on the default bridge, and a container someone attached to the debug network itself.
          const probes: Record<string, string> = {};
          for (const where of ['bridge', network]) probes[where] = await probe(where, ip, 9229);
          seen = { network, probes };
          cdp = await attachWithBreakpoint(target, 'nothing.mjs', 0, async () => undefined);
        },
      },
    });
    cdp?.close();
    assert.equal(result.payload, 7, JSON.stringify(result.error));
    assert.ok(seen);
    assert.deepEqual(seen.probes, { bridge: 'closed', [seen.network]: 'closed' }, 'no other container reaches the debugger');
    assert.match(seen.network, /^lambda-workbench-debug-[0-9a-f]+$/);
    await runner.dispose();
    const left = await fx.engine.docker.listNetworks({ filters: { name: [seen.network] } });
    assert.deepEqual(left, [], 'the runner removes its debug network when it is disposed');
  });

  /** Whether a container on `network` can open ip:port ('open'), or not ('closed'). */
  async function probe(network: string, ip: string, port: number): Promise<string> {
    const script = `const s=require('net').connect(${port},'${ip}');s.on('connect',()=>{console.log('open');process.exit(0)});s.on('error',()=>{console.log('closed');process.exit(0)});setTimeout(()=>{console.log('closed');process.exit(0)},2000);`;
    const c = await fx.engine.docker.createContainer({ Image: testEnv().image, Entrypoint: ['/var/lang/bin/node', '-e', script], Labels: runLabels(), HostConfig: { NetworkMode: network } });
    try {
      await c.start();
      await c.wait();
      return (await c.logs({ stdout: true })).toString('latin1').includes('open') ? 'open' : 'closed';
    } finally {
      await c.remove({ force: true }).catch(() => undefined);
    }
  }

  it('still times out when the handler runs too long without being paused', async () => {
    const fn = functionSpec(fx.root, 'SlowDebuggee', { 'index.mjs': `export const handler = async () => { await new Promise((r) => setTimeout(r, 3000)); return 1; };\n` }, { timeout: 1 });
    let cdp: Cdp | undefined;
    const result = await fx.runner.invoke(fn, {
      debug: {
        attach: async (target) => {
          cdp = await attachWithBreakpoint(target, 'nothing.mjs', 0, async () => undefined);
        },
      },
    });
    cdp?.close();
    assert.equal(result.report.status, 'timeout');
    assert.match(result.error?.errorMessage ?? '', /Task timed out after 1\.00 seconds/);
  });

  it('stopping the debugger while paused ends the invocation and removes the container', async () => {
    const fn = functionSpec(fx.root, 'StopMe', { 'index.mjs': `export const handler = async () => {\n  return 1;\n};\n` });
    const listeners: (() => void)[] = [];
    let cancelled = false;
    const token: CancellationTokenLike & { cancel(): void } = {
      get isCancellationRequested() {
        return cancelled;
      },
      onCancellationRequested(l: () => void) {
        listeners.push(l);
        return { dispose: () => undefined };
      },
      cancel() {
        cancelled = true;
        for (const l of listeners) l();
      },
    };
    let cdp: Cdp | undefined;
    const pending = fx.runner.invoke(fn, {
      token,
      debug: {
        attach: async (target) => {
          cdp = await attachWithBreakpoint(target, 'index.mjs', 1, async () => token.cancel());
        },
      },
    });
    await assert.rejects(pending, CancelledError);
    cdp?.close();
    assert.equal(fx.runner.containerCount(fn), 0);
    assert.equal((await fx.containers('StopMe')).length, 0);
  });

  it('removes the container when the debugger cannot attach, and says why', async () => {
    const fn = functionSpec(fx.root, 'NoAttach', { 'index.mjs': 'export const handler = async () => 1;\n' });
    await assert.rejects(
      fx.runner.invoke(fn, {
        debug: {
          attach: async () => {
            throw new UserError('The debugger did not attach.', 'Try again.', 'debugger-attach');
          },
        },
      }),
      /did not attach/,
    );
    assert.equal((await fx.containers('NoAttach')).length, 0);
  });

  it('builds an esbuild function with source maps that lead back to its TypeScript', async () => {
    const fn = functionSpec(
      fx.root,
      'TsDebuggee',
      { 'app.ts': `interface Order { id: number }\nexport const handler = async (event: Order) => {\n  const label: string = 'order-' + event.id;\n  return { label };\n};\n` },
      { handler: 'app.handler', build: { method: 'esbuild', esbuild: { minify: false } } },
    );
    // Through the build stage, as the editor and CLI run it: esbuild is a builder.
    const runner = await fx.another({ builds: new BuildEngine({ cacheDir: join(fx.root, '.cache', 'build') }) });
    let target: DebugTarget | undefined;
    let cdp: Cdp | undefined;
    const result = await runner.invoke(fn, {
      event: { id: 7 },
      debug: {
        attach: async (t) => {
          target = t;
          cdp = await attachWithBreakpoint(t, 'app.js', 0, async (c) => void (await c.send('Debugger.resume')));
        },
      },
    });
    cdp?.close();
    assert.deepEqual(result.payload, { label: 'order-7' }, `the TypeScript handler ran from its bundle: ${JSON.stringify(result.error)}`);
    assert.ok(target?.sourceMapped);
    assert.notEqual(target.localRoot, fn.codeUri, 'the bundle is mounted, not the sources');
    assert.match(target.localRoot, /TsDebuggee-debug$/, "the builder's Debug Locally artifact");
    const map = JSON.parse(readFileSync(resolve(target.localRoot, 'app.js.map'), 'utf8')) as { sources: string[] };
    assert.deepEqual(
      map.sources.map((s) => resolve(target!.localRoot, s)),
      [resolve(fn.codeUri!, 'app.ts')],
      'the source map points at the TypeScript file on this machine',
    );
    // A plain invoke runs the bundle deploy uploads: the artifact without maps.
    const plain = await runner.invoke(fn, { event: { id: 8 } });
    assert.deepEqual(plain.payload, { label: 'order-8' });
    const deployed = resolve(target.localRoot, '..', 'TsDebuggee');
    assert.ok(existsSync(resolve(deployed, 'app.js')) && !existsSync(resolve(deployed, 'app.js.map')));
  });

  it('says a Python image without debugpy cannot be debugged, and how to add it', async () => {
    const fn = functionSpec(fx.root, 'PyDebuggee', { 'app.py': 'def handler(event, context):\n    return 1\n' }, { runtime: 'python3.12', handler: 'app.handler' });
    const runner = await fx.another({ images: { 'python3.12': testEnv().image } });
    await assert.rejects(
      runner.invoke(fn, { debug: { attach: async () => assert.fail('nothing to attach to') } }),
      (err: unknown) => err instanceof UserError && err.code === 'debugpy-missing' && /debugpy/.test(err.hint ?? '') && /--image/.test(err.hint ?? ''),
    );
    assert.equal((await fx.containers()).filter((c) => c.Labels['lambda-workbench.function'] === 'PyDebuggee').length, 0);
  });

  it('says which runtimes it can debug', async () => {
    const fn = functionSpec(fx.root, 'GoFn', { bootstrap: '' }, { runtime: 'provided.al2023', handler: 'bootstrap' });
    await assert.rejects(fx.runner.invoke(fn, { debug: { attach: async () => undefined } }), /supports Node\.js, Python, Java and Go functions; GoFn uses provided\.al2023/);
  });
});
