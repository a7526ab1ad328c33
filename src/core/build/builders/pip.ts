// Python: the sources (less SAM's exclusions) plus requirements.txt installed by pip for the
// function's Python version and architecture, from manylinux wheels only: never the host's own
// builds, so an arm64 function built on an x86_64 machine gets aarch64 binaries.
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors';
import type { Architecture } from '../../model/types';
import { CLI_SOURCES, type SettingSources } from '../../sources';
import { copyTree, linkTree } from '../copy';
import { nameMatcher, PYTHON_EXCLUDES } from '../excludes';
import { digest } from '../fingerprint';
import { missingToolchain, toolFailed } from '../toolchains';
import type { DependencyCache } from '../depsCache';
import type { Builder, BuildContext, BuildSettings, BuildUnit, DependencyPreview } from '../types';
import { readRequirements } from './requirements';
import { findLinkArgs, missingDistribution, requirementName, wheelFromSource } from './pipSource';
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
export function pythonVersion(unit: Pick<BuildUnit, 'logicalId' | 'runtime' | 'method'>): string {
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
    const key = pipDependencyKey(unit, ctx.settings, requirements.digest, version);
    const deps = await ctx.deps.obtain('pip', key, install);
    if (deps.reused) ctx.log(`dependencies: reused from the cache (pip ${key.slice(0, 12)})`);
    await linkTree(deps.dir, ctx.staging, ctx.token);
  },
  preview: (unit, settings, deps) => previewPip(unit, settings, deps),
};

/** The dependency cache key of a pip install: what pip is asked for, for which Python and CPU, and how. */
function pipDependencyKey(unit: BuildUnit, settings: BuildSettings, requirementsDigest: string, version: string): string {
  return digest({ requirements: requirementsDigest, version, architecture: unit.architecture, pipArgs: settings.pipArgs ?? [], env: settings.env ?? null });
}

async function previewPip(unit: BuildUnit, settings: BuildSettings, deps: DependencyCache): Promise<DependencyPreview> {
  const path = join(unit.codeDir, 'requirements.txt');
  const base = { sourceExcludes: PYTHON_EXCLUDES, wheelDirs: findLinksOf(settings.pipArgs ?? [], unit.codeDir) };
  if (!existsSync(path)) return { ...base, declared: [] };
  const requirements = await readRequirements(path);
  const preview = { ...base, manifest: path, declared: requirements.names, wheelDirs: [...base.wheelDirs, ...requirements.findLinks] };
  if (!requirements.hasPackages || requirements.local) return preview;
  const entry = deps.entry('pip', pipDependencyKey(unit, settings, requirements.digest, pythonVersion(unit)));
  return existsSync(entry) ? { ...preview, installed: entry } : preview;
}

/** The local folders among pip's --find-links/-f arguments; relative ones from the folder pip runs in. */
function findLinksOf(args: readonly string[], cwd: string): string[] {
  return findLinkArgs(args, cwd).flatMap((l) => (l.local === undefined ? [] : [l.local]));
}

/** How many packages without a wheel one install builds from source before it gives up. */
const MAX_SOURCE_BUILDS = 20;

async function pipInstall(ctx: BuildContext, requirements: string, version: string, target: string): Promise<void> {
  const { unit } = ctx;
  const python = findTool(ctx, 'python3', 'python');
  if (!python) throw missingToolchain('python', unit, 'no python3 on PATH');
  const pipArgs = ctx.settings.pipArgs ?? [];
  // Wheels built from source for packages with none for Lambda: found by the install through --find-links.
  const built = join(ctx.scratch, 'source-wheels');
  const tried = new Set<string>();
  let inImage = false;
  for (;;) {
    const platforms = [...wheelPlatforms(version, unit.architecture), ...(inImage ? [`linux_${WHEEL_ARCH[unit.architecture]}`] : [])];
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
      ...(tried.size > 0 ? ['--find-links', built] : []),
      ...pipArgs,
    ];
    const result = await runStep(ctx, 'python', { command: python, args, cwd: unit.codeDir, env: { PIP_ROOT_USER_ACTION: 'ignore', PYTHONDONTWRITEBYTECODE: '1' } });
    if (result.code === 0) break;
    if (result.tail.some((l) => /No module named pip/.test(l))) throw missingToolchain('python', unit, `${python} has no pip`);
    const missing = missingDistribution(result.tail);
    if (!missing || tried.has(missing) || tried.size >= MAX_SOURCE_BUILDS) {
      throw noWheelError(unit, version, result.tail, ctx.sources) ?? toolFailed(unit, 'pip install', result.tail, 'Check requirements.txt and the package index pip uses, then build again.');
    }
    tried.add(missing);
    if ((await wheelFromSource(ctx, missing, version, built, pipArgs)) === 'image') inImage = true;
  }
  await dropScripts(target);
}

/**
 * pip's "no matching distribution" after the package's source was built too: no such package or
 * version for this Python. Says which, and the versions pip could see.
 */
export function noWheelError(unit: BuildUnit, version: string, tail: readonly string[], sources: Pick<SettingSources, 'pipArgs'> = CLI_SOURCES): UserError | undefined {
  const requirement = missingDistribution(tail);
  if (!requirement) return undefined;
  const name = requirementName(requirement);
  const versions = tail.map((l) => /Could not find a version that satisfies the requirement .*\(from versions: (.*)\)/.exec(l)?.[1]).find((v) => v !== undefined);
  const platform = `Python ${version} on ${unit.architecture} (manylinux ${WHEEL_ARCH[unit.architecture]})`;
  const found = versions && versions !== 'none' ? ` Versions with such wheels: ${versions}.` : '';
  return new UserError(
    `${unit.logicalId}: pip found no wheel of ${name} (${requirement}) for ${platform}, even after building it from source.${found}`,
    `Check the name and version of ${name} in requirements.txt, and the package index pip uses (${sources.pipArgs}).`,
    'build-no-wheel',
  );
}

/** pip --target writes console scripts to bin/: shebangs of this machine's Python, never run on Lambda (SAM installs none). */
async function dropScripts(target: string): Promise<void> {
  const bin = join(target, 'bin');
  if (existsSync(bin) && !existsSync(join(bin, '__init__.py'))) await fs.rm(bin, { recursive: true, force: true });
}
