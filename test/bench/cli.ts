/**
 * CLI start benchmark: `npm run bench:cli`. Each figure is a new process, as a script or CI job runs
 * the tool: `--version`, `--help` and `functions` on examples/ through the installed bin
 * (dist/cli.js), next to the floor, `node -e 0` (Node's own start, nothing loaded). Medians of
 * LWB_BENCH_RUNS runs (default 15), after two unmeasured runs of each (file cache, compile cache).
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { median, ratio, sample } from './instrument';

const ROOT = resolve(__dirname, '..', '..', '..');
const RUNS = Number(process.env.LWB_BENCH_RUNS ?? 15);
const BIN = join(ROOT, 'dist', 'cli.js');
/** The goal for --version and --help, in a new process. */
const GOAL_MS = 80;

async function timeRuns(args: string[]): Promise<number[]> {
  return sample(
    RUNS,
    () => {
      const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    },
    2,
  );
}

async function main(): Promise<void> {
  const floor = median(await timeRuns(['-e', '0']));
  console.log(`node ${process.version}; median of ${RUNS} new processes each`);
  console.log(`  floor: node -e 0                          ${floor.toFixed(1)} ms`);
  for (const [label, args, goal] of [
    ['--version', ['--version'], GOAL_MS],
    ['--help', ['--help'], GOAL_MS],
    ['functions --root examples', ['functions', '--root', 'examples'], undefined],
  ] as const) {
    const ms = median(await timeRuns([BIN, ...args]));
    const verdict = goal === undefined ? '' : `   goal < ${goal} ms: ${ms < goal ? 'met' : 'NOT met'}`;
    console.log(`  lambda-workbench ${label.padEnd(24)} ${ms.toFixed(1)} ms${verdict}`);
    ratio({ bench: 'cli', name: `${label} / node -e 0`, measured: `lambda-workbench ${label} in a new process (median ${ms.toFixed(1)} ms)`, reference: `node -e 0, Node's own start (median ${floor.toFixed(1)} ms)`, value: ms / floor });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
