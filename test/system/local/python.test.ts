import assert from 'node:assert/strict';
import { pythonImages } from '../env';
import { functionSpec, type LocalFixture, localFixture } from './fixture';

// Python functions run by AWS's own runtime interface client (awslambdaric) in the Python test
// images, on the CPython each image really has: 3.13 and 3.11 (no Debian release has 3.12).
for (const runtime of ['python3.13', 'python3.11'] as const) {
  describe(`local invoke of Python functions on ${runtime} (real Docker, awslambdaric)`, () => {
    let fx: LocalFixture;
    const minor = runtime.slice('python'.length);
    before(async () => {
      fx = await localFixture({ images: { [runtime]: pythonImages()[runtime] } });
    });
    after(() => fx?.dispose());

    const py = (logicalId: string, code: string, over: Parameters<typeof functionSpec>[3] = {}) =>
      functionSpec(fx.root, logicalId, { 'app.py': code }, { runtime, handler: 'app.handler', ...over });

    it('returns the result with Lambda\'s context and environment, a real REPORT, and stays warm', async () => {
      const fn = py(
        'PyEcho',
        `import logging, os, sys
print("module init")
STARTED = id(object())
logging.getLogger().setLevel(logging.INFO)

def handler(event, context):
    logging.info("handling %s", event["n"])
    keys = ["AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_REGION", "AWS_EXECUTION_ENV", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "_HANDLER", "TZ", "TABLE", "AWS_ACCESS_KEY_ID"]
    return {
        "event": event,
        "requestId": context.aws_request_id,
        "arn": context.invoked_function_arn,
        "memory": context.memory_limit_in_mb,
        "remaining": context.get_remaining_time_in_millis(),
        "env": {k: os.environ.get(k) for k in keys},
        "python": "%d.%d" % sys.version_info[:2],
        "path": sys.path[:3],
        "started": STARTED,
    }
`,
        { functionName: 'py-echo', memorySize: 256, timeout: 5, environment: { TABLE: 'orders' } },
      );
      const result = await fx.runner.invoke(fn, { event: { n: 1 } });
      assert.equal(result.error, null, JSON.stringify(result.error));
      const p = result.payload as { event: unknown; requestId: string; arn: string; memory: string; remaining: number; env: Record<string, string | null>; python: string; path: string[]; started: number };
      assert.equal(p.python, minor, 'the image runs the CPython its runtime names');
      assert.deepEqual(p.event, { n: 1 });
      assert.equal(p.requestId, result.requestId);
      assert.equal(p.arn, 'arn:aws:lambda:us-east-1:123456789012:function:py-echo');
      assert.equal(p.memory, '256');
      assert.ok(p.remaining > 0 && p.remaining <= 5000, `remaining ${p.remaining}`);
      assert.deepEqual(p.path, ['/var/task', `/opt/python/lib/python${minor}/site-packages`, '/opt/python'], 'task root, then layers, as on Lambda');
      assert.deepEqual(p.env, {
        AWS_LAMBDA_FUNCTION_NAME: 'py-echo',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
        AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/py-echo',
        AWS_REGION: 'us-east-1',
        AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}`,
        LAMBDA_TASK_ROOT: '/var/task',
        LAMBDA_RUNTIME_DIR: '/var/runtime',
        _HANDLER: 'app.handler',
        TZ: ':UTC',
        TABLE: 'orders',
        AWS_ACCESS_KEY_ID: null,
      });
      const r = result.report;
      assert.equal(r.cold, true);
      assert.ok(r.initDurationMs !== null && r.initDurationMs > 0);
      assert.equal(r.memorySizeMb, 256);
      // CPython with the runtime client takes several MB: a real figure, not a placeholder.
      assert.ok(r.maxMemoryUsedMb >= 5 && r.maxMemoryUsedMb <= 256, `max memory used ${r.maxMemoryUsedMb} MB`);
      assert.match(result.reportLine, new RegExp(`^REPORT RequestId: ${result.requestId}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: [\\d.]+ ms$`));
      const text = await result.settleLogs();
      assert.ok(text.split('\n').includes('module init'), text);
      assert.match(text, new RegExp(`\\[INFO\\]\\t\\S+Z\\t${result.requestId}\\thandling 1`), 'the logging module writes Lambda\'s Python log format');

      const warm = await fx.runner.invoke(fn, { event: { n: 2 } });
      assert.equal(warm.report.cold, false);
      assert.equal(warm.report.initDurationMs, null);
      assert.equal((warm.payload as { started: number }).started, p.started, 'the same interpreter served it');
    });

    it('reports a raised exception as awslambdaric posts it: errorType, errorMessage, requestId, stackTrace', async () => {
      const fn = py('PyRaise', `class OrderError(Exception):\n    pass\n\ndef handler(event, context):\n    raise OrderError("order %d has no items" % event["id"])\n`);
      const result = await fx.runner.invoke(fn, { event: { id: 42 } });
      assert.equal(result.payload, null);
      const e = result.error;
      assert.ok(e, 'an error');
      assert.deepEqual([e.errorType, e.errorMessage, e.requestId], ['OrderError', 'order 42 has no items', result.requestId]);
      assert.equal(e.trace, undefined, 'Python posts stackTrace, not trace');
      assert.deepEqual(e.stackTrace, ['  File "/var/task/app.py", line 5, in handler\n    raise OrderError("order %d has no items" % event["id"])\n']);
      assert.match(result.reportLine, /\tStatus: error\tError Type: OrderError$/);
      const again = await fx.runner.invoke(fn, { event: { id: 43 } });
      assert.equal(again.report.cold, false, 'a handled error keeps the environment warm');
    });

    it('reports an import failure as Runtime.ImportModuleError at init, and starts over next time', async () => {
      const fn = py('PyBrokenImport', 'import no_such_package\n\ndef handler(event, context):\n    return 1\n');
      const result = await fx.runner.invoke(fn, { event: {} });
      assert.equal(result.error?.errorType, 'Runtime.ImportModuleError');
      assert.equal(result.error?.errorMessage, "Unable to import module 'app': No module named 'no_such_package'");
      assert.equal(result.report.cold, true);
      assert.equal(result.report.status, 'error');
      assert.equal(fx.runner.containerCount(fn), 0, 'the failed environment is gone');
      assert.equal((await fx.containers('PyBrokenImport')).length, 0);
      const again = await fx.runner.invoke(fn, { event: {} });
      assert.equal(again.report.cold, true);
    });

    it('stops a handler at its timeout with Lambda\'s wording', async () => {
      const fn = py('PySlow', 'import time\n\ndef handler(event, context):\n    time.sleep(10)\n', { timeout: 1 });
      const result = await fx.runner.invoke(fn, { event: {} });
      assert.deepEqual(result.error, { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${result.requestId} Error: Task timed out after 1.00 seconds` });
      assert.equal(result.report.status, 'timeout');
      assert.equal((await fx.containers('PySlow')).length, 0, 'the timed-out container is removed');
    });

    it('kills a handler that goes over its memory, as Lambda reports it', async () => {
      const fn = py('PyHungry', 'KEEP = []\n\ndef handler(event, context):\n    for _ in range(400):\n        KEEP.append(bytearray(1024 * 1024))\n    return len(KEEP)\n', { memorySize: 128, timeout: 20 });
      const result = await fx.runner.invoke(fn, {});
      assert.deepEqual(result.error, { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: signal: killed` });
      assert.equal(result.report.errorType, 'Runtime.OutOfMemory');
      assert.equal(result.report.maxMemoryUsedMb, 128, 'it used all it had');
      assert.equal(fx.runner.containerCount(fn), 0);
    });
  });
}
