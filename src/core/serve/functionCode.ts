import { performance } from 'node:perf_hooks';
import { describeError } from '../errors';
import type { RunCode } from '../local/code';
import type { FunctionSpec } from '../model/types';
import { watchTree } from './watchTree';

/** A rebuild after a save, as the CLI prints it and the editor shows it: when it starts, and how it ended. */
export interface ReloadEvent {
  logicalId: string;
  templatePath: string;
  phase: 'rebuilding' | 'rebuilt' | 'failed';
  /** Since the rebuild started (0 when it starts). */
  durationMs: number;
  /** What failed; the previous code keeps serving. */
  error?: string;
  /** The saved file, relative to the folder watched. */
  changed: string;
}

/**
 * The code a served function runs: what its build stage made (the artifact of a builder,
 * esbuild's bundle, or the code folder as it is), and a version that changes with every rebuild.
 * Requests wait for a rebuild in progress, so the next request after a save runs the new code;
 * requests already running keep their container and finish on the old one.
 */
export class FunctionCode {
  /** The folder to mount, when it is not the code folder itself. */
  codeDir: string | undefined;
  version = 0;
  ready: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  /** Whether a build ever succeeded: until one has, there is no last good build to serve. */
  private built = false;

  constructor(
    /** The function as the template says it now: a template reload replaces it. */
    public fn: FunctionSpec,
    /** The build stage: builds or bundles the function when it is out of date (LocalRunner.codeFor). */
    private readonly build: (fn: FunctionSpec, progress?: (message: string) => void) => Promise<RunCode>,
  ) {}

  /** Builds (or bundles) the code once, before serving; a failure is the start's failure. */
  async prepare(progress: (message: string) => void): Promise<void> {
    this.codeDir = (await this.build(this.fn, progress)).codeDir;
    this.built = true;
  }

  /** A file changed: rebuild after the saves settle (200 ms), and say how it went. */
  changed(rel: string, onReload: (e: ReloadEvent) => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.rebuildNext(rel, onReload);
    }, 200);
    this.timer.unref();
  }

  /** Rebuilds after any rebuild in progress; requests from now on wait for it. */
  rebuildNext(rel: string, onReload: (e: ReloadEvent) => void): void {
    this.ready = this.ready.catch(() => undefined).then(() => this.rebuild(rel, onReload));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  private async rebuild(rel: string, onReload: (e: ReloadEvent) => void): Promise<void> {
    const started = performance.now();
    const base = { logicalId: this.fn.logicalId, templatePath: this.fn.templatePath, changed: rel };
    onReload({ ...base, phase: 'rebuilding', durationMs: 0 });
    try {
      this.codeDir = (await this.build(this.fn)).codeDir;
      this.built = true;
      this.version++;
      onReload({ ...base, phase: 'rebuilt', durationMs: performance.now() - started });
    } catch (err) {
      onReload({ ...base, phase: 'failed', durationMs: performance.now() - started, error: describeError(err) });
      // Never built (a function a template reload added): its requests fail until a rebuild succeeds.
      if (!this.built) throw err;
    }
  }
}

/**
 * Watches the code folders (and local layer folders) of the served functions; a change rebuilds
 * every function that uses the folder. One watcher per folder, however many functions share it.
 */
export function watchCode(codes: Iterable<FunctionCode>, onReload: (e: ReloadEvent) => void): { close(): void } {
  const byFolder = new Map<string, FunctionCode[]>();
  for (const code of codes) {
    const fn = code.fn;
    const folders = [fn.codeUri, ...fn.layers.map((l) => (l.kind === 'local' ? l.layer.contentUri : undefined))];
    for (const folder of folders) {
      if (!folder || fn.packageType !== 'Zip') continue;
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), code]);
    }
  }
  const watchers = [...byFolder].map(([folder, users]) => watchTree(folder, (rel) => users.forEach((c) => c.changed(rel, onReload))));
  // Closing leaves rebuilds already scheduled to run: a template reload watches anew without losing a save.
  return {
    close() {
      for (const w of watchers) w.close();
    },
  };
}
