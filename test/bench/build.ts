/**
 * Build benchmark: `npm run bench:build`.
 *
 * The Python sample (numpy and pandas, python3.11), the Node.js sample (sharp with its native
 * parts) and the Java sample (Maven, java17, a runtime and a test dependency), each a one-function
 * template, built in one run by `sam build` (AWS SAM CLI from the tool cache) and by
 * `lambda-workbench build` (this repository's CLI), as the wall time of each process. Both run in
 * the same environment, offline from the same local package folders that scripts/setup.sh (steps
 * builddeps and samcli) fills: pip with PIP_NO_INDEX and PIP_FIND_LINKS, npm with
 * npm_config_offline and npm_config_cache, Maven through a settings.xml (offline, the same local
 * repository) in a HOME of the benchmark's own. So both install the same packages from the same
 * places. For Java there is no dependency cache of ours: its two cold figures are the same work.
 *
 * Printed, each the median of several runs, as ratios to `sam build` of the same project:
 *   cold:      an empty artifact folder and no build state, with our dependency cache already holding
 *              an install of the same manifest (made by another project): the goal's "shared
 *              dependency cache" case. Goal: at most 0.5x a cold `sam build` (empty build dir).
 *   cold, empty dependency cache: the same with nothing cached at all (for information).
 *   no change: a rebuild with nothing changed. Goal: at most 0.05x `sam build` run again on the
 *              unchanged project (its default, which rebuilds); `sam build --cached` is printed too.
 * Everything it creates is removed at the end.   LWB_BENCH_RUNS=N (default 3);
 * LWB_BENCH_SAMPLES=java-maven,... (the sample folders to run; default all)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { samEnv, samTool } from '../system/build/sam';
import { buildDeps, project } from '../system/build/support';
import { median, ratio } from './instrument';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const RUNS = Number(process.env.LWB_BENCH_RUNS ?? 3);

const SAMPLES = [
  { name: 'Python (numpy, pandas)', sample: 'parity-python', runtime: 'python3.11', handler: 'app.handler' },
  { name: 'Node.js (sharp)', sample: 'parity-node', runtime: 'nodejs20.x', handler: 'app.handler' },
  { name: 'Java (Maven)', sample: 'java-maven', runtime: 'java17', handler: 'example.Handler::handleRequest' },
];

const template = (s: (typeof SAMPLES)[number]): string => `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: fn/
      Handler: ${s.handler}
      Runtime: ${s.runtime}
`;

/** A HOME whose Maven settings make both sides' Maven runs offline, from the build tests' local repository. */
function mavenHome(scratch: string): string {
  const home = join(scratch, 'home');
  mkdirSync(join(home, '.m2'), { recursive: true });
  writeFileSync(join(home, '.m2', 'settings.xml'), `<settings><localRepository>${join(buildDeps(), 'm2')}</localRepository><offline>true</offline></settings>\n`);
  return home;
}

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

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const list = (xs: readonly number[]): string => xs.map((x) => (x / 1000).toFixed(2)).join(' ');

interface Figures {
  samCold: number[];
  samAgain: number[];
  samCached: number[];
  coldEmpty: number[];
  cold: number[];
  noChange: number[];
  noChangeEngine: number[];
  nodeStart: number[];
  /** Java only: ours cold with MAVEN_OPTS set empty, so Maven's JVM runs with its default compilers. */
  coldDefaultJvm: number[];
}

/** One run of everything for a sample: fresh copies of the project for each side. */
function runOnce(s: (typeof SAMPLES)[number], env: NodeJS.ProcessEnv, cache: string, f: Figures): void {
  const theirs = project(template(s), { fn: s.sample });
  const first = project(template(s), { fn: s.sample });
  const second = project(template(s), { fn: s.sample });
  const third = s.runtime.startsWith('java') ? project(template(s), { fn: s.sample }) : undefined;
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
    if (third) f.coldDefaultJvm.push(ours(third.dir, { ...env, MAVEN_OPTS: '' }, cache).ms);
  } finally {
    for (const p of [theirs, first, second, third]) p?.cleanup();
  }
}

function report(name: string, f: Figures): void {
  const m = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, median(v)])) as Record<keyof Figures, number>;
  console.log(`${name}`);
  console.log(`  sam build, cold (empty build dir)                      ${secs(m.samCold)}`);
  console.log(`  sam build, again with nothing changed                  ${secs(m.samAgain)}   (sam build --cached: ${secs(m.samCached)})`);
  console.log(`  ours, cold, the shared dependency cache holding them   ${secs(m.cold)}`);
  console.log(`  ours, cold, empty dependency cache                     ${secs(m.coldEmpty)}`);
  console.log(`  ours, no-change rebuild                                ${secs(m.noChange)}   (node -e 0: ${secs(m.nodeStart)}; the engine's own check ${m.noChangeEngine.toFixed(0)} ms)`);
  if (f.coldDefaultJvm.length > 0) console.log(`  ours, cold, MAVEN_OPTS empty (the JVM's default compilers) ${secs(m.coldDefaultJvm)}`);
  console.log(`  runs (s): sam cold ${list(f.samCold)} | sam again ${list(f.samAgain)} | ours cold ${list(f.cold)} | ours cold, empty cache ${list(f.coldEmpty)} | ours no change ${list(f.noChange)}`);
  const bench = 'build';
  ratio({
    bench,
    name: `${name}: cold / sam build`,
    measured: `lambda-workbench build in a new process, empty artifact folder, the shared dependency cache holding an install of the same manifest (median ${secs(m.cold)})`,
    reference: `sam build, empty build dir (median ${secs(m.samCold)})`,
    value: m.cold / m.samCold,
    goal: 0.5,
  });
  ratio({
    bench,
    name: `${name}: cold, empty cache / sam build`,
    measured: `lambda-workbench build in a new process, empty artifact folder and empty dependency cache (median ${secs(m.coldEmpty)})`,
    reference: `sam build, empty build dir (median ${secs(m.samCold)})`,
    value: m.coldEmpty / m.samCold,
  });
  ratio({
    bench,
    name: `${name}: no change / sam build`,
    measured: `lambda-workbench build in a new process, nothing changed (median ${secs(m.noChange)})`,
    reference: `sam build run again on the unchanged project, its default (median ${secs(m.samAgain)})`,
    value: m.noChange / m.samAgain,
    goal: 0.05,
  });
  ratio({
    bench,
    name: `${name}: no change / sam build --cached`,
    measured: `lambda-workbench build in a new process, nothing changed (median ${secs(m.noChange)})`,
    reference: `sam build --cached run again on the unchanged project (median ${secs(m.samCached)})`,
    value: m.noChange / m.samCached,
  });
  console.log('');
}

function main(): void {
  console.log(`machine: ${availableParallelism()} cores, node ${process.version}; median of ${RUNS} runs; pip, npm and Maven offline from the tool cache's packages\n`);
  const scratch = mkdtempSync(join(tmpdir(), 'lwb-bench-build-'));
  const env = samEnv();
  // Maven's settings come from HOME: the Java sample's own, for both sides (the others keep the user's).
  const javaEnv: NodeJS.ProcessEnv = { ...env, HOME: mavenHome(scratch) };
  delete javaEnv.MAVEN_OPTS;
  const only = process.env.LWB_BENCH_SAMPLES?.split(',');
  try {
    for (const s of SAMPLES.filter((x) => !only || only.includes(x.sample))) {
      const f: Figures = { samCold: [], samAgain: [], samCached: [], coldEmpty: [], cold: [], noChange: [], noChangeEngine: [], nodeStart: [], coldDefaultJvm: [] };
      for (let r = 0; r < RUNS; r++) runOnce(s, s.runtime.startsWith('java') ? javaEnv : env, join(scratch, `cache-${s.sample}-${r}`), f);
      report(s.name, f);
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main();
