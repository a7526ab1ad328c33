import Mocha from 'mocha';
import { formatResult, type TierResult } from './results';

/** Runs mocha over compiled test files and resolves with what passed, failed and was skipped. */
export function runMocha(files: string[], opts: { timeoutMs: number; grep?: string; color?: boolean }): Promise<TierResult> {
  // forbidOnly: a focused test (.only) left in a file would silently skip the rest of its tier.
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: opts.timeoutMs, color: opts.color ?? true, forbidOnly: true });
  if (opts.grep) mocha.grep(opts.grep);
  for (const f of files) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run(() => {
        const s = runner.stats;
        resolve({ passed: s?.passes ?? 0, failed: s?.failures ?? 0, skipped: s?.pending ?? 0 });
      });
    } catch (err) {
      reject(err);
    }
  });
}

/** Entry for a tier run in its own process: `node mocha.js FILE...` prints the result marker. */
if (require.main === module) {
  const files = process.argv.slice(2);
  runMocha(files, { timeoutMs: Number(process.env.LWB_TEST_TIMEOUT_MS ?? 20_000), grep: process.env.LWB_TEST_GREP }).then(
    // Exit once the result is out, like mocha's --exit: keep-alive sockets of SDK clients under test
    // would otherwise hold the process open for their idle timeout.
    (r) => process.stdout.write(`${formatResult(r)}\n`, () => process.exit(r.failed > 0 ? 1 : 0)),
    (err: unknown) => {
      console.error(err);
      process.stdout.write(`${formatResult({ passed: 0, failed: 1, skipped: 0 })}\n`, () => process.exit(1));
    },
  );
}
