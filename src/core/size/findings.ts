import { join } from 'node:path';
import { LIMITS } from '../limits';
import type { FunctionSpec } from '../model/types';
import { classify } from './classify';
import { finding, list } from './findingParts';
import { folderFindings } from './folderFindings';
import { formatBytes, formatExact, formatPercent } from './format';
import { IGNORE_FILE } from './ignore';
import { CATEGORY_PATTERNS, type ReportCategory } from './rules';
import { isAwsSdkV3Package, nodeMajor, providedAwsSdk } from '../model/runtimes';
import type { WalkResult } from './walk';
import { buildStateFindings, layerBuildFindings } from './buildFindings';
import { normalizeName } from './distributions';
import type { Contributor, Finding, FindingCode, FixAction, FunctionBuildState, FunctionSize, LayerSize } from './types';

/** A category (tests, docs...) is worth a finding from this many bytes and this share of the package. */
export const CATEGORY_MIN_BYTES = 10 * 1024;
export const CATEGORY_MIN_SHARE = 0.01;
/** One package or file "dominates" from this share of the unzipped bytes, when it is at least this big. */
export const DOMINANT_SHARE = 0.5;
export const DOMINANT_MIN_BYTES = 1024 * 1024;

/** Everything the findings look at, gathered by the engine. */
export interface FindingInput {
  fn: FunctionSpec;
  warnAt: number;
  source: FunctionSize['source'];
  /** What was measured: the code folder, or a built artifact. */
  codePath?: string;
  /** The code folder an artifact is built from: where manifests and .lambdaignore are edited. */
  sourcePath?: string;
  /** Where the function's build stands (functions a builder makes). */
  build?: FunctionBuildState;
  /** Set when the figures estimate an artifact not built yet. */
  estimate?: { countedFrom: string[]; fromCache: boolean; opaque?: string };
  /** Why a function that names a build is measured as its folder is. */
  notBuildable?: string;
  zippedBytes: number | null;
  unzippedBytes: number | null;
  layers: LayerSize[];
  layersUnzippedBytes: number | null;
  imageBytes: number | null;
  image?: FunctionSize['image'];
  packages: Map<string, { bytes: number; paths: string[] }>;
  contributors: Contributor[];
  categories: FunctionSize['categories'];
  walk?: WalkResult;
  devOnly?: { manifest: string; packages: string[] };
  /** Direct dependencies declared in the function's package.json. */
  declaredDependencies?: { manifest: string; names: string[] };
  /** Python: the requirements.txt line each installed distribution comes from (normalized name -> requirement). */
  requiredBy?: ReadonlyMap<string, string>;
}

const mib = (limit: number): string => `${formatBytes(limit)} (${formatExact(limit)} bytes)`;

export function buildFindings(x: FindingInput): Finding[] {
  const out: Finding[] = [];
  if (x.fn.packageType === 'Image') imageFindings(x, out);
  else {
    buildStateFindings(x, out);
    layerBuildFindings(x, out);
    zipFindings(x, out);
  }
  dependencyFindings(x, out);
  categoryFindings(x, out);
  dominanceFindings(x, out);
  folderFindings(x, out);
  return out;
}

function isBuiltWithEsbuild(x: FindingInput): boolean {
  return x.source === 'esbuild';
}

function shrinkActions(x: FindingInput): FixAction[] {
  const actions: FixAction[] = [];
  if (nodeMajor(x.fn.runtime) !== undefined && !isBuiltWithEsbuild(x)) actions.push({ kind: 'use-esbuild', external: externalsFor(x) });
  if (imageable(x) && x.fn.layers.length === 0) actions.push({ kind: 'use-image' });
  return actions;
}

/**
 * Whether the package is a serverless Node.js or Python function's folder as it is, so its files
 * can move into a layer or an image mechanically. Lambda attaches no layers to images, so a
 * function with layers is not offered the image (see planSwitchToImage).
 */
function movableFolder(x: FindingInput): boolean {
  return x.source === 'folder' && !x.estimate?.fromCache && imageable(x);
}

/** A serverless Node.js or Python function packed from its folder or built from it: its folder can become an image's context. */
function imageable(x: FindingInput): boolean {
  const runtime = x.fn.runtime ?? '';
  return (x.source === 'folder' || x.source === 'artifact') && !x.fn.build && x.fn.resourceType === 'AWS::Serverless::Function' && (runtime.startsWith('nodejs') || runtime.startsWith('python'));
}

/** The folder whose files people edit: the code folder, also when what was measured is its artifact. */
function editedFolder(x: FindingInput): string | undefined {
  return x.sourcePath ?? x.codePath;
}

/** The packages that make up a sizeable share of the package: what an over-limit problem is also shown on. */
function heavyPackages(x: FindingInput): Finding['subjects'] {
  return x.contributors.filter((c) => c.kind === 'package' && c.share >= 0.1).map((c) => packageSubject(x, c.name));
}

/** A package as a finding's subject, with the requirement that brings it in when that is another one. */
function packageSubject(x: FindingInput, name: string): Finding['subjects'][number] {
  const via = x.requiredBy?.get(normalizeName(name));
  return via && normalizeName(via) !== normalizeName(name) ? { package: name, requiredBy: via } : { package: name };
}

function externalsFor(x: FindingInput): string[] {
  return providedAwsSdk(x.fn.runtime) === 'v3' ? ['@aws-sdk/*'] : [];
}

function zipFindings(x: FindingInput, out: Finding[]): void {
  const { warnAt } = x;
  const method = x.fn.build?.method;
  if (x.notBuildable && x.source === 'folder') {
    out.push(
      finding(
        'build-not-run',
        'warning',
        `The size is of ${x.fn.logicalId}'s CodeUri folder as it is, not of what a build would produce: ${x.notBuildable}`,
        'Build into a folder and point CodeUri at it (or at the built .zip) to measure the deployed artifact.',
      ),
    );
  } else if (method && method !== 'esbuild' && x.source === 'folder' && !x.build) {
    // An engine that knows of no builds (see SizeEngineOptions.builds) still says what it cannot see.
    out.push(
      finding(
        'build-not-run',
        'info',
        `${x.fn.logicalId} has BuildMethod ${method}; the size is of the CodeUri folder as it is, not of what that build would produce.`,
        'Build into a folder and point CodeUri at it (or at the built .zip) to measure the deployed artifact.',
      ),
    );
  }
  if (x.source === 'none') {
    out.push(
      finding('code-not-local', 'info', `${x.fn.logicalId}'s code is not in a local folder${x.fn.s3Code ? ` (it is at s3://${x.fn.s3Code.bucket}/${x.fn.s3Code.key})` : ''}, so its size is not known here.`, 'Point CodeUri at a local folder to measure it.'),
    );
  }
  if (x.zippedBytes !== null) {
    const limit = LIMITS.zippedDirectUploadBytes;
    const c = classify(x.zippedBytes, limit, warnAt);
    if (c === 'over') {
      out.push(
        finding(
          'zip-over-direct-upload',
          'warning',
          `The zip is ${formatBytes(x.zippedBytes)}, over the ${mib(limit)} limit for uploading code directly. It still deploys through an S3 bucket, where what counts is the ${formatBytes(LIMITS.unzippedWithLayersBytes)} unzipped limit.`,
          'Deploy through an S3 staging bucket (set one for deploys), or make the package smaller.',
          { bytes: x.zippedBytes, limit, actions: [{ kind: 'deploy-via-s3' }, ...shrinkActions(x)], subjects: heavyPackages(x) },
        ),
      );
    } else if (c === 'warn') {
      out.push(
        finding(
          'zip-near-direct-upload',
          'info',
          `The zip is ${formatBytes(x.zippedBytes)}, ${formatPercent(x.zippedBytes / limit)} of the ${mib(limit)} direct upload limit. Past it, deploys need an S3 bucket.`,
          'Keep an eye on it, or make the package smaller.',
          { bytes: x.zippedBytes, limit, actions: shrinkActions(x) },
        ),
      );
    }
  }
  const limit = LIMITS.unzippedWithLayersBytes;
  if (x.unzippedBytes !== null) {
    const alone = classify(x.unzippedBytes, limit, warnAt);
    const total = x.layersUnzippedBytes === null ? null : x.unzippedBytes + x.layersUnzippedBytes;
    const withLayers = total === null ? undefined : classify(total, limit, warnAt);
    if (alone === 'over') {
      out.push(
        finding(
          'unzipped-over',
          'error',
          `Unzipped, the function is ${formatBytes(x.unzippedBytes)}: over Lambda's ${mib(limit)} limit for code and layers together. Lambda will refuse it.`,
          'Make the package smaller (bundle with esbuild, drop unused dependencies), or switch to a container image (10 GiB limit).',
          { bytes: x.unzippedBytes, limit, actions: shrinkActions(x), subjects: heavyPackages(x) },
        ),
      );
    } else if (withLayers === 'over' && total !== null) {
      out.push(
        finding(
          'layers-push-over',
          'error',
          `The function is ${formatBytes(x.unzippedBytes)} unzipped and its layers add ${formatBytes(x.layersUnzippedBytes as number)}: ${formatBytes(total)} together, over the ${mib(limit)} limit. Lambda will refuse it.`,
          'Remove layers the function does not use, slim the layers down, or switch to a container image.',
          { bytes: total, limit, subjects: x.layers.map((l) => ({ package: l.name })) },
        ),
      );
    } else if (withLayers === 'warn' || (withLayers === undefined && alone === 'warn')) {
      const bytes = total ?? x.unzippedBytes;
      out.push(
        finding(
          'unzipped-near',
          'warning',
          `Unzipped, the function${total !== null && x.layers.length > 0 ? ' with its layers' : ''} is ${formatBytes(bytes)}: ${formatPercent(bytes / limit)} of the ${mib(limit)} limit.`,
          'Make the package smaller before it stops deploying: bundle with esbuild, or drop unused dependencies.',
          { bytes, limit, actions: shrinkActions(x) },
        ),
      );
    }
  }
  for (const l of x.layers) {
    if (l.status !== 'unknown') continue;
    out.push(
      finding(
        'layer-size-unknown',
        'warning',
        `The size of layer ${l.name} is not known (${l.detail}), so the total against the ${mib(limit)} limit cannot be checked.`,
        l.ref === 'arn' ? 'Sign in to AWS (choose a profile) so the layer can be looked up.' : 'Use a layer defined in this template, or a literal layer ARN.',
        { subjects: [{ package: l.name }] },
      ),
    );
  }
  if (x.layers.length > LIMITS.layersPerFunction) {
    out.push(
      finding(
        'too-many-layers',
        'error',
        `The function has ${x.layers.length} layers; Lambda allows ${LIMITS.layersPerFunction}.`,
        'Merge layers, or remove the ones the function does not use.',
        { bytes: null, limit: LIMITS.layersPerFunction, subjects: x.layers.map((l) => ({ package: l.name })) },
      ),
    );
  }
}

function imageFindings(x: FindingInput, out: Finding[]): void {
  const limit = LIMITS.imageBytes;
  if (x.imageBytes !== null) {
    const c = classify(x.imageBytes, limit, x.warnAt);
    const what = x.image?.estimated ? `is estimated at ${formatBytes(x.imageBytes)}` : `is ${formatBytes(x.imageBytes)}`;
    if (c === 'over') {
      out.push(finding('image-over', 'error', `The image ${what}, over Lambda's ${mib(limit)} limit for container images.`, 'Use a smaller base image, a multi-stage build, and leave build tools out of the final stage.', { bytes: x.imageBytes, limit }));
    } else if (c === 'warn') {
      out.push(finding('image-near', 'warning', `The image ${what}: ${formatPercent(x.imageBytes / limit)} of Lambda's ${mib(limit)} limit.`, 'Use a smaller base image, or a multi-stage build.', { bytes: x.imageBytes, limit }));
    }
  }
  if (x.image?.estimated) {
    out.push(finding('image-size-estimated', 'info', `The image size is an estimate: ${x.image.detail}.`, 'Build the image to see its exact size.', { bytes: x.imageBytes, limit }));
  }
}

function dependencyFindings(x: FindingInput, out: Finding[]): void {
  const sdk = providedAwsSdk(x.fn.runtime);
  const v3 = [...x.packages].filter(([name]) => isAwsSdkV3Package(name));
  const v3Bytes = v3.reduce((n, [, g]) => n + g.bytes, 0);
  if (sdk === 'v3' && v3Bytes > 0) {
    const names = v3.map(([n]) => n).filter((n) => n.startsWith('@aws-sdk/'));
    const declared = x.declaredDependencies?.names.filter((n) => n.startsWith('@aws-sdk/')) ?? [];
    const actions: FixAction[] = isBuiltWithEsbuild(x) ? [{ kind: 'esbuild-external', add: ['@aws-sdk/*'] }] : [{ kind: 'use-esbuild', external: ['@aws-sdk/*'] }];
    if (!isBuiltWithEsbuild(x) && declared.length > 0 && x.declaredDependencies) actions.push({ kind: 'move-to-dev-dependencies', manifest: x.declaredDependencies.manifest, packages: declared });
    out.push(
      finding(
        'aws-sdk-v3-bundled',
        'warning',
        `The AWS SDK for JavaScript v3 is in the package (${formatBytes(v3Bytes)}: ${list(names)}), although the ${x.fn.runtime} runtime provides it.`,
        isBuiltWithEsbuild(x) ? "Mark '@aws-sdk/*' as external in BuildProperties." : "Bundle with esbuild and '@aws-sdk/*' external, or move the SDK to devDependencies.",
        { bytes: v3Bytes, actions, subjects: (declared.length > 0 ? declared : names).map((p) => ({ package: p })) },
      ),
    );
  }
  const v2 = x.packages.get('aws-sdk');
  if (v2 && nodeMajor(x.fn.runtime) !== undefined) {
    const declared = x.declaredDependencies?.names.includes('aws-sdk') && x.declaredDependencies;
    if (sdk === 'v2') {
      out.push(
        finding('aws-sdk-v2-bundled', 'warning', `aws-sdk (v2) is in the package (${formatBytes(v2.bytes)}), although the ${x.fn.runtime} runtime provides it.`, 'Move aws-sdk to devDependencies.', {
          bytes: v2.bytes,
          actions: declared ? [{ kind: 'move-to-dev-dependencies', manifest: declared.manifest, packages: ['aws-sdk'] }] : [],
          subjects: [{ package: 'aws-sdk' }],
        }),
      );
    } else {
      out.push(
        finding(
          'aws-sdk-v2-bundled',
          'warning',
          `aws-sdk (v2) is in the package (${formatBytes(v2.bytes)}). It has reached end of support, and the ${x.fn.runtime ?? 'Node.js'} runtime provides v3 instead.`,
          'Migrate to the modular v3 clients (@aws-sdk/client-*), which the runtime provides.',
          { bytes: v2.bytes, subjects: [{ package: 'aws-sdk' }] },
        ),
      );
    }
  }
  if (x.devOnly && x.devOnly.packages.length > 0) {
    const names = x.devOnly.packages.map((d) => d.slice(d.lastIndexOf('node_modules/') + 'node_modules/'.length));
    out.push(
      finding(
        'dev-dependencies-excluded',
        'info',
        `${names.length} installed ${names.length === 1 ? 'package is' : 'packages are'} only needed by devDependencies and left out of the package, as \`npm install --omit=dev\` would: ${list(names)}.`,
        'Nothing to do: they are not deployed.',
        { subjects: [{ path: x.devOnly.manifest }] },
      ),
    );
  }
}

const CATEGORY_CODES: Record<ReportCategory, [FindingCode, string]> = {
  tests: ['tests-in-package', 'Tests'],
  docs: ['docs-in-package', 'Documentation and examples'],
  'source-maps': ['source-maps-in-package', 'Source maps'],
  'type-declarations': ['type-declarations-in-package', 'TypeScript declarations'],
};

function categoryFindings(x: FindingInput, out: Finding[]): void {
  const total = x.unzippedBytes ?? 0;
  for (const [category, found] of Object.entries(x.categories) as [ReportCategory, { bytes: number; files: number }][]) {
    if (found.bytes < CATEGORY_MIN_BYTES || found.bytes < CATEGORY_MIN_SHARE * total) continue;
    const [code, label] = CATEGORY_CODES[category];
    const esbuildMaps = category === 'source-maps' && isBuiltWithEsbuild(x);
    const folder = editedFolder(x);
    const actions: FixAction[] = !esbuildMaps && folder ? [{ kind: 'exclude', ignoreFile: join(folder, IGNORE_FILE), patterns: [...CATEGORY_PATTERNS[category]] }] : [];
    out.push(
      finding(
        code,
        pressing(x) ? 'warning' : 'info',
        `${label} take ${formatBytes(found.bytes)} of the package (${found.files} ${found.files === 1 ? 'file' : 'files'}, ${formatPercent(total > 0 ? found.bytes / total : 0)}).`,
        esbuildMaps ? 'Set Sourcemap to false in BuildProperties if you do not need mapped stack traces.' : `Leave them out with patterns in ${IGNORE_FILE}.`,
        { bytes: found.bytes, actions },
      ),
    );
  }
}

/** Whether the package is close enough to a limit that every saving matters. */
function pressing(x: FindingInput): boolean {
  const zipped = x.zippedBytes !== null && classify(x.zippedBytes, LIMITS.zippedDirectUploadBytes, x.warnAt) !== 'ok';
  const unzipped = x.unzippedBytes !== null && classify(x.unzippedBytes + (x.layersUnzippedBytes ?? 0), LIMITS.unzippedWithLayersBytes, x.warnAt) !== 'ok';
  return zipped || unzipped;
}

function dominanceFindings(x: FindingInput, out: Finding[]): void {
  const top = x.contributors[0];
  if (!top || top.share < DOMINANT_SHARE || top.bytes < DOMINANT_MIN_BYTES || x.unzippedBytes === null) return;
  const severity = pressing(x) ? 'warning' : 'info';
  const share = `${formatBytes(top.bytes)}, ${formatPercent(top.share)} of the package`;
  if (top.kind === 'package') {
    const folder = editedFolder(x);
    const manifest = x.fn.runtime?.startsWith('python') && folder ? join(folder, 'requirements.txt') : x.declaredDependencies?.manifest;
    const layerRoom = x.fn.layers.length < LIMITS.layersPerFunction;
    out.push(
      finding('dominant-package', severity, `One package makes up most of the package: ${top.name} (${share}).`, `Check that ${top.name} is needed at run time; if it is, a layer can hold it so code deploys stay small.`, {
        bytes: top.bytes,
        actions: movableFolder(x) && layerRoom ? [{ kind: 'move-to-layer', manifest, packages: [top.name] }] : [],
        subjects: [packageSubject(x, top.name)],
      }),
    );
  } else {
    out.push(
      finding('dominant-file', severity, `One file makes up most of the package: ${top.name} (${share}).`, 'Check that the function reads it; if not, leave it out.', {
        bytes: top.bytes,
        actions: editedFolder(x) && (x.source === 'folder' || x.source === 'artifact') ? [{ kind: 'exclude', ignoreFile: join(editedFolder(x) as string, IGNORE_FILE), patterns: [`/${top.name}`] }] : [],
        subjects: [{ path: top.name }],
      }),
    );
  }
}
