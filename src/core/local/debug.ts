import type Docker from 'dockerode';
import type { CancellationTokenLike } from '../cancel';
import type { FunctionSpec } from '../model/types';
import { UserError } from '../errors';
import { CLI_SOURCES } from '../sources';
import type { InvocationClock } from './clock';
import { LABEL_OWNER, ownerLabel } from './labels';

export type DebugLanguage = 'node' | 'python' | 'java' | 'go';

/** Where a debugger attaches to a function waiting in its container. */
export interface DebugTarget {
  language: DebugLanguage;
  /** Always loopback: the port is published to 127.0.0.1 only. */
  host: '127.0.0.1';
  port: number;
  /** The code folder inside the container, and the folder on this machine that was mounted there. */
  remoteRoot: '/var/task';
  localRoot: string;
  /** The code was built by esbuild with source maps next to it: breakpoints go in the original sources. */
  sourceMapped: boolean;
  /** The container, for messages. */
  containerId: string;
}

export interface DebugOptions {
  /**
   * Called once the runtime's debugger listens (the runtime is paused before its first line);
   * resolve when a debugger has attached. The event is sent only after that.
   */
  attach(target: DebugTarget, token?: CancellationTokenLike): Promise<void>;
  /** Pause it while the debugger is stopped: the function's timeout counts only running time. */
  clock?: InvocationClock;
  /** Called when the invocation is over, before its container is removed: end the debug session. */
  detach?(): Promise<void>;
}

/** Ports inside the container: the Node inspector's, debugpy's, the usual JDWP and Delve defaults. */
export const DEBUG_PORTS: Record<DebugLanguage, number> = { node: 9229, python: 5678, java: 5005, go: 2345 };

/**
 * What each debugger prints when it listens: node on stderr, our debugpy start on stdout, the
 * JVM's JDWP agent on stdout, and Delve's headless server on stdout.
 */
export const DEBUGGER_LISTENING = /^(Debugger listening on (ws:\/\/|debugpy )|Listening for transport dt_socket at address: |API server listening at: )/;

/**
 * The debugger for a function, or undefined when there is none here (.NET, Rust, other custom
 * runtimes). Go runs on the custom runtimes, known by its BuildMethod.
 */
export function debugLanguage(fn: Pick<FunctionSpec, 'runtime' | 'build'>): DebugLanguage | undefined {
  const runtime = fn.runtime;
  if (runtime?.startsWith('nodejs')) return 'node';
  if (runtime?.startsWith('python')) return 'python';
  if (runtime?.startsWith('java')) return 'java';
  if (runtime?.startsWith('provided') && fn.build?.method === 'go1.x') return 'go';
  return undefined;
}

/** Why a function cannot be debugged here, or the debugger it takes. */
export function debuggable(fn: FunctionSpec): DebugLanguage {
  if (fn.packageType === 'Image') {
    throw new UserError(
      `${fn.logicalId} is an image function; Debug Locally attaches to zip functions' runtimes.`,
      "Invoke it locally instead, or debug the handler as a zip function with the image's runtime.",
      'debug-unsupported',
    );
  }
  const language = debugLanguage(fn);
  if (!language) {
    throw new UserError(
      `Debug Locally supports Node.js, Python, Java and Go functions; ${fn.logicalId} uses ${fn.runtime ?? 'no runtime'}.`,
      `${debugInstead(fn)} Invoke Locally runs it in its container with its log and REPORT.`,
      'debug-unsupported',
    );
  }
  return language;
}

/** What to do instead of Debug Locally, for the runtimes it does not attach to. */
function debugInstead(fn: FunctionSpec): string {
  const runtime = fn.runtime ?? '';
  if (/^provided/.test(runtime)) {
    const rust = fn.build?.method === 'rust-cargolambda';
    return rust
      ? 'Debug its handler through its unit test on this machine instead (cargo test, with the CodeLLDB extension: Debug on the test).'
      : 'A Go function is debugged when its template builds it (BuildMethod: go1.x in its Metadata); otherwise debug its handler through its unit test on this machine.';
  }
  return 'Debug its handler through its unit test on this machine instead.';
}

/** How long the runtime may take to open its debugger port after the container starts. */
export const LISTEN_TIMEOUT_MS = 15_000;

/**
 * NODE_OPTIONS that start the inspector paused before the runtime's first line, added to the
 * function's own NODE_OPTIONS. The runtime (AWS's bootstrap runs `node .../index.mjs`) honours it,
 * so any Lambda-compatible Node image works without changing its entrypoint.
 */
export function nodeOptionsForDebug(existing: string | undefined, address: string): string {
  const own = (existing ?? '').replace(/--inspect(-brk|-wait)?(=\S*)?/g, '').trim();
  return [own, `--inspect-brk=${address}`].filter(Boolean).join(' ');
}

/**
 * JAVA_TOOL_OPTIONS that load the JVM's JDWP agent, paused before the runtime's first line, added to
 * the function's own options (any earlier JDWP agent taken out). Every JVM honours the variable, so
 * any Lambda-compatible Java image works without changing its entrypoint.
 */
export function javaToolOptionsForDebug(existing: string | undefined, address: string): string {
  const own = (existing ?? '').replace(/(-agentlib:jdwp|-Xrunjdwp:?)\S*/g, '').replace(/\s+/g, ' ').trim();
  return [own, `-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=${address}`].filter(Boolean).join(' ');
}

/** Where the runner mounts Delve (see build/delve.ts). */
export const DELVE_DIR = '/var/lambda-workbench-delve';

/**
 * A Go function's entrypoint under Delve's headless server, which speaks the Debug Adapter Protocol
 * to the Go extension's "remote" attach: the function is stopped before its first instruction
 * until a debugger attaches and lets it run. Any debugger may connect (--only-same-user=false): the
 * container's user is not the editor's, and the port is reached on 127.0.0.1 only.
 */
export function delveEntrypoint(entrypoint: readonly string[], address: string): string[] {
  const [program, ...args] = entrypoint;
  return [`${DELVE_DIR}/dlv`, 'exec', program, '--headless', `--listen=${address}`, '--api-version=2', '--accept-multiclient', '--only-same-user=false', ...(args.length > 0 ? ['--', ...args] : [])];
}

/** Where the runner mounts the sitecustomize below, put first on PYTHONPATH. */
export const DEBUGPY_SITE_DIR = '/var/lambda-workbench-debug';

/**
 * Python's sitecustomize runs before any other module of the interpreter, whichever way the image's
 * bootstrap starts it: it opens debugpy and waits for the editor before the runtime loads the handler.
 * It then takes its own folder off PYTHONPATH again: AWS's bootstrap puts the layers (/opt/python)
 * on the module path only when PYTHONPATH is unset, so a function that sets none must not seem to.
 */
export function debugpySiteCustomize(port: number, host: string): string {
  return [
    '# Written by Lambda Workbench for Debug Locally: waits for the debugger before the runtime starts.',
    'import os, sys',
    `_own = [p for p in os.environ.get('PYTHONPATH', '').split(':') if p and p != '${DEBUGPY_SITE_DIR}']`,
    'if _own:',
    "    os.environ['PYTHONPATH'] = ':'.join(_own)",
    'else:',
    "    os.environ.pop('PYTHONPATH', None)",
    "if os.environ.get('LAMBDA_WORKBENCH_DEBUG') == '1':",
    "    os.environ['LAMBDA_WORKBENCH_DEBUG'] = '0'",
    '    import debugpy',
    `    debugpy.listen(('${host}', ${port}))`,
    `    print('Debugger listening on debugpy ${host}:${port}', flush=True)`,
    '    debugpy.wait_for_client()',
    '',
  ].join('\n');
}

/**
 * Whether the image can run debugpy: a throwaway container imports it. Answers "no" with the
 * reason and the fix as a UserError, so a Python debug session never fails silently.
 */
export async function checkDebugpy(
  docker: Docker,
  image: string,
  labels: Record<string, string> = {},
  token?: CancellationTokenLike,
  mapIn: string = CLI_SOURCES.images,
): Promise<void> {
  const script = 'for p in /var/lang/bin/python3 python3 python; do command -v $p >/dev/null 2>&1 && exec $p -c "import debugpy"; done; exit 127';
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ['/bin/sh', '-c', script],
    Cmd: [],
    HostConfig: { NetworkMode: 'none' },
    Labels: { ...labels, [LABEL_OWNER]: ownerLabel() },
  });
  const sub = token?.onCancellationRequested(() => void container.remove({ force: true }).catch(() => undefined));
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    if (StatusCode === 0) return;
    const fix =
      // Not a layer: the debugger starts before the runtime puts the layers on the module path.
      `Add debugpy to the image: build one FROM it with \`RUN pip install debugpy\` and map the runtime to it (${mapIn}).`;
    throw new UserError(
      StatusCode === 127 ? `The image ${image} has no Python interpreter on its PATH, so debugpy cannot run there.` : `The image ${image} has no debugpy, which Python debugging needs.`,
      fix,
      'debugpy-missing',
    );
  } finally {
    sub?.dispose();
    await container.remove({ force: true }).catch(() => undefined);
  }
}
