import { promises as fs } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CancellationTokenLike } from '../cancel';
import { UserError } from '../errors';
import { LIMITS } from '../limits';
import { functionKey } from '../model/key';
import type { FunctionSpec, LayerRef, LayerSpec } from '../model/types';
import { CompressionCache, defaultPoolSize, EntryChangedError, planZip, readZipFileDirectory, WorkerPool, writeZipFile, type PackInput, type ZipPlan } from '../pack';
import { attribute, pythonRootsOf } from './attribution';
import { attributeEntries, type AttributionState } from './attributionUpdate';
import { checkWarnAt, classify, DEFAULT_WARN_AT, worst } from './classify';
import { type ArtifactSource, chooseCode, type CodeChoice, notBuiltError } from './code';
import { FolderReader, type FolderContents } from './contents';
import { pythonDistributions } from './distributions';
import { estimateParts } from './estimate';
import { pythonRequiredBy } from './requiredBy';
import { buildFindings } from './findings';
import { parseIgnore } from './ignore';
import { type ImageSizeLookup, imageSize } from './image';
import type { LayerSizeResolver } from './layers';
import {
  artifactExcludes,
  canonical,
  categoriesOf,
  excludedSummary,
  isFile,
  type Measured,
  piecesOf,
  pythonVersionOf,
  rootKey,
  sha256Base64,
  statsOf,
  zipStatus,
} from './measured';
import { compileRules } from './rules';
import type { FunctionSize, LayerSize, PackageResult } from './types';
import { walkPackage } from './walk';

/**
 * The changed paths under a folder given as `dir` (other functions' folders' paths are dropped),
 * spelled from its real path `root` as the walk spells them.
 */
function respelled(paths: readonly string[] | undefined, dir: string, root: string): readonly string[] | undefined {
  if (!paths) return undefined;
  const given = resolve(dir);
  const out: string[] = [];
  for (const p of paths) {
    if (p === given || p === root) return undefined;
    if (p.startsWith(`${root}/`)) out.push(p);
    else if (p.startsWith(`${given}/`)) out.push(root + p.slice(given.length));
  }
  return out;
}

/**
 * Caches are written once measurements pause this long, and at the latest this long after the
 * first unsaved one: writing the cache of a folder of 20,000 files takes the main thread about
 * 100 ms, which a re-measure after an edit should not wait behind. (A process's last measurement
 * is saved at dispose.)
 */
const SAVE_QUIET_MS = 10_000;
const SAVE_MAX_WAIT_MS = 60_000;

export interface SizeEngineOptions {
  /** Folder for the compression cache (one small file per code folder). Without it the cache lives in memory only. */
  cacheDir?: string;
  /** Worker threads for compressing and statting; 0 runs everything on the calling thread. Default: one per core. */
  workers?: number;
  /** Looks up layers given by ARN; without one their size is 'unknown'. */
  layerResolver?: LayerSizeResolver;
  /** Asks the container engine for image sizes; without one image sizes are unknown. */
  imageLookup?: ImageSizeLookup;
  /**
   * Where functions' builds stand (the core's build engine): a function a builder makes is
   * measured and packaged as its up-to-date artifact, or estimated until it is built. Without it
   * the engine knows of no builds and takes every code folder as it is, as a package (an esbuild
   * function too: without builds nothing bundles it).
   */
  builds?: ArtifactSource;
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
  /**
   * Every path (absolute) under the functions' code folders that changed since this engine last
   * measured them, as a file watcher reported them (paths elsewhere are passed over, so one list
   * serves several functions): only those files are looked at again, instead
   * of every file in the folder, where they can be accounted for that way (changed files the last
   * measurement packed); anything else (a new or deleted file, a folder, a link) has everything
   * checked as without them. Pass them only when the watcher's events are complete (no burst it
   * may have dropped, nothing it does not watch): a change they leave out is not seen.
   */
  changedPaths?: readonly string[];
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
  /** Each function's last attribution (by code folder key, as measurements are locked), updated after an edit. */
  private readonly attributions = new Map<string, AttributionState>();
  /** The code folder each function's last measurement read (by function key): see changedFor. */
  private readonly lastRoots = new Map<string, string>();
  /** Caches written a moment after a measurement, off its critical path (and at dispose). */
  private readonly unsaved = new Map<string, CompressionCache>();
  private saveTimer: NodeJS.Timeout | undefined;
  /** When the oldest measurement not yet saved was made (performance.now()). */
  private unsavedSince: number | undefined;
  private readonly builds: ArtifactSource | undefined;

  constructor(private readonly options: SizeEngineOptions = {}) {
    this.builds = options.builds;
    this.pool = new WorkerPool(options.workers ?? defaultPoolSize());
    const dir = options.cacheDir;
    this.folders = new FolderReader(dir ? (root) => join(dir, `listings-${rootKey(root)}.bin`) : undefined);
  }

  /** Starts the worker threads now (a new process's first measurement waits for them otherwise). */
  warmUp(): void {
    this.pool.warmUp();
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

  /**
   * A layer defined in a template: its content folder measured like a function's, or, for a layer
   * with a BuildMethod, its built artifact (an estimate until it is built, as for functions).
   */
  async measureLayer(layer: LayerSpec, opts: MeasureOptions = {}): Promise<LayerSize> {
    const base = { name: layer.logicalId, ref: 'local' as const };
    if (!layer.contentUri) {
      return { ...base, unzippedBytes: null, zippedBytes: null, status: 'unknown', detail: layer.s3Content ? 'its content is on S3' : 'it has no ContentUri' };
    }
    const choice: CodeChoice = layer.build ? await chooseCode(layer, this.builds, opts.token) : { kind: 'folder' };
    if (choice.kind === 'estimate') return this.estimateLayer(layer, choice, opts);
    const root = canonical(choice.kind === 'artifact' ? choice.dir : layer.contentUri);
    const excludes = choice.kind === 'artifact' ? await artifactExcludes(choice, opts) : opts.excludes;
    const m = await this.withLock(root, () => this.measureFolder(root, { ...opts, excludes }));
    const plan = m.plan as ZipPlan;
    const detail =
      choice.kind === 'artifact' ? `its built artifact (BuildMethod ${layer.build?.method})` : choice.notBuildable ? `its ContentUri folder as it is: ${choice.notBuildable}` : 'its ContentUri folder';
    return { ...base, unzippedBytes: plan.unzippedBytes, zippedBytes: plan.bytes, status: 'measured', detail };
  }

  /** A layer not built yet: its sources and counted dependencies, laid out where the build puts them. */
  private async estimateLayer(layer: LayerSpec, choice: Extract<CodeChoice, { kind: 'estimate' }>, opts: MeasureOptions): Promise<LayerSize> {
    const { preview } = choice;
    const base = { name: layer.logicalId, ref: 'local' as const, estimate: true };
    if (preview.kind === 'opaque') {
      return { ...base, unzippedBytes: null, zippedBytes: null, status: 'unknown', detail: `not built yet, and ${preview.reason}`, uncounted: [] };
    }
    const read = (dir: string, excludes: readonly string[]): Promise<FolderContents> => this.folders.read(canonical(dir), { excludes: [...excludes, ...(opts.excludes ?? [])], pool: this.pool, token: opts.token });
    const pythonVersion = /^python(3\.\d+)$/.exec(layer.build?.method ?? '')?.[1];
    const parts = await estimateParts(preview, read, pythonVersion, layer.build?.architecture ?? 'x86_64');
    const prefix = preview.subdir ? `${preview.subdir}/` : '';
    // The compression cache of the layer's folder: an edit elsewhere re-measures without recompressing it.
    const root = canonical(preview.codeDir);
    const cache = await this.cacheFor(root);
    const plan = await planZip(
      parts.inputs.map((i) => ({ ...i, name: prefix + i.name })),
      { cache, pool: this.pool, token: opts.token },
    );
    this.saveLater(root, cache);
    const counted = parts.countedFrom.length > 0 ? `, dependencies counted from ${parts.countedFrom.join(' and ')}` : '';
    const missing = parts.uncounted.length > 0 ? `; not counted: ${parts.uncounted.join(', ')}` : '';
    return {
      ...base,
      unzippedBytes: plan.unzippedBytes + parts.extra.unzippedBytes,
      zippedBytes: plan.bytes + parts.extra.zippedBytes,
      status: 'measured',
      detail: `an estimate: not built yet (BuildMethod ${layer.build?.method}${choice.state.untrusted ? ', and builds are off in an untrusted workspace' : ''})${counted}${missing}`,
      uncounted: parts.uncounted,
    };
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
      if (m.build && !m.build.upToDate) throw notBuiltError(fn, m.build);
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
      const layer = target.spec;
      if (!layer.contentUri) throw new UserError(`Layer ${layer.logicalId} has no local ContentUri to package.`, 'Set ContentUri to the layer folder.');
      const choice = layer.build ? await chooseCode(layer, this.builds, opts.token) : ({ kind: 'folder' } as const);
      if (choice.kind === 'estimate') throw notBuiltError(layer, choice.state);
      if (choice.kind === 'artifact') return (await this.folders.read(canonical(choice.dir), { excludes: await artifactExcludes(choice, opts), pool: this.pool, token: opts.token })).inputs;
      return (await this.folders.read(layer.contentUri, { excludes: opts.excludes, pool: this.pool, token: opts.token })).inputs;
    }
    const fn = target.spec;
    if (fn.packageType === 'Image') throw new UserError(`${fn.logicalId} is deployed as a container image, not a zip.`, 'Build it with docker; deploy pushes the image.');
    if (fn.inlineCode !== undefined) {
      const data = Buffer.from(fn.inlineCode, 'utf8');
      return [{ name: fn.runtime?.startsWith('python') ? 'index.py' : 'index.js', source: { kind: 'buffer', data }, size: data.length, executable: false }];
    }
    if (!fn.codeUri) throw new UserError(`${fn.logicalId} has no local code to package.`, 'Set CodeUri to the folder with the function code.');
    if (isFile(fn.codeUri)) throw new UserError(`${fn.logicalId}'s CodeUri is a prebuilt archive (${fn.codeUri}).`, 'It is uploaded as it is: use package() or upload the file.');
    const choice = await chooseCode(fn, this.builds, opts.token);
    if (choice.kind === 'estimate') throw notBuiltError(fn, choice.state);
    if (choice.kind === 'artifact') return (await this.folders.read(canonical(choice.dir), { excludes: await artifactExcludes(choice, opts), pool: this.pool, token: opts.token })).inputs;
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
        estimate: image.estimated,
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
    const extra = m.estimate?.extra;
    const zippedBytes = m.plan ? m.plan.bytes + (extra?.zippedBytes ?? 0) : (m.archive?.bytes ?? null);
    const unzippedBytes = m.plan ? m.plan.unzippedBytes + (extra?.unzippedBytes ?? 0) : (m.archive?.unzippedBytes ?? null);
    const pieces = extra && extra.pieces.length > 0 ? [...piecesOf(m), ...extra.pieces] : piecesOf(m);
    const zipEntries = !m.metafile && !extra?.pieces.length;
    // A zip's entries without Python distributions: updated from the last attribution of the function.
    const quick = zipEntries && m.plan ? attributeEntries(pieces, unzippedBytes ?? 0, opts.top ?? 10, this.attributions.get(key)) : undefined;
    if (quick) this.attributions.set(key, quick.state);
    else this.attributions.delete(key);
    const pythonRoots = quick ? quick.state.pythonRoots : pythonRootsOf(pieces);
    const distributions = pythonRoots.size > 0 ? new Map([...(await pythonDistributions(m.plan?.entries ?? [])), ...(extra?.distributions ?? [])]) : undefined;
    const { top: contributors, packages } = quick ? quick.attribution : attribute(pieces, unzippedBytes ?? 0, pythonRoots, opts.top ?? 10, zipEntries, distributions);
    const categories = categoriesOf(m);
    const requiredBy = pythonRoots.size > 0 ? await pythonRequiredBy(m.plan?.entries ?? [], m.build?.sourceDir ?? m.codePath) : undefined;
    // An artifact's package.json is a copy: fixes edit the one in the code folder.
    const analysis = m.folder?.dependencies.find((d) => d.dir === '')?.analysis;
    const rootProject = analysis && m.build ? { ...analysis, manifest: join(m.build.sourceDir, 'package.json') } : analysis;
    const devOnly = m.folder?.dependencies.flatMap((d) => d.analysis.devOnly.map((p) => (d.dir === '' ? p : `${d.dir}/${p}`))) ?? [];
    const findings = buildFindings({
      fn,
      warnAt,
      source: m.source,
      codePath: m.codePath,
      sourcePath: m.build?.sourceDir,
      build: m.build,
      estimate: m.estimate && { countedFrom: m.estimate.countedFrom, fromCache: m.estimate.fromCache, opaque: m.estimate.opaque },
      notBuildable: m.notBuildable,
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
      requiredBy,
    });
    const totalUnzippedBytes = unzippedBytes !== null && layersUnzippedBytes !== null ? unzippedBytes + layersUnzippedBytes : null;
    let status = zipStatus(zippedBytes, unzippedBytes, layersUnzippedBytes, fn.layers.length, warnAt);
    // Never ok while what the build adds is not counted (the function's or a layer's build).
    if ((m.build && m.build.uncounted.length > 0) || m.notBuildable || layers.some((l) => (l.uncounted?.length ?? 0) > 0)) status = worst(status, 'warn');
    return {
      ...base,
      source: m.source,
      codePath: m.codePath,
      estimate: m.estimate !== undefined || layers.some((l) => l.estimate === true),
      ...(m.build ? { build: m.build } : {}),
      zippedBytes,
      unzippedBytes,
      fileCount: m.plan?.entries.length ?? m.archive?.files ?? 0,
      totalUnzippedBytes,
      imageBytes: null,
      status,
      findings,
      topContributors: contributors,
      categories,
      excluded: excludedSummary(m.folder),
      stats: { ...statsOf(m.plan, started), foldersRead: m.folder?.walk.foldersRead ?? 0 },
    };
  }

  /**
   * The watcher's changed paths for the function's folder `root`, spelled as the walk spells them:
   * only when this engine's last measurement of the function read that same folder, which is what
   * the paths are counted from (after one of its artifact, edits in its sources went unread).
   */
  private changedFor(fn: FunctionSpec, dir: string, root: string, opts: MeasureOptions): readonly string[] | undefined {
    const k = functionKey(fn);
    const last = this.lastRoots.get(k);
    this.lastRoots.set(k, root);
    return last === root ? respelled(opts.changedPaths, dir, root) : undefined;
  }

  /** What the function's zip holds: the code folder, esbuild's output, a prebuilt archive, or inline code. */
  private async functionPackage(fn: FunctionSpec, opts: MeasureOptions): Promise<Measured> {
    const m = await this.functionContents(fn, opts);
    if (m.source !== 'folder' || !m.folder) this.lastRoots.delete(functionKey(fn));
    return m;
  }

  private async functionContents(fn: FunctionSpec, opts: MeasureOptions): Promise<Measured> {
    if (fn.inlineCode !== undefined) {
      const name = fn.runtime?.startsWith('python') ? 'index.py' : 'index.js';
      const data = Buffer.from(fn.inlineCode, 'utf8');
      const plan = await planZip([{ name, source: { kind: 'buffer', data }, size: data.length, executable: false }], { token: opts.token });
      return { source: 'inline', plan };
    }
    const codeUri = fn.codeUri;
    if (!codeUri) return { source: 'none' };
    if (isFile(codeUri)) return this.measureArchive(codeUri);
    const choice = await chooseCode(fn, this.builds, opts.token);
    if (choice.kind === 'artifact') {
      // Measured as deploy packs it: the artifact folder, with the code folder's .lambdaignore.
      const m = await this.measureFolder(canonical(choice.dir), { ...opts, excludes: await artifactExcludes(choice, opts) });
      // A bundle: its files are esbuild's outputs, attributed to their inputs through the metafile.
      if (choice.metafile) return { ...m, folder: undefined, source: 'esbuild', codePath: codeUri, build: choice.state, metafile: choice.metafile as Measured['metafile'] };
      return { ...m, source: 'artifact', codePath: choice.dir, build: choice.state };
    }
    if (choice.kind === 'estimate') return this.measureEstimate(fn, choice, opts);
    const root = canonical(codeUri);
    return { ...(await this.measureFolder(root, opts, this.changedFor(fn, codeUri, root, opts))), codePath: codeUri, notBuildable: choice.notBuildable };
  }

  /** An artifact not built (or out of date), estimated from its sources and whatever counts its dependencies. */
  private async measureEstimate(fn: FunctionSpec, choice: Extract<CodeChoice, { kind: 'estimate' }>, opts: MeasureOptions): Promise<Measured> {
    const { preview, state } = choice;
    if (preview.kind === 'opaque') {
      return { source: 'folder', codePath: preview.codeDir, build: state, estimate: { extra: { pieces: [], zippedBytes: 0, unzippedBytes: 0, distributions: new Map() }, countedFrom: [], fromCache: false, opaque: preview.reason } };
    }
    this.pool.warmUp();
    const root = canonical(preview.codeDir);
    const cached = this.cacheFor(root);
    // The watcher's paths speak of the code folder only: the dependency cache's install is checked whole.
    const changed = this.changedFor(fn, preview.codeDir, root, opts);
    const read = (dir: string, excludes: readonly string[]): Promise<FolderContents> =>
      dir === preview.codeDir
        ? this.folders.read(root, { excludes: [...excludes, ...(opts.excludes ?? [])], pool: this.pool, token: opts.token, changed })
        : this.folders.read(canonical(dir), { excludes: [...excludes, ...(opts.excludes ?? [])], pool: this.pool, token: opts.token });
    const parts = await estimateParts(preview, read, pythonVersionOf(fn), fn.architecture);
    const cache = await cached;
    const plan = await planZip(parts.inputs, { cache, pool: this.pool, token: opts.token, onProgress: opts.onProgress, previous: this.lastPlans.get(root) });
    this.lastPlans.set(root, plan);
    this.saveLater(root, cache);
    return {
      source: 'folder',
      codePath: preview.codeDir,
      plan,
      folder: parts.folder,
      cache,
      build: { ...state, uncounted: parts.uncounted },
      estimate: { extra: parts.extra, countedFrom: parts.countedFrom, fromCache: parts.fromCache },
    };
  }

  /** A folder as it is; `changed` (the watcher's paths, spelled from `root`) only for a function's own code folder. */
  private async measureFolder(root: string, opts: MeasureOptions, changed?: readonly string[]): Promise<Measured> {
    // In a new process the workers start, and the cache file loads, while the folder is read.
    this.pool.warmUp();
    const cached = this.cacheFor(root);
    const folder = await this.folders.read(root, { excludes: opts.excludes, pool: this.pool, token: opts.token, changed });
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
    this.unsavedSince = undefined;
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
    const now = performance.now();
    this.unsavedSince ??= now;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.flush(), Math.max(0, Math.min(SAVE_QUIET_MS, this.unsavedSince + SAVE_MAX_WAIT_MS - now)));
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
    const key = ref.kind === 'local' ? `local:${functionKey({ templatePath: ref.layer.templatePath, logicalId: ref.logicalId })}` : ref.kind === 'arn' ? `arn:${ref.arn}` : `expr:${JSON.stringify(ref.expression)}`;
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
