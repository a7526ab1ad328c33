/**
 * Part of `npm run bench:invoke`: our local invoke next to AWS SAM CLI's, per runtime, on the same
 * images and the same code in the same run.
 *  - cold: `sam local invoke` (the whole command, as a user runs it) against our CLI's `invoke`
 *    (likewise) and the in-process runner's cold invoke (what the editor does);
 *  - warm: `sam local start-lambda --warm-containers EAGER` called with @aws-sdk/client-lambda's
 *    Invoke, against the runner's warm invoke, and our warm overhead (wall time minus the REPORT's
 *    Duration).
 * The functions: Node.js, Python 3.13, and Go, Java 21 and Rust built by our build stage (offline,
 * from scripts/setup.sh's packages); SAM's template gives it our build's artifacts, so both run
 * the same files.
 *   LWB_BENCH_SAM_COLD=N (default 5)   LWB_BENCH_SAM_WARM=N (default 50)   LWB_BENCH_RUST=0 leaves Rust out
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { BuildEngine } from '../../src/core/build';
import type { Engine } from '../../src/core/docker';
import { LocalRunner } from '../../src/core/local';
import { loadTemplate } from '../../src/core/model';
import type { FunctionSpec } from '../../src/core/model/types';
import { freePort } from '../support/proc';
import { samCli, samLocalInvoke, startLambda } from '../support/samLocal';
import { offlineSettings } from '../system/build/support';
import { median, percentiles, ratio } from './instrument';

const ROOT = join(__dirname, '..', '..', '..');
const COLD = Number(process.env.LWB_BENCH_SAM_COLD ?? 5);
const WARM = Number(process.env.LWB_BENCH_SAM_WARM ?? 50);
const OUR_WARM = Number(process.env.LWB_BENCH_WARM ?? 300);

export interface RuntimeCase {
  id: string;
  label: string;
  runtime: string;
  handler: string;
  image: string;
}

/** The functions and the images they run on (the test images, by the variables services.ts sets). */
function cases(images: Record<string, string>): RuntimeCase[] {
  const all: RuntimeCase[] = [
    { id: 'Node', label: 'Node.js 22', runtime: 'nodejs22.x', handler: 'index.handler', image: images.LWB_TEST_IMAGE_NODE },
    { id: 'Python', label: 'Python 3.13', runtime: 'python3.13', handler: 'app.handler', image: images.LWB_TEST_IMAGE_PYTHON313 },
    { id: 'Go', label: 'Go (provided.al2023)', runtime: 'provided.al2023', handler: 'bootstrap', image: images.LWB_TEST_IMAGE_PROVIDED },
    { id: 'Java', label: 'Java 21', runtime: 'java21', handler: 'example.Handler::handleRequest', image: images.LWB_TEST_IMAGE_JAVA },
    { id: 'Rust', label: 'Rust (provided.al2023)', runtime: 'provided.al2023', handler: 'bootstrap', image: images.LWB_TEST_IMAGE_PROVIDED },
  ];
  return all.filter((c) => c.id !== 'Rust' || process.env.LWB_BENCH_RUST !== '0');
}

const SOURCES: Record<string, Record<string, string>> = {
  Node: { 'index.mjs': 'export const handler = async (event) => ({ ok: true, n: event.n ?? 0 });\n' },
  Python: { 'app.py': 'def handler(event, context):\n    return {"ok": True, "n": event.get("n", 0)}\n' },
};
/** The compiled ones: a test fixture built by our build stage, and the build method it needs. */
const BUILT: Record<string, { sample: string; metadata?: string }> = {
  Go: { sample: 'go', metadata: 'BuildMethod: go1.x' },
  Java: { sample: 'java-maven' },
  Rust: { sample: 'rust', metadata: 'BuildMethod: rust-cargolambda' },
};

/** The function's resource; `codeUri` defaults to its source folder. */
function resource(c: RuntimeCase, metadata?: string, codeUri = `${c.id.toLowerCase()}/`): string {
  return [
    `  ${c.id}:`,
    '    Type: AWS::Serverless::Function',
    ...(metadata ? ['    Metadata:', `      ${metadata}`] : []),
    '    Properties:',
    `      Runtime: ${c.runtime}`,
    `      Handler: ${c.handler}`,
    `      CodeUri: ${codeUri}`,
    '      MemorySize: 512',
    '      Timeout: 30',
  ].join('\n');
}

function templateOf(resources: string[]): string {
  return `Transform: AWS::Serverless-2016-10-31\nResources:\n${resources.join('\n')}\n`;
}

export interface BenchProject {
  /** Ours: the sources, built by our build stage (up to date before anything is measured). */
  template: string;
  /** SAM's, one per function: the same function with our build's artifact as its code, which SAM mounts as it is. */
  samTemplates: Record<string, string>;
  /** The build settings both our runner and our CLI (as --maven-arg) use, so both see the builds up to date. */
  builds: BuildEngine;
  mavenArgs: string[];
  ready: RuntimeCase[];
  left: string[];
}

/**
 * Writes the bench's project into `dir` and builds its Go, Java and Rust functions with our build
 * stage, offline from scripts/setup.sh's packages. Go and Cargo read theirs from the environment,
 * which our CLI inherits; a runtime that could not be built is left out with the reason.
 */
async function benchProject(dir: string, all: RuntimeCase[]): Promise<BenchProject> {
  const offline = offlineSettings();
  Object.assign(process.env, offline.env);
  const mavenArgs = [...(offline.mavenArgs ?? [])];
  const builds = new BuildEngine({ cacheDir: join(dir, '.cache'), settings: { mavenArgs } });
  for (const c of all) {
    const folder = join(dir, c.id.toLowerCase());
    if (BUILT[c.id]) cpSync(join(ROOT, 'test', 'fixtures', 'build', BUILT[c.id].sample), folder, { recursive: true });
    else {
      mkdirSync(folder, { recursive: true });
      for (const [name, text] of Object.entries(SOURCES[c.id])) writeFileSync(join(folder, name), text);
    }
  }
  const template = join(dir, 'template.yaml');
  writeFileSync(template, templateOf(all.map((c) => resource(c, BUILT[c.id]?.metadata))));
  const fns = Object.fromEntries((await loadTemplate(template)).functions.map((f) => [f.logicalId, f]));
  const ready: RuntimeCase[] = [];
  const left: string[] = [];
  const samCode: Record<string, string> = {};
  for (const c of all) {
    if (!BUILT[c.id]) {
      ready.push(c);
      continue;
    }
    const t0 = performance.now();
    try {
      const built = await builds.build(fns[c.id]);
      samCode[c.id] = `${relative(dir, built.artifactDir!)}/`;
      console.log(`  built ${c.label} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      ready.push(c);
    } catch (err) {
      left.push(`${c.label}: left out, its build failed (${(err as Error).message.split('\n')[0]})`);
    }
  }
  writeFileSync(template, templateOf(ready.map((c) => resource(c, BUILT[c.id]?.metadata))));
  const samTemplates: Record<string, string> = {};
  for (const c of ready) {
    samTemplates[c.id] = join(dir, `sam-${c.id}.yaml`);
    writeFileSync(samTemplates[c.id], templateOf([resource(c, undefined, samCode[c.id])]));
  }
  return { template, samTemplates, builds, mavenArgs, ready, left };
}

/** Our CLI's `invoke` as a user runs it, the whole command; rejects unless the function returned. */
function cliInvoke(template: string, c: RuntimeCase, event: unknown, extra: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'invoke', c.id, '--template', template, '--image', c.image, '--event', '-', '--json', ...extra], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - t0;
      const result = code === 0 ? (JSON.parse(out) as { error: unknown; report: { cold: boolean } }) : undefined;
      if (!result || result.error || !result.report.cold) reject(new Error(`lambda-workbench invoke ${c.id} (exit ${code}): ${err}${out}`));
      else resolve(ms);
    });
    child.stdin.end(JSON.stringify(event));
  });
}

function ms(v: number): string {
  return `${v.toFixed(1)} ms`;
}

interface Row {
  c: RuntimeCase;
  cli: number[];
  runner: number[];
  sam: number[];
  warmWall: number[];
  overhead: number[];
  samWarm: number[];
  /** Why our side, or SAM's, could not be measured for this runtime. */
  failed?: string;
  samFailed?: string;
}

/** Runs the side-by-side part of the bench on the run's engine; `images` are services.ts's variables. */
export async function sideBySide(engine: Engine, images: Record<string, string>, work: string, labels: Record<string, string>): Promise<void> {
  console.log('Side by side with AWS SAM CLI, per runtime (same images, same code)');
  const dir = join(work, 'side-by-side');
  mkdirSync(dir, { recursive: true });
  const p = await benchProject(dir, cases(images));
  for (const l of p.left) console.log(`  ${l}`);
  const runner = await LocalRunner.create({ engine, cacheDir: join(dir, '.cache'), images: Object.fromEntries(p.ready.map((c) => [c.runtime, c.image])), builds: p.builds, labels });
  try {
    await measure(runner, p);
  } finally {
    await runner.dispose();
  }
}

async function measure(runner: LocalRunner, p: BenchProject): Promise<void> {
  const fns = Object.fromEntries((await loadTemplate(p.template)).functions.map((f) => [f.logicalId, f])) as Record<string, FunctionSpec>;
  const sam = samCli();
  const rows: Row[] = p.ready.map((c) => ({ c, cli: [], runner: [], sam: [], warmWall: [], overhead: [], samWarm: [] }));
  const cliArgs = p.mavenArgs.map((a) => `--maven-arg=${a}`);

  // Cold: the three interleaved, so each sees the same machine load. One of each first, not kept
  // (SAM builds its emulator image on the first use of an image; we check the image once per process).
  for (const row of rows) {
    const { c } = row;
    const fn = fns[c.id];
    const runnerCold = async (): Promise<number> => {
      await runner.removeContainers(fn);
      const t0 = performance.now();
      const r = await runner.invoke(fn, { event: { n: 1 }, forceCold: true });
      if (r.error || !r.report.cold) throw new Error(`${c.id}: expected a cold success, got ${r.reportLine} ${JSON.stringify(r.error)}`);
      return performance.now() - t0;
    };
    try {
      for (let i = -1; i < COLD; i++) {
        const s = 'path' in sam && !row.samFailed ? await samLocalInvoke(sam.path, p.samTemplates[c.id], c.id, c.image, { n: i }).then((r) => r.ms, (err: Error) => void (row.samFailed = err.message)) : undefined;
        const cli = await cliInvoke(p.template, c, { n: i }, cliArgs);
        const own = await runnerCold();
        if (i < 0) continue;
        if (s !== undefined) row.sam.push(s);
        row.cli.push(cli);
        row.runner.push(own);
      }
      // Warm: the runner's container from the last cold invoke, then the measured ones.
      for (let i = 0; i < 20; i++) await runner.invoke(fn, { event: { n: i } });
      for (let i = 0; i < OUR_WARM; i++) {
        const t0 = performance.now();
        const r = await runner.invoke(fn, { event: { n: i } });
        const wall = performance.now() - t0;
        if (r.report.cold || r.error) throw new Error(`${c.id}: a warm invocation came back cold or failed: ${r.reportLine}`);
        row.warmWall.push(wall);
        row.overhead.push(wall - r.report.durationMs);
      }
    } catch (err) {
      row.failed = (err as Error).message;
    }
    await runner.removeContainers(fn);
  }

  // Warm SAM: a start-lambda per function (a template of its own, one --invoke-image), as a
  // mapping of several functions to their images (ID=IMAGE) was not applied to every function.
  for (const row of 'path' in sam ? rows.filter((r) => !r.samFailed && !r.failed) : []) {
    try {
      const api = await startLambda((sam as { path: string }).path, p.samTemplates[row.c.id], { '': row.c.image }, await freePort());
      const client = new LambdaClient({ endpoint: api.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 });
      const call = async (n: number): Promise<void> => {
        const r = await client.send(new InvokeCommand({ FunctionName: row.c.id, Payload: Buffer.from(JSON.stringify({ n })) }));
        if (r.FunctionError) throw new Error(`${row.c.id} on sam local start-lambda: ${Buffer.from(r.Payload ?? []).toString()}`);
      };
      try {
        for (let i = 0; i < 5; i++) await call(i);
        for (let i = 0; i < WARM; i++) {
          const t0 = performance.now();
          await call(i);
          row.samWarm.push(performance.now() - t0);
        }
      } finally {
        client.destroy();
        await api.stop();
      }
    } catch (err) {
      row.samFailed = (err as Error).message;
    }
  }
  printRows(rows, 'missing' in sam ? sam.missing : undefined);
}

function printRows(rows: Row[], samMissing: string | undefined): void {
  for (const { c, cli, runner, sam, warmWall, overhead, samWarm, failed, samFailed } of rows) {
    console.log(`\n  ${c.label} (${c.image})`);
    if (failed) {
      console.log(`    ours: failed: ${failed}`);
      continue;
    }
    const over = percentiles(overhead);
    const skipped = samMissing ? `skipped: ${samMissing}` : samFailed ? `failed: ${samFailed.split('\n').slice(0, 3).join(' ')}` : undefined;
    console.log(`    cold  lambda-workbench invoke (CLI, whole command)   median ${ms(median(cli))}`);
    console.log(`    cold  runner invoke() in process (the editor's)    median ${ms(median(runner))}`);
    console.log(`    cold  sam local invoke (whole command)             ${sam.length ? `median ${ms(median(sam))}` : skipped}`);
    console.log(`    warm  runner invoke() wall time                    p50 ${ms(percentiles(warmWall).p50)}  p99 ${ms(percentiles(warmWall).p99)}`);
    console.log(`    warm  our overhead (wall - REPORT Duration)        p50 ${over.p50.toFixed(2)} ms  p99 ${over.p99.toFixed(2)} ms   target p50 < 1 ms  ${over.p50 < 1 ? 'met' : 'NOT met'}`);
    console.log(`    warm  sam local start-lambda Invoke (client-lambda) ${samWarm.length ? `p50 ${ms(percentiles(samWarm).p50)}  p99 ${ms(percentiles(samWarm).p99)}` : skipped}`);
    if (!sam.length || !samWarm.length) continue;
    ratio({
      bench: 'invoke',
      name: `${c.id} cold CLI invoke / sam local invoke`,
      measured: `lambda-workbench invoke ${c.id} --image, the whole command (median ${ms(median(cli))})`,
      reference: `sam local invoke ${c.id} --invoke-image, the whole command, same image and code (median ${ms(median(sam))})`,
      value: median(cli) / median(sam),
      goal: 0.3,
    });
    ratio({
      bench: 'invoke',
      name: `${c.id} cold in-process invoke / sam local invoke`,
      measured: `the runner's cold invoke() in this process, as the editor runs it (median ${ms(median(runner))})`,
      reference: `sam local invoke ${c.id}, the whole command (median ${ms(median(sam))})`,
      value: median(runner) / median(sam),
      goal: 0.3,
    });
    ratio({
      bench: 'invoke',
      name: `${c.id} warm invoke / sam local start-lambda`,
      measured: `the runner's warm invoke() wall time (p50 ${ms(percentiles(warmWall).p50)})`,
      reference: `Invoke through @aws-sdk/client-lambda at sam local start-lambda --warm-containers EAGER (p50 ${ms(percentiles(samWarm).p50)})`,
      value: percentiles(warmWall).p50 / percentiles(samWarm).p50,
    });
  }
}
