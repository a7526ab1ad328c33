import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Architecture } from '../../model/types';
import { ELF_MACHINE, elfMachine, machineArchitecture } from '../elf';

/** A native addon an install compiled (or fetched) for a machine other than the function's. */
export interface ForeignAddon {
  /** The npm package it belongs to: 'better-sqlite3', '@scope/name'. */
  packageName: string;
  /** Relative to node_modules' parent, '/'-separated. */
  path: string;
  /** What it is built for: an architecture, or 'not linux' when it is not ELF at all. */
  builtFor: string;
}

/**
 * Addons in build/Release or build/Debug (where node-gyp and prebuild installers put the one they
 * made for this machine) that Lambda's CPU cannot load. Packages shipping prebuilt binaries for
 * many platforms elsewhere (prebuilds/, per-platform optional packages) are left alone: they
 * choose at run time.
 */
export async function foreignAddons(root: string, architecture: Architecture): Promise<ForeignAddon[]> {
  const found: ForeignAddon[] = [];
  const modules = join(root, 'node_modules');
  const entries = await fs.readdir(modules, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith('.node')) continue;
    const dir = e.parentPath.split(/[\\/]/);
    if (dir.at(-2) !== 'build' || (dir.at(-1) !== 'Release' && dir.at(-1) !== 'Debug')) continue;
    const file = join(e.parentPath, e.name);
    const machine = await elfMachine(file).catch(() => null);
    if (machine === ELF_MACHINE[architecture]) continue;
    const rel = file.slice(root.length + 1).split(/[\\/]/).join('/');
    found.push({ packageName: packageOf(rel), path: rel, builtFor: machine === null ? 'not linux' : (machineArchitecture(machine) ?? `ELF machine ${machine}`) });
  }
  return found;
}

/** The package a path under node_modules belongs to (the innermost one). */
function packageOf(rel: string): string {
  const parts = rel.split('/');
  const at = parts.lastIndexOf('node_modules');
  const first = parts[at + 1] ?? rel;
  return first.startsWith('@') ? `${first}/${parts[at + 2]}` : first;
}
