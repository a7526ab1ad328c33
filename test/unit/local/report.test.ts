import assert from 'node:assert/strict';
import { UserError } from '../../../src/core/errors';
import { percentiles } from '../../../src/core/local/bench';
import { exitDescription, parseRuntimeError, requestTooLarge, runtimeExited, timedOut, timedOutLogLine } from '../../../src/core/local/lambdaErrors';
import { billedDurationMs, buildReport, bytesToMb, formatReportLine } from '../../../src/core/local/report';
import { invocationCostUsd } from '../../../src/core/limits';

describe('local: REPORT figures', () => {
  it('bills every started millisecond, at least one', () => {
    assert.equal(billedDurationMs(12.34, null), 13);
    assert.equal(billedDurationMs(12, null), 12);
    assert.equal(billedDurationMs(0.2, null), 1);
    assert.equal(billedDurationMs(0, null), 1);
    // the printed figure is what is billed: 12.001 prints as 12.00 and bills 12
    assert.equal(billedDurationMs(12.001, null), 12);
    assert.equal(billedDurationMs(12.006, null), 13);
  });

  it('bills the Init Duration of a cold start too (Lambda since August 2025)', () => {
    assert.equal(billedDurationMs(12.34, 210.55), 223);
    assert.equal(billedDurationMs(1.5, 0.5), 2);
  });

  it('prints whole MB, counting a started MB', () => {
    assert.equal(bytesToMb(0), 0);
    assert.equal(bytesToMb(1), 1);
    assert.equal(bytesToMb(45 * 1024 * 1024), 45);
    assert.equal(bytesToMb(45 * 1024 * 1024 + 1), 46);
  });

  it('formats the REPORT line as Lambda does', () => {
    const cold = buildReport({ cold: true, initDurationMs: 210.554, durationMs: 12.344, memorySizeMb: 128, maxMemoryUsedBytes: 45 * 1024 * 1024, maxMemorySource: 'rss-invocation', status: 'success' });
    assert.equal(
      formatReportLine('f1c5a3d4-0000-4000-8000-000000000001', cold),
      'REPORT RequestId: f1c5a3d4-0000-4000-8000-000000000001\tDuration: 12.34 ms\tBilled Duration: 223 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB\tInit Duration: 210.55 ms',
    );
    const warm = buildReport({ cold: false, initDurationMs: null, durationMs: 3, memorySizeMb: 512, maxMemoryUsedBytes: 60 * 1024 * 1024, maxMemorySource: 'rss-invocation', status: 'success' });
    assert.equal(formatReportLine('r', warm), 'REPORT RequestId: r\tDuration: 3.00 ms\tBilled Duration: 3 ms\tMemory Size: 512 MB\tMax Memory Used: 60 MB');
  });

  it('adds Status and Error Type to failed invocations', () => {
    const timeout = buildReport({ cold: false, initDurationMs: null, durationMs: 3000, memorySizeMb: 128, maxMemoryUsedBytes: 1, maxMemorySource: 'rss-invocation', status: 'timeout', errorType: 'Sandbox.Timedout' });
    assert.match(formatReportLine('r', timeout), /\tStatus: timeout$/);
    const oom = buildReport({ cold: false, initDurationMs: null, durationMs: 90, memorySizeMb: 128, maxMemoryUsedBytes: 128 * 1024 * 1024, maxMemorySource: 'limit', status: 'error', errorType: 'Runtime.OutOfMemory' });
    assert.match(formatReportLine('r', oom), /\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory$/);
  });

  it('never reports more memory used than the memory size', () => {
    const r = buildReport({ cold: false, initDurationMs: null, durationMs: 1, memorySizeMb: 128, maxMemoryUsedBytes: 200 * 1024 * 1024, maxMemorySource: 'rss-invocation', status: 'success' });
    assert.equal(r.maxMemoryUsedMb, 128);
  });

  it('costs the billed duration at both architectures\' prices', () => {
    const r = buildReport({ cold: false, initDurationMs: null, durationMs: 99.5, memorySizeMb: 1024, maxMemoryUsedBytes: 1, maxMemorySource: 'rss-invocation', status: 'success' });
    assert.equal(r.billedDurationMs, 100);
    assert.equal(r.costUsd.x86_64, invocationCostUsd(100, 1024, 'x86_64'));
    assert.equal(r.costUsd.arm64, invocationCostUsd(100, 1024, 'arm64'));
    assert.ok(r.costUsd.arm64 < r.costUsd.x86_64);
  });
});

describe('local: Lambda\'s error wording', () => {
  it('words a timeout as Lambda does', () => {
    assert.deepEqual(timedOut('abc', 3), { errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: abc Error: Task timed out after 3.00 seconds' });
    assert.equal(timedOutLogLine('abc', 900, new Date('2024-05-01T10:00:00.123Z')), '2024-05-01T10:00:00.123Z abc Task timed out after 900.00 seconds');
  });

  it('words a runtime exit the way Go prints it', () => {
    assert.equal(exitDescription(1), 'exit status 1');
    assert.equal(exitDescription(137), 'signal: killed');
    assert.equal(exitDescription(139), 'signal: segmentation fault');
    assert.equal(exitDescription(134), 'signal: aborted');
    assert.equal(exitDescription(200), 'exit status 200');
    assert.deepEqual(runtimeExited('id-1', 137), { errorType: 'Runtime.ExitError', errorMessage: 'RequestId: id-1 Error: Runtime exited with error: signal: killed' });
  });

  it('refuses an oversized request with the Invoke API\'s message', () => {
    const err = requestTooLarge(6_291_457);
    assert.ok(err instanceof UserError);
    assert.equal(err.code, 'RequestEntityTooLargeException');
    assert.match(err.message, /^Request must be smaller than 6291456 bytes for the InvokeFunction operation/);
  });

  it('reads a posted error, keeping trace or stackTrace as given', () => {
    assert.deepEqual(parseRuntimeError(Buffer.from('{"errorType":"E","errorMessage":"m","trace":["a",1]}'), undefined), { errorType: 'E', errorMessage: 'm', trace: ['a', '1'] });
    assert.deepEqual(parseRuntimeError(Buffer.from('{"errorMessage":"m"}'), 'Header.Type'), { errorType: 'Header.Type', errorMessage: 'm' });
    // Python's runtime posts the request id too; Lambda hands it on.
    assert.deepEqual(parseRuntimeError(Buffer.from('{"errorMessage":"m","errorType":"ValueError","requestId":"r-1","stackTrace":["  File x"]}'), undefined), {
      errorType: 'ValueError',
      errorMessage: 'm',
      requestId: 'r-1',
      stackTrace: ['  File x'],
    });
    assert.deepEqual(parseRuntimeError(Buffer.from(''), undefined), { errorType: 'Runtime.Unknown', errorMessage: 'The runtime reported an error without details.' });
  });
});

describe('local: percentiles', () => {
  it('uses the nearest rank and rounds to two decimals', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1.004);
    assert.deepEqual(percentiles(values), { p50: 50, p90: 90, p99: 99, max: 100 });
    assert.deepEqual(percentiles([5]), { p50: 5, p90: 5, p99: 5, max: 5 });
    assert.deepEqual(percentiles([3, 1, 2]), { p50: 2, p90: 3, p99: 3, max: 3 });
    assert.deepEqual(percentiles([]), { p50: 0, p90: 0, p99: 0, max: 0 });
  });
});
