import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { benchCommand } from '../../../src/cli/commands/bench';
import { invokeCommand } from '../../../src/cli/commands/invoke';
import type { Io } from '../../../src/cli/io';
import { UsageError } from '../../../src/cli/io';
import { Cdp } from '../../support/cdp';
import { openEngine } from '../../../src/core/docker';
import { testEnv } from '../env';
import { until } from '../serve/fixture';
import { writeFiles } from './fixture';

const CLI = resolve(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');

function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += `${t}\n`), err: (t: string) => void (io.stderr += `${t}\n`) };
  return io;
}

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs22.x
    MemorySize: 128
Resources:
  Greeter:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: greeter/
      Environment:
        Variables:
          GREETING: Hello
  Failing:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: failing/
`;

describe('cli: invoke and bench (real Docker)', () => {
  let root: string;
  let common: string[];
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'lwb-cli-local-'));
    writeFiles(root, {
      'template.yaml': TEMPLATE,
      'greeter/app.mjs': "export const handler = async (e) => { console.log('greeting', e.name); return { message: `${process.env.GREETING}, ${e.name}` }; };\n",
      'failing/app.mjs': "export const handler = async () => { throw new TypeError('no name given'); };\n",
      'events/alice.json': '{"name":"Alice"}',
      'local.env': 'GREETING=Hi\n',
    });
    common = ['--image', testEnv().image, '--label', `lambda-workbench.test-run=${testEnv().runId}`];
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('invoke --json prints the contract\'s shape and exits 0', async () => {
    const io = capture();
    const code = await invokeCommand(['Greeter', '--event', 'events/alice.json', '--json', ...common], io, root);
    assert.equal(code, 0, io.stderr);
    const out = JSON.parse(io.stdout) as Record<string, unknown> & { report: Record<string, unknown>; logs: string };
    assert.equal(out.logicalId, 'Greeter');
    assert.match(out.requestId as string, /^[0-9a-f-]{36}$/);
    assert.deepEqual(out.payload, { message: 'Hello, Alice' });
    assert.equal(out.error, null);
    assert.match(out.logs, /INFO\tgreeting Alice/);
    assert.match(out.logs, /^START RequestId: .*\nREPORT RequestId: [^\n]+$/s);
    for (const k of ['cold', 'initDurationMs', 'durationMs', 'billedDurationMs', 'memorySizeMb', 'maxMemoryUsedMb', 'costUsd']) assert.ok(k in out.report, `report.${k}`);
    assert.equal(out.report.cold, true);
    assert.equal(out.report.memorySizeMb, 128);
    assert.deepEqual(Object.keys(out.report.costUsd as object).sort(), ['arm64', 'x86_64']);
    assert.equal(io.stderr, '', 'nothing but JSON, and nothing on stderr either');
  });

  it('invoke reads the event from stdin and the env file, and prints people\'s output otherwise', async () => {
    const io = capture();
    const code = await invokeCommand(['Greeter', '--event', '-', '--env-file', 'local.env', ...common], io, root, () => '{"name":"Bob"}');
    assert.equal(code, 0, io.stderr);
    assert.deepEqual(JSON.parse(io.stdout), { message: 'Hi, Bob' });
    assert.match(io.stderr, /INFO\tgreeting Bob/);
    assert.match(io.stderr, /REPORT RequestId: \S+ {2}Duration: [\d.]+ ms {2}Billed Duration: \d+ ms/);
    assert.match(io.stderr, /cold start, cost \$/);
  });

  it('invoke --debug says where the debugger waits, and sends the event once one attaches and lets it run', async () => {
    const io = capture();
    let cdp: Cdp | undefined;
    const attached = (async () => {
      // The CLI prints the address on stderr; a debugger (here a bare inspector client) attaches there.
      for (let i = 0; i < 200 && !/Debugger waiting/.test(io.stderr); i++) await new Promise((r) => setTimeout(r, 50));
      const m = /Node inspector at 127\.0\.0\.1:(\d+)/.exec(io.stderr);
      assert.ok(m, io.stderr);
      cdp = await Cdp.connect('127.0.0.1', Number(m[1]));
      cdp.on('Debugger.paused', () => void cdp?.send('Debugger.resume').catch(() => undefined));
      await cdp.send('Debugger.enable');
      await cdp.send('Runtime.runIfWaitingForDebugger');
    })();
    const code = await invokeCommand(['Greeter', '--event', 'events/alice.json', '--json', '--debug', ...common], io, root);
    await attached;
    cdp?.close();
    assert.equal(code, 0, io.stderr);
    assert.deepEqual((JSON.parse(io.stdout) as { payload: unknown }).payload, { message: 'Hello, Alice' });
    assert.match(io.stderr, /remoteRoot \/var\/task/);
    // The debug container's network of its own goes with it, once the container is gone.
    const engine = await openEngine();
    const networks = await engine.docker.listNetworks({ filters: { label: [`lambda-workbench.test-run=${testEnv().runId}`] } });
    assert.deepEqual(networks.map((n) => n.Name), [], 'no debug network is left');
  });

  it('invoke exits 0 when the handler fails: the error is data', async () => {
    const io = capture();
    const code = await invokeCommand(['Failing', '--json', ...common], io, root);
    assert.equal(code, 0, io.stderr);
    const out = JSON.parse(io.stdout) as { payload: unknown; error: { errorType: string; errorMessage: string } };
    assert.equal(out.payload, null);
    assert.equal(out.error.errorType, 'TypeError');
    assert.equal(out.error.errorMessage, 'no name given');
  });

  it('invoke exits 1 with the reason when it cannot run, and 2 for a function that is not there', async () => {
    const io = capture();
    const code = await invokeCommand(['Greeter', '--json', '--docker-host', `unix://${root}/no-docker.sock`, ...common], io, root);
    assert.equal(code, 1);
    assert.equal(io.stdout, '');
    assert.match(io.stderr, /Docker is not running: nothing answers at unix:\/\/.*no-docker\.sock \(--docker-host\)/);
    await assert.rejects(invokeCommand(['Nope', ...common], capture(), root), (err: unknown) => err instanceof UsageError && /no function 'Nope'.*Greeter, Failing/.test(err.message));
  });

  it('a CLI process prints every line its function printed, exits, and the engine then removes the container', async () => {
    // The CLI ends once the runtime's output has ended and leaves the rest of the removal to the
    // engine (LocalRunnerOptions.removal): nothing printed may be lost, and nothing may be left.
    const dir = mkdtempSync(join(tmpdir(), 'lwb-cli-chatty-'));
    const label = `lambda-workbench.test-chatty=${process.pid}-${Date.now()}`;
    try {
      writeFiles(dir, {
        'template.yaml': 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Chatty:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: app.handler\n      CodeUri: chatty/\n',
        'chatty/app.mjs': "export const handler = async () => { for (let i = 0; i < 2000; i++) console.log(`line ${i} ${'x'.repeat(100)}`); process.stdout.write('the last words, no newline'); return { done: true }; };\n",
      });
      const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'invoke', 'Chatty', '--json', ...common, '--label', label], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
      const out = JSON.parse(stdout) as { payload: unknown; logs: string };
      assert.deepEqual(out.payload, { done: true });
      const lines = out.logs.split('\n');
      assert.equal(lines.filter((l) => /\tINFO\tline \d+ x{100}$/.test(l)).length, 2000, 'every line the handler printed');
      assert.ok(lines.some((l) => l.endsWith('the last words, no newline')), 'and the partial last one');
      const engine = await openEngine();
      await until(async () => (await engine.docker.listContainers({ all: true, filters: { label: [label] } })).length === 0, 'the engine has removed the container', 10_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bench --json measures cold and warm per memory size', async () => {
    const io = capture();
    const code = await benchCommand(['Greeter', '--event', 'events/alice.json', '-n', '4', '-c', '2', '--memory', '128,256', '--cold', '2', '--json', ...common], io, root);
    assert.equal(code, 0, io.stderr);
    const out = JSON.parse(io.stdout) as { runs: Record<string, unknown>[] };
    assert.deepEqual(out.runs.map((r) => r.memorySizeMb), [128, 256]);
    for (const r of out.runs) {
      assert.equal(r.concurrency, 2);
      assert.equal(r.n, 4);
      const cold = r.cold as Record<string, number>;
      const warm = r.warm as Record<string, number>;
      assert.deepEqual(Object.keys(cold).sort(), ['max', 'p50', 'p90', 'p99']);
      assert.ok(cold.p50 > 0 && cold.p50 <= cold.p90 && cold.p90 <= cold.p99 && cold.p99 <= cold.max);
      assert.ok(warm.p50 > 0 && warm.p50 <= warm.max);
      assert.ok((r.initDurationMs as number) > 0);
      assert.ok((r.maxMemoryUsedMb as number) > 0 && (r.maxMemoryUsedMb as number) <= (r.memorySizeMb as number));
      const cost = r.costPerMillionUsd as Record<string, number>;
      assert.ok(cost.x86_64 > cost.arm64 && cost.arm64 >= 0.2, 'at least the request price');
      assert.equal(r.errors, 0);
      assert.equal(r.coldStarts, 2);
    }
  });

  it('bench checks its arguments', async () => {
    await assert.rejects(benchCommand(['Greeter', ...common], capture(), root), /bench needs --event FILE/);
    await assert.rejects(benchCommand(['Greeter', '--event', 'events/alice.json', '--memory', '64', ...common], capture(), root), /--memory sizes are whole MB from 128 to 10240/);
    await assert.rejects(benchCommand(['Greeter', '--event', 'events/alice.json', '-n', '0', ...common], capture(), root), /-n wants a whole number of at least 1/);
  });
});
