// An estimate of what pip would install, from wheels already on this machine (the folders pip is
// pointed at with --find-links), read without running pip: each wheel's central directory gives
// the files it installs with their sizes, its METADATA the distributions it pulls in.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { Architecture } from '../model/types';
import { type DirectoryEntry, readZipFileDirectory } from '../pack';
import { normalizeName } from './distributions';

/** A file a wheel would install: its name in the package, and its bytes unzipped and deflated. */
export interface WheelFile {
  name: string;
  size: number;
  compressedSize: number;
}

export interface WheelEstimate {
  /** The wheels chosen, one per distribution, with the files each installs. */
  wheels: { distribution: string; file: string; files: WheelFile[] }[];
  /** Requirements (declared, or pulled in by a chosen wheel) with no compatible wheel found. */
  missing: string[];
}

export interface WheelTarget {
  /** '3.12' */
  pythonVersion: string;
  architecture: Architecture;
}

const WHEEL_ARCH: Readonly<Record<Architecture, string>> = { x86_64: 'x86_64', arm64: 'aarch64' };

/**
 * Resolves the requirements (names; versions are not compared, the newest compatible wheel is
 * taken) and what they require in turn against the wheels in `dirs` for the target's Python and
 * CPU, as pip --only-binary would install them for Lambda.
 */
export async function estimateFromWheels(names: readonly string[], dirs: readonly string[], target: WheelTarget): Promise<WheelEstimate> {
  const index = await indexWheels(dirs, target);
  const out: WheelEstimate = { wheels: [], missing: [] };
  const seen = new Set<string>();
  const queue = [...names];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    const key = normalizeName(name);
    if (seen.has(key)) continue;
    seen.add(key);
    const file = index.get(key);
    if (!file) {
      out.missing.push(name);
      continue;
    }
    try {
      const dir = await readZipFileDirectory(file.path);
      const files = dir.entries.filter((e) => !e.name.endsWith('/')).map((e) => ({ name: installedName(e.name), size: e.size, compressedSize: e.compressedSize }));
      out.wheels.push({ distribution: file.distribution, file: file.path, files });
      queue.push(...(await requiresOf(file.path, dir.entries, target)));
    } catch {
      out.missing.push(name);
    }
  }
  return out;
}

/** Where a wheel's file lands in site-packages: its .data/purelib and platlib parts go to the top. */
function installedName(name: string): string {
  const m = /^[^/]+\.data\/(?:purelib|platlib)\/(.+)$/.exec(name);
  return m ? m[1] : name;
}

interface IndexedWheel {
  distribution: string;
  version: string;
  path: string;
}

/** The newest compatible wheel of each distribution in the folders, by normalized name. */
async function indexWheels(dirs: readonly string[], target: WheelTarget): Promise<Map<string, IndexedWheel>> {
  const index = new Map<string, IndexedWheel>();
  for (const dir of dirs) {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const file of names) {
      const tags = parseWheelName(file);
      if (!tags || !compatible(tags, target)) continue;
      const key = normalizeName(tags.distribution);
      const known = index.get(key);
      if (!known || known.version.localeCompare(tags.version, 'en', { numeric: true }) < 0) index.set(key, { distribution: tags.distribution, version: tags.version, path: join(dir, file) });
    }
  }
  return index;
}

export interface WheelTags {
  distribution: string;
  version: string;
  python: string[];
  abi: string[];
  platform: string[];
}

/** The parts of a wheel's file name: name-version(-build)?-python-abi-platform.whl, each tag possibly compressed (a.b). */
export function parseWheelName(file: string): WheelTags | undefined {
  if (!file.endsWith('.whl')) return undefined;
  const parts = file.slice(0, -4).split('-');
  if (parts.length !== 5 && parts.length !== 6) return undefined;
  const [distribution, version] = parts;
  const [python, abi, platform] = parts.slice(-3).map((t) => t.split('.'));
  return { distribution, version, python, abi, platform };
}

/** Whether Lambda's Python (CPython, manylinux on the function's CPU) can install the wheel. */
export function compatible(tags: WheelTags, target: WheelTarget): boolean {
  const arch = WHEEL_ARCH[target.architecture];
  const platformOk = tags.platform.some((p) => p === 'any' || (p.startsWith('manylinux') && p.endsWith(`_${arch}`)));
  const minor = Number(target.pythonVersion.split('.')[1]);
  const abi3 = tags.abi.includes('abi3');
  const pythonOk = tags.python.some((p) => {
    if (p === 'py3' || p === `py3${minor}`) return true;
    const m = /^cp3(\d+)$/.exec(p);
    return m !== null && (Number(m[1]) === minor || (abi3 && Number(m[1]) <= minor));
  });
  return platformOk && pythonOk;
}

/** The distributions a wheel's METADATA requires on Lambda (markers evaluated; extras not asked for). */
async function requiresOf(path: string, entries: readonly DirectoryEntry[], target: WheelTarget): Promise<string[]> {
  const meta = entries.find((e) => /^[^/]+\.dist-info\/METADATA$/.test(e.name));
  if (!meta) return [];
  const text = (await readEntry(path, meta)).toString('utf8');
  const head = text.split(/\r?\n\r?\n/)[0];
  const out: string[] = [];
  for (const line of head.split(/\r?\n/)) {
    const m = /^Requires-Dist:\s*([A-Za-z0-9][A-Za-z0-9._-]*)(.*)$/.exec(line);
    const marker = m?.[2].includes(';') ? m[2].slice(m[2].indexOf(';') + 1) : '';
    if (m && markerHolds(marker, target)) out.push(m[1]);
  }
  return out;
}

/**
 * Whether an environment marker (PEP 508) holds on Lambda: Linux, CPython, the function's Python
 * and CPU, no extras. Parentheses are flattened (markers in the wild are and/or chains); a
 * variable it does not know counts as holding, so a dependency is counted rather than missed.
 */
export function markerHolds(marker: string, target: WheelTarget): boolean {
  const text = marker.replace(/[()]/g, ' ').trim();
  if (text === '') return true;
  const env: Record<string, string> = {
    python_version: target.pythonVersion,
    python_full_version: `${target.pythonVersion}.0`,
    sys_platform: 'linux',
    platform_system: 'Linux',
    os_name: 'posix',
    platform_machine: WHEEL_ARCH[target.architecture],
    implementation_name: 'cpython',
    platform_python_implementation: 'CPython',
    extra: '',
  };
  const clause = (c: string): boolean => {
    const m = /^\s*(\w+)\s*(<=|>=|==|!=|~=|<|>)\s*["']([^"']*)["']\s*$/.exec(c);
    if (!m || !(m[1] in env)) return true;
    const [, name, op, value] = m;
    const actual = env[name];
    const versions = name.endsWith('_version');
    const cmp = versions ? actual.localeCompare(value, 'en', { numeric: true }) : actual === value ? 0 : 1;
    switch (op) {
      case '==':
        return versions ? cmp === 0 || actual.startsWith(`${value}.`) : cmp === 0;
      case '!=':
        return cmp !== 0;
      case '<':
        return cmp < 0;
      case '<=':
        return cmp <= 0;
      case '>':
        return cmp > 0;
      case '>=':
      case '~=':
        return cmp >= 0;
      default:
        return true;
    }
  };
  return text.split(/\s+or\s+/).some((any) => any.split(/\s+and\s+/).every(clause));
}

/** One entry's bytes, inflated: a small read at its local header. */
async function readEntry(path: string, entry: DirectoryEntry): Promise<Buffer> {
  const handle = await fs.open(path, 'r');
  try {
    const header = Buffer.alloc(30);
    await handle.read(header, 0, 30, entry.localHeaderOffset);
    if (header.readUInt32LE(0) !== 0x04034b50) throw new Error(`no local header for ${entry.name}`);
    const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const data = Buffer.alloc(entry.compressedSize);
    await handle.read(data, 0, data.length, start);
    return entry.method === 8 ? inflateRawSync(data) : data;
  } finally {
    await handle.close();
  }
}
