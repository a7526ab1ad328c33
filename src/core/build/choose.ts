// Which builder a function gets, the way `sam build` picks one: Metadata.BuildMethod when given
// (a builder name or a runtime name), else the function's Runtime. Java looks for its manifest
// (Gradle before Maven) in the code folder, then in the template's folder.
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors';
import type { FunctionSpec, LayerSpec } from '../model/types';
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
const METHODS: Record<string, BuilderId | 'unsupported'> = {
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
  if (isFile(fn.codeUri)) return { kind: 'skip', builder: 'none', reason: 'its CodeUri is a prebuilt archive: it is used as it is' };
  const unit: BuildUnit = {
    kind: 'function',
    logicalId: fn.logicalId,
    templatePath: fn.templatePath,
    codeDir: fn.codeUri,
    runtime: fn.runtime,
    architecture: fn.architecture,
    handler: fn.handler,
    method: fn.build?.method,
    properties: fn.build?.properties ?? {},
    ...(fn.build?.esbuild ? { esbuild: fn.build.esbuild } : {}),
    subdir: '',
  };
  const runtimeFamily = fn.runtime === undefined ? undefined : familyOf(fn.runtime);
  if (fn.runtime !== undefined && !runtimeFamily) {
    throw new UserError(`${fn.logicalId}: '${fn.runtime}' runtime is not supported for builds.`, 'Use a runtime Lambda supports (python3.x, nodejsN.x, provided.al2023, javaN...).', 'build-unsupported');
  }
  const method = unit.method;
  if (method !== undefined) {
    const named = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
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
  // SAM builds a custom runtime's function with make only; a folder with no Makefile that names no
  // BuildMethod already holds what runs (its bootstrap), as `sam local invoke` runs it.
  if (runtimeFamily === 'provided' && !existsSync(join(unit.codeDir, 'Makefile'))) {
    return { kind: 'skip', builder: 'none', reason: 'a custom runtime function with no BuildMethod and no Makefile: its folder (with its bootstrap) is used as it is' };
  }
  return { kind: 'build', builder: byFamily(fn, runtimeFamily, unit), unit };
}

/** What can be built: a function, or a layer with a BuildMethod. */
export type Buildable = FunctionSpec | LayerSpec;

export function isLayer(spec: Buildable): spec is LayerSpec {
  return 'resourceType' in spec && (spec.resourceType === 'AWS::Serverless::LayerVersion' || spec.resourceType === 'AWS::Lambda::LayerVersion');
}

/** planBuild for a function, planLayerBuild for a layer. */
export function planFor(spec: Buildable): BuildPlan {
  return isLayer(spec) ? planLayerBuild(spec) : planBuild(spec);
}

/** Where each kind of layer build puts its output, as SAM lays layers out: the folder the runtime reads under /opt. */
const LAYER_FOLDERS: Partial<Record<Family, string>> = { python: 'python', nodejs: 'nodejs' };

/**
 * How a layer is built, the way `sam build` builds one: only with Metadata.BuildMethod (a runtime
 * name or makefile; without one its ContentUri is used as it is), for Metadata.BuildArchitecture
 * (x86_64 unless it says otherwise), into python/ or nodejs/ for those runtimes; a makefile target
 * lays out the whole layer itself.
 */
export function planLayerBuild(layer: LayerSpec): BuildPlan {
  const method = layer.build?.method;
  if (!layer.contentUri) return { kind: 'skip', builder: 'none', reason: layer.s3Content ? 'its content is an S3 object: nothing to build' : 'no ContentUri: nothing to build' };
  if (method === undefined) return { kind: 'skip', builder: 'none', reason: 'no Metadata.BuildMethod: its ContentUri folder is the layer as it is' };
  if (isFile(layer.contentUri)) return { kind: 'skip', builder: 'none', reason: 'its ContentUri is a prebuilt archive: it is used as it is' };
  const architecture = layer.build?.architecture ?? 'x86_64';
  if (layer.compatibleArchitectures.length > 0 && !layer.compatibleArchitectures.includes(architecture)) {
    throw new UserError(
      `Layer ${layer.logicalId} is built for ${architecture}${layer.build?.architecture ? '' : ' (the default when Metadata.BuildArchitecture is not set)'}, which its CompatibleArchitectures (${layer.compatibleArchitectures.join(', ')}) does not list.`,
      `Set Metadata.BuildArchitecture to one of ${layer.compatibleArchitectures.join(', ')}.`,
      'build-unsupported',
    );
  }
  const base = { kind: 'layer' as const, logicalId: layer.logicalId, templatePath: layer.templatePath, codeDir: layer.contentUri, architecture, method, properties: layer.build?.properties ?? {} };
  if (method === 'makefile') return { kind: 'build', builder: 'makefile', unit: { ...base, subdir: '' } };
  const family = familyOf(method);
  const subdir = family ? LAYER_FOLDERS[family] : undefined;
  if (!family || subdir === undefined) {
    throw new UserError(
      `Layer ${layer.logicalId}: Lambda Workbench does not build layers with BuildMethod '${method}'${family ? ' yet' : ''}.`,
      `Use a python3.x or nodejsN.x runtime name, or makefile${family ? ', or build it with `sam build` for now' : ''}.`,
      'build-unsupported',
    );
  }
  return { kind: 'build', builder: family === 'python' ? 'python-pip' : 'nodejs-npm', unit: { ...base, runtime: method, subdir } };
}

/**
 * Whether a builder makes the function's artifact (what runs and deploys is then the artifact,
 * not the code folder). False for images, inline code and archives, and for runtimes
 * nothing here builds (those run and deploy their folder as it is, as sizes measure it).
 */
export function isBuilt(spec: Buildable): boolean {
  try {
    return planFor(spec).kind === 'build';
  } catch (err) {
    if (err instanceof UserError) return false;
    throw err;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
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
