import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Io } from '../../../src/cli/io';
import { planZip, writeZipFile } from '../../../src/core/pack';
import { filesUnder, offlineSettings } from '../build/support';

export function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += `${t}\n`), err: (t: string) => void (io.stderr += `${t}\n`) };
  return io;
}

/** The build tests' offline package folders as CLI flags: what a user behind a mirror would pass. */
export function offlineFlags(): string[] {
  const s = offlineSettings();
  return [...(s.pipArgs ?? []).map((a) => `--pip-arg=${a}`), ...(s.npmArgs ?? []).map((a) => `--npm-arg=${a}`)];
}

/** Sets environment variables for a test; the returned function puts them back. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>): void => {
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) delete process.env[k];
      else process.env[k] = x;
    }
  };
  apply(vars);
  return () => apply(saved);
}

/** Bytes of every file under a folder. */
export function bytesUnder(dir: string): number {
  return filesUnder(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/**
 * The zip of a folder made here, independently of the size engine's walk: every file, by its
 * path, with its exec bit, through the deterministic writer. Returns its base64 SHA-256 and names.
 */
export async function zipOfFolder(dir: string, out: string): Promise<{ codeSha256: string; names: string[] }> {
  const inputs = filesUnder(dir).map((name) => {
    const st = statSync(join(dir, name));
    return { name, source: { kind: 'file' as const, path: join(dir, name) }, size: st.size, executable: (st.mode & 0o111) !== 0 };
  });
  await writeZipFile(await planZip(inputs), out);
  return { codeSha256: createHash('sha256').update(readFileSync(out)).digest('base64'), names: inputs.map((i) => i.name) };
}
