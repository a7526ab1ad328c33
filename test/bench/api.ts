/**
 * Local API benchmark: `npm run bench:api`.
 *
 * Prints, in one run, against the real Docker engine and the Lambda-like test image, for a warm
 * HTTP API function (payload 2.0) served by the local API:
 *  1. requests per second and p50/p99 latency at concurrency 1 and 8 (8 warm containers);
 *  2. the latency added over the handler's own time (target: p50 under 2 ms);
 *  3. when AWS SAM CLI is in the tool cache (scripts/setup.sh), the same load against
 *     `sam local start-api --warm-containers EAGER` on the same image, and the throughput ratio
 *     (target: at least 10x); then one request with repeated headers, query keys and cookies sent
 *     to both, and every difference between the two events it became. Without SAM CLI, that
 *     part is skipped and says so.
 * Everything it starts is stopped at the end.
 *   LWB_BENCH_REQUESTS=N (default 2000 per concurrency)   LWB_BENCH_SAM_REQUESTS=N (default 200)
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openEngine } from '../../src/core/docker';
import { LocalRunner } from '../../src/core/local';
import { loadTemplate } from '../../src/core/model';
import { LocalApi } from '../../src/core/serve';
import { ensureDocker, TEST_IMAGE } from '../support/services';
import { toolCache } from '../support/toolCache';
import { percentiles, ratio } from './instrument';

const ROOT = join(__dirname, '..', '..', '..');
const REQUESTS = Number(process.env.LWB_BENCH_REQUESTS ?? 2000);
const SAM_REQUESTS = Number(process.env.LWB_BENCH_SAM_REQUESTS ?? 200);
const SAM = join(toolCache(), 'sam-cli', 'bin', 'sam');

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Bench:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: app.handler
      CodeUri: fn/
      MemorySize: 512
      Events:
        Get: { Type: HttpApi, Properties: { Path: /bench, Method: get } }
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: echo.handler
      CodeUri: fn/
      Events:
        Items: { Type: HttpApi, Properties: { Path: '/items/{id}', Method: post } }
`;

const ECHO = `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });\n`;

/** The request both servers get for the comparison: repeated headers, query keys, cookies, a path parameter, a JSON body. */
function compareRequest(base: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const body = '{"a":1}';
    const headers = ['Host', new URL(base).host, 'X-Multi', 'one', 'X-Multi', 'two', 'Cookie', 'c1=v1; c2=v2', 'User-Agent', 'bench', 'Content-Type', 'application/json', 'Content-Length', String(body.length)];
    request(`${base}/items/a%20b?x=1&x=2&y=%C3%A9`, { method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(JSON.parse(text)));
    })
      .on('error', reject)
      .end(body);
  });
}

/** Every leaf of a JSON value by its path (`requestContext.http.method`). */
function leaves(value: unknown, path = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, value);
  }
  return out;
}

/** What differs between two events, leaf by leaf; ids and times, which differ per request anyway, are named once. */
function differences(ours: unknown, sam: unknown): string[] {
  const a = leaves(ours);
  const b = leaves(sam);
  const volatile = /requestId$|extendedRequestId$|\.time$|timeEpoch$|requestTime|x-amzn-trace-id$|x-forwarded-port$|^headers\.host$|domainName$|domainPrefix$|apiId$/;
  const out: string[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const [x, y] = [a.get(key), b.get(key)];
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    if (a.has(key) && b.has(key) && volatile.test(key)) continue;
    out.push(`${key}: ours ${a.has(key) ? JSON.stringify(x) : '(absent)'}, SAM ${b.has(key) ? JSON.stringify(y) : '(absent)'}`);
  }
  return out;
}

/** The handler says how long it ran itself, so what the front door adds can be told apart. */
const HANDLER = `import { performance } from 'node:perf_hooks';
export const handler = async (event) => {
  const start = performance.now();
  const body = JSON.stringify({ path: event.rawPath, n: event.queryStringParameters?.n ?? null });
  return { statusCode: 200, headers: { 'x-own-ms': String(performance.now() - start) }, body };
};
`;

interface Load {
  rps: number;
  latency: ReturnType<typeof percentiles>;
  added: ReturnType<typeof percentiles>;
}

/** `total` GETs from `concurrency` workers over keep-alive connections: throughput, latency, and latency minus the handler's own time. */
async function load(url: string, total: number, concurrency: number): Promise<Load> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const added: number[] = [];
  let next = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      request(`${url}?n=${next}`, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          const ms = performance.now() - t0;
          if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
          latencies.push(ms);
          added.push(ms - Number(res.headers['x-own-ms'] ?? 0));
          resolve();
        });
      })
        .on('error', reject)
        .end();
    });
  const worker = async (): Promise<void> => {
    while (next < total) {
      next++;
      await one();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { rps: total / seconds, latency: percentiles(latencies), added: percentiles(added) };
}

function line(name: string, l: Load): string {
  return `  ${name.padEnd(34)} ${l.rps.toFixed(0).padStart(6)} req/s   p50 ${l.latency.p50.toFixed(2)} ms   p99 ${l.latency.p99.toFixed(2)} ms   added p50 ${l.added.p50.toFixed(2)} ms`;
}

/** `sam local start-api --warm-containers EAGER` on the same image; undefined when SAM CLI is not installed. */
async function samLoad(dir: string, image: string): Promise<{ c1: Load; c8: Load; event: unknown } | string> {
  if (!existsSync(SAM)) return `AWS SAM CLI is not in the tool cache (${SAM}): run bash scripts/setup.sh to compare with sam local start-api`;
  const port = 3300 + (process.pid % 500);
  const child: ChildProcess = spawn(SAM, ['local', 'start-api', '--port', String(port), '--warm-containers', 'EAGER', '--skip-pull-image', '--invoke-image', image, '--template', join(dir, 'template.yaml')], {
    cwd: dir,
    env: { ...process.env, SAM_CLI_TELEMETRY: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  try {
    const url = `http://127.0.0.1:${port}/bench`;
    const deadline = Date.now() + 180_000;
    for (;;) {
      const up = await new Promise<boolean>((resolve) => request(url, (res) => (res.resume(), resolve(res.statusCode === 200))).on('error', () => resolve(false)).end());
      if (up) break;
      if (child.exitCode !== null || Date.now() > deadline) return `sam local start-api did not serve (exit ${child.exitCode}): ${output.split('\n').slice(-8).join('\n')}`;
      await new Promise((r) => setTimeout(r, 500));
    }
    for (let i = 0; i < 10; i++) await load(url, 8, 8);
    return { c1: await load(url, SAM_REQUESTS, 1), c8: await load(url, SAM_REQUESTS, 8), event: await compareRequest(`http://127.0.0.1:${port}`) };
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r).once('error', r));
  }
}

async function main(): Promise<void> {
  const docker = await ensureDocker((l) => console.log(l));
  const image = spawnSync('bash', [join(ROOT, 'scripts/test-image.sh'), TEST_IMAGE], { stdio: 'inherit' });
  if (image.status !== 0) throw new Error('building the test image failed');
  const dir = mkdtempSync(join(tmpdir(), 'lwb-bench-api-'));
  mkdirSync(join(dir, 'fn'));
  writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
  writeFileSync(join(dir, 'fn', 'app.mjs'), HANDLER);
  writeFileSync(join(dir, 'fn', 'echo.mjs'), ECHO);
  const engine = await openEngine();
  const runner = await LocalRunner.create({ engine, cacheDir: join(dir, 'cache'), images: { 'nodejs22.x': TEST_IMAGE }, labels: { 'lambda-workbench.bench': String(process.pid) } });
  let api: LocalApi | undefined;
  try {
    console.log(`Docker ${engine.info.version} (${engine.endpoint.url}), image ${TEST_IMAGE}, ${REQUESTS} requests per run\n`);
    api = await LocalApi.start({ runner, models: [await loadTemplate(join(dir, 'template.yaml'))], port: 0, warm: 8, concurrency: 8, watch: false });
    const url = api.routes.find((r) => r.logicalId === 'Bench')!.url;
    const ourEvent = await compareRequest(new URL(url).origin);
    for (let i = 0; i < 5; i++) await load(url, 200, 8);
    const c1 = await load(url, REQUESTS, 1);
    const c8 = await load(url, REQUESTS, 8);
    console.log('Local API (lambda-workbench), warm HTTP API function');
    console.log(line('concurrency 1', c1));
    console.log(line('concurrency 8 (8 warm containers)', c8));
    console.log(`  added over the handler's own time  p50 ${c1.added.p50.toFixed(2)} ms   target p50 < 2 ms  ${c1.added.p50 < 2 ? 'met' : 'NOT met'}\n`);
    await api.stop();
    api = undefined;
    await runner.dispose();

    const sam = await samLoad(dir, TEST_IMAGE);
    if (typeof sam === 'string') {
      console.log(`sam local start-api --warm-containers EAGER: skipped: ${sam}`);
      return;
    }
    console.log('sam local start-api --warm-containers EAGER, same image');
    console.log(line('concurrency 1', sam.c1));
    console.log(line('concurrency 8', sam.c8));
    // The goal is at least 10x SAM's throughput: SAM's requests per second over ours at most 0.1.
    for (const [name, ours, theirs] of [['concurrency 1', c1, sam.c1], ['concurrency 8', c8, sam.c8]] as const) {
      ratio({
        bench: 'api',
        name: `sam local start-api throughput / ours, ${name}`,
        measured: `sam local start-api --warm-containers EAGER, ${theirs.rps.toFixed(1)} req/s`,
        reference: `the local API, ${ours.rps.toFixed(1)} req/s (${(ours.rps / theirs.rps).toFixed(1)}x SAM's)`,
        value: theirs.rps / ours.rps,
        goal: 0.1,
      });
    }
    const diff = differences(ourEvent, sam.event);
    console.log(`\nThe same request's event, ours against SAM CLI's (ids and times aside): ${diff.length} difference${diff.length === 1 ? '' : 's'}`);
    for (const d of diff) console.log(`  ${d}`);
  } finally {
    await api?.stop();
    await runner.dispose();
    rmSync(dir, { recursive: true, force: true });
    await docker?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
