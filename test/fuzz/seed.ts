import assert from 'node:assert/strict';
import * as fc from 'fast-check';

/**
 * One seed for the whole fuzz run, printed so that a failure can be replayed: set LWB_FUZZ_SEED to
 * it. Without it, every run explores new inputs.
 */
function seedOf(text: string | undefined): number {
  if (text === undefined || text === '') return (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
  const seed = Number(text);
  if (!Number.isInteger(seed)) throw new Error(`LWB_FUZZ_SEED must be an integer, not '${text}'`);
  return seed;
}

export const SEED = seedOf(process.env.LWB_FUZZ_SEED);
console.log(`fuzz seed ${SEED}: replay a failure with LWB_FUZZ_SEED=${SEED} node out/test/run.js --tier fuzz`);

/**
 * Checks a property with the run's seed, at most `numRuns` runs, and no new run started after
 * `timeLimitMs` (runs cut short by the limit are not failures: the tier must stay within its
 * minute on a slow machine, but it must have run the property at least once).
 */
export async function holds<T>(property: fc.IRawProperty<T>, numRuns: number, timeLimitMs: number): Promise<void> {
  const details = await fc.check(property, { seed: SEED, numRuns, interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: false });
  if (details.failed) {
    const why = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${fc.defaultReportMessage(details) ?? 'the property failed'}\nFailed with: ${why}`);
  }
  assert.ok(details.numRuns > 0, 'the property ran at least once');
}
