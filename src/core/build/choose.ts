// Which builder a function gets, the way `sam build` picks one: Metadata.BuildMethod when given
// (a builder name or a runtime name), else the function's Runtime. Java looks for its manifest
// (Gradle before Maven) in the code folder, then in the template's folder.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors';
import type { FunctionSpec } from '../model/types';
import type { BuilderId, BuildUnit, NotBuiltKind } from './types';

export type BuildPlan =
  | { kind: 'build'; builder: BuilderId; unit: BuildUnit }
  | { kind: 'skip'; builder: NotBuiltKind; reason: string };

/** Runtime families SAM knows, and what builds each when no BuildMethod says otherwise. */
const RUNTIME_FAMILIES: readonly { pattern: RegExp; family: Family }[] = [
  { pattern: /^python3\.\d+$/, family: 'python' },
  { pattern: /^nodejs\d+\.x$/, family: 'nodejs' },
  { pattern: /^provided(\.al2|\.al2023)?$/, family: 'provided' },
  { pattern: /^java\d+(\.al2|\.al2023)?$/, family: 'java' },
  { pattern: /^go1\.x$/, family: 'go' },
  { pattern: /^ruby\d+\.\d+$/, family: 'ruby' },
  { pattern: /^dotnet\d+$/, family: 'dotnet' },
];

type Family = 'python' | 'nodejs' | 'provided' | 'java' | 'go' | 'ruby' | 'dotnet';

/** Build methods SAM has that are not runtime names. */
const METHODS: Record<string, BuilderId | 'esbuild' | 'unsupported'> = {
  makefile: 'makefile',
  esbuild: 'esbuild',
  'go1.x': 'go-modules',
  'rust-cargolambda': 'rust-cargolambda',
  dotnet: 'unsupported',
  dotnet7: 'unsupported',
  'python-uv': 'unsupported',
};

/** How a function is built, or why nothing is built; a UserError when SAM could not build it either. */
export function planBuild(fn: FunctionSpec): BuildPlan {
  if (fn.packageType === 'Image') return { kind: 'skip', builder: 'image', reason: 'an image function: docker builds it from its Dockerfile when it is run or deployed' };
  if (!fn.codeUri) {
    if (fn.inlineCode !== undefined) return { kind: 'skip', builder: 'none', reason: 'inline code (Code.ZipFile): nothing to build' };
    if (fn.s3Code) return { kind: 'skip', builder: 'none', reason: 'its code is an S3 object: nothing to build' };
    return { kind: 'skip', builder: 'none', reason: 'no CodeUri: nothing to build' };
  }
  const unit: BuildUnit = {
    logicalId: fn.logicalId,
    templatePath: fn.templatePath,
    codeDir: fn.codeUri,
    runtime: fn.runtime,
    architecture: fn.architecture,
    handler: fn.handler,
    method: fn.build?.method,
    properties: fn.build?.properties ?? {},
  };
  const runtimeFamily = fn.runtime === undefined ? undefined : familyOf(fn.runtime);
  if (fn.runtime !== undefined && !runtimeFamily) {
    throw new UserError(`${fn.logicalId}: '${fn.runtime}' runtime is not supported for builds.`, 'Use a runtime Lambda supports (python3.x, nodejsN.x, provided.al2023, javaN...).', 'build-unsupported');
  }
  const method = unit.method;
  if (method !== undefined) {
    const named = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
    if (named === 'esbuild') return { kind: 'skip', builder: 'esbuild', reason: 'BuildMethod esbuild: bundled by esbuild when it is sized, run or deployed' };
    if (named === 'unsupported') throw notYet(fn, `BuildMethod ${method}`);
    if (named) return { kind: 'build', builder: named, unit };
    const family = familyOf(method);
    if (!family) {
      throw new UserError(
        `${fn.logicalId}: BuildMethod '${method}' does not have a supported builder.`,
        `Use a runtime name (python3.12, nodejs22.x...), makefile, esbuild, go1.x or rust-cargolambda.`,
        'build-unsupported',
      );
    }
    return { kind: 'build', builder: byFamily(fn, family, unit), unit };
  }
  if (!runtimeFamily) throw new UserError(`${fn.logicalId} has neither a Runtime nor a BuildMethod, so there is no way to build it.`, 'Set the function\'s Runtime (or Metadata.BuildMethod).', 'build-unsupported');
  return { kind: 'build', builder: byFamily(fn, runtimeFamily, unit), unit };
}

function familyOf(name: string): Family | undefined {
  return RUNTIME_FAMILIES.find((f) => f.pattern.test(name))?.family;
}

function byFamily(fn: FunctionSpec, family: Family, unit: BuildUnit): BuilderId {
  switch (family) {
    case 'python':
      return 'python-pip';
    case 'nodejs':
      return 'nodejs-npm';
    case 'provided':
      return 'makefile';
    case 'go':
      return 'go-modules';
    case 'java':
      return javaBuilder(fn, unit);
    case 'ruby':
    case 'dotnet':
      throw notYet(fn, `the ${fn.runtime ?? unit.method} runtime`);
  }
}

/** Gradle (build.gradle, build.gradle.kts) before Maven (pom.xml); the code folder, then the template's. */
function javaBuilder(fn: FunctionSpec, unit: BuildUnit): BuilderId {
  const dirs = [unit.codeDir, dirname(unit.templatePath)];
  const has = (name: string): boolean => dirs.some((d) => existsSync(join(d, name)));
  if (has('build.gradle') || has('build.gradle.kts')) return 'java-gradle';
  if (has('pom.xml')) return 'java-maven';
  throw new UserError(`${fn.logicalId}: no build.gradle, build.gradle.kts or pom.xml in ${unit.codeDir} or the template's folder.`, 'Add the Gradle or Maven build file the function is built with.', 'build-manifest-missing');
}

function notYet(fn: FunctionSpec, what: string): UserError {
  return new UserError(`Lambda Workbench does not build functions with ${what} yet (${fn.logicalId}).`, 'Build it with `sam build` for now.', 'build-unsupported');
}
