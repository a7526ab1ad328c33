/**
 * Warm pool benchmark: `npm run bench:warm`.
 *
 * The first invoke after a save, against the real Docker engine and the Lambda-like test image:
 *  - without a pool: the save makes the warm container stale, so the invoke starts a fresh one (cold);
 *  - with a pool of 2 (lambdaWorkbench.local.minWarm, serve --min-warm), invoked once the pool has
 *    replaced its containers: warm;
 *  - with the pool, invoked right after the save (it waits for the first of the fresh containers,
 *    started at once beside the second): the worst case a person at the keyboard meets.
 * Interleaved rounds, medians and ratios. Everything it starts is removed at the end.
 *   LWB_BENCH_ROUNDS=N (default 7)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openEngine } from '../../src/core/docker';
import { LocalRunner, WarmPool } from '../../src/core/local';
import type { FunctionSpec } from '../../src/core/model/types';
import { canIsolateNetwork, NETNS_ENV, rerunInNamespace } from '../support/netns';
import { startServices, TEST_IMAGE } from '../support/services';
import { median, ratio } from './instrument';

const ROOT = join(__dirname, '..', '..', '..');
const ROUNDS = Number(process.env.LWB_BENCH_ROUNDS ?? 7);
const RANGE = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };
const handler = (n: number): string => `export const handler = async () => ({ version: ${n} });\n`;

function spec(work: string, id: string): FunctionSpec {
  const code = join(work, id);
  mkdirSync(code, { recursive: true });
  writeFileSync(join(code, 'index.mjs'), handler(0));
  return {
    logicalId: id,
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
}

const ms = (v: number): string => `${v.toFixed(1)} ms`;

async function main(): Promise<void> {
  const services = await startServices({ root: ROOT, log: (l) => console.log(`[services] ${l}`) });
  const work = mkdtempSync(join(tmpdir(), 'lwb-bench-warm-'));
  const engine = await openEngine();
  const runner = await LocalRunner.create({ engine, cacheDir: join(work, 'cache'), images: { 'nodejs22.x': TEST_IMAGE }, labels: { 'lambda-workbench.bench': String(process.pid) } });
  const pool = new WarmPool(runner, { minimum: 2 });
  try {
    console.log(`Docker ${engine.info.version}, image ${TEST_IMAGE}, 512 MB, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
    const plain = spec(work, 'Plain');
    const pooled = spec(work, 'Pooled');
    const rushed = spec(work, 'Rushed');
    for (const fn of [plain, pooled, rushed]) await runner.invoke(fn, {});
    pool.keep(pooled);
    pool.keep(rushed);
    await Promise.all([pool.settled(pooled), pool.settled(rushed)]);

    const times = { plain: [] as number[], pooled: [] as number[], rushed: [] as number[] };
    const save = (fn: FunctionSpec, n: number): void => writeFileSync(join(fn.codeUri!, 'index.mjs'), handler(n));
    const timed = async (fn: FunctionSpec, n: number, wait?: () => Promise<void>): Promise<number> => {
      const t0 = performance.now();
      await wait?.();
      const r = await runner.invoke(fn, {});
      const took = performance.now() - t0;
      if ((r.payload as { version: number }).version !== n) throw new Error(`${fn.logicalId} ran version ${JSON.stringify(r.payload)}, not ${n}`);
      return took;
    };
    for (let i = 1; i <= ROUNDS; i++) {
      save(plain, i);
      times.plain.push(await timed(plain, i));

      save(pooled, i);
      pool.changed(pooled);
      await pool.settled(pooled);
      times.pooled.push(await timed(pooled, i));

      save(rushed, i);
      pool.changed(rushed);
      times.rushed.push(await timed(rushed, i, () => pool.ready(rushed)));
      await Promise.all([pool.settled(pooled), pool.settled(rushed)]);
    }
    console.log('First invoke after a save (median of %d)', ROUNDS);
    console.log(`  no pool (cold)                           ${ms(median(times.plain))}`);
    console.log(`  pool of 2, invoked once it is replaced   ${ms(median(times.pooled))}`);
    console.log(`  pool of 2, invoked right after the save  ${ms(median(times.rushed))} (waits for the first fresh container)`);
    ratio({
      bench: 'warm',
      name: 'first invoke after a save, pool / no pool',
      measured: `invoke() to its result with a warm pool of 2 replaced after the save (median ${ms(median(times.pooled))})`,
      reference: `invoke() to its result after the same save without a pool: a cold start (median ${ms(median(times.plain))})`,
      value: median(times.pooled) / median(times.plain),
    });
    console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await pool.dispose();
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
