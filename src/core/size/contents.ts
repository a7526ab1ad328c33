import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CancellationTokenLike } from '../cancel';
import type { PackInput } from '../pack/types';
import type { WorkerPool } from '../pack/workerPool';
import { analyseDependencies, type DependencyAnalysis, isCurrent } from './dependencies';
import { loadIgnore } from './ignore';
import { compileRules, type CompiledRules } from './rules';
import { type ListingCache, revalidateListings, type WalkResult, walkPackage } from './walk';

/** What a code folder contributes to its package, after the rules. */
export interface FolderContents {
  root: string;
  inputs: PackInput[];
  walk: WalkResult;
  /** The npm projects found (the folder itself, and nodejs/ for layers), with what they say about dev-only packages. */
  dependencies: { dir: string; analysis: DependencyAnalysis }[];
}

/** Folders holding package.json + node_modules: the package root, and a layer's nodejs/ folder. */
const NPM_PROJECT_DIRS = ['', 'nodejs'];

/**
 * Reads code folders into package inputs. Keeps folder listings and the dependency analysis of
 * each npm project between calls, and re-reads them only where something changed.
 */
export class FolderReader {
  private readonly rules: CompiledRules = compileRules();
  private readonly analyses = new Map<string, DependencyAnalysis>();
  /** Per package root: the same folder seen from another root has other entry names. */
  private readonly listings = new Map<string, ListingCache>();

  async read(root: string, opts: { excludes?: readonly string[]; pool?: WorkerPool; token?: CancellationTokenLike } = {}): Promise<FolderContents> {
    const dependencies: FolderContents['dependencies'] = [];
    const devOnly = new Set<string>();
    for (const dir of NPM_PROJECT_DIRS) {
      const analysis = this.analyse(dir === '' ? root : join(root, dir));
      if (!analysis) continue;
      dependencies.push({ dir, analysis });
      for (const d of analysis.devOnly) devOnly.add(dir === '' ? d : `${dir}/${d}`);
    }
    const ignore = await loadIgnore(root, opts.excludes);
    let listings = this.listings.get(root);
    if (!listings) {
      listings = new Map();
      this.listings.set(root, listings);
    }
    const walkNumber = opts.pool && listings.size > 0 ? await revalidateListings(listings, opts.pool) : undefined;
    const walk = await walkPackage(root, { rules: this.rules, ignore, devOnly, pool: opts.pool, token: opts.token, listings, walk: walkNumber });
    return { root, inputs: walk.files, walk, dependencies };
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
