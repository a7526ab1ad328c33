import { createHash } from 'node:crypto';
import { createReadStream, promises as fs, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundleFunction, type BundleResult, type EsbuildLoader } from '../bundle';
import type { CancellationTokenLike } from '../cancel';
import { UserError } from '../errors';
import { LIMITS } from '../limits';
import type { FunctionSpec, LayerRef, LayerSpec } from '../model/types';
import { CompressionCache, defaultPoolSize, EntryChangedError, planZip, readZipFileDirectory, WorkerPool, writeZipFile, type PackInput, type ZipPlan } from '../pack';
import { attribute, type Piece, pythonRootsOf } from './attribution';
import { checkWarnAt, classify, DEFAULT_WARN_AT, worst } from './classify';
import { FolderReader, type FolderContents } from './contents';
import { buildFindings } from './findings';
import { parseIgnore } from './ignore';
import { type ImageSizeLookup, imageSize } from './image';
import type { LayerSizeResolver } from './layers';
import { compileRules, type ReportCategory } from './rules';
import type { FunctionSize, LayerSize, MeasureStats, PackageResult, SizeStatus } from './types';
import { walkPackage } from './walk';

/** How long after a measurement its cache is written: long enough to batch a burst of edits. */
const SAVE_DELAY_MS = 1500;

export interface SizeEngineOptions {
  /** Folder for the compression cache (one small file per code folder). Without it the cache lives in memory only. */
  cacheDir?: string;
  /** Worker threads for compressing and statting; 0 runs everything on the calling thread. Default: one per core. */
  workers?: number;
  /** Looks up layers given by ARN; without one their size is 'unknown'. */
  layerResolver?: LayerSizeResolver;
  /** Asks the container engine for image sizes; without one image sizes are unknown. */
  imageLookup?: ImageSizeLookup;
  /** Where esbuild comes from (the project's own, else this tool's). */
  loadEsbuild?: EsbuildLoader;
  /** Keep '@aws-sdk/*' external when bundling for runtimes that provide it. Default true. */
  awsSdkExternal?: boolean;
}

export interface MeasureOptions {
  /** Warn at this fraction of a limit (default 0.8). */
  warnAt?: number;
  token?: CancellationTokenLike;
  /** Extra exclude patterns (.lambdaignore syntax), e.g. from settings. */
  excludes?: readonly string[];
  /** How many top contributors to return (default 10). */
  top?: number;
  /** Bytes compressed of bytes to compress, while compressing. */
  onProgress?(doneBytes: number, totalBytes: number): void;
}

/** What a function's package is made of, before sizes are judged. */
interface Measured {
  source: FunctionSize['source'];
  codePath?: string;
  plan?: ZipPlan;
  archive?: { path: string; bytes: number; unzippedBytes: number; files: number };
  folder?: FolderContents;
  bundle?: BundleResult;
  cache?: CompressionCache;
}

/**
 * Measures functions' packages exactly as deploy writes them, against Lambda's limits.
 * Keep one engine for the session: it holds the worker threads, the compression caches and the
 * dependency analyses, which is what makes re-measuring after an edit cheap. Dispose it at the end.
 */
export class SizeEngine {
  private readonly pool: WorkerPool;
  private readonly folders: FolderReader;
  private readonly caches = new Map<string, Promise<CompressionCache>>();
  private readonly locks = new Map<string, Promise<unknown>>();
  /** The last plan of each code folder: the next measurement reuses its unchanged entries. */
  private readonly lastPlans = new Map<string, ZipPlan>();
  /** Caches written a moment after a measurement, off its critical path (and at dispose). */
  private readonly unsaved = new Map<string, CompressionCache>();
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SizeEngineOptions = {}) {
    this.pool = new WorkerPool(options.workers ?? defaultPoolSize());
    const dir = options.cacheDir;
    this.folders = new FolderReader(dir ? (root) => join(dir, `listings-${rootKey(root)}.bin`) : undefined);
  }

  /** One function: sizes, layers, status, findings and top contributors. */
  async measure(fn: FunctionSpec, opts: MeasureOptions = {}): Promise<FunctionSize> {
    return this.measureWith(fn, opts, new Map());
  }

  /** Several functions; layers shared between them are measured once. */
  async measureAll(fns: readonly FunctionSpec[], opts: MeasureOptions = {}): Promise<FunctionSize[]> {
    const layerMemo = new Map<string, Promise<LayerSize>>();
    const out: FunctionSize[] = [];
    for (const fn of fns) out.push(await this.measureWith(fn, opts, layerMemo));
    return out;
  }

  /** A layer defined in a template: its content folder measured like a function's. */
  async measureLayer(layer: LayerSpec, opts: MeasureOptions = {}): Promise<LayerSize> {
    if (!layer.contentUri) {
      return { name: layer.logicalId, ref: 'local', unzippedBytes: null, zippedBytes: null, status: 'unknown', detail: layer.s3Content ? 'its content is on S3' : 'it has no ContentUri' };
    }
    const root = canonical(layer.contentUri);
    const m = await this.withLock(root, () => this.measureFolder(root, opts));
    const plan = m.plan as ZipPlan;
    return { name: layer.logicalId, ref: 'local', unzippedBytes: plan.unzippedBytes, zippedBytes: plan.bytes, status: 'measured', detail: `${layer.build ? 'the ContentUri folder as it is now (not built)' : 'its ContentUri folder'}` };
  }

  /**
   * Writes the function's deploy artifact: the zip the measurement describes, byte for byte.
   * Returns its size and CodeSha256 (base64 SHA-256, as Lambda reports it).
   */
  async package(fn: FunctionSpec, outFile: string, opts: MeasureOptions = {}): Promise<PackageResult> {
    const started = performance.now();
    if (fn.packageType === 'Image') throw new UserError(`${fn.logicalId} is deployed as a container image, not a zip.`, 'Build it with docker; deploy pushes the image.');
    const key = fn.codeUri ? canonical(fn.codeUri) : fn.logicalId;
    return this.withLock(key, async () => {
      let m = await this.functionPackage(fn, opts);
      if (m.archive) {
        await fs.mkdir(dirname(outFile), { recursive: true });
        await fs.copyFile(m.archive.path, outFile);
        return { logicalId: fn.logicalId, path: outFile, bytes: m.archive.bytes, codeSha256: await sha256Base64(outFile), unzippedBytes: m.archive.unzippedBytes, fileCount: m.archive.files, source: m.source, stats: statsOf(undefined, started) };
      }
      if (!m.plan) throw new UserError(`${fn.logicalId} has no local code to package.`, 'Set CodeUri to the folder with the function code.');
      let written;
      try {
        written = await writeZipFile(m.plan, outFile, { pool: this.pool, token: opts.token });
      } catch (err) {
        if (!(err instanceof EntryChangedError)) throw err;
        // A file edited without changing its stamp (or during packaging): forget it and plan again, once.
        const entry = m.plan.entries.find((e) => e.name === err.entryName);
        if (entry?.source.kind === 'file') m.cache?.delete(entry.source.path);
        this.lastPlans.delete(key);
        m = await this.functionPackage(fn, opts);
        written = await writeZipFile(m.plan as ZipPlan, outFile, { pool: this.pool, token: opts.token });
      }
      const plan = m.plan as ZipPlan;
      return { logicalId: fn.logicalId, path: outFile, bytes: written.bytes, codeSha256: written.sha256.toString('base64'), unzippedBytes: plan.unzippedBytes, fileCount: plan.entries.length, source: m.source, stats: statsOf(plan, started) };
    });
  }

  /**
   * The files (or bundle outputs) a function's or layer's zip holds, as pack inputs: what deploy
   * hands to planZip/writeZipFile so it uploads exactly what was measured. A CodeUri that is a
   * prebuilt .zip/.jar has no inputs: it is uploaded as it is (see package()).
   */
  async collectInputs(target: { kind: 'function'; spec: FunctionSpec } | { kind: 'layer'; spec: LayerSpec }, opts: MeasureOptions = {}): Promise<PackInput[]> {
    if (target.kind === 'layer') {
      const root = target.spec.contentUri;
      if (!root) throw new UserError(`Layer ${target.spec.logicalId} has no local ContentUri to package.`, 'Set ContentUri to the layer folder.');
      return (await this.folders.read(root, { excludes: opts.excludes, pool: this.pool, token: opts.token })).inputs;
    }
    const fn = target.spec;
    if (fn.packageType === 'Image') throw new UserError(`${fn.logicalId} is deployed as a container image, not a zip.`, 'Build it with docker; deploy pushes the image.');
    if (fn.inlineCode !== undefined) {
      const data = Buffer.from(fn.inlineCode, 'utf8');
      return [{ name: fn.runtime?.startsWith('python') ? 'index.py' : 'index.js', source: { kind: 'buffer', data }, size: data.length, executable: false }];
    }
    if (!fn.codeUri) throw new UserError(`${fn.logicalId} has no local code to package.`, 'Set CodeUri to the folder with the function code.');
    if (fn.build?.method === 'esbuild') {
      const bundle = await bundleFunction(fn, { token: opts.token, loadEsbuild: this.options.loadEsbuild, awsSdkExternal: this.options.awsSdkExternal });
      return bundleInputs(bundle);
    }
    if (isFile(fn.codeUri)) throw new UserError(`${fn.logicalId}'s CodeUri is a prebuilt archive (${fn.codeUri}).`, 'It is uploaded as it is: use package() or upload the file.');
    return (await this.folders.read(fn.codeUri, { excludes: opts.excludes, pool: this.pool, token: opts.token })).inputs;
  }

  /** Saves the caches and stops the worker threads. */
  async dispose(): Promise<void> {
    await this.flush();
    await this.pool.dispose();
  }

  private async measureWith(fn: FunctionSpec, opts: MeasureOptions, layerMemo: Map<string, Promise<LayerSize>>): Promise<FunctionSize> {
    const started = performance.now();
    const warnAt = checkWarnAt(opts.warnAt ?? DEFAULT_WARN_AT);
    const layers = fn.packageType === 'Image' ? [] : await Promise.all(fn.layers.map((ref) => this.layerSize(ref, opts, layerMemo)));
    const layersUnzippedBytes = layers.some((l) => l.unzippedBytes === null) ? null : layers.reduce((n, l) => n + (l.unzippedBytes as number), 0);
    const base = { logicalId: fn.logicalId, templatePath: fn.templatePath, packageType: fn.packageType, layers, layersUnzippedBytes, layerCount: fn.layers.length, warnAt };

    if (fn.packageType === 'Image') {
      const image = await imageSize(fn, this.options.imageLookup, () => this.contextBytes(fn, opts), opts.token);
      const partial = { fn, warnAt, source: 'image' as const, zippedBytes: null, unzippedBytes: null, layers, layersUnzippedBytes, imageBytes: image.bytes, image, packages: new Map(), contributors: [], categories: {} };
      return {
        ...base,
        source: 'image',
        zippedBytes: null,
        unzippedBytes: null,
        fileCount: 0,
        totalUnzippedBytes: null,
        imageBytes: image.bytes,
        image,
        status: image.bytes === null ? 'unknown' : classify(image.bytes, LIMITS.imageBytes, warnAt),
        findings: buildFindings(partial),
        topContributors: [],
        categories: {},
        excluded: [],
        stats: statsOf(undefined, started),
      };
    }

    const key = fn.codeUri ? canonical(fn.codeUri) : fn.logicalId;
    const m = await this.withLock(key, () => this.functionPackage(fn, opts));
    const zippedBytes = m.plan?.bytes ?? m.archive?.bytes ?? null;
    const unzippedBytes = m.plan?.unzippedBytes ?? m.archive?.unzippedBytes ?? null;
    const pieces = piecesOf(m);
    const pythonRoots = pythonRootsOf(pieces);
    const { top: contributors, packages } = attribute(pieces, unzippedBytes ?? 0, pythonRoots, opts.top ?? 10, !m.bundle);
    const categories = categoriesOf(m);
    const rootProject = m.folder?.dependencies.find((d) => d.dir === '')?.analysis;
    const devOnly = m.folder?.dependencies.flatMap((d) => d.analysis.devOnly.map((p) => (d.dir === '' ? p : `${d.dir}/${p}`))) ?? [];
    const findings = buildFindings({
      fn,
      warnAt,
      source: m.source,
      codePath: m.codePath,
      zippedBytes,
      unzippedBytes,
      layers,
      layersUnzippedBytes,
      imageBytes: null,
      packages,
      contributors,
      categories,
      walk: m.folder?.walk,
      devOnly: rootProject ? { manifest: rootProject.manifest, packages: devOnly } : undefined,
      declaredDependencies: rootProject ? { manifest: rootProject.manifest, names: rootProject.dependencies } : undefined,
    });
    const totalUnzippedBytes = unzippedBytes !== null && layersUnzippedBytes !== null ? unzippedBytes + layersUnzippedBytes : null;
    return {
      ...base,
      source: m.source,
      codePath: m.codePath,
      zippedBytes,
      unzippedBytes,
      fileCount: m.plan?.entries.length ?? m.archive?.files ?? 0,
      totalUnzippedBytes,
      imageBytes: null,
      status: zipStatus(zippedBytes, unzippedBytes, layersUnzippedBytes, fn.layers.length, warnAt),
      findings,
      topContributors: contributors,
      categories,
      excluded: excludedSummary(m.folder),
      stats: { ...statsOf(m.plan, started), foldersRead: m.folder?.walk.foldersRead ?? 0 },
    };
  }

  /** What the function's zip holds: the code folder, esbuild's output, a prebuilt archive, or inline code. */
  private async functionPackage(fn: FunctionSpec, opts: MeasureOptions): Promise<Measured> {
    if (fn.inlineCode !== undefined) {
      const name = fn.runtime?.startsWith('python') ? 'index.py' : 'index.js';
      const data = Buffer.from(fn.inlineCode, 'utf8');
      const plan = await planZip([{ name, source: { kind: 'buffer', data }, size: data.length, executable: false }], { token: opts.token });
      return { source: 'inline', plan };
    }
    const codeUri = fn.codeUri;
    if (!codeUri) return { source: 'none' };
    if (fn.build?.method === 'esbuild') {
      const bundle = await bundleFunction(fn, { token: opts.token, loadEsbuild: this.options.loadEsbuild, awsSdkExternal: this.options.awsSdkExternal });
      const plan = await planZip(bundleInputs(bundle), { token: opts.token, pool: this.pool });
      return { source: 'esbuild', codePath: codeUri, plan, bundle };
    }
    if (isFile(codeUri)) return this.measureArchive(codeUri);
    return { ...(await this.measureFolder(canonical(codeUri), opts)), codePath: codeUri };
  }

  private async measureFolder(root: string, opts: MeasureOptions): Promise<Measured> {
    // In a new process the workers start, and the cache file loads, while the folder is read.
    this.pool.warmUp();
    const cached = this.cacheFor(root);
    const folder = await this.folders.read(root, { excludes: opts.excludes, pool: this.pool, token: opts.token });
    const cache = await cached;
    const plan = await planZip(folder.inputs, { cache, pool: this.pool, token: opts.token, onProgress: opts.onProgress, previous: this.lastPlans.get(root) });
    this.lastPlans.set(root, plan);
    this.saveLater(root, cache);
    return { source: 'folder', codePath: root, plan, folder, cache };
  }

  /** Writes the compression caches now (dispose does it too). */
  async flush(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const pending = [...this.unsaved];
    this.unsaved.clear();
    // Keeps the entries of the folder's latest plan: files deleted since are dropped.
    const save = async (root: string, cache: CompressionCache): Promise<void> => {
      const plan = this.lastPlans.get(root);
      if (plan) cache.beginRun();
      for (const e of plan?.entries ?? []) if (e.source.kind === 'file') cache.touch(e.source.path);
      await cache.save();
      await this.folders.save(root);
    };
    // Under the folder's lock, so a save never runs in the middle of a measurement.
    await Promise.all(pending.map(([root, cache]) => this.withLock(root, () => save(root, cache)).catch(() => undefined)));
  }

  private saveLater(root: string, cache: CompressionCache): void {
    this.unsaved.set(root, cache);
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => void this.flush(), SAVE_DELAY_MS);
    this.saveTimer.unref();
  }

  /** CodeUri naming a .zip or .jar: it is uploaded as it is. */
  private async measureArchive(path: string): Promise<Measured> {
    if (!/\.(zip|jar)$/i.test(path)) throw new UserError(`CodeUri ${path} is a file, not a folder or a .zip/.jar archive.`, 'Point CodeUri at the code folder.');
    try {
      const dir = await readZipFileDirectory(path);
      return { source: 'archive', codePath: path, archive: { path, bytes: dir.archiveBytes, unzippedBytes: dir.unzippedBytes, files: dir.entries.length } };
    } catch (err) {
      throw new UserError(`CodeUri ${path} is not a readable zip archive (${err instanceof Error ? err.message : String(err)}).`, 'Rebuild the archive, or point CodeUri at the code folder.');
    }
  }

  private layerSize(ref: LayerRef, opts: MeasureOptions, memo: Map<string, Promise<LayerSize>>): Promise<LayerSize> {
    const key = ref.kind === 'local' ? `local:${ref.layer.templatePath}#${ref.logicalId}` : ref.kind === 'arn' ? `arn:${ref.arn}` : `expr:${JSON.stringify(ref.expression)}`;
    let p = memo.get(key);
    if (!p) {
      p = this.resolveLayer(ref, opts);
      memo.set(key, p);
    }
    return p;
  }

  private async resolveLayer(ref: LayerRef, opts: MeasureOptions): Promise<LayerSize> {
    if (ref.kind === 'local') return this.measureLayer(ref.layer, opts);
    if (ref.kind === 'unresolved') {
      const shown = typeof ref.expression === 'string' ? ref.expression : `!${ref.expression.fn} ${JSON.stringify(ref.expression.args)}`;
      return { name: shown, ref: 'expression', unzippedBytes: null, zippedBytes: null, status: 'unknown', detail: `it is given as an expression (${shown}) that is only known at deploy time` };
    }
    const resolver = this.options.layerResolver;
    if (!resolver) return { name: ref.arn, ref: 'arn', arn: ref.arn, unzippedBytes: null, zippedBytes: null, status: 'unknown', detail: 'no AWS access is configured to look it up' };
    const r = await resolver.resolve(ref.arn, opts.token);
    return { name: ref.arn, ref: 'arn', arn: ref.arn, unzippedBytes: r.unzippedBytes, zippedBytes: r.zippedBytes, status: r.unzippedBytes === null ? 'unknown' : 'measured', detail: r.detail };
  }

  /** Bytes of an image function's build context (honouring .dockerignore), for the estimate. */
  private async contextBytes(fn: FunctionSpec, opts: MeasureOptions): Promise<number | null> {
    const ctx = fn.image?.dockerContext;
    if (!ctx) return null;
    try {
      const dockerignore = await fs.readFile(join(ctx, '.dockerignore'), 'utf8').catch(() => '');
      const walk = await walkPackage(ctx, { rules: compileRules([]), ignore: parseIgnore(dockerignore), devOnly: new Set(), pool: this.pool, token: opts.token, secrets: 'keep' });
      return walk.files.reduce((n, f) => n + f.size, 0);
    } catch {
      return null;
    }
  }

  /** The compression cache of a code folder (by its real path). */
  private cacheFor(root: string): Promise<CompressionCache> {
    let p = this.caches.get(root);
    if (!p) {
      const dir = this.options.cacheDir;
      p = dir ? CompressionCache.load(join(dir, `compress-${rootKey(root)}.bin`)) : Promise.resolve(CompressionCache.inMemory());
      this.caches.set(root, p);
    }
    return p;
  }

  /** Runs measurements of the same code folder one after another: they share its cache. */
  private async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.locks.get(key) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    }
  }
}

/**
 * A code folder's real path: the one key for its cache, last plan, listings and lock, however the
 * template spells it (relative parts, symlinked folders). A missing path stays as it is; the walk
 * reports it in words.
 */
function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** A code folder's part of its cache file names. */
function rootKey(root: string): string {
  return createHash('sha1').update(root).digest('hex').slice(0, 20);
}

/** Whether a path is a file; a missing path is not (the walk reports it, in words). */
function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function bundleInputs(bundle: BundleResult): PackInput[] {
  return bundle.outputs.map((o) => ({ name: o.path, source: { kind: 'buffer', data: o.contents }, size: o.contents.length, executable: false }));
}

function zipStatus(zipped: number | null, unzipped: number | null, layers: number | null, layerCount: number, warnAt: number): SizeStatus {
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
function piecesOf(m: Measured): readonly Piece[] {
  if (!m.plan) return [];
  if (!m.bundle) return m.plan.entries;
  const pieces: Piece[] = [];
  for (const e of m.plan.entries) {
    const out = m.bundle.metafile.outputs[e.name];
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

function categoriesOf(m: Measured): FunctionSize['categories'] {
  const out: FunctionSize['categories'] = {};
  const add = (c: ReportCategory, bytes: number): void => {
    const v = out[c] ?? { bytes: 0, files: 0 };
    v.bytes += bytes;
    v.files++;
    out[c] = v;
  };
  if (m.folder) for (const f of m.folder.walk.files) if (f.category) add(f.category, f.size);
  if (m.bundle && m.plan) for (const e of m.plan.entries) if (e.name.endsWith('.map')) add('source-maps', e.size);
  return out;
}

function excludedSummary(folder: FolderContents | undefined): FunctionSize['excluded'] {
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

function statsOf(plan: ZipPlan | undefined, started: number): MeasureStats {
  return {
    foldersRead: 0,
    files: plan?.stats.entries ?? 0,
    compressed: plan?.stats.compressed ?? 0,
    cacheHits: plan?.stats.cacheHits ?? 0,
    bytesCompressed: plan?.stats.bytesCompressed ?? 0,
    durationMs: Math.round(performance.now() - started),
  };
}

async function sha256Base64(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('base64');
}
