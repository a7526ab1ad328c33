import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildEngine } from '../../../src/core/build';
import type { DebugTarget } from '../../../src/core/local';
import type { FunctionSpec } from '../../../src/core/model/types';
import { offlineSettings, type Project, project } from '../build/support';
import { type LocalFixture, localFixture } from './fixture';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Java:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: java21
      Handler: example.Outcomes::handleRequest
      CodeUri: java/
      MemorySize: 512
      Timeout: 15
      Environment:
        Variables:
          GREETING: hello from the template
`;

// A Java function built by the build stage (Maven) runs in the java21 test image, on AWS's own
// Java runtime interface client, which loads it from /var/task.
describe('local invoke: Java 21 on AWS\'s Java runtime interface client (real Maven build, real Docker)', function () {
  this.timeout(600_000);
  let p: Project;
  let fx: LocalFixture;
  let fn: FunctionSpec;

  before(async () => {
    const image = process.env.LWB_TEST_IMAGE_JAVA;
    assert.ok(image, 'the runner imports the java21 test image (test/support/services.ts)');
    p = project(TEMPLATE, { java: 'java-outcomes' });
    const engine = new BuildEngine({ cacheDir: p.cacheDir, settings: offlineSettings() });
    fx = await localFixture({ images: { java21: image }, builds: engine });
    fn = (await p.functions()).Java;
  });
  after(async () => {
    await fx?.dispose();
    p?.cleanup();
  });

  it("built first, then the result with the template's environment and Lambda's context; the next invoke is warm", async () => {
    const cold = await fx.runner.invoke(fn, { event: { action: 'hello' } });
    assert.equal(cold.error, null, JSON.stringify(cold.error));
    assert.deepEqual(cold.payload, { message: 'hello from Java', invocation: 1, requestId: cold.requestId, greeting: 'hello from the template', functionName: 'Java', memorySize: 512 });
    assert.equal(cold.report.cold, true);
    assert.match(cold.reportLine, new RegExp(`^REPORT RequestId: ${cold.requestId}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 512 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms$`));
    const warm = await fx.runner.invoke(fn, { event: { action: 'hello' } });
    assert.equal(warm.report.cold, false);
    assert.equal((warm.payload as { invocation: number }).invocation, 2);
    console.log(`      Java: cold Init Duration ${cold.report.initDurationMs} ms, Duration ${cold.report.durationMs} ms; warm Duration ${warm.report.durationMs} ms; Max Memory Used ${warm.report.maxMemoryUsedMb} MB`);
  });

  it('an exception: its class, message and stack trace, as the Java runtime reports it; the environment stays warm', async () => {
    const failed = await fx.runner.invoke(fn, { event: { action: 'fail' } });
    assert.equal(failed.payload, null);
    assert.equal(failed.error?.errorType, 'java.lang.IllegalArgumentException');
    assert.equal(failed.error?.errorMessage, 'the handler failed on purpose');
    assert.match(failed.error?.stackTrace?.[0] ?? '', /^example\.Outcomes\.handleRequest\(Outcomes\.java:\d+\)$/);
    const next = await fx.runner.invoke(fn, { event: { action: 'hello' } });
    assert.equal(next.report.cold, false);
  });

  it('Max Memory Used is what the JVM really used', async () => {
    const small = await fx.runner.invoke(fn, { event: { action: 'hello' }, forceCold: true });
    const big = await fx.runner.invoke(fn, { event: { action: 'allocate', mb: 200 } });
    assert.equal(big.error, null, JSON.stringify(big.error));
    assert.ok(big.report.maxMemoryUsedMb >= 200 && big.report.maxMemoryUsedMb <= 512, `after touching 200 MB: ${big.report.maxMemoryUsedMb} MB`);
    assert.ok(small.report.maxMemoryUsedMb < big.report.maxMemoryUsedMb - 150, `a fresh JVM uses ${small.report.maxMemoryUsedMb} MB`);
  });

  it("a timeout: Lambda's error, and the environment is replaced", async () => {
    const result = await fx.runner.invoke(fn, { event: { action: 'sleep', ms: 5000 }, timeoutSeconds: 1 });
    assert.deepEqual(result.error, { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${result.requestId} Error: Task timed out after 1.00 seconds` });
    const after = await fx.runner.invoke(fn, { event: { action: 'hello' }, timeoutSeconds: 1 });
    assert.equal(after.report.cold, true);
  });

  // The bootstrap gives the heap most of the function's memory (as AWS's does): the JVM runs out
  // of heap before the container of memory, and the runtime reports the error.
  it('over its memory: the heap runs out, reported as the JVM reports it', async () => {
    const result = await fx.runner.invoke(fn, { event: { action: 'allocate', mb: 400 }, memoryMb: 256 });
    assert.equal(result.payload, null);
    assert.equal(result.error?.errorType, 'java.lang.OutOfMemoryError');
    assert.equal(result.error?.errorMessage, 'Java heap space');
    assert.match(result.error?.stackTrace?.[0] ?? '', /^example\.Outcomes\.handleRequest\(Outcomes\.java:\d+\)$/);
  });

  it('an init failure (a static initializer throws): the runtime reports the class that could not load', async () => {
    const result = await fx.runner.invoke(fn, { event: {}, envOverrides: { FAIL_INIT: '1' } });
    assert.equal(result.payload, null);
    assert.deepEqual(result.error, { errorType: 'java.lang.ExceptionInInitializerError', errorMessage: 'Error loading class example.Outcomes' });
    assert.match(await result.settleLogs(), /init failed on purpose/);
  });

  // Debug Locally's Java path, driven by the JDK's own command-line debugger over JDWP (what the
  // Java extension's debugger speaks to the JVM too). Without one attached, the JVM does not start.
  it('Debug Locally: the JVM waits for a JDWP debugger; jdb stops in the handler with the event in scope', async () => {
    const jdb = new Jdb();
    const source = readFileSync(join(p.dir, 'java', 'src', 'main', 'java', 'example', 'Outcomes.java'), 'utf8').split('\n');
    const firstLine = source.findIndex((l) => l.includes('invocations++;')) + 1;
    assert.ok(firstLine > 0);
    let target: DebugTarget | undefined;
    let hostIps: string[] = [];
    let stopped: Promise<{ line: number; event: string }> | undefined;
    try {
      const result = await fx.runner.invoke(fn, {
        event: { action: 'hello', n: 21 },
        debug: {
          detach: async () => jdb.close(),
          attach: async (t) => {
            target = t;
            hostIps = await fx.publishedOn(t.containerId, 5005);
            await jdb.attach(t.host, t.port);
            // The JVM was paused before its first line (suspend=y): it starts now, and its runtime
            // loads the handler's class and waits for the event, which is sent once this returns.
            jdb.send('cont');
            await jdb.poll('class example.Outcomes', /Class: example\.Outcomes/);
            await jdb.command(`stop at example.Outcomes:${firstLine}`, new RegExp(`Set breakpoint example\\.Outcomes:${firstLine}`));
            stopped = (async () => {
              const hit = await jdb.command(undefined, /Breakpoint hit: "thread=[^"]+", example\.Outcomes\.handleRequest\(\), line=(\d+)/);
              const event = await jdb.command('print event', /event = (.*)\n/);
              jdb.send('cont');
              return { line: Number(hit[1]), event: event[1] };
            })();
          },
        },
      });
      assert.equal(result.error, null, `${JSON.stringify(result.error)}\n${jdb.transcript}`);
      assert.equal((result.payload as { message: string }).message, 'hello from Java');
      assert.ok(stopped, 'the debugger attached');
      const stop = await stopped;
      assert.equal(stop.line, firstLine, "stopped on the handler's first line");
      assert.equal(stop.event, '"{action=hello, n=21}"', 'the event is in scope at the breakpoint');
      assert.deepEqual(hostIps, ['127.0.0.1'], 'JDWP is published on loopback only');
      assert.equal(target?.language, 'java');
      assert.equal(fx.runner.containerCount(fn), 0, 'a debug container is not kept warm');
    } catch (err) {
      throw new Error(`${(err as Error).message}\njdb said:\n${jdb.transcript}`);
    } finally {
      jdb.close();
    }
  });
});

/** jdb, the JDK's command-line debugger, driven through its prompt. */
class Jdb {
  transcript = '';
  private proc: ChildProcessWithoutNullStreams | undefined;
  private read = 0;
  private waiters: (() => void)[] = [];

  async attach(host: string, port: number): Promise<void> {
    this.proc = spawn('jdb', ['-attach', `${host}:${port}`]);
    const take = (chunk: Buffer): void => {
      this.transcript += chunk.toString();
      for (const w of this.waiters.splice(0)) w();
    };
    this.proc.stdout.on('data', take);
    this.proc.stderr.on('data', take);
    this.proc.on('error', (err) => take(Buffer.from(`jdb could not start: ${err.message}\n`)));
    // The JVM's start event, handled: it stands on main's first line, paused.
    await this.command(undefined, /VM Started:[^]*No frames on the current call stack/);
  }

  send(line: string): void {
    this.proc?.stdin.write(`${line}\n`);
  }

  /** Sends a command (if any), then waits for output after what was already read to match. */
  async command(line: string | undefined, expect: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    if (line !== undefined) this.send(line);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = expect.exec(this.transcript.slice(this.read));
      if (m) {
        this.read += m.index + m[0].length;
        return m;
      }
      if (Date.now() > deadline || this.ended) throw new Error(`jdb: no ${expect} in:\n${this.transcript}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends a command every half second until its answer matches. */
  async poll(line: string, expect: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await this.command(line, expect, 500);
      } catch (err) {
        if (Date.now() > deadline || this.ended) throw err;
      }
    }
  }

  /** jdb is gone (it exited, or was never started). */
  private get ended(): boolean {
    return !this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null;
  }

  close(): void {
    this.proc?.kill();
  }
}
