import type Docker from 'dockerode';
import { UserError } from '../errors';
import { tarFolder } from './tarFolder';

/** One "SOURCE:TARGET[:ro|rw]" bind. */
export interface BindSpec {
  source: string;
  target: string;
  readOnly: boolean;
}

/** Splits a bind from the right, so a Windows source (C:\code) keeps its drive letter. */
export function parseBind(bind: string): BindSpec {
  let rest = bind;
  let readOnly = false;
  const opts = /:(ro|rw)$/.exec(rest);
  if (opts) {
    readOnly = opts[1] === 'ro';
    rest = rest.slice(0, -opts[0].length);
  }
  const i = rest.lastIndexOf(':');
  if (i <= 0 || !rest.slice(i + 1).startsWith('/')) throw new Error(`not a bind of a folder to a container path: ${bind}`);
  return { source: rest.slice(0, i), target: rest.slice(i + 1), readOnly };
}

/**
 * How the function's folders (code at /var/task, layers at /opt) get into its container. A local
 * engine bind-mounts them. A remote engine's machine does not have these folders (a bind would
 * mount an empty directory there), so each target becomes an empty volume of the container's own
 * (removed with it), which copyBindsIn fills before the container starts. A volume rather than
 * the image's file system, because the function's root file system is read-only and the engine
 * copies into a read-only one only through a writable volume. (Unlike a read-only bind, the
 * function can then write to its copy of /var/task; Lambda's is read-only.)
 */
export function codeMounts(binds: readonly string[], local: boolean): { binds: string[]; mounts: Docker.MountSettings[] } {
  if (local) return { binds: [...binds], mounts: [] };
  return {
    binds: [],
    // NoCopy: the image's own files at the target stay hidden, as under a bind.
    mounts: binds.map((b) => ({ Type: 'volume', Source: '', Target: parseBind(b).target, VolumeOptions: { NoCopy: true, Labels: {}, DriverConfig: { Name: 'local', Options: {} } } })),
  };
}

/**
 * Copies each bind's folder into the created (not yet started) container at its target, through
 * the engine's archive API: what replaces bind mounts on a remote engine (see codeMounts).
 */
export async function copyBindsIn(container: Pick<Docker.Container, 'putArchive'>, binds: readonly string[]): Promise<void> {
  for (const bind of binds) {
    const { source, target } = parseBind(bind);
    try {
      await container.putArchive(tarFolder(source), { path: target });
    } catch (err) {
      const message = ((err as { json?: { message?: string } }).json?.message ?? (err as Error).message).trim();
      throw new UserError(
        `Could not copy ${source} into the container at ${target}: ${message}`,
        'The Docker engine is on another machine, so the folder is sent to it; check that it is readable and that the engine has room for it.',
        'code-copy',
      );
    }
  }
}
