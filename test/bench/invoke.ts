/**
 * Local invoke benchmark: `npm run bench:invoke`.
 *
 * Prints, in one run, against the real Docker engine and the Lambda-like test image:
 *  1. a cold invoke through the product (container create + start + runtime init + the invocation)
 *     next to a bare `docker run --rm --entrypoint node IMAGE -e 0` of the same image, interleaved,
 *     medians and their ratio (target: at or below 1.0);
 *  2. the warm invoke overhead: the caller's wall time minus the handler's own time (target: p50
 *     under 2 ms), and minus the reported Duration;
 *  3. throughput at concurrency 4 over 4 warm containers.
 * Everything it starts is removed at the end.
 *   LWB_BENCH_COLD=N (default 7)   LWB_BENCH_WARM=N (default 300)   LWB_BENCH_THROUGHPUT=N (default 400)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openEngine } from '../../src/core/docker';
import { LocalRunner } from '../../src/core/local';
import { median, percentiles, ratio } from './instrument';
import type { FunctionSpec } from '../../src/core/model/types';

const ROOT = join(__dirname, '..', '..', '..');
const IMAGE = process.env.LWB_TEST_IMAGE_NODE ?? 'lambda-workbench-test/nodejs:22';
const COLD = Number(process.env.LWB_BENCH_COLD ?? 7);
const WARM = Number(process.env.LWB_BENCH_WARM ?? 300);
const THROUGHPUT = Number(process.env.LWB_BENCH_THROUGHPUT ?? 400);
const RANGE = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

const HANDLER = `import { performance } from 'node:perf_hooks';
export const handler = async (event) => {
  const start = performance.now();
  const out = { n: event.n ?? 0, ok: true };
  return { ...out, ownMs: performance.now() - start };
};
`;

function ms(v: number): string {
  return `${v.toFixed(2)} ms`;
}

async function main(): Promise<void> {
  const image = spawnSync('bash', [join(ROOT, 'scripts/test-image.sh'), IMAGE], { stdio: 'inherit' });
  if (image.status !== 0) throw new Error('building the test image failed');

  const work = mkdtempSync(join(tmpdir(), 'lwb-bench-invoke-'));
  const code = join(work, 'fn');
  mkdirSync(code);
  writeFileSync(join(code, 'index.mjs'), HANDLER);
  const fn: FunctionSpec = {
    logicalId: 'BenchFn',
    templatePath: join(work, 'template.yaml'),
    resourceType: 'AWS::Serverless::Function',
    runtime: 'nodejs22.x',
    handler: 'index.handler',
    codeUri: code,
    architecture: 'x86_64',
    memorySize: 512,
    timeout: 10,
    environment: {},
    layers: [],
    packageType: 'Zip',
    events: [],
    conditional: [],
    ranges: { resource: RANGE, logicalId: RANGE, properties: {} },
  };
  const engine = await openEngine();
  const runner = await LocalRunner.create({ engine, cacheDir: join(work, 'cache'), images: { 'nodejs22.x': IMAGE }, labels: { 'lambda-workbench.bench': String(process.pid) } });
  try {
    console.log(`Docker ${engine.info.version} (${engine.endpoint.url}), image ${IMAGE}, ${fn.memorySize} MB\n`);

    // 1. Cold: the product vs a bare docker run, interleaved so both see the same machine load.
    await runner.invoke(fn, { event: {} });
    spawnSync('docker', ['run', '--rm', '--entrypoint', '/var/lang/bin/node', IMAGE, '-e', '0']);
    const product: number[] = [];
    const bare: number[] = [];
    const init: number[] = [];
    for (let i = 0; i < COLD; i++) {
      await runner.removeContainers(fn);
      const t0 = performance.now();
      const r = await runner.invoke(fn, { event: { n: i }, forceCold: true });
      product.push(performance.now() - t0);
      if (!r.report.cold || r.error) throw new Error(`expected a cold success, got ${r.reportLine} ${JSON.stringify(r.error)}`);
      init.push(r.report.initDurationMs ?? 0);
      const t1 = performance.now();
      const run = spawnSync('docker', ['run', '--rm', '--entrypoint', '/var/lang/bin/node', IMAGE, '-e', '0']);
      bare.push(performance.now() - t1);
      if (run.status !== 0) throw new Error(`docker run failed: ${run.stderr}`);
    }
    console.log('Cold invoke (median of %d)', COLD);
    console.log(`  product, invoke() to result       ${ms(median(product))}   (Init Duration ${ms(median(init))})`);
    console.log(`  docker run --rm ... node -e 0     ${ms(median(bare))}`);
    ratio({ bench: 'invoke', name: 'cold invoke / docker run', measured: `invoke() of a small Node.js function to its result, fresh container (median ${ms(median(product))})`, reference: `docker run --rm of the same image running node -e 0 (median ${ms(median(bare))})`, value: median(product) / median(bare), goal: 1 });
    console.log('');

    // 2. Warm overhead over the handler's own time.
    await runner.removeContainers(fn);
    await runner.invoke(fn, { event: {} });
    for (let i = 0; i < 20; i++) await runner.invoke(fn, { event: { n: i } });
    const overOwn: number[] = [];
    const overDuration: number[] = [];
    const walls: number[] = [];
    for (let i = 0; i < WARM; i++) {
      const t0 = performance.now();
      const r = await runner.invoke(fn, { event: { n: i } });
      const wall = performance.now() - t0;
      if (r.report.cold) throw new Error('a warm invocation came back cold');
      walls.push(wall);
      overOwn.push(wall - (r.payload as { ownMs: number }).ownMs);
      overDuration.push(wall - r.report.durationMs);
    }
    const own = percentiles(overOwn);
    const dur = percentiles(overDuration);
    console.log('Warm invoke (%d invocations)', WARM);
    console.log(`  invoke() wall time                p50 ${ms(percentiles(walls).p50)}  p90 ${ms(percentiles(walls).p90)}  p99 ${ms(percentiles(walls).p99)}`);
    console.log(`  overhead over the handler's time  p50 ${ms(own.p50)}  p90 ${ms(own.p90)}  p99 ${ms(own.p99)}   target p50 < 2 ms  ${own.p50 < 2 ? 'met' : 'NOT met'}`);
    console.log(`  overhead over reported Duration   p50 ${ms(dur.p50)}  p90 ${ms(dur.p90)}  p99 ${ms(dur.p99)}\n`);

    // 3. Throughput at concurrency 4 over 4 warm containers.
    await Promise.all(Array.from({ length: 4 }, () => runner.invoke(fn, { event: {} })));
    while (runner.containerCount(fn) < 4) await runner.invoke(fn, { event: {}, forceCold: true });
    let next = 0;
    let cold = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < THROUGHPUT) {
          next++;
          const r = await runner.invoke(fn, { event: { n: next } });
          if (r.report.cold) cold++;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    console.log('Throughput at concurrency 4 (%d invocations, %d containers)', THROUGHPUT, runner.containerCount(fn));
    console.log(`  ${(THROUGHPUT / seconds).toFixed(0)} invocations/s   (${cold} cold)`);
  } finally {
    await runner.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
