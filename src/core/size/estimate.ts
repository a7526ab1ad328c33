// The estimate of an artifact that is not built (or is out of date): its sources as the builder
// copies them, plus the dependencies from wherever they can be counted without running anything —
// the dependency cache's install of exactly this manifest, the developer's own node_modules, the
// wheels pip would install from a local wheel folder. Whatever none of those holds is named, so the
// report says what it leaves out instead of calling a package without its dependencies "ok".
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildPreview } from '../build';
import type { PackInput } from '../pack/types';
import type { Piece } from './attribution';
import type { FolderContents } from './contents';
import { normalizeName } from './distributions';
import { estimateFromWheels } from './wheels';

/** Reads a folder into package inputs with extra exclude patterns (the size engine's FolderReader). */
export type ReadFolder = (root: string, excludes: readonly string[]) => Promise<FolderContents>;

export interface EstimateParts {
  /** The files the artifact would hold that are on disk: the sources, and a cached install. */
  inputs: PackInput[];
  /** The source folder as read (walk findings, categories, the npm dependency analysis). */
  folder: FolderContents;
  /** Files counted from wheels not installed anywhere yet: bytes, not pack inputs. */
  extra: { pieces: Piece[]; zippedBytes: number; unzippedBytes: number; distributions: Map<string, string> };
  /** Declared (or pulled-in) dependencies counted nowhere. */
  uncounted: string[];
  /** Where the dependencies were counted from, in words, for the report. */
  countedFrom: string[];
  /** The dependencies come from the cache, not from the code folder (so they cannot be moved out of it). */
  fromCache: boolean;
}

/** A zip entry costs its name twice (local header and central directory) besides its data. */
const ENTRY_OVERHEAD = 30 + 46;

export async function estimateParts(preview: Extract<BuildPreview, { kind: 'dependencies' }>, read: ReadFolder, pythonVersion: string | undefined, architecture: 'x86_64' | 'arm64'): Promise<EstimateParts> {
  const deps = preview.dependencies;
  const standIn = deps.installed ? undefined : deps.localInstall;
  const folder = await read(preview.codeDir, deps.sourceExcludes.filter((x) => x !== standIn));
  const inputs = [...folder.inputs];
  const extra: EstimateParts['extra'] = { pieces: [], zippedBytes: 0, unzippedBytes: 0, distributions: new Map() };
  const parts: EstimateParts = { inputs, folder, extra, uncounted: [], countedFrom: [], fromCache: false };
  if (deps.installed) {
    // The build copies the sources first and links the install in after: a name in both is the source's.
    const own = new Set(inputs.map((i) => i.name));
    for (const i of (await read(deps.installed, [])).inputs) if (!own.has(i.name)) inputs.push(i);
    parts.countedFrom.push('the dependency cache (an install of exactly this manifest)');
    parts.fromCache = true;
    return parts;
  }
  if (standIn) {
    parts.uncounted = deps.declared.filter((name) => !existsSync(join(preview.codeDir, standIn, name, 'package.json')));
    if (parts.uncounted.length < deps.declared.length) parts.countedFrom.push(`the code folder's own ${standIn}`);
    return parts;
  }
  if (deps.wheelDirs === undefined || deps.declared.length === 0) return parts;
  // Python: what is already installed into the code folder itself is in the inputs.
  const vendored = new Set(inputs.flatMap((i) => /^([^/]+)-[^-/]+\.dist-info\//.exec(i.name)?.[1] ?? []).map(normalizeName));
  const wanted = deps.declared.filter((n) => !vendored.has(normalizeName(n)));
  if (wanted.length < deps.declared.length) parts.countedFrom.push('packages installed in the code folder');
  if (wanted.length === 0 || !pythonVersion) {
    parts.uncounted = pythonVersion ? [] : wanted;
    return parts;
  }
  const wheels = await estimateFromWheels(wanted, deps.wheelDirs, { pythonVersion, architecture });
  const own = new Set(inputs.map((i) => i.name));
  for (const w of wheels.wheels) {
    for (const f of w.files) {
      if (own.has(f.name)) continue;
      extra.pieces.push(f);
      extra.unzippedBytes += f.size;
      extra.zippedBytes += f.compressedSize + ENTRY_OVERHEAD + 2 * Buffer.byteLength(f.name);
      const slash = f.name.indexOf('/');
      extra.distributions.set(slash < 0 ? f.name : f.name.slice(0, slash), w.distribution);
    }
  }
  if (wheels.wheels.length > 0) parts.countedFrom.push(`${wheels.wheels.length} wheel${wheels.wheels.length === 1 ? '' : 's'} in the folders pip installs from`);
  parts.uncounted = wheels.missing;
  return parts;
}
