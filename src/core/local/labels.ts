import { hostname } from 'node:os';
import type Docker from 'dockerode';

/** Every container the product starts carries these, so it can find (and clean up) its own. */
export const LABEL_OWNER = 'lambda-workbench.owner';
export const LABEL_SESSION = 'lambda-workbench.session';
export const LABEL_FUNCTION = 'lambda-workbench.function';

/** host/pid of this process: a container whose owner process is gone is a leftover. */
export function ownerLabel(): string {
  return `${hostname()}/${process.pid}`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes containers (and debug networks) left by runs on this machine that ended without cleaning
 * up (a crash, a killed CLI). Those of live processes, and of other machines sharing the engine, stay.
 */
export async function removeLeftovers(docker: Docker): Promise<number> {
  const containers = await docker.listContainers({ all: true, filters: { label: [LABEL_OWNER] } });
  const host = hostname();
  const stale = containers.filter((c) => {
    const [h, pid] = (c.Labels[LABEL_OWNER] ?? '').split('/');
    return h === host && Number(pid) > 0 && !alive(Number(pid));
  });
  await Promise.all(stale.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  // Debug networks (see debugNetwork.ts) of those runs, once their containers are gone.
  const networks = (await docker.listNetworks({ filters: { label: [LABEL_OWNER] } }).catch(() => [])) as { Id: string; Labels?: Record<string, string> }[];
  const staleNetworks = networks.filter((n) => {
    const [h, pid] = (n.Labels?.[LABEL_OWNER] ?? '').split('/');
    return h === host && Number(pid) > 0 && !alive(Number(pid));
  });
  await Promise.all(staleNetworks.map((n) => docker.getNetwork(n.Id).remove().catch(() => undefined)));
  return stale.length;
}
