import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { runLabels } from './env';

/** The wheels scripts/setup.sh (step pywheels) fetched: pytest, debugpy, awslambdaric, pip. */
export function pythonWheels(): string {
  const cache = process.env.LWB_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lambda-workbench-dev');
  const dir = join(cache, 'python-wheels');
  assert.ok(existsSync(join(dir, '.stamp')), `no wheels for the Python tests in ${dir}: run bash scripts/setup.sh pywheels`);
  return dir;
}

const installed = new Map<string, string>();

/**
 * A folder holding `requirement` (e.g. pytest==9.2.0) and its dependencies for CPython `version`
 * on x86_64, installed offline from the cached wheels, to mount into a Python test image.
 */
export function pythonTool(requirement: string, version: string): string {
  const key = `${requirement}@${version}`;
  const done = installed.get(key);
  if (done) return done;
  const dir = mkdtempSync(join(tmpdir(), 'lwb-pytool-'));
  const r = spawnSync(
    'python3',
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-index', '--find-links', pythonWheels(), '--target', dir, '--no-compile',
      '--implementation', 'cp', '--python-version', version, '--only-binary=:all:', '--platform', 'manylinux2014_x86_64', requirement],
    { encoding: 'utf8', env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
  );
  assert.equal(r.status, 0, `pip install ${requirement} for ${version}: ${r.stdout}${r.stderr}`);
  installed.set(key, dir);
  return dir;
}

/** Runs a shell script in a throwaway container of `image` (no network) with the binds given; its exit code and output. */
export async function runInImage(docker: Docker, image: string, script: string, opts: { binds?: string[]; env?: string[]; workdir?: string } = {}): Promise<{ code: number; output: string }> {
  const c = await docker.createContainer({
    Image: image,
    Entrypoint: ['/bin/sh', '-c', script],
    Cmd: [],
    Env: opts.env ?? [],
    WorkingDir: opts.workdir ?? '/',
    Labels: runLabels(),
    HostConfig: { Binds: opts.binds ?? [], NetworkMode: 'none' },
  });
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    const logs = await c.logs({ stdout: true, stderr: true });
    return { code: StatusCode, output: demux(logs) };
  } finally {
    await c.remove({ force: true }).catch(() => undefined);
  }
}

/** Docker's multiplexed log stream (8-byte frame headers) as text. */
function demux(buf: Buffer): string {
  let out = '';
  let i = 0;
  while (i + 8 <= buf.length) {
    const size = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + size).toString('utf8');
    i += 8 + size;
  }
  return out;
}
