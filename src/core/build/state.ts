import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { FileMemo } from './fingerprint';
import type { BuilderId } from './types';

/** What the artifact in place was built from: written after it is in place, removed before it is replaced. */
export interface BuildState {
  key: string;
  builder: BuilderId;
  builtAt: string;
  durationMs: number;
  /** esbuild's metafile for the artifact (see BuildOutcome). */
  metafile?: unknown;
  /** BuildOutcome.reads, and their fingerprint when the artifact was written (see readsFingerprint). */
  reads?: { paths: string[]; fingerprint: string };
}

/** Parsed once per version of the file (it is replaced whole, by rename); callers only read it. */
const states = new FileMemo<BuildState | undefined>((bytes) => {
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as Partial<BuildState>;
    return typeof parsed.key === 'string' && typeof parsed.builder === 'string' ? (parsed as BuildState) : undefined;
  } catch {
    return undefined;
  }
});

export async function readState(path: string): Promise<Readonly<BuildState> | undefined> {
  try {
    return await states.get(path);
  } catch {
    return undefined;
  }
}

export async function writeState(path: string, state: BuildState): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
  await fs.rename(tmp, path);
}

export async function removeState(path: string): Promise<void> {
  await fs.rm(path, { force: true });
}
