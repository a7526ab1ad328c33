// Node.js: the files `npm pack` would publish (as SAM takes them) plus the production dependencies,
// installed for Linux on the function's CPU (`npm ci --omit=dev` with a lock file, else `npm
// install --omit=dev`). devDependencies never land in the artifact.
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors';
import type { Architecture } from '../../model/types';
import { copyFiles, copyTree, linkTree } from '../copy';
import { nameMatcher } from '../excludes';
import { digest, fileDigest } from '../fingerprint';
import { missingToolchain, toolFailed } from '../toolchains';
import type { Builder, BuildContext } from '../types';
import { foreignAddons } from './nativeModules';
import { findTool, runStep } from './step';

const NPM_CPU: Readonly<Record<Architecture, string>> = { x86_64: 'x64', arm64: 'arm64' };
const LOCK_FILES = ['package-lock.json', 'npm-shrinkwrap.json'] as const;
/** What decides the installed tree; the rest of package.json (name, scripts, main...) does not. */
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bundleDependencies', 'bundledDependencies', 'overrides', 'workspaces'] as const;
const EXCLUDES = ['node_modules'];

type PackageJson = Record<string, unknown>;

export const npmBuilder: Builder = {
  id: 'nodejs-npm',
  manifests: ['package.json', ...LOCK_FILES, '.npmrc'],
  excludes: EXCLUDES,
  options: (_unit, settings) => ({ npmArgs: settings.npmArgs ?? [] }),
  async build(ctx) {
    const { unit } = ctx;
    const manifest = join(unit.codeDir, 'package.json');
    if (!existsSync(manifest)) {
      ctx.log('no package.json: the artifact is the sources');
      await copyTree(unit.codeDir, ctx.staging, { excluded: nameMatcher(EXCLUDES), token: ctx.token, onSkip: (rel, why) => ctx.log(`left out ${rel}: ${why}`) });
      return;
    }
    const pkg = await readPackageJson(ctx, manifest);
    const npm = findTool(ctx, 'npm');
    if (!npm) throw missingToolchain('npm', unit, 'no npm on PATH');
    await copySources(ctx, npm);
    if (!hasProductionDependencies(pkg)) {
      ctx.log('package.json has no dependencies to install');
      return;
    }
    const lock = LOCK_FILES.find((f) => existsSync(join(unit.codeDir, f)));
    const key = digest({
      dependencies: DEPENDENCY_FIELDS.map((f) => pkg[f] ?? null),
      lock: lock ? [lock, await fileDigest(join(unit.codeDir, lock))] : null,
      npmrc: await fileDigest(join(unit.codeDir, '.npmrc')),
      cpu: NPM_CPU[unit.architecture],
      npmArgs: ctx.settings.npmArgs ?? [],
      env: ctx.settings.env ?? null,
    });
    const deps = await ctx.deps.obtain('npm', key, (dir) => install(ctx, npm, pkg, lock, dir));
    if (deps.reused) ctx.log(`dependencies: reused from the cache (npm ${key.slice(0, 12)})`);
    await linkTree(deps.dir, ctx.staging, ctx.token);
  },
};

async function readPackageJson(ctx: BuildContext, path: string): Promise<PackageJson> {
  try {
    const parsed = JSON.parse(await fs.readFile(path, 'utf8')) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as PackageJson;
    throw new Error('it is not an object');
  } catch (err) {
    throw new UserError(`${ctx.unit.logicalId}: ${path} is not a valid package.json (${(err as Error).message}).`, 'Fix package.json, then build again.', 'build-manifest-invalid');
  }
}

function hasProductionDependencies(pkg: PackageJson): boolean {
  return ['dependencies', 'optionalDependencies'].some((f) => {
    const deps = pkg[f];
    return deps !== null && typeof deps === 'object' && Object.keys(deps).length > 0;
  });
}

/**
 * The files `npm pack` would publish (package.json's "files", .npmignore; never node_modules, lock
 * files or .npmrc), listed without running the package's scripts. A package npm cannot pack (a
 * package.json without a name and version, as small functions often have): everything but
 * node_modules and what npm never packs.
 */
async function copySources(ctx: BuildContext, npm: string): Promise<void> {
  const { unit } = ctx;
  const listed = await runStep(ctx, 'npm', { command: npm, args: ['pack', '--dry-run', '--json', '--ignore-scripts'], cwd: unit.codeDir, captureStdout: true });
  const files = listed.code === 0 ? packedFiles(listed.stdout ?? '') : undefined;
  if (files) {
    await copyFiles(unit.codeDir, ctx.staging, files, ctx.token);
    return;
  }
  const why = listed.code === 0 ? 'it listed no files' : (listed.tail.find((l) => /^npm (error|ERR!)/.test(l))?.replace(/^npm (error|ERR!)\s*/, '') ?? `exit code ${listed.code}`);
  ctx.log(`npm pack could not list the package's files (${why}): taking every file but node_modules, package-lock.json and .npmrc`);
  await copyTree(unit.codeDir, ctx.staging, { excluded: nameMatcher([...EXCLUDES, 'package-lock.json', '.npmrc']), token: ctx.token, onSkip: (rel, why) => ctx.log(`left out ${rel}: ${why}`) });
}

function packedFiles(stdout: string): string[] | undefined {
  try {
    const parsed = JSON.parse(stdout) as { files?: { path?: unknown }[] }[];
    const files = parsed[0]?.files?.map((f) => f.path).filter((p): p is string => typeof p === 'string');
    return files && files.length > 0 ? files : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Installs the production tree into `dir` (then holding node_modules only). The manifest goes in
 * without its scripts: the package's own lifecycle scripts (prepare: tsc...) belong to its
 * development, while its dependencies' install scripts still run.
 */
async function install(ctx: BuildContext, npm: string, pkg: PackageJson, lock: string | undefined, dir: string): Promise<void> {
  const { unit } = ctx;
  const withoutScripts = { ...pkg };
  delete withoutScripts.scripts;
  await fs.writeFile(join(dir, 'package.json'), JSON.stringify(withoutScripts, null, 2));
  for (const f of [lock, '.npmrc']) if (f && existsSync(join(unit.codeDir, f))) await fs.copyFile(join(unit.codeDir, f), join(dir, f));
  const cpu = NPM_CPU[unit.architecture];
  const args = [
    ...(lock ? ['ci'] : ['install', '--no-save', '--no-package-lock']),
    '--omit=dev',
    // Optional per-platform packages (sharp's, esbuild's...) for Lambda's OS and CPU, not this machine's.
    '--os=linux',
    `--cpu=${cpu}`,
    '--libc=glibc',
    '--no-audit',
    '--no-fund',
    ...(ctx.settings.npmArgs ?? []),
  ];
  ctx.log(`npm: ${args[0]} --omit=dev for linux ${cpu}`);
  const result = await runStep(ctx, 'npm', { command: npm, args, cwd: dir, env: { npm_config_update_notifier: 'false' } });
  if (result.code !== 0) {
    throw toolFailed(unit, `npm ${args[0]}`, result.tail, lock ? `Check that ${lock} matches package.json (npm install updates it), then build again.` : 'Check the dependencies in package.json, then build again.');
  }
  const foreign = await foreignAddons(dir, unit.architecture);
  if (foreign.length > 0) {
    const names = [...new Set(foreign.map((f) => f.packageName))];
    throw new UserError(
      `${unit.logicalId}: ${names.join(', ')} installed a native module built for this machine (${foreign[0].builtFor}), not for Lambda's ${unit.architecture} Linux (${foreign[0].path}).`,
      `It has to be built inside the function's Lambda image (${unit.runtime ?? 'its runtime'}, ${unit.architecture}); Lambda Workbench does not do that yet. Build on a ${unit.architecture} Linux machine, or use a package with prebuilt binaries for linux-${cpu}.`,
      'build-native-module',
    );
  }
  for (const f of ['package.json', lock, '.npmrc', 'node_modules/.package-lock.json']) if (f) await fs.rm(join(dir, f), { force: true });
}
