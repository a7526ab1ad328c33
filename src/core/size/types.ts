import type { ReportCategory } from './rules';

/**
 * More changed paths than this from a file watcher are a burst (a checkout, an install): checking
 * every file is as quick then, and does not depend on the watcher having reported them all.
 */
export const MAX_CHANGED_PATHS = 256;

/**
 * ok: within limits; warn: at or past the warning fraction of one, or an estimate that leaves
 * declared dependencies out (never ok while they are not counted); over: past one; unknown: a
 * part could not be measured.
 */
export type SizeStatus = 'ok' | 'warn' | 'over' | 'unknown';

export type Severity = 'error' | 'warning' | 'info';

/** Stable ids: diagnostics use them as `code`, quick fixes are keyed on them. */
export type FindingCode =
  | 'zip-over-direct-upload'
  | 'zip-near-direct-upload'
  | 'unzipped-over'
  | 'unzipped-near'
  | 'layers-push-over'
  | 'too-many-layers'
  | 'layer-size-unknown'
  | 'image-over'
  | 'image-near'
  | 'image-size-estimated'
  | 'aws-sdk-v3-bundled'
  | 'aws-sdk-v2-bundled'
  | 'dev-dependencies-excluded'
  | 'tests-in-package'
  | 'docs-in-package'
  | 'source-maps-in-package'
  | 'type-declarations-in-package'
  | 'dominant-package'
  | 'dominant-file'
  | 'symlink-outside'
  | 'symlink-outside-followed'
  | 'secret-left-out'
  | 'code-outside-project'
  | 'symlink-broken'
  | 'symlink-loop'
  | 'special-file-skipped'
  | 'code-not-local'
  | 'build-not-run'
  | 'dependencies-not-counted'
  | 'artifact-not-built';

/**
 * A mechanical fix a code action can apply. The first action of a finding is the recommended one.
 * Paths are absolute.
 */
export type FixAction =
  /** Add Metadata BuildMethod esbuild (with these External entries) to the function's resource. */
  | { kind: 'use-esbuild'; external: string[] }
  /** Add these entries to the function's Metadata.BuildProperties.External. */
  | { kind: 'esbuild-external'; add: string[] }
  /** Append these patterns to the ignore file (created when missing). */
  | { kind: 'exclude'; ignoreFile: string; patterns: string[] }
  /** Include this path on purpose: append its `!` pattern to the ignore file (created when missing). */
  | { kind: 'include'; ignoreFile: string; path: string; pattern: string }
  /** Move these packages from dependencies to devDependencies in the manifest. */
  | { kind: 'move-to-dev-dependencies'; manifest: string; packages: string[] }
  /** Move these installed packages into a new layer folder and out of the function's folder and manifest. */
  | { kind: 'move-to-layer'; manifest?: string; packages: string[] }
  /** Switch the function to PackageType: Image (10 GiB limit instead of 250 MB). */
  | { kind: 'use-image' }
  /** Deploy through an S3 staging bucket (a setting, not an edit): the zip is fine there. */
  | { kind: 'deploy-via-s3' };

export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
  /** The bytes the finding is about (null when it is not about a size). */
  bytes: number | null;
  /** The limit it is measured against (null when none applies). */
  limit: number | null;
  /** What to do, in words. */
  fix: string;
  /** Mechanical fixes, best first; empty when it takes a person. */
  actions: FixAction[];
  /**
   * Where it comes from: package names and/or paths (relative to the code folder), for placing
   * diagnostics; `requiredBy`, the requirement that brings a package in when it is not asked for itself.
   */
  subjects: { package?: string; path?: string; requiredBy?: string }[];
}

export interface Contributor {
  /** A package name ('lodash', '@aws-sdk/client-s3', 'numpy') or a file path. */
  name: string;
  kind: 'package' | 'file';
  /** Unzipped bytes. */
  bytes: number;
  /** Bytes this contributor takes in the zip. */
  zippedBytes: number;
  /** Fraction of the function's unzipped bytes. */
  share: number;
  files: number;
}

export interface LayerSize {
  /** The layer's logical id (local layers) or ARN. */
  name: string;
  ref: 'local' | 'arn' | 'expression';
  arn?: string;
  /** Unzipped bytes; null when unknown. */
  unzippedBytes: number | null;
  /** Bytes of its zip; null when unknown. */
  zippedBytes: number | null;
  status: 'measured' | 'unknown';
  /** Why it is unknown, or how it was found. */
  detail: string;
  /** A template layer with a BuildMethod that is not built (or out of date): its size is an estimate. */
  estimate?: boolean;
  /** Of an estimate: declared dependencies counted nowhere. */
  uncounted?: string[];
}

export interface ImageSize {
  bytes: number | null;
  /** True when no built image was found and the size is base image + build context. */
  estimated: boolean;
  detail: string;
}

/** What a measurement did: lets callers and tests see the cache work. */
export interface MeasureStats {
  /** Folders whose entries were read from disk (the others' listings were known unchanged). */
  foldersRead: number;
  files: number;
  compressed: number;
  cacheHits: number;
  bytesCompressed: number;
  durationMs: number;
}

export interface FunctionSize {
  logicalId: string;
  templatePath: string;
  packageType: 'Zip' | 'Image';
  /**
   * What was measured: the built artifact, the code folder (as it is, or as the estimate of an
   * artifact not built yet), esbuild's output, an archive file, inline code, or nothing local.
   */
  source: 'artifact' | 'folder' | 'esbuild' | 'archive' | 'inline' | 'image' | 'none';
  /** Absolute path of what was measured (artifact folder, code folder, archive), when local. */
  codePath?: string;
  /** True when the artifact is not built (or out of date) and the sizes are an estimate (an image not built, too). */
  estimate: boolean;
  /** The function's build, for functions a builder makes (pip, npm, go...). */
  build?: FunctionBuildState;
  zippedBytes: number | null;
  unzippedBytes: number | null;
  fileCount: number;
  layers: LayerSize[];
  /** Sum of the layers' unzipped bytes; null when any is unknown. */
  layersUnzippedBytes: number | null;
  /** Function plus layers, unzipped; null when any part is unknown. */
  totalUnzippedBytes: number | null;
  layerCount: number;
  imageBytes: number | null;
  image?: ImageSize;
  status: SizeStatus;
  findings: Finding[];
  topContributors: Contributor[];
  /** Bytes per report category found in the package (tests, docs...). */
  categories: Partial<Record<ReportCategory, { bytes: number; files: number }>>;
  /** What the rules left out. */
  excluded: { by: string; paths: number; examples: string[] }[];
  warnAt: number;
  stats: MeasureStats;
}

/** Where a function's build stands, as the size engine found it. */
export interface FunctionBuildState {
  /** The builder ('python-pip', 'nodejs-npm'...). */
  builder: string;
  /** The artifact folder, when one exists (up to date or not). */
  artifactDir: string | null;
  upToDate: boolean;
  /** The code folder the artifact is built from. */
  sourceDir: string;
  /** What the estimate leaves out: declared dependencies not found installed or as wheels. */
  uncounted: string[];
  /** Builds are off here (an untrusted workspace): the figures stay estimates. */
  untrusted?: boolean;
}

/** The written artifact, as `package` and deploy report it. */
export interface PackageResult {
  logicalId: string;
  path: string;
  bytes: number;
  /** Base64 of the SHA-256 of the zip: what Lambda reports as CodeSha256. */
  codeSha256: string;
  unzippedBytes: number;
  fileCount: number;
  source: FunctionSize['source'];
  stats: MeasureStats;
}
