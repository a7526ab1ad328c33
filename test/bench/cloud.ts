/**
 * Cloud view benchmark: `npm run bench:cloud`.
 *
 * Starts its own AWS API emulator (moto, as the test runner does) with 1,000 functions, then a
 * real VS Code host (code-server, as the integration tests run) with the extension, and prints:
 *  - the time until the Cloud view's first page of functions is available: the tree's
 *    getChildren for the root, the account row and the Functions group, as the view calls them;
 *  - one bare ListFunctions page call (MaxItems 50) against the same emulator, from the same host;
 *  - their ratio (the view's overhead over the one request it needs).
 * Medians of LWB_BENCH_RUNS runs (default 9), plus the first (cold) open on its own. Everything it
 * starts is stopped at the end.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runExtensionTests, startCodeServer } from '../support/codeServer';
import { freePort, run, startDaemon, stopDaemon, waitFor } from '../support/proc';
import { makeZip } from '../unit/local/zipFixture';
import { median, ratio } from './instrument';

const ROOT = resolve(__dirname, '..', '..', '..');
const FUNCTIONS = 1_000;
const RUNS = Number(process.env.LWB_BENCH_RUNS ?? 9);
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };

const ms = (n: number): string => `${n.toFixed(1)} ms`;

async function startMoto(work: string): Promise<{ url: string; stop(): Promise<void> }> {
  let python: string | undefined;
  for (const py of ['python3', '/usr/bin/python3']) {
    if ((await run(py, ['-c', 'import moto.server, flask_cors']).catch(() => ({ code: 1 }))).code === 0) {
      python = py;
      break;
    }
  }
  if (!python) throw new Error('no python3 with moto found: run scripts/setup.sh moto');
  const port = await freePort();
  const child = startDaemon(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], join(work, 'moto.log'));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor('moto', async () => (await fetch(`${url}/moto-api/`)).ok, 30_000, child);
  } catch (err) {
    await stopDaemon(child);
    throw err;
  }
  return { url, stop: () => stopDaemon(child) };
}

async function seed(url: string): Promise<number> {
  const [{ CreateFunctionCommand, LambdaClient }, { CreateRoleCommand, IAMClient }] = await Promise.all([import('@aws-sdk/client-lambda'), import('@aws-sdk/client-iam')]);
  const config = { endpoint: url, region: 'us-east-1', credentials };
  const iam = new IAMClient(config);
  const role = (await iam.send(new CreateRoleCommand({ RoleName: 'bench-cloud', AssumeRolePolicyDocument: '{}' }))).Role?.Arn;
  iam.destroy();
  const lambda = new LambdaClient(config);
  const zip = makeZip([{ name: 'index.js', data: 'exports.handler = async (e) => e;\n' }]);
  const started = Date.now();
  for (let i = 0; i < FUNCTIONS; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, FUNCTIONS - i) }, (_, j) =>
        lambda.send(new CreateFunctionCommand({ FunctionName: `bench-${String(i + j).padStart(4, '0')}`, Role: role, Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { ZipFile: zip } })),
      ),
    );
  }
  lambda.destroy();
  return Date.now() - started;
}

interface HostResult {
  coldTreeMs: number;
  coldListMs: number;
  treeMs: number[];
  listMs: number[];
  listReturned: number;
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const work = mkdtempSync(join(tmpdir(), 'lwb-bench-cloud-'));
  const workspace = join(work, 'workspace');
  cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
  const moto = await startMoto(work);
  try {
    const seedMs = await seed(moto.url);
    console.log(`machine: ${availableParallelism()} cores, node ${process.version}; AWS API: moto at ${moto.url}`);
    console.log(`${FUNCTIONS.toLocaleString('en-US')} functions created in ${(seedMs / 1000).toFixed(1)} s; median of ${RUNS} runs in a VS Code extension host\n`);
    const server = await startCodeServer({
      env: {
        LWB_BENCH_MOTO_URL: moto.url,
        LWB_BENCH_RUNS: String(RUNS),
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_CONFIG_FILE: join(work, 'no-aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-aws-credentials'),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    let result: HostResult | undefined;
    const hostLines: string[] = [];
    try {
      const code = await runExtensionTests({
        server,
        workspace,
        extensionPath: ROOT,
        testsPath: join(ROOT, 'out', 'test', 'bench', 'host', 'cloudView.js'),
        timeoutMs: 10 * 60_000,
        onLog: (line) => {
          hostLines.push(line);
          const m = /LWB-BENCH (\{.*\})/.exec(line);
          if (m) result = JSON.parse(m[1]) as HostResult;
        },
      });
      if (code !== 0 || !result) throw new Error(`the host part failed (exit ${code}):\n${hostLines.slice(-30).join('\n')}`);
    } finally {
      await server.stop();
    }
    const tree = median(result.treeMs);
    const list = median(result.listMs);
    const rows: [string, string][] = [
      ['Cloud view, first page of functions (root, account, Functions: 50 rows + "Load more…")', ms(tree)],
      [`one bare ListFunctions page call (MaxItems 50; moto answers with all ${result.listReturned.toLocaleString('en-US')})`, ms(list)],
      ['first open, view (loads the AWS SDK bundle, makes the session)', ms(result.coldTreeMs)],
      ['first bare call', ms(result.coldListMs)],
    ];
    const width = Math.max(...rows.map(([l]) => l.length)) + 3;
    for (const [l, v] of rows) console.log(`${l.padEnd(width)}${v}`);
    ratio({ bench: 'cloud', name: 'view first page / bare call', measured: `the Cloud view's first page of functions in the host (median ${tree.toFixed(1)} ms)`, reference: `one bare ListFunctions page call from the same host (median ${list.toFixed(1)} ms)`, value: tree / list });
  } finally {
    await moto.stop();
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
