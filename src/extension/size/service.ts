import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { isLayer } from '../../core/build/choose';
import { functionUsesPath } from '../../core/model';
import { functionKey as key, usesLayer } from '../../core/model/key';
import type { FunctionSpec } from '../../core/model/types';
import type { Restarts } from '../../core/open';
import type { FunctionSize } from '../../core/size';
import { MAX_CHANGED_PATHS } from '../../core/size/types';
import type { CoreServices } from '../core';
import type { ModelStore } from '../model/store';
import { readSettings } from '../settings';
import type { Workbench } from '../workbench';

const MEASURE_DELAY_MS = 500;
/**
 * After a re-measure from the watcher's changed paths, every file is checked once the edits pause:
 * the watcher does not report what files.watcherExclude leaves out (node_modules' packages by
 * default), so a change made there meanwhile shows then.
 */
const VERIFY_DELAY_MS = 5000;
/** How often a function holding a folder the watcher may not see into is checked whole (see createdFolders). */
const GAP_CHECK_MS = 10_000;

/**
 * Keeps every function's exact package size current: measured after the model loads, and again
 * (debounced) for the functions whose template or code changed, or whose figures a change of
 * settings made stale. A generation counter per function drops results that a newer measurement
 * has overtaken.
 */
export class SizeService implements vscode.Disposable {
  private readonly sizes = new Map<string, FunctionSize>();
  private readonly generations = new Map<string, number>();
  private readonly pending = new Set<string>();
  /**
   * Per pending function: the paths the file watcher reported changed since its last measurement,
   * or 'all' when something else asks for the measurement (or the watcher reported a burst).
   */
  private readonly changed = new Map<string, Set<string> | 'all'>();
  private timer: NodeJS.Timeout | undefined;
  private verifyTimer: NodeJS.Timeout | undefined;
  private readonly unverified = new Set<string>();
  /**
   * Folders created under code folders while the editor runs. On Linux VS Code's file watcher does
   * not watch into a folder tree that appears at once (mkdir -p, a checkout, a folder renamed in, or
   * one created while the machine is busy: parcel-bundler/watcher#97), and edits beneath it go
   * unreported for the rest of the session. The functions holding one are checked whole every
   * GAP_CHECK_MS; their figures are announced only when they change.
   */
  private readonly createdFolders = new Set<string>();
  private gapTimer: NodeJS.Timeout | undefined;
  /** Functions whose pending measurement only the gap check asked for. */
  private readonly quiet = new Set<string>();
  private readonly measured = new vscode.EventEmitter<FunctionSize[]>();
  readonly onDidMeasure = this.measured.event;
  private readonly disposables: vscode.Disposable[] = [this.measured];
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly wb: Workbench,
    private readonly store: ModelStore,
    private readonly services: CoreServices,
  ) {
    this.disposables.push(
      store.onDidChange(() => this.scheduleChanged()),
      store.onDidChangeCode(({ model, path, created }) => {
        this.schedule(model.functions, path);
        if (created) void this.noteCreated(path);
      }),
      services.onDidApplySettings((r) => this.settingsChanged(r)),
      // A new artifact: the function (or every function using the layer) is measured as built now.
      services.onDidBuild(({ spec }) => this.schedule(isLayer(spec) ? this.store.functions().filter((fn) => usesLayer(fn, spec)) : [spec])),
      // Estimates say builds are off while the workspace is untrusted: say it no more.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.scheduleAll()),
    );
  }

  /** The warning threshold judges every function; new AWS settings may look layers up differently. */
  private settingsChanged(r: Restarts): void {
    if (r.sizes === 'all') this.scheduleAll();
    else if (r.sizes === 'arnLayers') {
      const affected = this.store.functions().filter((fn) => fn.layers.some((l) => l.kind === 'arn'));
      if (affected.length) this.schedule(affected);
    }
  }

  get(fn: Pick<FunctionSpec, 'templatePath' | 'logicalId'>): FunctionSize | undefined {
    return this.sizes.get(key(fn));
  }

  all(): FunctionSize[] {
    return [...this.sizes.values()];
  }

  /** What a function's package depends on in the template; an edit elsewhere needs no re-measure. */
  private readonly inputs = new Map<string, string>();

  /** Whether the model was seen once: functions appearing after that may stand in folders made just before. */
  private primed = false;

  /** After a template re-parse: only new functions and those whose packaging inputs changed. */
  private scheduleChanged(): void {
    const fns = this.store.functions();
    const live = new Set(fns.map(key));
    for (const k of [...this.sizes.keys()]) if (!live.has(k)) this.sizes.delete(k);
    for (const k of [...this.inputs.keys()]) if (!live.has(k)) this.inputs.delete(k);
    const moved: string[] = [];
    const changed = fns.filter((fn) => {
      const now = packagingInputs(fn);
      const was = this.inputs.get(key(fn));
      if (was === now) return false;
      this.inputs.set(key(fn), now);
      if (fn.codeUri && (was === undefined || (JSON.parse(was) as { codeUri?: string }).codeUri !== fn.codeUri)) moved.push(fn.codeUri);
      return true;
    });
    if (changed.length) this.schedule(changed);
    // A function added (New Function writes its folder, then the template) or pointed at another
    // folder: that folder was often made moments before, when no function held it, so its creation
    // started no gap check, and the watcher may not see into it.
    if (this.primed) for (const dir of moved) void this.noteCreated(dir);
    this.primed = true;
  }

  scheduleAll(): void {
    // Forget functions that are gone.
    const live = new Set(this.store.functions().map(key));
    for (const k of [...this.sizes.keys()]) if (!live.has(k)) this.sizes.delete(k);
    this.schedule(this.store.functions());
  }

  /**
   * Measures the functions after a short delay. `changedPath`: the file watcher reported that path
   * changed, and nothing else asks for it; the engine then looks only at the reported paths, as
   * long as they are few (a burst, a checkout or an install, has every file checked).
   */
  schedule(fns: readonly FunctionSpec[], changedPath?: string, quiet = false): void {
    for (const fn of fns) {
      const k = key(fn);
      if (!quiet) this.quiet.delete(k);
      else if (!this.pending.has(k)) this.quiet.add(k);
      const known = this.pending.has(k) ? this.changed.get(k) : new Set<string>();
      this.pending.add(k);
      if (changedPath === undefined || known === undefined || known === 'all' || known.size >= MAX_CHANGED_PATHS) this.changed.set(k, 'all');
      else this.changed.set(k, known.add(changedPath));
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), MEASURE_DELAY_MS);
  }

  /**
   * Measures what is pending now, and any function not measured yet: the size report and the tests
   * call it to wait for fresh figures.
   */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.running = this.running.then(async () => {
      await this.store.ready();
      for (const fn of this.store.functions()) if (!this.sizes.has(key(fn))) this.pending.add(key(fn));
      await this.measurePending();
    });
    return this.running;
  }

  private async measurePending(): Promise<void> {
    const keys = [...this.pending];
    this.pending.clear();
    const changed = new Map(this.changed);
    this.changed.clear();
    const fns = keys.map((k) => this.store.functions().find((f) => key(f) === k)).filter((f): f is FunctionSpec => f !== undefined);
    if (fns.length === 0) return;
    // A function seen for the first time is measured whole, whatever the watcher said.
    const quick = fns.filter((f) => this.sizes.has(key(f)) && changed.get(key(f)) instanceof Set);
    const whole = fns.filter((f) => !quick.includes(f));
    const paths = [...new Set(quick.flatMap((f) => [...(changed.get(key(f)) as Set<string>)]))];
    await this.measure(whole, undefined);
    await this.measure(quick, paths);
    if (quick.length > 0) this.verifyLater(quick);
  }

  private async measure(fns: FunctionSpec[], changedPaths: readonly string[] | undefined): Promise<void> {
    if (fns.length === 0) return;
    const gens = new Map(fns.map((f) => [key(f), this.bump(key(f))]));
    const started = Date.now();
    try {
      const engine = await this.services.core.sizeEngine();
      const results = await engine.measureAll(fns, { warnAt: readSettings().size.warnAt, changedPaths });
      const fresh = results.filter((r) => this.generations.get(key(r)) === gens.get(key(r)));
      // A gap check that found nothing new says nothing (the views would redraw the same figures).
      const told = fresh.filter((r) => !this.quiet.delete(key(r)) || figures(this.sizes.get(key(r))) !== figures(r));
      for (const r of fresh) this.sizes.set(key(r), r);
      this.wb.log.info(`measured ${fns.length} function(s) in ${Date.now() - started} ms${changedPaths ? ` from ${changedPaths.length} changed path(s)` : ''}`);
      if (told.length) this.measured.fire(told);
    } catch (err) {
      this.wb.log.error(`measuring package sizes failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Every file of these functions checked once the edits pause (see VERIFY_DELAY_MS). */
  private verifyLater(fns: readonly FunctionSpec[]): void {
    for (const fn of fns) this.unverified.add(key(fn));
    clearTimeout(this.verifyTimer);
    this.verifyTimer = setTimeout(() => {
      const due = this.store.functions().filter((f) => this.unverified.has(key(f)));
      this.unverified.clear();
      if (due.length > 0) this.schedule(due);
    }, VERIFY_DELAY_MS);
  }

  /** A created path that is a folder starts (or widens) the gap check. */
  private async noteCreated(path: string): Promise<void> {
    if (!(await isFolder(path))) return;
    // One folder per function is enough to keep it checked; this bounds the set by the functions.
    const tracked = [...this.createdFolders];
    const holders = this.store.functions().filter((fn) => functionUsesPath(fn, path));
    if (holders.every((fn) => tracked.some((dir) => functionUsesPath(fn, dir)))) return;
    this.createdFolders.add(path);
    this.gapTimer ??= setInterval(() => void this.checkGaps(), GAP_CHECK_MS);
  }

  /** Checks whole the functions holding a created folder that still exists; stops when there are none. */
  private async checkGaps(): Promise<void> {
    for (const dir of [...this.createdFolders]) {
      if (!(await isFolder(dir))) this.createdFolders.delete(dir);
    }
    const due = this.store.functions().filter((fn) => [...this.createdFolders].some((dir) => functionUsesPath(fn, dir)));
    if (due.length > 0) this.schedule(due, undefined, true);
    else {
      clearInterval(this.gapTimer);
      this.gapTimer = undefined;
      this.createdFolders.clear();
    }
  }

  private bump(k: string): number {
    const g = (this.generations.get(k) ?? 0) + 1;
    this.generations.set(k, g);
    return g;
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearInterval(this.gapTimer);
    clearTimeout(this.verifyTimer);
    for (const d of this.disposables) d.dispose();
  }
}

function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** What a size announcement shows: the same figures, findings and status need no redraw. */
function figures(s: FunctionSize | undefined): string {
  return s ? JSON.stringify([s.zippedBytes, s.unzippedBytes, s.totalUnzippedBytes, s.status, s.findings, s.estimate]) : '';
}

function packagingInputs(fn: FunctionSpec): string {
  const { codeUri, inlineCode, s3Code, runtime, handler, architecture, packageType, imageUri, image, build, layers } = fn;
  // Layers by what is packaged, not where they stand in the template (an edit above shifts ranges).
  const layerInputs = layers.map((l) => (l.kind === 'local' ? { local: l.layer.contentUri ?? l.logicalId, build: l.layer.build } : l));
  return JSON.stringify({ codeUri, inlineCode, s3Code, runtime, handler, architecture, packageType, imageUri, image, build, layers: layerInputs });
}
