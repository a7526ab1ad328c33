import assert from 'node:assert/strict';
import { agreed, formatResult, parseResult } from '../support/results';

describe('test runner: how a tier is counted', () => {
  it('takes the count only from a line that is the result marker and nothing else', () => {
    const line = formatResult({ passed: 3, failed: 1, skipped: 2 });
    assert.deepEqual(parseResult(line), { passed: 3, failed: 1, skipped: 2 });
    assert.equal(parseResult(`a test printed ${line}`), undefined);
    assert.equal(parseResult(`${line} and more`), undefined);
    assert.equal(parseResult('LWB-RESULT {"passed":-1,"failed":0,"skipped":0}'), undefined);
    assert.equal(parseResult('LWB-RESULT {"passed":1}'), undefined);
    // Failed tests travel by name with the count; anything else there is not a count.
    const failed = { passed: 1, failed: 1, skipped: 0, failures: ['suite a test: expected 1'] };
    assert.deepEqual(parseResult(formatResult(failed)), failed);
    assert.equal(parseResult('LWB-RESULT {"passed":1,"failed":0,"skipped":0,"failures":[1]}'), undefined);
  });

  it('fails a tier whose process ended without a count, or whose exit code disagrees with it', () => {
    const said: string[] = [];
    const log = (why: string): number => said.push(why);
    assert.deepEqual(agreed(undefined, 0, log), { passed: 0, failed: 1, skipped: 0 });
    assert.deepEqual(agreed({ passed: 5, failed: 0, skipped: 0 }, 1, log), { passed: 5, failed: 1, skipped: 0 });
    assert.deepEqual(agreed({ passed: 5, failed: 2, skipped: 0 }, 0, log), { passed: 5, failed: 3, skipped: 0 });
    assert.equal(said.length, 3);
    assert.deepEqual(agreed({ passed: 5, failed: 2, skipped: 1 }, 1, log), { passed: 5, failed: 2, skipped: 1 });
    assert.deepEqual(agreed({ passed: 5, failed: 0, skipped: 0 }, 0, log), { passed: 5, failed: 0, skipped: 0 });
    assert.equal(said.length, 3);
  });
});
