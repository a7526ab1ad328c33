import type { Contributor } from './types';

/**
 * One measured piece: a packed file (a plan entry is one as it is, so attributing a folder of
 * tens of thousands of files allocates nothing per file), or an esbuild input's share of an output.
 */
export interface Piece {
  /** Path relative to the code folder (a zip entry, or an esbuild input). */
  name: string;
  /** Unzipped bytes. */
  size: number;
  /** Bytes in the zip. */
  compressedSize: number;
}

const NM = 'node_modules/';

/**
 * Package names of node_modules paths, by piece: plan entries of unchanged files are the same
 * objects from one measurement to the next, so their names are worked out once.
 */
const nodePackageOf = new WeakMap<Piece, string | null>();

/**
 * The package a path belongs to: the nearest node_modules/<name> (scoped names included), or a
 * Python distribution in a folder holding *.dist-info folders (pip install -t, site-packages, a
 * layer's python/). `distributions` names the distribution of each installed top-level folder or
 * module ('<root>/numpy.libs' -> 'numpy', see pythonDistributions), where its RECORD says so.
 * Runs once per packed file, so it slices instead of splitting.
 */
export function packageOf(path: string, pythonRoots: ReadonlySet<string>, distributions?: ReadonlyMap<string, string>): string | undefined {
  const nm = path.lastIndexOf(NM);
  if (nm >= 0) {
    const start = nm + NM.length;
    const first = path.indexOf('/', start);
    if (first < 0) return undefined;
    if (path.charCodeAt(start) !== 64 /* @ */) return path.slice(start, first);
    const second = path.indexOf('/', first + 1);
    return second < 0 ? undefined : path.slice(start, second);
  }
  if (pythonRoots.size === 0) return undefined;
  // The deepest install folder holding the path ('' holds everything, a layer's site-packages less).
  let root: string | undefined;
  for (const r of pythonRoots) if ((r === '' || path.startsWith(`${r}/`)) && (root === undefined || r.length > root.length)) root = r;
  if (root === undefined) return undefined;
  const start = root === '' ? 0 : root.length + 1;
  const slash = path.indexOf('/', start);
  if (distributions && distributions.size > 0) {
    const named = distributions.get(slash < 0 ? path : path.slice(0, slash));
    if (named) return named;
  }
  if (slash < 0) {
    // A single-module distribution (six.py) sits directly in site-packages; at the top of the
    // code folder a lone .py is more likely the function's own handler.
    return root !== '' && path.endsWith('.py') ? path.slice(start, -3) : undefined;
  }
  const top = path.slice(start, slash);
  const meta = /^(.+?)-[^-]+\.(?:dist|egg)-info$/.exec(top);
  return meta ? meta[1] : top;
}

/** Folders that hold Python distributions: the parents of *.dist-info folders. */
export function pythonRootsOf(pieces: readonly Pick<Piece, 'name'>[]): Set<string> {
  const roots = new Set<string>();
  for (const { name: p } of pieces) {
    const at = p.indexOf('.dist-info/');
    if (at < 0) continue;
    const slash = p.lastIndexOf('/', at);
    roots.add(slash < 0 ? '' : p.slice(0, slash));
  }
  return roots;
}

export interface Attribution {
  /** The biggest contributors, with their share of the total. */
  top: Contributor[];
  /** Bytes per package (every package, not only the top), for findings about named packages. */
  packages: Map<string, { bytes: number; paths: string[] }>;
}

/** One package's running sums: its bytes, zipped bytes, files and the first few paths. */
export interface PackageSums {
  bytes: number;
  zippedBytes: number;
  files: number;
  paths: string[];
}

/** Counts a piece into its package's sums. */
export function addToPackage(packages: Map<string, PackageSums>, pkg: string, p: Pick<Piece, 'name' | 'size' | 'compressedSize'>): void {
  let g = packages.get(pkg);
  if (!g) {
    g = { bytes: 0, zippedBytes: 0, files: 0, paths: [] };
    packages.set(pkg, g);
  }
  g.bytes += p.size;
  g.zippedBytes += p.compressedSize;
  g.files++;
  if (g.paths.length < 3) g.paths.push(p.name);
}

/**
 * Adds the pieces up by package (files outside any package stand alone) and returns the biggest,
 * with their share of `totalBytes`. `distinctNames`: every piece is a different file (a zip's
 * entries), so files need no adding up and only the biggest few are ever allocated.
 */
export function attribute(
  pieces: readonly Piece[],
  totalBytes: number,
  pythonRoots: ReadonlySet<string>,
  top = 10,
  distinctNames = false,
  distributions?: ReadonlyMap<string, string>,
): Attribution {
  const packages = new Map<string, PackageSums>();
  const loose = new Map<string, Contributor>();
  // The biggest loose files so far, largest first (distinct names only).
  const biggest: Piece[] = [];
  for (const p of pieces) {
    let pkg: string | null | undefined;
    if (pythonRoots.size === 0) {
      pkg = nodePackageOf.get(p);
      if (pkg === undefined) {
        pkg = packageOf(p.name, pythonRoots) ?? null;
        nodePackageOf.set(p, pkg);
      }
    } else {
      pkg = packageOf(p.name, pythonRoots, distributions);
    }
    if (pkg) {
      addToPackage(packages, pkg, p);
    } else if (distinctNames) {
      if (biggest.length === top && p.size <= biggest[top - 1].size) continue;
      let at = biggest.length;
      while (at > 0 && biggest[at - 1].size < p.size) at--;
      biggest.splice(at, 0, p);
      if (biggest.length > top) biggest.pop();
    } else {
      // Several pieces of one file (an esbuild input in two outputs) add up to one contributor.
      const c = loose.get(p.name);
      if (c) {
        c.bytes += p.size;
        c.zippedBytes += p.compressedSize;
      } else {
        loose.set(p.name, { name: p.name, kind: 'file', bytes: p.size, zippedBytes: p.compressedSize, share: 0, files: 1 });
      }
    }
  }
  const candidates: Contributor[] = [...loose.values()];
  for (const p of biggest) candidates.push({ name: p.name, kind: 'file', bytes: p.size, zippedBytes: p.compressedSize, share: 0, files: 1 });
  for (const [name, g] of packages) candidates.push({ name, kind: 'package', bytes: g.bytes, zippedBytes: g.zippedBytes, share: 0, files: g.files });
  candidates.sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const chosen = candidates.slice(0, top);
  for (const c of chosen) c.share = totalBytes > 0 ? c.bytes / totalBytes : 0;
  return { top: chosen, packages: new Map([...packages].map(([k, v]) => [k, { bytes: v.bytes, paths: v.paths }])) };
}
