import * as fs from 'node:fs';
import { join } from 'node:path';

/** What a folder's package.json and node_modules say about which installed packages are needed. */
export interface DependencyAnalysis {
  /** Absolute path of the folder holding package.json and node_modules. */
  projectDir: string;
  manifest: string;
  dependencies: string[];
  devDependencies: string[];
  /**
   * Installed package folders (relative to projectDir, '/'-separated) reachable from devDependencies
   * and not from dependencies: what `npm install --omit=dev` would not have installed.
   */
  devOnly: string[];
  /** Installed package folders found, for the size report. */
  installed: number;
  /** What the answer was read from (manifests, node_modules folders) and their stamps: see isCurrent. */
  readFrom: Map<string, string>;
}

interface Installed {
  name: string;
  deps: string[];
}

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/**
 * Reads package.json and the package.json of every installed package under node_modules, and
 * follows the tree the way Node resolves `require` (nearest node_modules first, then outward).
 * Packages reachable from neither side are kept: something may load them without declaring it.
 * Returns undefined when the folder has no package.json or no node_modules.
 */
export function analyseDependencies(projectDir: string): DependencyAnalysis | undefined {
  const manifestPath = join(projectDir, 'package.json');
  const readFrom = new Map<string, string>();
  const root = readManifest(manifestPath, readFrom);
  if (!root || !isDir(join(projectDir, 'node_modules'))) return undefined;
  const installed = new Map<string, Installed>();
  scanNodeModules(projectDir, 'node_modules', installed, readFrom);
  const dependencies = [...names(root.dependencies), ...names(root.optionalDependencies)];
  const devDependencies = names(root.devDependencies);
  const prod = closure(installed, dependencies);
  const dev = closure(installed, devDependencies);
  const devOnly = [...dev].filter((d) => !prod.has(d)).sort();
  return { projectDir, manifest: manifestPath, dependencies, devDependencies, devOnly, installed: installed.size, readFrom };
}

/**
 * Whether nothing the analysis read has changed: every manifest and node_modules folder has the
 * same stamp (a package added or removed changes its node_modules folder's mtime). A few hundred
 * stats instead of re-reading every manifest on each measurement.
 */
export function isCurrent(analysis: DependencyAnalysis): boolean {
  for (const [path, stamp] of analysis.readFrom) if (stampOf(path) !== stamp) return false;
  return true;
}

function stampOf(path: string): string {
  try {
    const s = fs.statSync(path, { bigint: true });
    return `${s.mtimeNs}:${s.ctimeNs}:${s.size}:${s.ino}`;
  } catch {
    return 'missing';
  }
}

/**
 * The installed package folders (relative to projectDir, '/'-separated) that `require(name)` finds
 * from the project for each root, with everything they depend on in turn: what a layer holding
 * those packages needs. `shared`: the ones `others` reach too. Undefined without node_modules.
 */
export function installedClosure(projectDir: string, roots: readonly string[], others: readonly string[]): { folders: string[]; shared: string[] } | undefined {
  if (!isDir(join(projectDir, 'node_modules'))) return undefined;
  const installed = new Map<string, Installed>();
  scanNodeModules(projectDir, 'node_modules', installed, new Map());
  const mine = closure(installed, [...roots]);
  const theirs = closure(installed, [...others]);
  return { folders: [...mine].sort(), shared: [...mine].filter((d) => theirs.has(d)).sort() };
}

function names(deps: Record<string, string> | undefined): string[] {
  return deps && typeof deps === 'object' ? Object.keys(deps) : [];
}

function readManifest(path: string, readFrom: Map<string, string>): Manifest | undefined {
  readFrom.set(path, stampOf(path));
  try {
    const parsed = JSON.parse(fs.readFileSync(path, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Manifest) : undefined;
  } catch {
    return undefined;
  }
}

function isDir(path: string): boolean {
  try {
    return fs.statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Records every package folder under `nm` (relative), scoped ones and nested node_modules included. */
function scanNodeModules(projectDir: string, nm: string, out: Map<string, Installed>, readFrom: Map<string, string>): void {
  readFrom.set(join(projectDir, nm), stampOf(join(projectDir, nm)));
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(join(projectDir, nm), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    if (!e.isDirectory() && !(e.isSymbolicLink() && isDir(join(projectDir, nm, e.name)))) continue;
    if (e.name.startsWith('@')) {
      let scoped: fs.Dirent[];
      readFrom.set(join(projectDir, nm, e.name), stampOf(join(projectDir, nm, e.name)));
      try {
        scoped = fs.readdirSync(join(projectDir, nm, e.name), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const s of scoped) addPackage(projectDir, `${nm}/${e.name}/${s.name}`, out, readFrom);
    } else {
      addPackage(projectDir, `${nm}/${e.name}`, out, readFrom);
    }
  }
}

function addPackage(projectDir: string, dir: string, out: Map<string, Installed>, readFrom: Map<string, string>): void {
  // The package folder's own stamp changes when a nested node_modules appears in it.
  readFrom.set(join(projectDir, dir), stampOf(join(projectDir, dir)));
  const m = readManifest(join(projectDir, dir, 'package.json'), readFrom);
  if (!m) return;
  const name = dir.slice(dir.lastIndexOf('node_modules/') + 'node_modules/'.length);
  out.set(dir, { name, deps: [...names(m.dependencies), ...names(m.optionalDependencies), ...names(m.peerDependencies)] });
  if (isDir(join(projectDir, dir, 'node_modules'))) scanNodeModules(projectDir, `${dir}/node_modules`, out, readFrom);
}

/** The installed folder `require(name)` finds from `fromDir` (relative; '' is the project itself). */
export function resolvePackage(installed: { has(dir: string): boolean }, fromDir: string, name: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    if (!dir.endsWith('node_modules')) {
      const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
      if (installed.has(candidate)) return candidate;
    }
    if (dir === '') return undefined;
    const slash = dir.lastIndexOf('/');
    dir = slash < 0 ? '' : dir.slice(0, slash);
  }
}

function closure(installed: Map<string, Installed>, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const queue: [string, string][] = roots.map((n) => ['', n]);
  while (queue.length > 0) {
    const [from, name] = queue.pop() as [string, string];
    const dir = resolvePackage(installed, from, name);
    if (!dir || seen.has(dir)) continue;
    seen.add(dir);
    for (const dep of (installed.get(dir) as Installed).deps) queue.push([dir, dep]);
  }
  return seen;
}
