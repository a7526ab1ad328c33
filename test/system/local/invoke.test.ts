import assert from 'node:assert/strict';
import { UserError } from '../../../src/core/errors';
import type { LocalRunnerOptions } from '../../../src/core/local/runner';
import { EDITOR_SOURCES } from '../../../src/core/sources';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeZip } from '../../unit/local/zipFixture';
import { functionSpec, type LocalFixture, localFixture, writeFiles } from './fixture';

describe('local invoke: results, errors and the REPORT (real Docker, aws-lambda-ric)', () => {
  let fx: LocalFixture;
  before(async () => {
    fx = await localFixture();
  });
  after(() => fx?.dispose());

  it('returns the handler\'s result with Lambda\'s context and environment, and real REPORT figures', async () => {
    const fn = functionSpec(
      fx.root,
      'Echo',
      {
        'index.mjs': `console.log('module init');
export const handler = async (event, context) => {
  console.log('handling', JSON.stringify(event));
  const e = process.env;
  return {
    event,
    requestId: context.awsRequestId,
    arn: context.invokedFunctionArn,
    remaining: context.getRemainingTimeInMillis(),
    env: Object.fromEntries(['AWS_LAMBDA_FUNCTION_NAME','AWS_LAMBDA_FUNCTION_VERSION','AWS_LAMBDA_FUNCTION_MEMORY_SIZE','AWS_LAMBDA_LOG_GROUP_NAME','AWS_LAMBDA_LOG_STREAM_NAME','AWS_REGION','AWS_DEFAULT_REGION','AWS_EXECUTION_ENV','LAMBDA_TASK_ROOT','LAMBDA_RUNTIME_DIR','_HANDLER','TZ','TABLE','STAGE','AWS_ACCESS_KEY_ID'].map((k) => [k, e[k] ?? null])),
    traceId: e._X_AMZN_TRACE_ID ?? null,
  };
};
`,
      },
      { functionName: 'echo-fn', memorySize: 256, timeout: 5, environment: { TABLE: 'orders', STAGE: 'test' } },
    );
    const result = await fx.runner.invoke(fn, { event: { hello: 'world', n: 1 } });
    assert.equal(result.error, null);
    const p = result.payload as { event: unknown; requestId: string; arn: string; remaining: number; env: Record<string, string | null>; traceId: string | null };
    assert.deepEqual(p.event, { hello: 'world', n: 1 });
    assert.equal(p.requestId, result.requestId);
    assert.equal(p.arn, 'arn:aws:lambda:us-east-1:123456789012:function:echo-fn');
    assert.ok(p.remaining > 0 && p.remaining <= 5000, `remaining time ${p.remaining} counts down from the 5 s timeout`);
    assert.match(p.traceId ?? '', /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    assert.deepEqual({ ...p.env, AWS_LAMBDA_LOG_STREAM_NAME: null }, {
      AWS_LAMBDA_FUNCTION_NAME: 'echo-fn',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/echo-fn',
      AWS_LAMBDA_LOG_STREAM_NAME: null,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      LAMBDA_TASK_ROOT: '/var/task',
      LAMBDA_RUNTIME_DIR: '/var/runtime',
      _HANDLER: 'index.handler',
      TZ: ':UTC',
      TABLE: 'orders',
      STAGE: 'test',
      AWS_ACCESS_KEY_ID: null,
    });
    assert.match(p.env.AWS_LAMBDA_LOG_STREAM_NAME ?? '', /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);

    const r = result.report;
    assert.equal(r.cold, true);
    assert.ok(r.initDurationMs !== null && r.initDurationMs > 0, 'a cold start has an Init Duration');
    assert.ok(r.durationMs > 0);
    assert.ok(r.billedDurationMs >= r.durationMs, 'billed >= duration');
    assert.equal(r.billedDurationMs, Math.ceil(r.durationMs + r.initDurationMs - 1e-9), 'billed = duration + init, rounded up');
    assert.equal(r.memorySizeMb, 256);
    assert.ok(r.maxMemoryUsedMb > 0 && r.maxMemoryUsedMb <= 256, `max memory used ${r.maxMemoryUsedMb} MB`);
    assert.ok(r.costUsd.x86_64 > r.costUsd.arm64 && r.costUsd.arm64 > 0);
    assert.match(result.reportLine, new RegExp(`^REPORT RequestId: ${result.requestId}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms$`));

    const text = await result.settleLogs();
    const lines = text.split('\n');
    assert.equal(lines[0], `START RequestId: ${result.requestId} Version: $LATEST`);
    assert.ok(lines.some((l) => l.endsWith('INFO\tmodule init')), text);
    assert.ok(lines.some((l) => l.includes(`${result.requestId}\tINFO\thandling {"hello":"world","n":1}`)), text);
    assert.deepEqual(lines.slice(-2), [`END RequestId: ${result.requestId}`, result.reportLine]);
    const streamed = fx.logs.filter((e) => e.line.includes('handling {"hello"'));
    assert.equal(streamed.length, 1, 'the runner-wide log callback got the line too');
    assert.equal(streamed[0].requestId, result.requestId, 'tagged with the request id');
    assert.equal(streamed[0].stream, 'stdout');

    const warm = await fx.runner.invoke(fn, { event: { n: 2 } });
    assert.equal(warm.report.cold, false);
    assert.equal(warm.report.initDurationMs, null);
    assert.doesNotMatch(warm.reportLine, /Init Duration/);
    assert.ok(warm.report.maxMemoryUsedMb > 0 && warm.report.maxMemoryUsedMb <= 256);
    assert.ok(warm.report.billedDurationMs >= warm.report.durationMs);
  });

  it('keeps a thrown error\'s type and message, with its trace', async () => {
    const fn = functionSpec(fx.root, 'Thrower', {
      'index.mjs': `class ValidationError extends Error { constructor(m) { super(m); this.name = 'ValidationError'; } }
export const handler = async (event) => { throw new ValidationError('order ' + event.id + ' has no items'); };
`,
    });
    const result = await fx.runner.invoke(fn, { event: { id: 42 } });
    assert.equal(result.payload, null);
    assert.equal(result.error?.errorType, 'ValidationError');
    assert.equal(result.error?.errorMessage, 'order 42 has no items');
    assert.ok(result.error?.trace?.some((l) => l.includes('/var/task/index.mjs')), JSON.stringify(result.error));
    assert.equal(result.report.status, 'error');
    assert.match(result.reportLine, /\tStatus: error\tError Type: ValidationError$/);
    const again = await fx.runner.invoke(fn, { event: { id: 43 } });
    assert.equal(again.report.cold, false, 'a handled error keeps the environment warm, as in Lambda');
    assert.equal(again.error?.errorMessage, 'order 43 has no items');
  });

  it('reports an init error (a module that fails to import) the way Lambda does, and starts over next time', async () => {
    const fn = functionSpec(fx.root, 'BrokenImport', {
      'index.js': `const missing = require('no-such-package');\nexports.handler = async () => missing;\n`,
    });
    const result = await fx.runner.invoke(fn, { event: {} });
    assert.equal(result.error?.errorType, 'Runtime.ImportModuleError');
    assert.match(result.error?.errorMessage ?? '', /Cannot find module 'no-such-package'/);
    assert.equal(result.report.cold, true);
    assert.ok((result.report.initDurationMs ?? 0) > 0);
    assert.equal(result.report.status, 'error');
    assert.equal(fx.runner.containerCount(fn), 0, 'the failed environment is gone');
    assert.equal((await fx.containers('BrokenImport')).length, 0);
    const again = await fx.runner.invoke(fn, { event: {} });
    assert.equal(again.report.cold, true);
    assert.equal(again.error?.errorType, 'Runtime.ImportModuleError');
  });

  it('passes on what the runtime says about an ES module that fails to import', async () => {
    // The Node runtime reports a missing package of an ES module as a plain Error, in Lambda too.
    const fn = functionSpec(fx.root, 'BrokenEsm', { 'index.mjs': `import missing from 'no-such-package';\nexport const handler = async () => missing;\n` });
    const result = await fx.runner.invoke(fn, { event: {} });
    assert.equal(result.error?.errorType, 'Error');
    assert.match(result.error?.errorMessage ?? '', /Cannot find package 'no-such-package'/);
    assert.equal(fx.runner.containerCount(fn), 0);
  });

  it('reports a handler that does not exist', async () => {
    const fn = functionSpec(fx.root, 'NoHandler', { 'index.mjs': 'export const other = async () => 1;\n' }, { handler: 'index.handler' });
    const result = await fx.runner.invoke(fn, {});
    assert.equal(result.error?.errorType, 'Runtime.HandlerNotFound');
    assert.match(result.error?.errorMessage ?? '', /index\.handler is undefined or not exported/);
  });

  it('reports a runtime that crashes mid-invocation as Runtime.ExitError', async () => {
    const fn = functionSpec(fx.root, 'Crasher', { 'index.mjs': 'export const handler = async () => { process.exit(3); };\n' });
    const result = await fx.runner.invoke(fn, {});
    assert.deepEqual(result.error, { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: exit status 3` });
    assert.equal(fx.runner.containerCount(fn), 0);
    assert.match(await result.settleLogs(), /Runtime exited with error: exit status 3\nRuntime\.ExitError/);
  });

  it('runs concurrent invocations in separate warm containers', async () => {
    const fn = functionSpec(fx.root, 'Parallel', {
      'index.mjs': `const id = Math.random().toString(36).slice(2);\nexport const handler = async () => { await new Promise((r) => setTimeout(r, 300)); return id; };\n`,
    });
    const results = await Promise.all([fx.runner.invoke(fn, {}), fx.runner.invoke(fn, {})]);
    assert.notEqual(results[0].payload, results[1].payload, 'two environments');
    assert.equal(fx.runner.containerCount(fn), 2);
    const next = await Promise.all([fx.runner.invoke(fn, {}), fx.runner.invoke(fn, {})]);
    assert.deepEqual(next.map((r) => r.report.cold), [false, false]);
    assert.deepEqual(new Set(next.map((r) => r.payload)), new Set(results.map((r) => r.payload)));
  });

  it('reads an env file, and passes AWS credentials only when asked to', async () => {
    const fn = functionSpec(
      fx.root,
      'EnvFile',
      { 'index.mjs': 'export const handler = async () => ({ stage: process.env.STAGE, key: process.env.AWS_ACCESS_KEY_ID ?? null, token: process.env.AWS_SESSION_TOKEN ?? null });\n', '../envs/local.env': 'STAGE=from-file\n' },
      { environment: { STAGE: 'template' } },
    );
    const plain = await fx.runner.invoke(fn, { envFile: `${fx.root}/envs/local.env` });
    assert.deepEqual(plain.payload, { stage: 'from-file', key: null, token: null });
    const withCreds = await fx.another({ credentials: { accessKeyId: 'AKIATESTTEST', secretAccessKey: 'secret', sessionToken: 'tok' } });
    const r = await withCreds.invoke(fn, {});
    assert.deepEqual(r.payload, { stage: 'template', key: 'AKIATESTTEST', token: 'tok' });
  });

  it('passes the client context and the Cognito identity to the handler', async () => {
    const fn = functionSpec(fx.root, 'Context', { 'index.mjs': 'export const handler = async (e, c) => ({ cc: c.clientContext ?? null, id: c.identity ?? null });\n' });
    const r = await fx.runner.invoke(fn, { clientContext: { client: { app_title: 'shop' }, custom: { k: 'v' } }, cognitoIdentity: { cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' } });
    const p = r.payload as { cc: { client?: { app_title?: string }; custom?: unknown } | null; id: { cognitoIdentityId?: string } | null };
    assert.equal(p.cc?.client?.app_title, 'shop');
    assert.deepEqual(p.cc?.custom, { k: 'v' });
    assert.equal(p.id?.cognitoIdentityId, 'id-1');
  });

  it('says how to pull a missing image, or map the runtime to another, in the words of the shell that asked', async () => {
    const images = { 'nodejs22.x': '127.0.0.1:9/missing/nodejs:22' };
    const fn = functionSpec(fx.root, 'NoImage', { 'index.mjs': 'export const handler = async () => 1;\n' });
    const cases: [Partial<LocalRunnerOptions>, RegExp][] = [
      [{ images }, /\(--image\)\.$/],
      [{ images, sources: EDITOR_SOURCES }, /\(the lambdaWorkbench\.local\.images setting\)\.$/],
    ];
    for (const [opts, where] of cases) {
      const runner = await fx.another(opts);
      await assert.rejects(runner.invoke(fn, {}), (err: unknown) => {
        assert.ok(err instanceof UserError, String(err));
        assert.equal(err.code, 'image-pull-failed');
        assert.match(err.message, /^The image 127\.0\.0\.1:9\/missing\/nodejs:22 is not on this Docker engine and pulling it failed: /);
        assert.match(err.hint ?? '', /^Pull it where its registry is reachable \(`docker pull 127\.0\.0\.1:9\/missing\/nodejs:22`\), or map nodejs22\.x to an image you have /);
        assert.match(err.hint ?? '', where);
        assert.doesNotMatch(err.hint ?? '', opts.sources ? /--image/ : /setting/);
        return true;
      });
    }
  });

  it('runs a prebuilt .zip CodeUri, unpacked once (again when it changes), as sam local invoke does; refuses a crafted one', async () => {
    const src = join(fx.root, 'zipped-src');
    writeFiles(src, { 'index.mjs': "import { v } from './lib/v.mjs';\nexport const handler = async () => v;\n", 'lib/v.mjs': 'export const v = 1;\n' });
    const archive = join(fx.root, 'Zipped.zip');
    const zip = (): void => assert.equal(spawnSync('zip', ['-qr', archive, '.'], { cwd: src }).status, 0);
    zip();
    const fn = functionSpec(fx.root, 'Zipped', {}, { codeUri: archive });
    assert.equal((await fx.runner.invoke(fn, {})).payload, 1);
    const unpacked = join(fx.root, '.cache', 'archives');
    assert.equal(readdirSync(unpacked).filter((n) => !n.startsWith('.')).length, 1);
    // A rebuilt archive is unpacked again; the old unpacking goes.
    writeFiles(src, { 'lib/v.mjs': 'export const v = 2;\n' });
    zip();
    utimesSync(archive, new Date(), new Date(Date.now() + 5_000));
    assert.equal((await fx.runner.invoke(fn, { forceCold: true })).payload, 2);
    assert.equal(readdirSync(unpacked).filter((n) => !n.startsWith('.')).length, 1);

    const crafted = join(fx.root, 'Crafted.zip');
    writeFileSync(crafted, makeZip([{ name: 'index.mjs', data: 'export const handler = async () => 1;\n' }, { name: '../escaped.txt', data: 'out' }]));
    await assert.rejects(fx.runner.invoke(functionSpec(fx.root, 'Crafted', {}, { codeUri: crafted }), {}), (err: unknown) => err instanceof UserError && err.code === 'unsafe-zip' && /Crafted's CodeUri/.test(err.message));
    assert.ok(!existsSync(join(fx.root, '.cache', 'escaped.txt')) && !existsSync(join(fx.root, 'escaped.txt')));
  });
});
