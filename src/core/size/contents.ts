import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CancellationTokenLike } from '../cancel';
import type { PackInput } from '../pack/types';
import type { WorkerPool } from '../pack/workerPool';
import { applyChangedPaths } from './changedFiles';
import { analyseDependencies, type DependencyAnalysis, isCurrent } from './dependencies';
import { loadIgnore } from './ignore';
import { compileRules, type CompiledRules } from './rules';
import { loadListings, saveListings } from './listingFile';
import { type ListingCache, listedFolders, revalidateListings, rewalk, type WalkResult, walkPackage } from './walk';

/** What a code folder contributes to its package, after the rules. */
export interface FolderContents {
  root: string;
  inputs: PackInput[];
  walk: WalkResult;
  /** The npm projects found (the folder itself, and nodejs/ for layers), with what they say about dev-only packages. */
  dependencies: { dir: string; analysis: DependencyAnalysis }[];
}

export interface ReadOptions {
  excludes?: readonly string[];
  pool?: WorkerPool;
  token?: CancellationTokenLike;
  /**
   * The only paths that changed since this root was last read (absolute, spelled as `root` is),
   * from a file watcher whose events are complete. Only those files are looked at again when they
   * can be accounted for that way (see changedFiles.ts); otherwise everything is checked.
   */
  changed?: readonly string[];
}

/** Folders holding package.json + node_modules: the package root, and a layer's nodejs/ folder. */
const NPM_PROJECT_DIRS = ['', 'nodejs'];

/**
 * Reads code folders into package inputs. Keeps folder listings and the dependency analysis of
 * each npm project between calls, and re-reads them only where something changed. With
 * `listingFile`, listings are also saved (save()) and loaded by the next process.
 */
export class FolderReader {
  private readonly rules: CompiledRules = compileRules();
  private readonly analyses = new Map<string, DependencyAnalysis>();
  /** Per package root: the same folder seen from another root has other entry names. */
  private readonly listings = new Map<string, Promise<ListingCache>>();
  /** Per package root: the last walk, and what it depended on besides the files (ignore patterns, dev-only folders). */
  private readonly lastWalks = new Map<string, { inputs: string; walk: WalkResult }>();
  /** Roots with folders read since their listings were last saved. */
  private readonly unsaved = new Set<string>();

  constructor(private readonly listingFile?: (root: string) => string) {}

  /** Reads of each root, one after another: a read checks and updates what the last one saw. */
  private readonly queues = new Map<string, Promise<unknown>>();

  read(root: string, opts: ReadOptions = {}): Promise<FolderContents> {
    const before = this.queues.get(root) ?? Promise.resolve();
    const run = before.then(
      () => this.readNow(root, opts),
      () => this.readNow(root, opts),
    );
    const settled = run.catch(() => undefined);
    this.queues.set(root, settled);
    void settled.then(() => this.queues.get(root) === settled && this.queues.delete(root));
    return run;
  }

  private async readNow(root: string, opts: ReadOptions): Promise<FolderContents> {
    const dependencies: FolderContents['dependencies'] = [];
    const devOnly = new Set<string>();
    for (const dir of NPM_PROJECT_DIRS) {
      const analysis = this.analyse(dir === '' ? root : join(root, dir));
      if (!analysis) continue;
      dependencies.push({ dir, analysis });
      for (const d of analysis.devOnly) devOnly.add(dir === '' ? d : `${dir}/${d}`);
    }
    const ignore = await loadIgnore(root, opts.excludes);
    const listings = await this.listingsOf(root);
    const inputs = JSON.stringify([ignore.map((p) => p.source), [...devOnly].sort()]);
    const last = this.lastWalks.get(root);
    let walkNumber: number | undefined;
    const quick = opts.changed && last && last.inputs === inputs ? applyChangedPaths(last.walk, root, opts.changed) : undefined;
    if (quick) {
      this.lastWalks.set(root, { inputs, walk: quick });
      return { root, inputs: quick.files, walk: quick, dependencies };
    }
    if (opts.pool && opts.pool.size > 0 && last && last.inputs === inputs) {
      const again = await rewalk(last.walk, listings, opts.pool, opts.token);
      if (again.result) {
        this.lastWalks.set(root, { inputs, walk: again.result });
        return { root, inputs: again.result.files, walk: again.result, dependencies };
      }
      walkNumber = again.walk;
    } else if (opts.pool && listings.size > 0) {
      walkNumber = await revalidateListings(listings, opts.pool);
    }
    const walk = await walkPackage(root, { rules: this.rules, ignore, devOnly, pool: opts.pool, token: opts.token, listings, walk: walkNumber });
    this.lastWalks.set(root, { inputs, walk });
    if (walk.foldersRead > 0) this.unsaved.add(root);
    return { root, inputs: walk.files, walk, dependencies };
  }

  /** Writes the listings of the root's last walk for the next process (nothing without a listing file). */
  async save(root: string): Promise<void> {
    const last = this.lastWalks.get(root);
    if (!this.listingFile || !last || !this.unsaved.delete(root)) return;
    await saveListings(this.listingFile(root), root, await this.listingsOf(root), listedFolders(last.walk));
  }

  private listingsOf(root: string): Promise<ListingCache> {
    let p = this.listings.get(root);
    if (!p) {
      p = this.listingFile ? loadListings(this.listingFile(root), root) : Promise.resolve(new Map());
      this.listings.set(root, p);
    }
    return p;
  }

  private analyse(projectDir: string): DependencyAnalysis | undefined {
    const known = this.analyses.get(projectDir);
    if (known && isCurrent(known)) return known;
    this.analyses.delete(projectDir);
    if (!existsSync(join(projectDir, 'package.json'))) return undefined;
    const fresh = analyseDependencies(projectDir);
    if (fresh) this.analyses.set(projectDir, fresh);
    return fresh;
  }
}
