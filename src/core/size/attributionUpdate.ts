// Attributing a zip's entries again after a few files changed, from what the last attribution of
// the same package worked out: an editor's re-measure after one edit should not add up tens of
// thousands of files again. The answer is the one attribute() gives (same packages, same top).
import { addToPackage, type Attribution, type PackageSums, packageOf, type Piece, pythonRootsOf } from './attribution';
import type { Contributor } from './types';

/** Beyond this many changed entries, adding everything up again is as quick. */
const MAX_UPDATES = 512;

/** The running sums of one package's attribution, kept between measurements. */
export interface AttributionState {
  pieces: readonly Piece[];
  pythonRoots: ReadonlySet<string>;
  packages: ReadonlyMap<string, Readonly<PackageSums>>;
  /** Indexes of the pieces outside any package, biggest first, then in the pieces' order (as attribute() ranks them). */
  loose: number[];
}

/**
 * The pieces' Python install folders and attribution: updated from `last` when the pieces are a
 * zip's entries with the same names in the same order and only a few changed (an unchanged entry
 * is the same object from one plan to the next), added up from scratch otherwise. Only for
 * packages without Python distributions (node_modules packages are known by path alone); with
 * them it returns undefined and the caller attributes as before.
 */
export function attributeEntries(pieces: readonly Piece[], totalBytes: number, top: number, last: AttributionState | undefined): { attribution: Attribution; state: AttributionState } | undefined {
  const state = (last && updated(last, pieces)) ?? fromScratch(pieces);
  if (!state) return undefined;
  const candidates: Contributor[] = [];
  for (const i of state.loose.slice(0, top)) {
    const p = pieces[i];
    candidates.push({ name: p.name, kind: 'file', bytes: p.size, zippedBytes: p.compressedSize, share: 0, files: 1 });
  }
  for (const [name, g] of state.packages) candidates.push({ name, kind: 'package', bytes: g.bytes, zippedBytes: g.zippedBytes, share: 0, files: g.files });
  candidates.sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const chosen = candidates.slice(0, top);
  for (const c of chosen) c.share = totalBytes > 0 ? c.bytes / totalBytes : 0;
  const packages = new Map([...state.packages].map(([k, v]) => [k, { bytes: v.bytes, paths: v.paths }]));
  return { attribution: { top: chosen, packages }, state };
}

function fromScratch(pieces: readonly Piece[]): AttributionState | undefined {
  const pythonRoots = pythonRootsOf(pieces);
  if (pythonRoots.size > 0) return undefined;
  const packages = new Map<string, PackageSums>();
  const state: AttributionState = { pieces, pythonRoots, packages, loose: [] };
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i];
    const pkg = packageOf(p.name, pythonRoots);
    if (!pkg) {
      state.loose.push(i);
      continue;
    }
    addToPackage(packages, pkg, p);
  }
  state.loose.sort((a, b) => pieces[b].size - pieces[a].size || a - b);
  return state;
}

/** `last` moved on to `pieces`, or undefined when they are not the same entries with a few changed. */
function updated(last: AttributionState, pieces: readonly Piece[]): AttributionState | undefined {
  const before = last.pieces;
  if (before.length !== pieces.length) return undefined;
  const changed: number[] = [];
  for (let i = 0; i < pieces.length; i++) {
    if (pieces[i] === before[i]) continue;
    if (pieces[i].name !== before[i].name || changed.length === MAX_UPDATES) return undefined;
    changed.push(i);
  }
  // Same names: the same packages, files and Python roots (none); only sizes move. The last
  // state stays as it was (copied on write), in case this measurement does not complete.
  let packages = last.packages;
  const moved = new Set<number>();
  for (const i of changed) {
    const pkg = packageOf(pieces[i].name, last.pythonRoots);
    if (!pkg) {
      moved.add(i);
      continue;
    }
    if (packages === last.packages) packages = new Map(last.packages);
    const g = packages.get(pkg) as PackageSums;
    (packages as Map<string, PackageSums>).set(pkg, { ...g, bytes: g.bytes + pieces[i].size - before[i].size, zippedBytes: g.zippedBytes + pieces[i].compressedSize - before[i].compressedSize });
  }
  const loose = moved.size === 0 ? last.loose : last.loose.filter((i) => !moved.has(i));
  for (const i of moved) loose.splice(rank(loose, pieces, i), 0, i);
  return { pieces, pythonRoots: last.pythonRoots, packages, loose };
}

/** Where index `i` goes in `loose` (biggest first, then by index). */
function rank(loose: readonly number[], pieces: readonly Piece[], i: number): number {
  let lo = 0;
  let hi = loose.length;
  const size = pieces[i].size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const j = loose[mid];
    if (pieces[j].size > size || (pieces[j].size === size && j < i)) lo = mid + 1;
    else hi = mid;
  }
  return hi;
}
