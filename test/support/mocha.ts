import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import Mocha from 'mocha';
import { formatResult, type TierResult } from './results';

const ROOT = resolve(__dirname, '..', '..', '..');

/**
 * Where a tier's time went: wall time per test file, slowest first, written to `timingsFile` when
 * the run ends. Hooks count with their file's tests, so a slow before() shows up where it is.
 */
function recordTimings(runner: Mocha.Runner, timingsFile: string): void {
  const started = new Map<Mocha.Suite, number>();
  const perFile = new Map<string, number>();
  runner.on('suite', (s) => {
    if (s.parent?.root) started.set(s, Date.now());
  });
  runner.on('suite end', (s) => {
    const t0 = started.get(s);
    if (t0 === undefined) return;
    const file = s.file ? relative(ROOT, s.file) : s.title;
    perFile.set(file, (perFile.get(file) ?? 0) + Date.now() - t0);
  });
  runner.on('end', () => {
    const rows = [...perFile].sort((a, b) => b[1] - a[1]).map(([f, ms]) => `${(ms / 1000).toFixed(1).padStart(7)} s  ${f}`);
    mkdirSync(dirname(timingsFile), { recursive: true });
    writeFileSync(timingsFile, `${rows.join('\n')}\n`);
  });
}

/** Runs mocha over compiled test files and resolves with what passed, failed and was skipped. */
export function runMocha(files: string[], opts: { timeoutMs: number; grep?: string; color?: boolean; timingsFile?: string }): Promise<TierResult> {
  // forbidOnly: a focused test (.only) left in a file would silently skip the rest of its tier.
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: opts.timeoutMs, color: opts.color ?? true, forbidOnly: true });
  if (opts.grep) mocha.grep(opts.grep);
  for (const f of files) mocha.addFile(f);
  const failures: string[] = [];
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run(() => {
        const s = runner.stats;
        resolve({ passed: s?.passes ?? 0, failed: s?.failures ?? 0, skipped: s?.pending ?? 0, failures });
      });
      runner.on('fail', (test, err: unknown) => {
        const message = (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 300);
        failures.push(`${test.fullTitle()}: ${message}`);
      });
      if (opts.timingsFile) recordTimings(runner, opts.timingsFile);
    } catch (err) {
      reject(err);
    }
  });
}

/** Entry for a tier run in its own process: `node mocha.js FILE...` prints the result marker. */
if (require.main === module) {
  const files = process.argv.slice(2);
  runMocha(files, { timeoutMs: Number(process.env.LWB_TEST_TIMEOUT_MS ?? 20_000), grep: process.env.LWB_TEST_GREP, timingsFile: process.env.LWB_TEST_TIMINGS }).then(
    // Exit once the result is out, like mocha's --exit: keep-alive sockets of SDK clients under test
    // would otherwise hold the process open for their idle timeout.
    (r) => process.stdout.write(`${formatResult(r)}\n`, () => process.exit(r.failed > 0 ? 1 : 0)),
    (err: unknown) => {
      console.error(err);
      process.stdout.write(`${formatResult({ passed: 0, failed: 1, skipped: 0 })}\n`, () => process.exit(1));
    },
  );
}
