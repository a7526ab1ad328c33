import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type CancellationTokenLike, CancelledError } from '../cancel';
import type { FunctionContainer } from './container';
import { DEBUG_PORTS, DEBUGPY_SITE_DIR, DELVE_DIR, type DebugLanguage, type DebugOptions, debugpySiteCustomize, delveEntrypoint, javaToolOptionsForDebug, nodeOptionsForDebug } from './debug';
import type { Progress } from './images';

/**
 * What a debug container adds to its environment and mounts: the runtime's debugger listening on
 * its port (NODE_OPTIONS, JAVA_TOOL_OPTIONS, debugpy through a sitecustomize.py mounted from cacheDir,
 * or Delve, mounted, starting the bootstrap: the entrypoint returned replaces the container's). On the host
 * network the debugger listens on this machine's loopback, on a free port; otherwise on the
 * container's own address, at the language's usual port. Returns that port, and for Go the
 * entrypoint that replaces the container's.
 */
export async function addDebugger(
  language: DebugLanguage,
  hostNetwork: boolean,
  cacheDir: string,
  env: Record<string, string>,
  binds: string[],
  go?: { delveDir: string; entrypoint: readonly string[] },
): Promise<{ port: number; entrypoint?: string[] }> {
  const port = hostNetwork ? await freeLoopbackPort() : DEBUG_PORTS[language];
  const host = hostNetwork ? '127.0.0.1' : '0.0.0.0';
  if (language === 'node') {
    env.NODE_OPTIONS = nodeOptionsForDebug(env.NODE_OPTIONS, `${host}:${port}`);
    return { port };
  }
  if (language === 'java') {
    // JDWP's own spelling of "every address" is `*`.
    env.JAVA_TOOL_OPTIONS = javaToolOptionsForDebug(env.JAVA_TOOL_OPTIONS, `${hostNetwork ? host : '*'}:${port}`);
    return { port };
  }
  if (language === 'go') {
    if (!go) throw new Error('a Go debug container needs Delve and the bootstrap');
    binds.push(`${go.delveDir}:${DELVE_DIR}:ro`);
    return { port, entrypoint: delveEntrypoint(go.entrypoint, `${host}:${port}`) };
  }
  const dir = join(cacheDir, 'debugpy', String(port));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'sitecustomize.py'), debugpySiteCustomize(port, host));
  binds.push(`${dir}:${DEBUGPY_SITE_DIR}:ro`);
  env.PYTHONPATH = [DEBUGPY_SITE_DIR, env.PYTHONPATH].filter(Boolean).join(':');
  env.LAMBDA_WORKBENCH_DEBUG = '1';
  return { port };
}

/** Starts the debuggee, lets the caller attach, and starts the init clock once it has. */
export async function attachDebugger(
  logicalId: string,
  container: FunctionContainer,
  localRoot: string,
  how: { language: DebugLanguage; debug: DebugOptions; sourceMapped: boolean },
  progress: (p: Progress) => void,
  token?: CancellationTokenLike,
): Promise<void> {
  progress({ message: `Waiting for ${logicalId}'s debugger` });
  const port = await container.startDebuggee(token);
  progress({ message: `Attaching the debugger to ${logicalId}` });
  const attached = how.debug.attach({ language: how.language, host: '127.0.0.1', port, remoteRoot: '/var/task', localRoot, sourceMapped: how.sourceMapped, containerId: container.id }, token);
  let sub: { dispose(): void } | undefined;
  const cancelled = new Promise<never>((_, reject) => {
    sub = token?.onCancellationRequested(() => reject(new CancelledError(`debugging ${logicalId}`)));
  });
  try {
    await Promise.race([attached, cancelled]);
  } finally {
    sub?.dispose();
  }
  container.markAttached();
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
