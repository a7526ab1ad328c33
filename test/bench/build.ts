/**
 * Build benchmark: `npm run bench:build`.
 *
 * The Python sample (numpy and pandas, python3.11) and the Node.js sample (sharp with its native
 * parts), each a one-function template, built in one run by `sam build` (AWS SAM CLI from the tool
 * cache) and by `lambda-workbench build` (this repository's CLI), as the wall time of each process.
 * Both run in the same environment, offline from the same local package folders that scripts/setup.sh
 * (steps builddeps and samcli) fills: pip with PIP_NO_INDEX and PIP_FIND_LINKS, npm with
 * npm_config_offline and npm_config_cache. So both install the same packages from the same places.
 *
 * Printed, each the median of several runs, as ratios to `sam build` of the same project:
 *   cold:      an empty artifact folder and no build state, with our dependency cache already holding
 *              an install of the same manifest (made by another project): the goal's "shared
 *              dependency cache" case. Goal: at most 0.5x a cold `sam build` (empty build dir).
 *   cold, empty dependency cache: the same with nothing cached at all (for information).
 *   no change: a rebuild with nothing changed. Goal: at most 0.05x `sam build` run again on the
 *              unchanged project (its default, which rebuilds); `sam build --cached` is printed too.
 * Everything it creates is removed at the end.   LWB_BENCH_RUNS=N (default 3)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { samEnv, samTool } from '../system/build/sam';
import { project } from '../system/build/support';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const RUNS = Number(process.env.LWB_BENCH_RUNS ?? 3);

const SAMPLES = [
  { name: 'Python (numpy, pandas)', sample: 'parity-python', runtime: 'python3.11' },
  { name: 'Node.js (sharp)', sample: 'parity-node', runtime: 'nodejs20.x' },
];

const template = (runtime: string): string => `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: fn/
      Handler: app.handler
      Runtime: ${runtime}
`;

/** Runs a command to the end in the benchmark's environment; its wall time in ms and stdout. */
function timed(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): { ms: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { ms, stdout: r.stdout };
}

function sam(dir: string, env: NodeJS.ProcessEnv, extra: string[] = []): number {
  return timed(samTool('sam'), ['build', '--template-file', 'template.yaml', '--build-dir', '.aws-sam-bench', ...extra], dir, env).ms;
}

/**
 * `lambda-workbench build --json` with a dependency cache of its own: the process's wall time, the
 * engine's own time for the function (what the editor, which starts no process, waits), and
 * whether it built or reused.
 */
function ours(dir: string, env: NodeJS.ProcessEnv, cache: string): { ms: number; engineMs: number; status: string } {
  const r = timed(process.execPath, [CLI, 'build', '--json', '--template', 'template.yaml'], dir, { ...env, LAMBDA_WORKBENCH_CACHE: cache });
  const fns = (JSON.parse(r.stdout) as { functions: { status: string; durationMs: number }[] }).functions;
  return { ms: r.ms, engineMs: fns.reduce((n, f) => n + f.durationMs, 0), status: fns.map((f) => f.status).join(',') };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function main(): void {
  const env = samEnv();
  console.log(`machine: ${availableParallelism()} cores, node ${process.version}; median of ${RUNS} runs; pip and npm offline from the tool cache's packages\n`);
  const scratch = mkdtempSync(join(tmpdir(), 'lwb-bench-build-'));
  let failed = false;
  try {
    for (const s of SAMPLES) {
      const f = { samCold: [] as number[], samAgain: [] as number[], samCached: [] as number[], coldEmpty: [] as number[], cold: [] as number[], noChange: [] as number[], noChangeEngine: [] as number[], nodeStart: [] as number[] };
      for (let r = 0; r < RUNS; r++) {
        const theirs = project(template(s.runtime), { fn: s.sample });
        const first = project(template(s.runtime), { fn: s.sample });
        const second = project(template(s.runtime), { fn: s.sample });
        const cache = join(scratch, `cache-${s.sample}-${r}`);
        try {
          f.samCold.push(sam(theirs.dir, env));
          f.samAgain.push(sam(theirs.dir, env));
          sam(theirs.dir, env, ['--cached']); // fills SAM's own cache
          f.samCached.push(sam(theirs.dir, env, ['--cached']));
          const empty = ours(first.dir, env, cache);
          const cold = ours(second.dir, env, cache);
          const again = ours(second.dir, env, cache);
          if (empty.status !== 'built' || cold.status !== 'built' || again.status !== 'cached') {
            throw new Error(`unexpected build statuses: cold with an empty cache ${empty.status}, cold ${cold.status}, no change ${again.status}`);
          }
          f.coldEmpty.push(empty.ms);
          f.cold.push(cold.ms);
          f.noChange.push(again.ms);
          f.noChangeEngine.push(again.engineMs);
          f.nodeStart.push(timed(process.execPath, ['-e', '0'], second.dir, env).ms);
        } finally {
          for (const p of [theirs, first, second]) p.cleanup();
        }
      }
      const samCold = median(f.samCold);
      const samAgain = median(f.samAgain);
      const cold = median(f.cold) / samCold;
      const noChange = median(f.noChange) / samAgain;
      console.log(`${s.name}`);
      console.log(`  sam build, cold (empty build dir)                    ${secs(samCold)}`);
      console.log(`  sam build, again with nothing changed                ${secs(samAgain)}   (sam build --cached: ${secs(median(f.samCached))})`);
      console.log(`  ours, cold, shared dependency cache holding the deps ${secs(median(f.cold))}   ratio to sam build cold ${cold.toFixed(3)}x (goal <= 0.5x) ${cold <= 0.5 ? 'met' : 'NOT MET'}`);
      console.log(`  ours, cold, empty dependency cache                   ${secs(median(f.coldEmpty))}   ratio to sam build cold ${(median(f.coldEmpty) / samCold).toFixed(3)}x (for information)`);
      console.log(`  ours, no-change rebuild                              ${secs(median(f.noChange))}   ratio to sam build again ${noChange.toFixed(3)}x (goal <= 0.05x) ${noChange <= 0.05 ? 'met' : 'NOT MET'}; to sam build --cached ${(median(f.noChange) / median(f.samCached)).toFixed(3)}x`);
      console.log(`    of which node's own start (node -e 0) ${secs(median(f.nodeStart))}; the build engine's check ${median(f.noChangeEngine).toFixed(0)} ms, ratio to sam build again ${(median(f.noChangeEngine) / samAgain).toFixed(4)}x`);
      console.log(`  runs (s): sam cold ${f.samCold.map((x) => (x / 1000).toFixed(1)).join(' ')} | sam again ${f.samAgain.map((x) => (x / 1000).toFixed(1)).join(' ')} | ours cold ${f.cold.map((x) => (x / 1000).toFixed(2)).join(' ')} | ours cold, empty cache ${f.coldEmpty.map((x) => (x / 1000).toFixed(1)).join(' ')} | ours no change ${f.noChange.map((x) => (x / 1000).toFixed(2)).join(' ')}\n`);
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    failed = true;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  process.exitCode = failed ? 1 : 0;
}

main();
