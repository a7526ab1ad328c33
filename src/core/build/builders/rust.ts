// Rust (BuildMethod rust-cargolambda). SAM runs `cargo lambda build --release [--arm64] [--bin B]`
// in the code folder and copies target/lambda/<bin>/bootstrap. With Cargo Lambda on PATH this does
// the same. Without it, a function for this machine's own CPU is built with plain
// `cargo build --release` (the host's target needs nothing rustup would download), and the binary
// is checked against the runtime's glibc, since it links against this machine's: a binary needing
// a newer glibc than Amazon Linux's would only fail once deployed.
import { chmod, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Architecture } from '../../model/types';
import { UserError } from '../../errors';
import { ELF_MACHINE, elfMachine, machineArchitecture } from '../elf';
import { CUSTOM_RUNTIME_GLIBC } from '../../model/runtimes';
import { compareVersions, glibcNeeded } from '../glibc';
import { missingToolchain, toolFailed } from '../toolchains';
import type { Builder, BuildContext } from '../types';
import { findTool, runStep } from './step';

export const cargoLambdaBuilder: Builder = {
  id: 'rust-cargolambda',
  manifests: ['Cargo.toml', 'Cargo.lock'],
  excludes: ['target'],
  options: (unit) => ({ binary: unit.properties.Binary ?? null }),
  async build(ctx) {
    const { unit } = ctx;
    const cargo = findTool(ctx, 'cargo');
    if (!cargo) throw missingToolchain('rust', unit, 'no cargo on PATH');
    const project = await readProject(ctx, cargo);
    const bin = chooseBinary(ctx, project.bins);
    let binary: string;
    if (findTool(ctx, 'cargo-lambda')) {
      binary = await cargoLambda(ctx, cargo, bin, project.targetDir);
    } else if (hostArchitecture() === unit.architecture) {
      binary = await plainCargo(ctx, cargo, bin);
    } else {
      const host = hostArchitecture();
      throw missingToolchain('cargoLambda', unit, `building for ${unit.architecture} on this ${host ? `${host} ` : ''}${process.platform} machine needs a cross-compiling build`);
    }
    await checkBinary(ctx, binary);
    const bootstrap = join(ctx.staging, 'bootstrap');
    await copyFile(binary, bootstrap);
    await chmod(bootstrap, 0o755);
  },
};

/** Lambda's name for the CPU this process runs on, when it is Linux on one of Lambda's two. */
function hostArchitecture(): Architecture | undefined {
  if (process.platform !== 'linux') return undefined;
  return process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'arm64' : undefined;
}

interface CargoProject {
  /** The binary targets of the workspace's packages. */
  bins: string[];
  targetDir: string;
}

async function readProject(ctx: BuildContext, cargo: string): Promise<CargoProject> {
  const result = await runStep(ctx, 'rust', { command: cargo, args: ['metadata', '--format-version', '1', '--no-deps'], cwd: ctx.unit.codeDir, captureStdout: true });
  if (result.code !== 0) throw toolFailed(ctx.unit, 'cargo metadata', result.tail, 'Fix Cargo.toml, then build again.');
  const meta = JSON.parse(result.stdout ?? '{}') as { target_directory?: string; packages?: { targets?: { name: string; kind: string[] }[] }[] };
  const bins = (meta.packages ?? []).flatMap((p) => (p.targets ?? []).filter((t) => t.kind.includes('bin')).map((t) => t.name));
  return { bins: [...new Set(bins)].sort(), targetDir: meta.target_directory ?? join(ctx.unit.codeDir, 'target') };
}

/** BuildProperties.Binary, else the only binary target (as SAM requires without one). */
function chooseBinary(ctx: BuildContext, bins: string[]): string {
  const { unit } = ctx;
  const named = unit.properties.Binary;
  if (named !== undefined) {
    if (typeof named === 'string' && bins.includes(named)) return named;
    throw new UserError(
      `${unit.logicalId}: Metadata.BuildProperties.Binary is ${JSON.stringify(named)}, but the Cargo project has ${bins.length > 0 ? `the binaries ${bins.join(', ')}` : 'no binary target'}.`,
      'Set Binary to the name of one of its [[bin]] targets (the package name for src/main.rs).',
      'build-failed',
    );
  }
  if (bins.length === 1) return bins[0];
  if (bins.length === 0) throw new UserError(`${unit.logicalId}: the Cargo project in ${unit.codeDir} has no binary target to run as the bootstrap.`, 'Add src/main.rs (or a [[bin]] target) that starts lambda_runtime::run.', 'build-failed');
  throw new UserError(
    `${unit.logicalId}: the Cargo project has several binaries (${bins.join(', ')}), and nothing says which one is this function.`,
    'Name it in the function\'s Metadata: BuildProperties: Binary: NAME (as sam build expects).',
    'build-failed',
  );
}

/** SAM's command; Cargo Lambda writes target/lambda/<bin>/bootstrap for the function's CPU. */
async function cargoLambda(ctx: BuildContext, cargo: string, bin: string, targetDir: string): Promise<string> {
  const args = ['lambda', 'build', '--release', ...(ctx.unit.architecture === 'arm64' ? ['--arm64'] : []), '--bin', bin];
  ctx.log(`cargo ${args.join(' ')}`);
  const result = await runStep(ctx, 'cargoLambda', { command: cargo, args, cwd: ctx.unit.codeDir });
  if (result.code !== 0) throw toolFailed(ctx.unit, 'cargo lambda build', result.tail, 'Fix the error above, then build again.');
  return join(targetDir, 'lambda', bin, 'bootstrap');
}

/** `cargo build --release` for this machine's target; the binary's path comes from cargo's own report. */
async function plainCargo(ctx: BuildContext, cargo: string, bin: string): Promise<string> {
  const args = ['build', '--release', '--bin', bin, '--message-format=json-render-diagnostics'];
  ctx.log(`cargo ${args.slice(0, 4).join(' ')} (Cargo Lambda is not installed: building for this machine's ${ctx.unit.architecture} target)`);
  const result = await runStep(ctx, 'rust', { command: cargo, args, cwd: ctx.unit.codeDir, captureStdout: true });
  if (result.code !== 0) {
    const errors = result.tail.filter((l) => /^error(\[|:)/.test(l) || /^\s+--> /.test(l));
    throw toolFailed(ctx.unit, 'cargo build', errors.length > 0 ? errors : result.tail, 'Fix the error above, then build again.');
  }
  for (const line of (result.stdout ?? '').split('\n')) {
    if (!line.startsWith('{')) continue;
    const message = JSON.parse(line) as { reason?: string; executable?: string | null; target?: { name?: string; kind?: string[] } };
    if (message.reason === 'compiler-artifact' && message.executable && message.target?.name === bin && message.target.kind?.includes('bin')) return message.executable;
  }
  throw new UserError(`${ctx.unit.logicalId}: cargo build finished without reporting the binary ${bin}.`, 'Run cargo build --release in the code folder to see what it builds.', 'build-failed');
}

/** The binary is for the function's CPU and needs no newer glibc than its runtime's Amazon Linux has. */
async function checkBinary(ctx: BuildContext, binary: string): Promise<void> {
  const { unit } = ctx;
  const machine = await elfMachine(binary).catch(() => null);
  if (machine !== ELF_MACHINE[unit.architecture]) {
    const built = machine === null ? 'not a Linux executable' : `built for ${machineArchitecture(machine) ?? `ELF machine ${machine}`}`;
    throw new UserError(`${unit.logicalId}: the binary cargo built (${binary}) is ${built}, and the function runs on ${unit.architecture}.`, 'Install Cargo Lambda to build for the function\'s architecture, or change Architectures.', 'build-failed');
  }
  const runtimeGlibc = CUSTOM_RUNTIME_GLIBC[unit.runtime ?? 'provided.al2023'] ?? CUSTOM_RUNTIME_GLIBC['provided.al2023'];
  const needed = await glibcNeeded(binary);
  if (needed && compareVersions(needed, runtimeGlibc) > 0) {
    throw new UserError(
      `${unit.logicalId}: the binary cargo built needs glibc ${needed} (it links against this machine's), and ${unit.runtime ?? 'provided.al2023'} has glibc ${runtimeGlibc}: it would fail to start in Lambda.`,
      'Install Cargo Lambda (pip install cargo-lambda), which links against an older glibc; or build on a machine whose glibc is no newer than the runtime\'s; or build a static binary for the musl target.',
      'build-failed',
    );
  }
  ctx.log(`bootstrap: ${unit.architecture}, ${needed ? `needs glibc ${needed} (${unit.runtime ?? 'provided.al2023'} has ${runtimeGlibc})` : 'needs no glibc'}`);
}
