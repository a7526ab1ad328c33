// Python: the sources (less SAM's exclusions) plus requirements.txt installed by pip for the
// function's Python version and architecture, from manylinux wheels only: never the host's own
// builds, so an arm64 function built on an x86_64 machine gets aarch64 binaries.
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors';
import type { Architecture } from '../../model/types';
import { copyTree, linkTree } from '../copy';
import { nameMatcher, PYTHON_EXCLUDES } from '../excludes';
import { digest } from '../fingerprint';
import { missingToolchain, toolFailed } from '../toolchains';
import type { Builder, BuildContext, BuildUnit } from '../types';
import { readRequirements } from './requirements';
import { findTool, runStep } from './step';

const WHEEL_ARCH: Readonly<Record<Architecture, string>> = { x86_64: 'x86_64', arm64: 'aarch64' };

/**
 * The manylinux tags Lambda's OS can load, as SAM lists them: up to glibc 2.34 for Python 3.12 and
 * later (Amazon Linux 2023), up to 2.17 before (Amazon Linux 2 has 2.26, and no wheels are tagged
 * for it). pip widens only the legacy names itself, so each tag is passed.
 */
export function wheelPlatforms(pythonVersion: string, architecture: Architecture): string[] {
  const arch = WHEEL_ARCH[architecture];
  const minor = Number(pythonVersion.split('.')[1]);
  const legacy = architecture === 'x86_64' ? [`manylinux1_${arch}`, `manylinux2010_${arch}`, `manylinux2014_${arch}`] : [`manylinux2014_${arch}`];
  const glibc = minor >= 12 ? ['2_17', '2_28', '2_34'] : ['2_17'];
  return [...legacy, ...glibc.map((g) => `manylinux_${g}_${arch}`)];
}

/** '3.12' for python3.12, from the Runtime or, failing that, a BuildMethod named after one. */
export function pythonVersion(unit: BuildUnit): string {
  for (const name of [unit.runtime, unit.method]) {
    const m = name ? /^python(3\.\d+)$/.exec(name) : null;
    if (m) return m[1];
  }
  throw new UserError(`${unit.logicalId} is built with pip but its Runtime names no Python version.`, 'Set Runtime to the Python version it runs on (python3.12, python3.13...).', 'build-unsupported');
}

export const pipBuilder: Builder = {
  id: 'python-pip',
  manifests: ['requirements.txt'],
  excludes: PYTHON_EXCLUDES,
  options: (_unit, settings) => ({ pipArgs: settings.pipArgs ?? [] }),
  // Files requirements.txt includes (-r, -c) may live outside the code folder.
  inputs: async (unit) => {
    const path = join(unit.codeDir, 'requirements.txt');
    return existsSync(path) ? (await readRequirements(path)).digest : null;
  },
  async build(ctx) {
    const { unit } = ctx;
    await copyTree(unit.codeDir, ctx.staging, { excluded: nameMatcher(PYTHON_EXCLUDES), token: ctx.token, onSkip: (rel, why) => ctx.log(`left out ${rel}: ${why}`) });
    const path = join(unit.codeDir, 'requirements.txt');
    if (!existsSync(path)) {
      ctx.log('no requirements.txt: the artifact is the sources');
      return;
    }
    const requirements = await readRequirements(path);
    if (!requirements.hasPackages) {
      ctx.log('requirements.txt lists no packages: the artifact is the sources');
      return;
    }
    const version = pythonVersion(unit);
    const install = (target: string): Promise<void> => pipInstall(ctx, path, version, target);
    if (requirements.local) {
      ctx.log('requirements.txt names local paths: installing for this function only');
      const target = join(ctx.scratch, 'pip');
      await install(target);
      await linkTree(target, ctx.staging, ctx.token);
      return;
    }
    const key = digest({ requirements: requirements.digest, version, architecture: unit.architecture, pipArgs: ctx.settings.pipArgs ?? [], env: ctx.settings.env ?? null });
    const deps = await ctx.deps.obtain('pip', key, install);
    if (deps.reused) ctx.log(`dependencies: reused from the cache (pip ${key.slice(0, 12)})`);
    await linkTree(deps.dir, ctx.staging, ctx.token);
  },
};

async function pipInstall(ctx: BuildContext, requirements: string, version: string, target: string): Promise<void> {
  const { unit } = ctx;
  const python = findTool(ctx, 'python3', 'python');
  if (!python) throw missingToolchain('python', unit, 'no python3 on PATH');
  const platforms = wheelPlatforms(version, unit.architecture);
  ctx.log(`pip: installing requirements.txt for Python ${version} on ${unit.architecture} (${WHEEL_ARCH[unit.architecture]} manylinux wheels)`);
  const args = [
    '-m', 'pip', 'install',
    '--target', target,
    ...platforms.flatMap((p) => ['--platform', p]),
    '--implementation', 'cp',
    '--python-version', version,
    '--only-binary=:all:',
    // Bytecode compiled by this machine's Python would be for the wrong version, and SAM ships none.
    '--no-compile',
    '--disable-pip-version-check',
    '--no-input',
    '--progress-bar', 'off',
    '-r', requirements,
    ...(ctx.settings.pipArgs ?? []),
  ];
  const result = await runStep(ctx, 'python', { command: python, args, cwd: unit.codeDir, env: { PIP_ROOT_USER_ACTION: 'ignore', PYTHONDONTWRITEBYTECODE: '1' } });
  if (result.code !== 0) {
    if (result.tail.some((l) => /No module named pip/.test(l))) throw missingToolchain('python', unit, `${python} has no pip`);
    throw noWheelError(unit, version, result.tail) ?? toolFailed(unit, 'pip install', result.tail, 'Check requirements.txt and the package index pip uses, then build again.');
  }
  await dropScripts(target);
}

/**
 * pip's "no matching distribution" is, with binaries only, a package with no wheel for Lambda's
 * platform (or no such package or version): say which, and what it takes.
 */
export function noWheelError(unit: BuildUnit, version: string, tail: readonly string[]): UserError | undefined {
  const line = tail.find((l) => /No matching distribution found for /.test(l));
  if (!line) return undefined;
  const requirement = line.replace(/^.*No matching distribution found for\s+/, '').trim();
  const name = requirement.split(/[\s<>=!~;[@]/)[0];
  const versions = tail.map((l) => /Could not find a version that satisfies the requirement .*\(from versions: (.*)\)/.exec(l)?.[1]).find((v) => v !== undefined);
  const platform = `Python ${version} on ${unit.architecture} (manylinux ${WHEEL_ARCH[unit.architecture]})`;
  const found = versions && versions !== 'none' ? ` Versions with such wheels: ${versions}.` : '';
  return new UserError(
    `${unit.logicalId}: pip found no wheel of ${name} (${requirement}) for ${platform}.${found}`,
    `A package without a wheel for Lambda's platform has to be built inside the function's Lambda image (python${version}, ${unit.architecture}); Lambda Workbench does not do that yet. Pin a version that publishes ${WHEEL_ARCH[unit.architecture]} manylinux wheels, or check the name and version in requirements.txt.`,
    'build-no-wheel',
  );
}

/** pip --target writes console scripts to bin/: shebangs of this machine's Python, never run on Lambda (SAM installs none). */
async function dropScripts(target: string): Promise<void> {
  const bin = join(target, 'bin');
  if (existsSync(bin) && !existsSync(join(bin, '__init__.py'))) await fs.rm(bin, { recursive: true, force: true });
}
