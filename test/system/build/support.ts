import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { type BuildSettings, elfMachine, spawnTool, type ToolRunner } from '../../../src/core/build';
import { loadTemplate } from '../../../src/core/model';
import type { FunctionSpec } from '../../../src/core/model/types';
import { toolCache } from '../../support/toolCache';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
const SAMPLES = join(ROOT, 'test', 'fixtures', 'build');

/**
 * The packages scripts/setup.sh (step builddeps) fetched for these tests: with them the builds run
 * offline, through options any user has (pip's --no-index --find-links, npm's --offline --cache,
 * Maven's --offline with a local repository, Go's GOPROXY=off with a module cache, Cargo's
 * CARGO_NET_OFFLINE with a CARGO_HOME).
 */
export function offlineSettings(): BuildSettings {
  const deps = buildDeps();
  return {
    pipArgs: ['--no-index', '--find-links', join(deps, 'wheels')],
    npmArgs: ['--offline', '--cache', join(deps, 'npm')],
    mavenArgs: ['--offline', `-Dmaven.repo.local=${join(deps, 'm2')}`],
    env: {
      GOMODCACHE: join(deps, 'gomod'),
      GOPROXY: 'off',
      GOFLAGS: '-mod=mod -buildvcs=false',
      GOTOOLCHAIN: 'local',
      // Cargo's crates, and a target folder where their builds are kept (a cold build of
      // lambda_runtime takes minutes; sharing it, a build compiles the function's crate only).
      CARGO_HOME: join(deps, 'cargo'),
      CARGO_TARGET_DIR: join(deps, 'cargo-target'),
      CARGO_NET_OFFLINE: 'true',
    },
  };
}

export { toolCache };

/**
 * Offline settings for building Rust functions for arm64 on an x86_64 machine, with what
 * scripts/setup.sh (step rustarm64) put in the tool cache: Cargo Lambda (from PyPI, with its Zig)
 * first on the PATH, and a rustc that has the aarch64 standard library, given to cargo as RUSTC, as
 * any user may. Its own target folder keeps the arm64 builds of the sample's crates.
 */
export function rustArm64Settings(): BuildSettings {
  const dir = join(toolCache(), 'rust-arm64');
  assert.ok(existsSync(join(dir, '.stamp')), `no arm64 Rust toolchain in ${dir}: run bash scripts/setup.sh rustarm64`);
  const base = offlineSettings();
  return {
    ...base,
    env: { ...base.env, PATH: `${join(dir, 'cargo-lambda', 'bin')}:${process.env.PATH ?? ''}`, RUSTC: join(dir, 'bin', 'rustc'), CARGO_TARGET_DIR: join(buildDeps(), 'cargo-target-arm64') },
  };
}

/** The packages scripts/setup.sh (step builddeps) fetched for the build tests. */
export function buildDeps(): string {
  const deps = join(toolCache(), 'build-deps');
  assert.ok(existsSync(join(deps, '.stamp')), `no packages for the build tests in ${deps}: run bash scripts/setup.sh builddeps`);
  return deps;
}

export interface Project {
  dir: string;
  template: string;
  cacheDir: string;
  functions(): Promise<Record<string, FunctionSpec>>;
  write(rel: string, content: string): void;
  cleanup(): void;
}

/** A project in a temporary folder: the template, and sample folders copied in (folder -> sample name). */
export function project(template: string, samples: Record<string, string>): Project {
  const dir = mkdtempSync(join(tmpdir(), 'lwb-build-sys-'));
  writeFileSync(join(dir, 'template.yaml'), template);
  for (const [folder, sample] of Object.entries(samples)) cpSync(join(SAMPLES, sample), join(dir, folder), { recursive: true });
  return {
    dir,
    template: join(dir, 'template.yaml'),
    cacheDir: join(dir, '.test-cache'),
    functions: async () => Object.fromEntries((await loadTemplate(join(dir, 'template.yaml'))).functions.map((f) => [f.logicalId, f])),
    write: (rel, content) => writeFileSync(join(dir, rel), content),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Real toolchain runs, with each command line recorded ("pip install", "npm ci", "go build"...). */
export function recordingTools(): { tools: ToolRunner; calls: string[]; envs: Record<string, string>[] } {
  const calls: string[] = [];
  const envs: Record<string, string>[] = [];
  const tools: ToolRunner = (run, io) => {
    const args = run.args[0] === '-m' ? run.args.slice(1) : run.args;
    calls.push(`${basename(run.command).replace(/^python3?$/, 'python')} ${args.slice(0, 2).join(' ')}`);
    envs.push({ ...run.env });
    return spawnTool(run, io);
  };
  return { tools, calls, envs };
}

/** Every file under dir (relative, '/'-separated), sorted. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1).split('\\').join('/'))
    .sort();
}

/** The ELF e_machine of each file under dir whose name ends with the suffix. */
export async function machinesOf(dir: string, suffix: string): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  for (const f of filesUnder(dir).filter((x) => x.endsWith(suffix))) out[f] = await elfMachine(join(dir, f));
  return out;
}

/** Whether a 64-bit little-endian ELF asks for a program interpreter (is dynamically linked). */
export function hasInterpreter(path: string): boolean {
  const b = readFileSync(path);
  const phoff = Number(b.readBigUInt64LE(32));
  const size = b.readUInt16LE(54);
  const count = b.readUInt16LE(56);
  for (let i = 0; i < count; i++) if (b.readUInt32LE(phoff + i * size) === 3) return true;
  return false;
}
