/**
 * Part of `npm run bench:invoke`: where a cold invoke of a small Node.js function spends its time,
 * in the editor's runner (in process, a session that has run before) and in the CLI (a new
 * process each time). Measured from the outside, without hooks in the product:
 *  - in process: each Docker API call the runner makes (timed at dockerode's modem), the runner's
 *    progress messages, and the REPORT's Init Duration and Duration;
 *  - the CLI: its progress lines on stderr and its result on stdout as they arrive, the engine's
 *    own container events (create, start, destroy), and Node's start-up alone (`node -e 0`)
 *    and with the CLI loaded (`invoke --help`).
 *   LWB_BENCH_BREAKDOWN=N (default 7)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Engine } from '../../src/core/docker';
import { LocalRunner } from '../../src/core/local';
import { loadTemplate } from '../../src/core/model';
import { median, sample } from './instrument';

const ROOT = join(__dirname, '..', '..', '..');
const RUNS = Number(process.env.LWB_BENCH_BREAKDOWN ?? 7);

interface ApiCall {
  method: string;
  path: string;
  start: number;
  end: number;
}

/** Times every Docker API call made through this engine's client (ends when dockerode's callback runs). */
function timeApiCalls(engine: Engine): ApiCall[] {
  const calls: ApiCall[] = [];
  const modem = engine.docker.modem as unknown as { dial(options: { method: string; path: string }, cb: (...a: unknown[]) => void): unknown };
  const dial = modem.dial.bind(modem);
  modem.dial = (options, cb) => {
    const call: ApiCall = { method: options.method, path: options.path.replace(/[0-9a-f]{64}/, ':id'), start: performance.now(), end: Number.NaN };
    calls.push(call);
    return dial(options, (...a: unknown[]) => {
      call.end = performance.now();
      cb(...a);
    });
  };
  return calls;
}

type Phases = Record<string, number>;

function printPhases(title: string, runs: Phases[], total: number[]): void {
  console.log(`  ${title} (median of ${runs.length}; total ${median(total).toFixed(1)} ms)`);
  for (const name of Object.keys(runs[0])) {
    const v = median(runs.map((r) => r[name]));
    console.log(`    ${name.padEnd(62)} ${v.toFixed(1).padStart(7)} ms  ${((100 * v) / median(total)).toFixed(0).padStart(3)}%`);
  }
}

/** Writes the project (one Node.js function) and measures both. */
export async function coldBreakdown(engine: Engine, image: string, work: string, labels: Record<string, string>): Promise<void> {
  const dir = join(work, 'breakdown');
  mkdirSync(join(dir, 'fn'), { recursive: true });
  const template = join(dir, 'template.yaml');
  writeFileSync(template, 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Small:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: index.handler\n      CodeUri: fn/\n      MemorySize: 512\n');
  writeFileSync(join(dir, 'fn', 'index.mjs'), 'export const handler = async (event) => ({ ok: true, n: event.n ?? 0 });\n');
  console.log(`Where a cold invoke's time goes (a small Node.js function, ${image})`);
  await inProcess(engine, template, image, dir, labels);
  await cli(engine, template, image);
}

async function inProcess(engine: Engine, template: string, image: string, dir: string, labels: Record<string, string>): Promise<void> {
  const read = await sample(RUNS, () => loadTemplate(template), 2);
  const fn = (await loadTemplate(template)).functions[0];
  const calls = timeApiCalls(engine);
  const runner = await LocalRunner.create({ engine, cacheDir: join(dir, 'cache'), images: { 'nodejs22.x': image }, labels });
  const runs: Phases[] = [];
  const totals: number[] = [];
  const firsts: number[] = [];
  try {
    for (let i = -1; i < RUNS; i++) {
      await runner.removeContainers(fn);
      calls.length = 0;
      let starting = Number.NaN;
      const t0 = performance.now();
      const r = await runner.invoke(fn, { event: { n: i }, forceCold: true, onProgress: (p) => p.message.startsWith('Starting') && (starting = performance.now()) });
      const end = performance.now();
      if (r.error || !r.report.cold) throw new Error(`expected a cold success: ${r.reportLine}`);
      const took = (m: string, re: RegExp): number => calls.filter((c) => c.method === m && re.test(c.path)).reduce((s, c) => s + (c.end - c.start), 0);
      const images = took('GET', /^\/images\//);
      const start = took('POST', /\/containers\/:id\/start/) + took('GET', /\/containers\/:id\/json/);
      const phases: Phases = {
        'build check and configuration (to "Starting a container")': starting - t0 - images,
        'image check (GET /images/IMAGE/json; once per session)': images,
        'container create (POST /containers/create)': took('POST', /\/containers\/create/),
        'attach to its output (POST /containers/ID/attach)': took('POST', /\/attach/),
        'container start (POST /start, then inspect)': start,
        'runtime init (Init Duration less the start)': (r.report.initDurationMs ?? 0) - start,
        'the invocation (Duration)': r.report.durationMs,
      };
      phases['the rest (Runtime API listen, result, memory peak)'] = end - t0 - Object.values(phases).reduce((a, b) => a + b, 0);
      if (i < 0) {
        firsts.push(end - t0);
        continue;
      }
      runs.push(phases);
      totals.push(end - t0);
    }
  } finally {
    await runner.dispose();
  }
  console.log(`  template read (loadTemplate; the editor keeps it loaded): median ${median(read).toFixed(1)} ms`);
  console.log(`  a new runner's first cold invoke (image check, runtime address plan): ${firsts[0].toFixed(1)} ms`);
  printPhases('in the editor: the runner\'s cold invoke() in a session that has run before', runs, totals);
}

interface CliRun {
  spawned: number;
  starting: number;
  invoking: number;
  result: number;
  exit: number;
  init: number;
  duration: number;
}

/** One `lambda-workbench invoke` in human mode, with its lines timed as they arrive. */
function cliRun(template: string, image: string, label: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const r: Partial<CliRun> = { spawned: performance.now() };
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'invoke', 'Small', '--template', template, '--image', image, '--label', label], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stdout.once('data', () => (r.result = performance.now()));
    child.stdout.resume();
    child.stderr.on('data', (d: Buffer) => {
      const now = performance.now();
      err += d.toString();
      if (r.starting === undefined && err.includes('... Starting a container')) r.starting = now;
      if (r.invoking === undefined && err.includes('... Invoking')) r.invoking = now;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      r.exit = performance.now();
      const report = /Duration: ([\d.]+) ms.*Init Duration: ([\d.]+) ms/.exec(err);
      if (code !== 0 || !report || r.starting === undefined || r.invoking === undefined || r.result === undefined) return reject(new Error(`lambda-workbench invoke (exit ${code}): ${err}`));
      resolve({ ...(r as CliRun), duration: Number(report[1]), init: Number(report[2]) });
    });
  });
}

/** The engine's own times (ms, on performance.now()'s clock) of each container event for containers with the label. */
async function engineEvents(engine: Engine, label: string): Promise<{ events: { action: string; at: number }[]; stop(): void }> {
  const events: { action: string; at: number }[] = [];
  const stream = (await engine.docker.getEvents({ filters: JSON.stringify({ type: ['container'], label: [label] }) })) as NodeJS.ReadableStream & { destroy(): void };
  let pending = '';
  stream.on('data', (d: Buffer) => {
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines.filter(Boolean)) {
      const e = JSON.parse(l) as { Action: string; timeNano: number };
      events.push({ action: e.Action.split(':')[0], at: e.timeNano / 1e6 - performance.timeOrigin });
    }
  });
  return { events, stop: () => stream.destroy() };
}

async function cli(engine: Engine, template: string, image: string): Promise<void> {
  const node = await sample(RUNS, () => spawnSync(process.execPath, ['-e', '0']), 1);
  const loaded = await sample(RUNS, () => spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'invoke', '--help']), 1);
  const label = `lambda-workbench.bench-breakdown=${process.pid}`;
  const runs: Phases[] = [];
  const totals: number[] = [];
  for (let i = -1; i < RUNS; i++) {
    const watch = await engineEvents(engine, label);
    const r = await cliRun(template, image, label);
    // The engine's destroy event may reach this process after the CLI has exited.
    await new Promise((res) => setTimeout(res, 200));
    watch.stop();
    if (i < 0) continue;
    const at = (action: string): number => watch.events.find((e) => e.action === action)?.at ?? Number.NaN;
    const [created, started, destroyed] = [at('create'), at('start'), at('destroy')];
    const phases: Phases = {
      'Node.js start (node -e 0)': median(node),
      'loading the CLI (invoke --help, less Node.js start)': median(loaded) - median(node),
      'template read, engine connect, leftovers, build and image check': r.starting - r.spawned - median(loaded),
      'container create (to the engine\'s create event)': created - r.starting,
      'attach and start (to the engine\'s start event)': started - created,
      'runtime init and the invocation (to the result on stdout)': r.result - started,
      'after the result: logs, container removal (to destroy)': destroyed - r.result,
      'process exit (after the container is gone)': r.exit - destroyed,
    };
    runs.push(phases);
    totals.push(r.exit - r.spawned);
    if (Number.isNaN(created + started + destroyed)) console.log(`  (the engine's events were incomplete: ${JSON.stringify(watch.events)})`);
  }
  printPhases('the CLI: lambda-workbench invoke, a new process each time', runs, totals);
}
