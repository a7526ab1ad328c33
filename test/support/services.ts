import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildProcess, spawnSync } from 'node:child_process';
import Docker from 'dockerode';
import { ensureArm64Emulation } from './binfmt';
import { NETNS_ENV } from './netns';
import { freePort, run, startDaemon, stopDaemon, waitFor } from './proc';

/**
 * The real systems the system and integration tiers talk to. Each is started only when it is
 * not already there, listens on loopback, and is stopped by the PID its start recorded.
 */
export interface Services {
  /** Environment for test processes: where each service is. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export const TEST_IMAGE = 'lambda-workbench-test/nodejs:22';
export const RUN_LABEL = 'lambda-workbench.test-run';
/** Tells tests whether this machine runs arm64 code: `ok`, or why not (see binfmt.ts). */
export const ARM64_ENV = 'LWB_TEST_ARM64_EMULATION';

/**
 * The Lambda-like test images: the script that builds (once, into the tool cache) and imports
 * each, its arguments (the image's name last, unless `image` names it), and the variable that
 * tells tests its name. Imported side by side at the start of every run; an image whose label
 * matches its inputs is not imported again.
 */
export const TEST_IMAGES: readonly { env: string; script: string; args: readonly string[]; image?: string }[] = [
  { env: 'LWB_TEST_IMAGE_NODE', script: 'scripts/test-image.sh', args: [TEST_IMAGE] },
  // Node.js 22 for arm64 (run under qemu's emulation on an x86_64 machine).
  { env: 'LWB_TEST_IMAGE_NODE_ARM64', script: 'scripts/test-image.sh', args: ['lambda-workbench-test/nodejs:22-arm64', 'arm64'], image: 'lambda-workbench-test/nodejs:22-arm64' },
  // CPython from Debian: 3.13 (trixie) and 3.11 (bookworm); no release ships 3.12.
  { env: 'LWB_TEST_IMAGE_PYTHON313', script: 'scripts/test-images/python.sh', args: ['3.13', 'lambda-workbench-test/python:3.13'] },
  { env: 'LWB_TEST_IMAGE_PYTHON311', script: 'scripts/test-images/python.sh', args: ['3.11', 'lambda-workbench-test/python:3.11'] },
  // Python 3.13 for arm64 (run under qemu's emulation on an x86_64 machine).
  { env: 'LWB_TEST_IMAGE_PYTHON313_ARM64', script: 'scripts/test-images/python.sh', args: ['3.13-arm64', 'lambda-workbench-test/python:3.13-arm64'] },
  // With gcc and Python's headers, as AWS's build images have them: builds from source inside the image.
  { env: 'LWB_TEST_IMAGE_PYTHON313_BUILD', script: 'scripts/test-images/python.sh', args: ['3.13-build', 'lambda-workbench-test/python:3.13-build'] },
  // No runtime of its own: a function's bootstrap is the runtime.
  { env: 'LWB_TEST_IMAGE_PROVIDED', script: 'scripts/test-images/provided.sh', args: ['native', 'lambda-workbench-test/provided:al2023'] },
  // The same for arm64 (run under qemu's emulation on an x86_64 machine).
  { env: 'LWB_TEST_IMAGE_PROVIDED_ARM64', script: 'scripts/test-images/provided.sh', args: ['arm64', 'lambda-workbench-test/provided:al2023-arm64'] },
  { env: 'LWB_TEST_IMAGE_JAVA', script: 'scripts/test-images/java.sh', args: ['21', 'lambda-workbench-test/java:21'] },
  // With the JDK and Maven, as AWS's build image has them: Java 21 functions build inside it.
  { env: 'LWB_TEST_IMAGE_JAVA_BUILD', script: 'scripts/test-images/java.sh', args: ['21-build', 'lambda-workbench-test/java:21-build'] },
];

/** A process this run started, and how to stop it. */
interface Started {
  name: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

function owned(name: string, child: ChildProcess): Started {
  return { name, pid: child.pid, stop: () => stopDaemon(child) };
}

export async function startServices(opts: { root: string; log: (line: string) => void }): Promise<Services> {
  const work = mkdtempSync(join(tmpdir(), 'lwb-services-'));
  const started: Started[] = [];
  const runId = `${process.pid}-${Date.now()}`;
  const stop = async (): Promise<void> => {
    await withinLimit(removeContainers(), REMOVE_LIMIT_MS).catch((err: Error) => opts.log(`could not remove test containers: ${err.message}`));
    for (const s of started.reverse()) {
      await s.stop().then(
        () => opts.log(`stopped ${s.name} (pid ${s.pid})`),
        (err: Error) => opts.log(`could not stop ${s.name} (pid ${s.pid}) cleanly: ${err.message}`),
      );
    }
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const arm64 = ensureArm64Emulation();
    opts.log(arm64 ? `arm64 functions cannot run here: ${arm64}` : 'arm64 code runs here (natively or under qemu-aarch64 registered with binfmt_misc)');
    const engine = await startFreshEngine(opts.log);
    started.push(engine);
    // Everything after this (the image script, test processes, the extension host) talks to it.
    process.env.DOCKER_HOST = engine.dockerHost;
    const images = await loadTestImages(opts.root, opts.log);
    const registry = await startRegistry(work, started, opts.log);
    const moto = await startMoto(work, started, opts.log);
    return {
      env: {
        DOCKER_HOST: engine.dockerHost,
        LWB_TEST_RUN_ID: runId,
        ...images,
        LWB_TEST_REGISTRY: registry,
        LWB_TEST_MOTO_URL: moto,
        [ARM64_ENV]: arm64 ?? 'ok',
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Builds or imports every test image side by side; the variables that name them. */
async function loadTestImages(root: string, log: (line: string) => void): Promise<Record<string, string>> {
  const started = Date.now();
  const results = await Promise.all(TEST_IMAGES.map((i) => run('bash', [join(root, i.script), ...i.args], { stdio: 'inherit' })));
  log(`loaded ${TEST_IMAGES.length} test images in ${Date.now() - started} ms`);
  const failed = results.findIndex((r) => r.code !== 0);
  if (failed >= 0) throw new Error(`loading the test image ${TEST_IMAGES[failed].args.join(' ')} failed:\n${results[failed].output}`);
  return Object.fromEntries(TEST_IMAGES.map((i) => [i.env, i.image ?? i.args[i.args.length - 1]]));
}

/**
 * Starts a Docker engine of the run's own, from the state a new machine's engine has: its data
 * root, exec root, pid file and socket in a new temporary folder, removed when it stops. (An engine
 * that started before hides what a new one shows: its default bridge's IPAM config has no Gateway
 * on the first start.) In a network namespace of the run's own (see netns.ts) its bridge is its
 * own; without one it would share the machine's docker0 with any engine already running, so then
 * that must not be the case.
 */
export async function startFreshEngine(log: (l: string) => void): Promise<Started & { dockerHost: string }> {
  const other = process.env[NETNS_ENV] ? undefined : runningEngine();
  if (other) {
    throw new Error(
      `another Docker engine runs on this machine (dockerd, pid ${other}) and this run cannot take a network namespace of its own (that needs root, ip and nsenter): the two would share the docker0 bridge; stop that engine first`,
    );
  }
  // Short: a unix socket path has at most 107 bytes.
  const dir = mkdtempSync(join('/tmp', 'lwb-engine-'));
  const dockerHost = `unix://${dir}/docker.sock`;
  const docker = new Docker({ socketPath: `${dir}/docker.sock` });
  const child = startDaemon(
    'dockerd',
    ['--host', dockerHost, '--data-root', `${dir}/data`, '--exec-root', `${dir}/exec`, '--pidfile', `${dir}/docker.pid`, '--storage-driver', 'overlay2'],
    join(dir, 'dockerd.log'),
  );
  child.once('error', () => undefined);
  const started = Date.now();
  const remove = async (): Promise<void> => {
    await stopDaemon(child);
    // dockerd leaves mounts behind in its exec root (its network namespace's bind mount).
    unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true });
  };
  await waitFor('dockerd', () => docker.ping().then(() => true), 30_000, child).catch(async (err: Error) => {
    const tail = readFileSync(join(dir, 'dockerd.log'), 'utf8').split('\n').slice(-15).join('\n');
    await remove();
    throw new Error(`${err.message}; its log ends:\n${tail}`);
  });
  log(`started a fresh dockerd (pid ${child.pid}) in ${Date.now() - started} ms${process.env[NETNS_ENV] ? ` in network namespace ${process.env[NETNS_ENV]}` : ''}`);
  return { name: 'dockerd', pid: child.pid, dockerHost, stop: remove };
}

/** The pid of a dockerd running in this network namespace, if any (one in a namespace of its own has its own bridge). */
function runningEngine(): number | undefined {
  const here = readlinkSync('/proc/self/ns/net');
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'dockerd' && readlinkSync(`/proc/${pid}/ns/net`) === here) return Number(pid);
    } catch {
      /* gone */
    }
  }
  return undefined;
}

/** Unmounts every mount point below `dir`, deepest first. */
function unmountUnder(dir: string): void {
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => !!p && p.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const p of points) spawnSync('umount', ['-l', p], { stdio: 'ignore' });
}

/**
 * For `npm start` and benchmarks: starts a Docker engine on the default socket when none answers.
 * Resolves with a handle to stop it, or undefined when an engine was already running (that one is
 * not ours to stop).
 */
export async function ensureDocker(log: (l: string) => void): Promise<Started | undefined> {
  const docker = new Docker();
  if (await docker.ping().then(() => true, () => false)) return undefined;
  if (process.env.DOCKER_HOST) throw new Error(`no Docker engine answers at DOCKER_HOST=${process.env.DOCKER_HOST}`);
  const logFile = join(tmpdir(), `lwb-dockerd-${process.pid}.log`);
  const child = startDaemon('dockerd', ['--host', 'unix:///var/run/docker.sock', '--storage-driver', 'overlay2'], logFile);
  child.once('error', () => undefined);
  await waitFor('dockerd', () => docker.ping().then(() => true), 30_000, child).catch(async (err: Error) => {
    await stopDaemon(child);
    throw new Error(`${err.message} (see ${logFile})`);
  });
  log(`started dockerd (pid ${child.pid})`);
  return {
    name: 'dockerd',
    pid: child.pid,
    stop: async () => {
      await stopDaemon(child);
      rmSync(logFile, { force: true });
    },
  };
}

async function startRegistry(work: string, started: Started[], log: (l: string) => void): Promise<string> {
  const port = await freePort();
  const config = join(work, 'registry.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log: { level: warn }',
      'storage:',
      `  filesystem: { rootdirectory: ${join(work, 'registry')} }`,
      '  delete: { enabled: true }',
      `http: { addr: "127.0.0.1:${port}" }`,
      '',
    ].join('\n'),
  );
  const child = startDaemon('docker-registry', ['serve', config], join(work, 'registry.log'));
  started.push(owned('docker-registry', child));
  const host = `127.0.0.1:${port}`;
  await waitFor('docker-registry', async () => (await fetch(`http://${host}/v2/`)).ok, 20_000, child);
  log(`started docker-registry on ${host} (pid ${child.pid})`);
  return host;
}

async function startMoto(work: string, started: Started[], log: (l: string) => void): Promise<string> {
  const python = await findMotoPython();
  const port = await freePort();
  const child = startDaemon(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], join(work, 'moto.log'));
  started.push(owned('moto', child));
  const url = `http://127.0.0.1:${port}`;
  await waitFor('moto', async () => (await fetch(`${url}/moto-api/`)).ok, 30_000, child);
  log(`started moto on ${url} (pid ${child.pid})`);
  return url;
}

async function findMotoPython(): Promise<string> {
  for (const py of ['python3', '/usr/bin/python3']) {
    const probe = await run(py, ['-c', 'import moto.server, flask_cors']).catch(() => ({ code: 1 }));
    if (probe.code === 0) return py;
  }
  throw new Error('no python3 with moto found: run scripts/setup.sh moto');
}

/**
 * How long the test containers' removal may take at the end. An engine that does not answer must not
 * hold the run (once a system tier's runner stayed alive after its tests had ended, a test's
 * containers still up, and this was its only unbounded step); stopping the engine next ends its
 * containers anyway.
 */
const REMOVE_LIMIT_MS = 60_000;

function withinLimit(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the engine had not removed them after ${ms / 1000} s; stopping it`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/**
 * Every container on the run's own engine (what failed tests left, and warm containers of a host
 * the runner shut down), removed before the engine stops so its shutdown waits for none.
 */
async function removeContainers(): Promise<void> {
  const docker = new Docker();
  if (!(await docker.ping().then(() => true, () => false))) return;
  const all = await docker.listContainers({ all: true });
  await Promise.all(all.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}
