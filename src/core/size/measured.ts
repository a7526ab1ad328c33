// What a measurement is made of (Measured), and the small judgements the engine makes of it:
// status against the limits, attribution pieces, categories, what was left out.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pythonVersion } from '../build';
import type { BundleResult } from '../build/esbuild';
import { LIMITS } from '../limits';
import type { FunctionSpec } from '../model/types';
import type { CompressionCache, ZipPlan } from '../pack';
import type { Piece } from './attribution';
import { classify, worst } from './classify';
import type { CodeChoice } from './code';
import type { FolderContents } from './contents';
import type { MeasureOptions } from './engine';
import type { EstimateParts } from './estimate';
import { IGNORE_FILE } from './ignore';
import type { ReportCategory } from './rules';
import type { FunctionBuildState, FunctionSize, MeasureStats, SizeStatus } from './types';

/** What a function's package is made of, before sizes are judged. */
export interface Measured {
  source: FunctionSize['source'];
  codePath?: string;
  plan?: ZipPlan;
  archive?: { path: string; bytes: number; unzippedBytes: number; files: number };
  folder?: FolderContents;
  /** esbuild's metafile for a bundle: which input each output byte came from. */
  metafile?: BundleResult['metafile'];
  cache?: CompressionCache;
  /** A function with a builder: where its build stands (the figures are an estimate unless it is up to date). */
  build?: FunctionBuildState;
  /** What an estimate counted beyond the plan, and from where. */
  estimate?: Pick<EstimateParts, 'extra' | 'countedFrom' | 'fromCache'> & { opaque?: string };
  /** Why the folder is measured as it is although the function names a build (a builder this product lacks). */
  notBuildable?: string;
}

/**
 * A code folder's real path: the one key for its cache, last plan, listings and lock, however the
 * template spells it (relative parts, symlinked folders). A missing path stays as it is; the walk
 * reports it in words.
 */
export function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** A code folder's part of its cache file names. */
export function rootKey(root: string): string {
  return createHash('sha1').update(root).digest('hex').slice(0, 20);
}

/** Whether a path is a file; a missing path is not (the walk reports it, in words). */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** What an artifact is packed without: the code folder's .lambdaignore (the artifact may hold no copy of it), then the caller's. */
export async function artifactExcludes(choice: Extract<CodeChoice, { kind: 'artifact' }>, opts: MeasureOptions): Promise<string[]> {
  const own = await fs.readFile(join(choice.state.sourceDir, IGNORE_FILE), 'utf8').catch(() => '');
  return [...own.split(/\r?\n/), ...(opts.excludes ?? [])];
}

/** '3.12' for a Python function (its Runtime, else a BuildMethod named after one); undefined for others. */
export function pythonVersionOf(fn: FunctionSpec): string | undefined {
  try {
    return pythonVersion({ logicalId: fn.logicalId, runtime: fn.runtime, method: fn.build?.method });
  } catch {
    return undefined;
  }
}

export function zipStatus(zipped: number | null, unzipped: number | null, layers: number | null, layerCount: number, warnAt: number): SizeStatus {
  if (zipped === null || unzipped === null) return 'unknown';
  // Past the direct upload limit the zip still deploys through S3: a warning, not a failure.
  const direct = classify(zipped, LIMITS.zippedDirectUploadBytes, warnAt);
  let s: SizeStatus = direct === 'over' ? 'warn' : direct;
  s = worst(s, classify(unzipped, LIMITS.unzippedWithLayersBytes, warnAt));
  s = worst(s, layers === null ? 'unknown' : classify(unzipped + layers, LIMITS.unzippedWithLayersBytes, warnAt));
  if (layerCount > LIMITS.layersPerFunction) s = worst(s, 'over');
  return s;
}

/** The measured pieces for attribution: zip entries, or esbuild inputs by their bytes in each output. */
export function piecesOf(m: Measured): readonly Piece[] {
  if (!m.plan) return [];
  if (!m.metafile) return m.plan.entries;
  const pieces: Piece[] = [];
  for (const e of m.plan.entries) {
    const out = m.metafile.outputs[e.name];
    const inputs = out ? Object.entries(out.inputs) : [];
    let attributed = 0;
    for (const [input, { bytesInOutput }] of inputs) {
      if (bytesInOutput === 0) continue;
      pieces.push({ name: input, size: bytesInOutput, compressedSize: e.size > 0 ? (e.compressedSize * bytesInOutput) / e.size : 0 });
      attributed += bytesInOutput;
    }
    // What esbuild adds itself (module wrappers, runtime helpers), and outputs without inputs (maps).
    const rest = e.size - attributed;
    const path = attributed > 0 ? `${e.name} (bundler glue)` : e.name;
    if (rest > 0) pieces.push({ name: path, size: rest, compressedSize: e.size > 0 ? (e.compressedSize * rest) / e.size : 0 });
  }
  return pieces;
}

export function categoriesOf(m: Measured): FunctionSize['categories'] {
  const out: FunctionSize['categories'] = {};
  const add = (c: ReportCategory, bytes: number): void => {
    const v = out[c] ?? { bytes: 0, files: 0 };
    v.bytes += bytes;
    v.files++;
    out[c] = v;
  };
  if (m.folder) for (const f of m.folder.walk.files) if (f.category) add(f.category, f.size);
  if (m.metafile && m.plan) for (const e of m.plan.entries) if (e.name.endsWith('.map')) add('source-maps', e.size);
  return out;
}

export function excludedSummary(folder: FolderContents | undefined): FunctionSize['excluded'] {
  if (!folder) return [];
  const by = new Map<string, string[]>();
  for (const x of folder.walk.excluded) {
    const key = x.pattern ? `${x.by}: ${x.pattern}` : x.by;
    const list = by.get(key) ?? [];
    list.push(x.isDir ? `${x.rel}/` : x.rel);
    by.set(key, list);
  }
  return [...by].map(([k, paths]) => ({ by: k, paths: paths.length, examples: paths.slice(0, 5) }));
}

export function statsOf(plan: ZipPlan | undefined, started: number): MeasureStats {
  return {
    foldersRead: 0,
    files: plan?.stats.entries ?? 0,
    compressed: plan?.stats.compressed ?? 0,
    cacheHits: plan?.stats.cacheHits ?? 0,
    bytesCompressed: plan?.stats.bytesCompressed ?? 0,
    durationMs: Math.round(performance.now() - started),
  };
}

export async function sha256Base64(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('base64');
}
