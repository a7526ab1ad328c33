/**
 * Runs every test tier and ends with one line, `N passed, N failed, N skipped`, totalling them all.
 *   node out/test/run.js [--tier checks|unit|integration|system|ui|fuzz]... [--grep PATTERN]
 * Tiers: checks (tsc, eslint), unit (core and CLI on plain Node), integration (inside a real
 * VS Code extension host), system (a real Docker engine, registry and AWS API emulator), ui
 * (the workbench in headless chromium), fuzz (property-based tests of the parsers on plain Node,
 * seeded: LWB_FUZZ_SEED replays a run). Services are started once for the tiers that need them
 * and stopped at the end; nothing is left running.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runExtensionTests, startCodeServer } from './support/codeServer';
import { canIsolateNetwork, NETNS_ENV, rerunInNamespace } from './support/netns';
import { agreed, formatResult, HOST_LINE_PREFIX, parseResult, type TierResult } from './support/results';
import { run } from './support/proc';
import { type Services, startServices } from './support/services';

const ROOT = resolve(__dirname, '..', '..');
const TIERS = ['checks', 'unit', 'integration', 'system', 'ui', 'fuzz'] as const;
type Tier = (typeof TIERS)[number];
const NEEDS_SERVICES: readonly Tier[] = ['integration', 'system', 'ui'];
/** Tiers that run beside the others when the system tier cannot have a runner of its own (see main). */
const BESIDE: readonly Tier[] = ['checks', 'fuzz'];

function log(line: string): void {
  process.stdout.write(`[test] ${line}\n`);
}

function testFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.sort().flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return testFiles(p);
    return name.endsWith('.test.js') ? [p] : [];
  });
}

/**
 * Runs a process, echoing its output except the result marker; returns the marker's counts. A
 * `held` run (one beside another tier) prints its output in one piece when it ends.
 */
function runCounted(cmd: string, args: string[], env: Record<string, string>, timeoutMs: number, held = false): Promise<TierResult> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', held ? 'pipe' : 'inherit'] });
    let result: TierResult | undefined;
    let pending = '';
    const kept: string[] = [];
    const out = (line: string): void => {
      if (held) kept.push(line);
      else process.stdout.write(`${line}\n`);
    };
    child.stderr?.on('data', (chunk: Buffer) => kept.push(chunk.toString().trimEnd()));
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const r = parseResult(line);
        if (r) result = r;
        else out(line);
      }
    });
    const timer = setTimeout(() => {
      log(`${args.join(' ')} ran over ${timeoutMs} ms: stopping it`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (pending) out(pending);
      if (held) process.stdout.write(`${kept.join('\n')}\n`);
      done(agreed(result, code, (why) => log(`${args.join(' ')} ${why}`)));
    });
  });
}

/** tsc and eslint, one after the other; their output is held back and printed when both are done (other tiers run meanwhile). */
async function runChecks(): Promise<TierResult> {
  const r: TierResult = { passed: 0, failed: 0, skipped: 0 };
  const lines: string[] = [];
  for (const [name, args] of [
    ['typecheck (tsc --noEmit)', ['node_modules/typescript/bin/tsc', '-p', '.', '--noEmit']],
    ['lint (eslint)', ['node_modules/eslint/bin/eslint.js', 'src', 'test', 'scripts']],
  ] as const) {
    const { code, output } = await run(process.execPath, [...args], { cwd: ROOT });
    if (output.trim()) lines.push(output.trimEnd());
    lines.push(`[test] ${code === 0 ? 'ok  ' : 'FAIL'} ${name}`);
    if (code === 0) r.passed++;
    else r.failed++;
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return r;
}

type MochaTier = 'unit' | 'system' | 'ui' | 'fuzz';

/** Per-test time limits: each fuzz property stops starting runs well within its minute. */
const TEST_TIMEOUT_MS: Record<MochaTier, string> = { unit: '20000', fuzz: '60000', system: '180000', ui: '180000' };
/**
 * How long a whole tier may run. The system tier builds and runs real toolchains for every runtime
 * (a release build of each generated Rust function takes 10-40 s on two cores): about 21 minutes.
 */
const TIER_LIMIT_MS: Record<MochaTier, number> = { unit: 20 * 60_000, fuzz: 20 * 60_000, system: 35 * 60_000, ui: 20 * 60_000 };

/**
 * System test files that need no service of the system tier (real toolchains only), run on the
 * main path after the other tiers when the system tier has a runner of its own: the two paths then
 * take about as long (the system tier's is otherwise the longest by minutes).
 */
const SYSTEM_ON_MAIN_PATH = ['build/scaffold.test.js'];
/** Tells the system tier's own runner to leave SYSTEM_ON_MAIN_PATH to the main one. */
const SPLIT_ENV = 'LWB_TEST_SYSTEM_SPLIT';

function runMochaTier(tier: MochaTier, env: Record<string, string>, held = false, only?: (file: string) => boolean): Promise<TierResult> {
  const files = testFiles(join(ROOT, 'out', 'test', tier)).filter((f) => !only || only(f));
  if (files.length === 0) {
    log(`no ${tier} tests found`);
    return Promise.resolve({ passed: 0, failed: 1, skipped: 0 });
  }
  const timings = join(ROOT, 'test-output', `timings-${tier}${only && !process.env[SPLIT_ENV] ? '-main-path' : ''}.txt`);
  return runCounted(process.execPath, [join(ROOT, 'out/test/support/mocha.js'), ...files], { ...env, LWB_TEST_TIMEOUT_MS: TEST_TIMEOUT_MS[tier], LWB_TEST_TIMINGS: timings }, TIER_LIMIT_MS[tier], held);
}

/** Whether a compiled system test file is one of SYSTEM_ON_MAIN_PATH. */
function onMainPath(file: string): boolean {
  const rel = file.slice(join(ROOT, 'out', 'test', 'system').length + 1).split('\\').join('/');
  return SYSTEM_ON_MAIN_PATH.includes(rel);
}

/**
 * The extension-host tests, in two hosts: the sample workspace as its owner has it (trusted), and
 * a copy opened in Restricted Mode, with workspace settings that try to send code and AWS calls
 * elsewhere (test/integration/untrusted). The counts add up.
 */
async function runIntegration(env: Record<string, string>): Promise<TierResult> {
  const trusted = await runHost(env, 'trusted');
  const untrusted = await runHost(env, 'untrusted');
  return {
    passed: trusted.passed + untrusted.passed,
    failed: trusted.failed + untrusted.failed,
    skipped: trusted.skipped + untrusted.skipped,
    failures: [...(trusted.failures ?? []), ...(untrusted.failures ?? []).map((f) => `(untrusted) ${f}`)],
  };
}

/** What the untrusted host's workspace asks for in its .vscode/settings.json: none of it may count. */
const UNTRUSTED_WORKSPACE_SETTINGS = {
  'lambdaWorkbench.aws.endpointUrl': 'http://127.0.0.1:9',
  'lambdaWorkbench.aws.profile': 'workspace-chosen',
  'lambdaWorkbench.docker.host': 'tcp://192.0.2.1:2375',
  'lambdaWorkbench.local.runtimeApiAddress': '192.0.2.1',
  'lambdaWorkbench.local.envFile': '/etc/passwd',
  'lambdaWorkbench.local.passAwsCredentials': true,
  'lambdaWorkbench.local.images': { 'nodejs22.x': 'registry.invalid/steal:latest' },
  'lambdaWorkbench.deploy.s3Bucket': 'someone-elses-bucket',
  // Not restricted: a workspace may choose it.
  'lambdaWorkbench.size.warnAt': 0.5,
};

async function runHost(env: Record<string, string>, suite: 'trusted' | 'untrusted'): Promise<TierResult> {
  // The host works on a copy of examples/, so tests that create or edit files never touch the repo.
  const workspace = mkdtempSync(join(tmpdir(), 'lwb-workspace-'));
  cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
  const untrusted = suite === 'untrusted';
  if (untrusted) {
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(UNTRUSTED_WORKSPACE_SETTINGS, null, 2));
  }
  // AWS calls in the host go to the emulator with throwaway credentials; a developer's own AWS
  // profiles are never read.
  const server = await startCodeServer({
    env: {
      ...env,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_CONFIG_FILE: join(workspace, '.no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(workspace, '.no-aws-credentials'),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      LWB_INTEGRATION_SUITE: suite,
    },
    // Restricted Mode, with the user's own settings where the workspace's must not count.
    ...(untrusted ? { workspaceTrust: true, settings: { 'lambdaWorkbench.aws.endpointUrl': env.LWB_TEST_MOTO_URL ?? '', 'lambdaWorkbench.aws.region': 'us-east-1' } } : {}),
  });
  const hostLog = join(ROOT, 'test-output', `integration-host${untrusted ? '-untrusted' : ''}.log`);
  mkdirSync(dirname(hostLog), { recursive: true });
  writeFileSync(hostLog, '');
  let result: TierResult | undefined;
  try {
    const code = await runExtensionTests({
      server,
      workspace,
      extensionPath: ROOT,
      testsPath: join(ROOT, 'out', 'test', 'integration', 'index.js'),
      timeoutMs: 10 * 60_000,
      onLog: (line) => {
        appendFileSync(hostLog, `${line}\n`);
        for (const l of line.split('\n')) {
          if (!l.startsWith(HOST_LINE_PREFIX)) continue;
          const r = parseResult(l.slice(HOST_LINE_PREFIX.length));
          if (r) result = r;
          else process.stdout.write(`${l.slice(HOST_LINE_PREFIX.length)}\n`);
        }
      },
    });
    if (!result) log(`its console is in ${hostLog}`);
    return agreed(result, code, (why) => log(`the ${suite} extension host ${why}`));
  } finally {
    await server.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** Marks a runner started by another for one tier (see runSystemApart). */
const APART_ENV = 'LWB_TEST_APART';

/** The system tier in a runner of its own: its own network namespace, engine, registry and emulator. */
function runSystemApart(env: Record<string, string>, grep: string | undefined): Promise<TierResult> {
  const args = [join(ROOT, 'out', 'test', 'run.js'), '--tier', 'system', ...(grep ? ['--grep', grep] : [])];
  // An empty LWB_TEST_NETNS: the child takes a namespace of its own instead of sharing this one.
  return runCounted(process.execPath, args, { ...env, [APART_ENV]: '1', [SPLIT_ENV]: '1', [NETNS_ENV]: '', DOCKER_HOST: '' }, 30 * 60_000, true);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { tier: { type: 'string', multiple: true }, grep: { type: 'string' } } });
  const tiers = (values.tier ?? [...TIERS]) as Tier[];
  for (const t of tiers) if (!TIERS.includes(t)) throw new Error(`unknown tier '${t}' (tiers: ${TIERS.join(', ')})`);
  // The tiers with services run in a network namespace of their own (see support/netns.ts).
  if (tiers.some((t) => NEEDS_SERVICES.includes(t)) && !process.env[NETNS_ENV] && canIsolateNetwork()) return rerunInNamespace();
  // The SDK's notice about future Node.js versions is not about this code; keep it out of test output.
  // The product's own cache (LAMBDA_WORKBENCH_CACHE) is the run's, so no test meets what an earlier run left there.
  const productCache = mkdtempSync(join(tmpdir(), 'lwb-product-cache-'));
  const baseEnv: Record<string, string> = {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    LAMBDA_WORKBENCH_CACHE: productCache,
    ...(values.grep ? { LWB_TEST_GREP: values.grep } : {}),
  };
  const results = new Map<Tier, [TierResult, number]>();
  /** The system tier's SYSTEM_ON_MAIN_PATH files, run on the main path: counted with the tier. */
  let mainPart: [TierResult, number] | undefined;
  const timed = async (tier: Tier, body: () => Promise<TierResult>): Promise<void> => {
    const started = Date.now();
    log(`tier ${tier}`);
    let r: TierResult;
    try {
      r = await body();
    } catch (err) {
      log(`tier ${tier} could not run: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      r = { passed: 0, failed: 1, skipped: 0 };
    }
    results.set(tier, [r, Date.now() - started]);
  };
  // On two cores the system tier is the longest path: where namespaces can be had it runs from the
  // start in a runner of its own, with an engine, registry and emulator of its own, and every other
  // tier runs one after the other beside it (the services start while the checks run). Without
  // namespaces, the tiers that need neither services nor each other's output (checks: tsc and
  // eslint; fuzz) run beside the rest. The run takes the time of its longest path, not of every step.
  const own = tiers.includes('system') && tiers.some((t) => t !== 'system' && NEEDS_SERVICES.includes(t)) && canIsolateNetwork();
  const besideTiers = own ? (['system'] as Tier[]) : tiers.filter((t) => BESIDE.includes(t));
  const beside = (async () => {
    for (const tier of besideTiers) {
      await timed(tier, () => {
        if (tier === 'checks') return runChecks();
        if (tier === 'system') return runSystemApart(baseEnv, values.grep);
        return runMochaTier('fuzz', baseEnv, besideTiers.length < tiers.length);
      });
    }
  })();
  const needsServices = tiers.some((t) => NEEDS_SERVICES.includes(t) && !besideTiers.includes(t));
  const services: Promise<Services> | undefined = needsServices ? startServices({ root: ROOT, log }) : undefined;
  services?.catch(() => undefined);
  const stopServices = async (): Promise<void> => {
    await (await services?.catch(() => undefined))?.stop();
  };
  process.once('SIGINT', () => void stopServices().finally(() => process.exit(130)));
  process.once('SIGTERM', () => void stopServices().finally(() => process.exit(143)));
  try {
    for (const tier of tiers.filter((t) => !besideTiers.includes(t))) {
      await timed(tier, async () => {
        const env = { ...baseEnv, ...(NEEDS_SERVICES.includes(tier) ? (await services!).env : {}) };
        if (tier === 'integration') return runIntegration(env);
        if (tier === 'checks') return runChecks();
        if (tier === 'system' && process.env[SPLIT_ENV]) return runMochaTier('system', env, false, (f) => !onMainPath(f));
        return runMochaTier(tier as MochaTier, env);
      });
    }
    if (own) {
      const started = Date.now();
      log(`tier system: ${SYSTEM_ON_MAIN_PATH.join(', ')} on the main path`);
      const env = { ...baseEnv, ...(await services!).env };
      mainPart = [await runMochaTier('system', env, false, onMainPath).catch(() => ({ passed: 0, failed: 1, skipped: 0 })), Date.now() - started];
    }
    await beside;
  } finally {
    await stopServices();
    rmSync(productCache, { recursive: true, force: true });
  }
  const system = results.get('system');
  if (mainPart && system) {
    const [a, b] = [system[0], mainPart[0]];
    results.set('system', [{ passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped, failures: [...(a.failures ?? []), ...(b.failures ?? [])] }, system[1]]);
  }
  const total: TierResult = { passed: 0, failed: 0, skipped: 0, failures: [] };
  // What failed, by name, next to the counts: a run's log is often read from its end only.
  for (const tier of tiers) for (const f of results.get(tier)?.[0].failures ?? []) log(`FAILED ${tier}: ${f}`);
  for (const tier of tiers) {
    const [r, ms] = results.get(tier) ?? [{ passed: 0, failed: 1, skipped: 0 }, 0];
    // A tier that ran nothing has not passed, whatever its process said.
    if (r.passed + r.failed === 0) {
      log(`tier ${tier} ran no test`);
      r.failed = 1;
    }
    const alsoMain = tier === 'system' && mainPart ? `, and ${(mainPart[1] / 1000).toFixed(1)} s on the main path` : '';
    log(`${tier.padEnd(12)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped (${(ms / 1000).toFixed(1)} s${alsoMain})`);
    total.passed += r.passed;
    total.failed += r.failed;
    total.skipped += r.skipped;
    total.failures!.push(...(r.failures ?? []));
  }
  // A runner started by another reports to it with the marker; the closing line is the outer one's.
  if (process.env[APART_ENV]) console.log(formatResult(total));
  else console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return total.failed > 0 || total.passed === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    console.log('0 passed, 1 failed, 0 skipped');
    process.exit(1);
  },
);
