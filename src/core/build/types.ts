import type { CancellationTokenLike } from '../cancel';
import type { Architecture, EsbuildProperties } from '../model/types';
import type { SettingSources } from '../sources';
import type { DependencyCache } from './depsCache';
import type { EsbuildLoader } from './esbuild';
import type { ToolRunner } from './tools';

/** The builders, by the names `build --json` reports. */
export type BuilderId = 'python-pip' | 'nodejs-npm' | 'esbuild' | 'go-modules' | 'makefile' | 'java-maven' | 'java-gradle' | 'rust-cargolambda';

/** What a function with nothing for us to build is made of instead (its artifact is produced elsewhere). */
export type NotBuiltKind = 'image' | 'none';

/** What one build works on: a function or a layer, reduced to what builders read. */
export interface BuildUnit {
  kind: 'function' | 'layer';
  logicalId: string;
  templatePath: string;
  /** Absolute path of the code folder. */
  codeDir: string;
  runtime?: string;
  architecture: Architecture;
  handler?: string;
  /** Metadata.BuildMethod, when given. */
  method?: string;
  /** Metadata.BuildProperties as written. */
  properties: Record<string, unknown>;
  /** Metadata.BuildProperties read as esbuild's (BuildMethod esbuild). */
  esbuild?: EsbuildProperties;
  /**
   * The artifact for Debug Locally, for builders that make one of their own (esbuild: source maps,
   * unminified, so breakpoints bind to the sources); it sits beside the deploy artifact, never in place of it.
   */
  debug?: boolean;
  /**
   * Where in the artifact the builder's output goes: '' for functions; for layers, the folder the
   * runtime looks in under /opt (python, nodejs), as SAM lays layers out.
   */
  subdir: string;
}

/**
 * Choices a user makes about how dependencies are fetched. They are inputs of the build (part of its
 * key), so changing one rebuilds.
 */
export interface BuildSettings {
  /** Extra arguments for `pip install`: an index (`--index-url URL`), a wheel folder (`--find-links DIR --no-index`). */
  pipArgs?: readonly string[];
  /** Extra arguments for `npm ci` / `npm install`: a registry (`--registry URL`), `--offline`, a cache (`--cache DIR`). */
  npmArgs?: readonly string[];
  /** Extra arguments for each `mvn` run: a local repository (`-Dmaven.repo.local=DIR`), `--offline`, `--settings FILE`. */
  mavenArgs?: readonly string[];
  /** Extra environment for every toolchain the build runs (GOPROXY, GOFLAGS, GOMODCACHE, PIP_*, npm_config_*...). */
  env?: Readonly<Record<string, string>>;
  /**
   * The image each runtime runs in locally when not AWS's (lambdaWorkbench.local.images): a Python
   * package with no wheel for Lambda, and no pure-Python source, is built inside it.
   */
  images?: Readonly<Record<string, string>>;
  /** The Docker engine for builds inside an image (lambdaWorkbench.docker.host); unset: found as the docker CLI finds it. */
  dockerHost?: string;
}

/** What build hints name: where pip's arguments, a runtime's image and the engine are set. */
export type BuildSources = Pick<SettingSources, 'pipArgs' | 'images' | 'dockerHost' | 'chooseDockerHost' | 'chooseRuntimeApiAddress' | 'hostNetwork'>;

/** What a builder gets to do its work. */
export interface BuildContext {
  unit: BuildUnit;
  /** An empty folder to fill; it becomes the artifact only if the build succeeds. */
  staging: string;
  /** Where the artifact will be once in place: paths written into it (source maps) are relative to this. */
  artifact: string;
  /** Scratch space on the artifact's file system, removed after the build. */
  scratch: string;
  settings: BuildSettings;
  /** How the shell names what a person sets, for hints (the pip arguments, the images, the engine). */
  sources: BuildSources;
  deps: DependencyCache;
  tools: ToolRunner;
  token?: CancellationTokenLike;
  /** Finds esbuild for the esbuild builder: the project's own copy only where the workspace is trusted. */
  loadEsbuild?: EsbuildLoader;
  log(line: string): void;
}

/** What a build leaves beside its artifact besides the files: kept with its state, read by size. */
export interface BuildOutcome {
  /** esbuild's metafile, its output paths relative to the artifact: which input each output byte came from. */
  metafile?: unknown;
  /**
   * Files the build read that the key's source walk leaves out (esbuild: what it bundled from
   * node_modules, or from outside the code folder), relative to the code folder. The artifact is
   * up to date only while they, and the folders they are found through, stay as they were.
   */
  reads?: string[];
}

/** One way of turning a unit into an artifact (pip, npm, go...). */
export interface Builder {
  id: BuilderId;
  /** Files in the code folder whose content is an input (manifests, lock files, .npmrc). */
  manifests: readonly string[];
  /** Names (with * and ?) left out of the copied sources and the source fingerprint, at any depth. */
  excludes: readonly string[];
  /** The settings and build properties this builder reads: part of its key. */
  options(unit: BuildUnit, settings: BuildSettings): unknown;
  /** Inputs outside the code folder (files a manifest includes from elsewhere), by content: part of its key. */
  inputs?(unit: BuildUnit): Promise<unknown>;
  build(ctx: BuildContext): Promise<void | BuildOutcome>;
  /**
   * False for a builder that runs none of the project's code (esbuild with this tool's own copy):
   * it may build in an untrusted workspace. Default true.
   */
  runsProjectCode?: boolean;
  /**
   * True for a builder quick enough that a size is measured by building rather than estimated
   * (esbuild: milliseconds, in memory, no install).
   */
  quick?: boolean;
  /** True when the builder makes a Debug Locally artifact of its own (BuildUnit.debug). */
  debugArtifact?: boolean;
  /**
   * What the build would put in the artifact besides the sources, read without running anything:
   * the declared dependencies and, when an install of exactly them is in the cache, that install.
   * Absent for builders whose artifact the sources say nothing about (compilers, make).
   */
  preview?(unit: BuildUnit, settings: BuildSettings, deps: DependencyCache): Promise<DependencyPreview>;
}

/** A build's dependencies as far as they are known before it runs (see Builder.preview). */
export interface DependencyPreview {
  /** The manifest that declares them (requirements.txt, package.json), absent when there is none. */
  manifest?: string;
  /** The packages it declares directly, as written ('numpy', '@aws-sdk/client-s3'). */
  declared: string[];
  /**
   * The cache entry holding exactly the install the build would link in, when it is there: laid
   * out as in the artifact (Python packages at its top, node_modules/ for npm).
   */
  installed?: string;
  /** Local wheel folders pip would install from (--find-links): where an estimate can look. */
  wheelDirs?: string[];
  /** Names left out of the copied sources, at any depth (the builder's excludes). */
  sourceExcludes: readonly string[];
  /**
   * Where, in the code folder, a developer's own install sits (node_modules): until the build's
   * own install is in the cache, it is the best stand-in for it.
   */
  localInstall?: string;
}

export type BuildStatus = 'built' | 'cached' | 'skipped' | 'failed';

/** The outcome of building one function (or layer: kind says which). */
export interface FunctionBuild {
  logicalId: string;
  /** Present for layers. */
  kind?: 'layer';
  templatePath: string;
  builder: BuilderId | NotBuiltKind;
  /** The artifact folder; null when there is none (skipped, or failed before its first success). */
  artifactDir: string | null;
  /** True when the artifact was up to date and nothing ran. */
  cached: boolean;
  durationMs: number;
  status: BuildStatus;
  /** Why nothing was built (skipped), or what went wrong (failed). */
  reason?: string;
  /** What to do about a failure. */
  hint?: string;
  /** Changes whenever a build writes the artifact (built or cached): lets a caller know it is unchanged without reading it. */
  artifactVersion?: string;
}
