/**
 * Deploy benchmark: `npm run bench:deploy`.
 *
 * Starts its own AWS API emulator (moto, the way the test runner does) and prints, in one run:
 *  1. a full deploy of a function (cold caches: walk, compress, write, upload, CreateFunction,
 *     wait) next to an unchanged redeploy of the same function by a new size engine and packager
 *     over the same cache folder (as a second CLI call would be), and by the same engine (as the
 *     editor would), with the bytes each uploaded and their ratio to the full deploy (target:
 *     under 5%, 0 bytes uploaded);
 *  2. direct-upload throughput for a 40 MB zip (incompressible content, so the zip is 40 MB).
 * Each figure is the median of several runs; the emulator is reset between runs. Everything it
 * creates is removed at the end.
 *   LWB_BENCH_RUNS=N (default 5)
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { type AwsSession, createAwsSession, type DeployContext, type DeployProgress, executeDeploy, planDeploy } from '../../src/core/deploy';
import { sizeEnginePackager } from '../../src/core/deploy/sizeEnginePackager';
import type { FunctionSpec } from '../../src/core/model/types';
import { SizeEngine } from '../../src/core/size';
import { canIsolateNetwork, NETNS_ENV, rerunInNamespace } from '../support/netns';
import { startServices } from '../support/services';
import { median, ratio } from './instrument';

const ROOT = join(__dirname, '..', '..', '..');
const RUNS = Number(process.env.LWB_BENCH_RUNS ?? 5);
const RANGE = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };
const MB = 1_000_000;

function spec(logicalId: string, codeUri: string, role: string): FunctionSpec {
  return {
    logicalId,
    templatePath: join(codeUri, '..', 'template.yaml'),
    resourceType: 'AWS::Serverless::Function',
    runtime: 'nodejs22.x',
    handler: 'index.handler',
    codeUri,
    architecture: 'x86_64',
    memorySize: 256,
    timeout: 10,
    environment: { STAGE: 'bench' },
    layers: [],
    role,
    packageType: 'Zip',
    events: [],
    conditional: [],
    ranges: { resource: RANGE, logicalId: RANGE, properties: {} },
  };
}

/** A function shaped like a real one: ~2,000 source files and some binary assets, ~30 MB. */
function generateFunction(dir: string): void {
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const words = 'const let return async await export import function value result error event context handler items'.split(' ');
  writeFileSync(join(dir, 'index.js'), 'exports.handler = async (event) => ({ ok: true, event });\n');
  for (let i = 0; i < 2_000; i++) {
    const sub = join(dir, 'node_modules', `pkg${i % 50}`, 'lib');
    mkdirSync(sub, { recursive: true });
    const lines: string[] = [];
    for (let n = 0; n < 120; n++) lines.push(Array.from({ length: 8 }, () => words[Math.floor(rand() * words.length)]).join(' '));
    writeFileSync(join(sub, `m${i}.js`), lines.join('\n'));
  }
  mkdirSync(join(dir, 'assets'), { recursive: true });
  for (let i = 0; i < 20; i++) writeFileSync(join(dir, 'assets', `a${i}.bin`), randomBytes(1_000_000));
}

async function reset(motoUrl: string): Promise<void> {
  await fetch(`${motoUrl}/moto-api/reset`, { method: 'POST' });
}

async function role(session: AwsSession): Promise<string> {
  const out = await session.iam.send(
    new CreateRoleCommand({
      RoleName: 'bench-role',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    }),
  );
  return out.Role?.Arn ?? '';
}

/**
 * One plan + execute the way a CLI call makes it: a new size engine and packager over `cacheDir`.
 * Resolves with the time, the bytes uploaded and each step's time.
 */
async function deployOnce(session: AwsSession, fn: FunctionSpec, cacheDir: string, shared?: SizeEngine) {
  const engine = shared ?? new SizeEngine({ cacheDir: join(cacheDir, 'size') });
  const packager = sizeEnginePackager(engine, { cacheDir });
  const ctx: DeployContext = {
    lambda: session.lambda,
    s3: session.s3,
    ecr: session.ecr,
    iam: session.iam,
    region: 'us-east-1',
    errorContext: session.errorContext,
    packager,
    options: {},
  };
  const stepStarts = new Map<string, number>();
  const stepMs = new Map<string, number>();
  const onProgress = (e: DeployProgress): void => {
    if (e.phase === 'start') stepStarts.set(e.step, performance.now());
    if (e.phase === 'done') stepMs.set(e.step, performance.now() - (stepStarts.get(e.step) ?? performance.now()));
  };
  const started = performance.now();
  const plan = await planDeploy(ctx, { functions: [fn] }, { onProgress });
  const result = await executeDeploy(ctx, plan, { onProgress });
  const ms = performance.now() - started;
  await plan.dispose();
  if (!shared) await engine.dispose();
  const r = result.functions[0];
  if (r.action === 'failed' || r.action === 'refused') throw new Error(`${fn.logicalId}: ${r.reason}`);
  return { ms, action: r.action, uploaded: r.uploadedBytes, codeSize: r.codeSize ?? 0, stepMs };
}

const sec = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;

async function main(): Promise<void> {
  const services = await startServices({ root: ROOT, log: (l) => console.log(`[services] ${l}`) });
  const work = mkdtempSync(join(tmpdir(), 'lwb-bench-deploy-'));
  const motoUrl = services.env.LWB_TEST_MOTO_URL;
  const session = await createAwsSession({ endpointUrl: motoUrl, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  try {
    console.log(`machine: ${availableParallelism()} cores, node ${process.version}; AWS API: moto at ${motoUrl}; median of ${RUNS} runs\n`);
    const app = join(work, 'app');
    mkdirSync(app);
    generateFunction(app);

    const full: number[] = [];
    const unchanged: number[] = [];
    const unchangedWarm: number[] = [];
    let fullBytes = 0;
    let unchangedBytes = -1;
    let codeSize = 0;
    for (let i = 0; i < RUNS; i++) {
      await reset(motoUrl);
      const fn = spec('BenchApp', app, await role(session));
      // Cold: no compression cache and no remembered artifact hash.
      const cacheDir = join(work, `cache-${i}`);
      const a = await deployOnce(session, fn, cacheDir);
      const b = await deployOnce(session, fn, cacheDir);
      // The editor keeps one engine for the session: its second deploy reuses what the first learnt.
      const editor = new SizeEngine({ cacheDir: join(cacheDir, 'size') });
      await deployOnce(session, fn, cacheDir, editor);
      const c = await deployOnce(session, fn, cacheDir, editor);
      await editor.dispose();
      if (a.action !== 'created' || b.action !== 'unchanged' || c.action !== 'unchanged') throw new Error(`expected created then unchanged, got ${a.action}, ${b.action}, ${c.action}`);
      full.push(a.ms);
      unchanged.push(b.ms);
      unchangedWarm.push(c.ms);
      unchangedBytes = Math.max(unchangedBytes, c.uploaded);
      fullBytes = a.uploaded;
      codeSize = a.codeSize;
      unchangedBytes = Math.max(unchangedBytes, b.uploaded);
    }
    const mFull = median(full);
    const mUnchanged = median(unchanged);
    console.log(`function: ~30 MB unzipped in 2,021 files, zip ${codeSize.toLocaleString('en-US')} bytes`);
    console.log(`full deploy (cold caches, CreateFunction)    ${sec(mFull)}   uploaded ${fullBytes.toLocaleString('en-US')} bytes`);
    console.log(`unchanged redeploy (new engine and packager) ${sec(mUnchanged)}   uploaded ${unchangedBytes.toLocaleString('en-US')} bytes`);
    ratio({ bench: 'deploy', name: 'unchanged redeploy / full deploy', measured: `an unchanged redeploy by a new engine and packager, as a second CLI call (median ${sec(mUnchanged)}, ${unchangedBytes} bytes uploaded)`, reference: `the full deploy of the same function with cold caches (median ${sec(mFull)})`, value: mUnchanged / mFull, goal: 0.05 });
    const mWarm = median(unchangedWarm);
    console.log(`unchanged redeploy (same engine, as in the editor) ${sec(mWarm)}   ${((mWarm / mFull) * 100).toFixed(1)}% of the full deploy\n`);

    const big = join(work, 'big');
    mkdirSync(big);
    writeFileSync(join(big, 'index.js'), 'exports.handler = async () => 1;\n');
    writeFileSync(join(big, 'blob.bin'), randomBytes(40 * MB));
    const uploads: number[] = [];
    let zipBytes = 0;
    for (let i = 0; i < RUNS; i++) {
      await reset(motoUrl);
      const r = await deployOnce(session, spec('BenchUpload', big, await role(session)), join(work, `upload-cache-${i}`));
      zipBytes = r.uploaded;
      uploads.push(r.stepMs.get('create function') ?? NaN);
    }
    const mUpload = median(uploads);
    console.log(`40 MB zip (${zipBytes.toLocaleString('en-US')} bytes), direct upload + CreateFunction   ${sec(mUpload)}   ${(zipBytes / MB / (mUpload / 1000)).toFixed(1)} MB/s`);
  } finally {
    session.destroy();
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
