// AWS SAM CLI's local invoke, as the benchmarks and the parity tests run it: `sam local invoke` (a
// whole command, as a user runs it) and `sam local start-lambda` (its warm Invoke endpoint), on our
// test images. SAM layers AWS's runtime interface emulator onto the image with a local docker
// build (no pull), so `--skip-pull-image --invoke-image IMAGE` works offline.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { toolCache } from './toolCache';


/** SAM CLI from the tool cache (scripts/setup.sh, step samcli), or why there is none. */
export function samCli(): { path: string } | { missing: string } {
  const path = join(toolCache(), 'sam-cli', 'bin', 'sam');
  return existsSync(path) ? { path } : { missing: `AWS SAM CLI is not in the tool cache (${path}): run bash scripts/setup.sh samcli` };
}

/**
 * The environment SAM runs in: no telemetry, and no AWS credentials or profile of the caller (a
 * HOME of its own), so what it puts in the container does not depend on who runs it. DOCKER_HOST
 * and PATH are kept.
 */
function samEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SAM_CLI_TELEMETRY: '0', HOME: home };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
  return env;
}

export interface SamInvoke {
  /** The whole command's wall time. */
  ms: number;
  /** What the function returned (SAM prints it on stdout). */
  stdout: string;
  /** SAM's own output and the function's logs, REPORT among them. */
  stderr: string;
  reportLine: string;
}

/** One `sam local invoke LOGICAL_ID` of the template on `image`; rejects when it does not end with a REPORT. */
export function samLocalInvoke(sam: string, template: string, logicalId: string, image: string, event: unknown = {}): Promise<SamInvoke> {
  const home = mkdtempSync(join(tmpdir(), 'lwb-sam-home-'));
  return new Promise<SamInvoke>((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(sam, ['local', 'invoke', logicalId, '--template', template, '--skip-pull-image', '--invoke-image', image, '--event', '-'], {
      cwd: dirname(template),
      env: samEnv(home),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - t0;
      const reportLine = stderr.split('\n').find((l) => l.startsWith('REPORT RequestId:'));
      if (code !== 0 || !reportLine) reject(new Error(`sam local invoke ${logicalId} exited ${code} without a REPORT:\n${stderr.split('\n').slice(-12).join('\n')}`));
      else resolve({ ms, stdout, stderr, reportLine });
    });
    child.stdin.end(JSON.stringify(event));
  }).finally(() => rmSync(home, { recursive: true, force: true }));
}

export interface StartLambda {
  /** The Lambda API endpoint (http://127.0.0.1:PORT) to give @aws-sdk/client-lambda. */
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * `sam local start-lambda --warm-containers EAGER` on the template, each function on its image
 * (logical id -> image; '' for every function); resolves once the endpoint answers.
 */
export async function startLambda(sam: string, template: string, images: Readonly<Record<string, string>>, port: number): Promise<StartLambda> {
  const home = mkdtempSync(join(tmpdir(), 'lwb-sam-home-'));
  const imageArgs = Object.entries(images).flatMap(([id, image]) => ['--invoke-image', id ? `${id}=${image}` : image]);
  const child: ChildProcess = spawn(sam, ['local', 'start-lambda', '--template', template, '--port', String(port), '--host', '127.0.0.1', '--warm-containers', 'EAGER', '--skip-pull-image', ...imageArgs], {
    cwd: dirname(template),
    env: samEnv(home),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      // SAM removes its warm containers on SIGINT (Ctrl+C), not on SIGTERM.
      child.kill('SIGINT');
      const late = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(late);
    }
    rmSync(home, { recursive: true, force: true });
  };
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300_000;
  for (;;) {
    const ready = output.includes('Running on') && (await answers(endpoint));
    if (ready) return { endpoint, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`sam local start-lambda did not serve (exit ${child.exitCode}):\n${output.split('\n').slice(-12).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) =>
    request(url, (res) => {
      res.resume();
      resolve(true);
    })
      .on('error', () => resolve(false))
      .end(),
  );
}
