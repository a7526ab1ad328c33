/**
 * Local invoke benchmark: `npm run bench:invoke`.
 *
 * Prints, in one run, against the real Docker engine and the Lambda-like test image:
 *  1. a cold invoke through the product (container create + start + runtime init + the invocation)
 *     next to the physical floor, measured in this process on the same engine and image: a raw
 *     container create and start to the runtime's first GET /next (no product code between), and,
 *     as context only, `docker run --rm --entrypoint node IMAGE -e 0`; interleaved, medians and ratios;
 *  2. the warm invoke overhead: the caller's wall time minus the handler's own time (target: p50
 *     under 2 ms), and minus the reported Duration; the runner has the build engine, as in the
 *     editor and the CLI, so each invoke includes the check that the artifact is up to date;
 *  3. throughput at concurrency 4 over 4 warm containers;
 *  4. per runtime (Node.js, Python, Go, Java 21, Rust), our cold and warm invoke next to AWS SAM
 *     CLI's on the same image and code (sideBySide.ts; SAM's rows say skipped, and why, without it);
 *  5. where a cold invoke's time goes, in the editor's runner and in the CLI (coldBreakdown.ts).
 * Everything it starts is removed at the end.
 *   LWB_BENCH_COLD=N (default 7)   LWB_BENCH_WARM=N (default 300)   LWB_BENCH_THROUGHPUT=N (default 400)
 *   LWB_BENCH_ONLY=breakdown leaves out part 4 (see sideBySide.ts and coldBreakdown.ts for theirs)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Docker from 'dockerode';
import { BuildEngine } from '../../src/core/build';
import { openEngine } from '../../src/core/docker';
import { bridgeGateway } from '../../src/core/docker/bridge';
import { LocalRunner } from '../../src/core/local';
import { median, percentiles, ratio } from './instrument';
import type { FunctionSpec } from '../../src/core/model/types';
import { canIsolateNetwork, NETNS_ENV, rerunInNamespace } from '../support/netns';
import { startServices, TEST_IMAGE } from '../support/services';
import { coldBreakdown } from './coldBreakdown';
import { sideBySide } from './sideBySide';

const ROOT = join(__dirname, '..', '..', '..');
const IMAGE = TEST_IMAGE;
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

/**
 * The floor of a cold invoke: create and start a container of the image with the function's code
 * bind-mounted, and wait for the runtime client's first GET /next. A Runtime API of a few lines on
 * the bridge gateway answers nothing (the container is removed once asked).
 */
async function rawColdStart(docker: Docker, gateway: string, code: string): Promise<number> {
  let asked!: (at: number) => void;
  const firstNext = new Promise<number>((r) => (asked = r));
  const server = createServer((req) => {
    if (req.url?.endsWith('/invocation/next')) asked(performance.now());
  });
  await new Promise<void>((r) => server.listen(0, gateway, r));
  const api = `${gateway}:${(server.address() as AddressInfo).port}`;
  const t0 = performance.now();
  const container = await docker.createContainer({
    Image: IMAGE,
    Cmd: ['index.handler'],
    Env: [`AWS_LAMBDA_RUNTIME_API=${api}`, 'AWS_LAMBDA_FUNCTION_NAME=floor', 'AWS_LAMBDA_FUNCTION_VERSION=$LATEST', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512', 'AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/floor', 'AWS_LAMBDA_LOG_STREAM_NAME=floor'],
    HostConfig: { Binds: [`${code}:/var/task:ro`], Memory: 512 * 1024 * 1024, ReadonlyRootfs: true, Tmpfs: { '/tmp': '' } },
    Labels: { 'lambda-workbench.bench': String(process.pid) },
  });
  try {
    await container.start();
    return (await firstNext) - t0;
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
    server.closeAllConnections();
    server.close();
  }
}

async function main(): Promise<void> {
  // Its own fresh engine with the test image, as the test runner starts them (and stops them at the end).
  const services = await startServices({ root: ROOT, log: (l) => console.log(`[services] ${l}`) });

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
  // With the build engine, as the editor and the CLI run: every invoke first checks that the
  // function's artifact is up to date (a warm one included), and that check is part of what is measured.
  const builds = new BuildEngine({ cacheDir: join(work, 'build-cache') });
  const runner = await LocalRunner.create({ engine, cacheDir: join(work, 'cache'), images: { 'nodejs22.x': IMAGE }, builds, labels: { 'lambda-workbench.bench': String(process.pid) } });
  try {
    console.log(`Docker ${engine.info.version} (${engine.endpoint.url}), image ${IMAGE}, ${fn.memorySize} MB, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);

    // 1. Cold: the product vs the floor (and docker run as context), interleaved so all see the same machine load.
    const gateway = await bridgeGateway(engine);
    await runner.invoke(fn, { event: {} });
    await rawColdStart(engine.docker, gateway, code);
    spawnSync('docker', ['run', '--rm', '--entrypoint', '/var/lang/bin/node', IMAGE, '-e', '0']);
    const product: number[] = [];
    const floor: number[] = [];
    const bare: number[] = [];
    const init: number[] = [];
    for (let i = 0; i < COLD; i++) {
      await runner.removeContainers(fn);
      const t0 = performance.now();
      const r = await runner.invoke(fn, { event: { n: i }, forceCold: true });
      product.push(performance.now() - t0);
      if (!r.report.cold || r.error) throw new Error(`expected a cold success, got ${r.reportLine} ${JSON.stringify(r.error)}`);
      init.push(r.report.initDurationMs ?? 0);
      floor.push(await rawColdStart(engine.docker, gateway, code));
      const t1 = performance.now();
      const run = spawnSync('docker', ['run', '--rm', '--entrypoint', '/var/lang/bin/node', IMAGE, '-e', '0']);
      bare.push(performance.now() - t1);
      if (run.status !== 0) throw new Error(`docker run failed: ${run.stderr}`);
    }
    console.log('Cold invoke (median of %d)', COLD);
    console.log(`  product, invoke() to result       ${ms(median(product))}   (Init Duration ${ms(median(init))})`);
    console.log(`  floor, create + start to first /next   ${ms(median(floor))}`);
    console.log(`  context: docker run --rm ... node -e 0 ${ms(median(bare))}`);
    ratio({ bench: 'invoke', name: 'cold invoke / container start to first /next', measured: `invoke() of a small Node.js function to its result, fresh container (median ${ms(median(product))})`, reference: `a raw create and start of the same image and code, in this process, to the runtime's first GET /next (median ${ms(median(floor))})`, value: median(product) / median(floor) });
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
    console.log(`  ${(THROUGHPUT / seconds).toFixed(0)} invocations/s   (${cold} cold)\n`);
    await runner.removeContainers();

    const labels = { 'lambda-workbench.bench': String(process.pid) };
    if (process.env.LWB_BENCH_ONLY !== 'breakdown') await sideBySide(engine, services.env, work, labels);
    console.log('');
    await coldBreakdown(engine, IMAGE, work, labels);
    console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await runner.dispose();
    rmSync(work, { recursive: true, force: true });
    await services.stop();
  }
}

// Like the test runner: the run's own engine in a network namespace of its own where it can have one.
(!process.env[NETNS_ENV] && canIsolateNetwork() ? rerunInNamespace().then((code) => process.exit(code)) : main()).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
