import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type Docker from 'dockerode';
import { UserError } from '../errors';
import type { SettingSources } from '../sources';
import { connectEngine } from './connect';
import type { EngineEndpoint } from './dockerHost';
import { type EndpointOptions, resolveEndpoint } from './endpoint';
import { engineError } from './engineError';

/** What the engine says about itself: enough to pick addresses, cgroup files and images. */
export interface EngineInfo {
  version: string;
  apiVersion: string;
  /** 'Docker Desktop', 'Debian GNU/Linux 12 (bookworm)', ... */
  operatingSystem: string;
  /** The engine machine's architecture as Docker names it: 'x86_64', 'aarch64'. */
  architecture: string;
  cgroupVersion?: '1' | '2';
  cgroupDriver?: string;
  /** The engine runs in a VM (Docker Desktop, Podman machine, Colima): its bridge is not on this machine. */
  virtualized: boolean;
  podman: boolean;
  /** The host name of the engine's machine, as it reports it (docker info's Name). */
  name?: string;
}

/** A connected engine: the client, where it is, and what it is. Pass it to the local runner. */
export interface Engine {
  docker: Docker;
  endpoint: EngineEndpoint;
  info: EngineInfo;
  /** The address of this machine the engine's containers reach the Runtime API at, when the user set one. */
  runtimeApiAddress?: RuntimeApiAddress;
  /** How the shell that opened it names what a person sets, for hints; default the CLI's. */
  sources?: EngineSources;
}

/** What hints about an engine name: where a person chooses it, the Runtime API address and the network. */
export type EngineSources = Pick<SettingSources, 'chooseDockerHost' | 'chooseRuntimeApiAddress' | 'hostNetwork'>;

/** An address the user chose for the Runtime API, and where it was set (for messages). */
export interface RuntimeApiAddress {
  address: string;
  source: string;
}

export interface EngineCheck {
  ok: true;
  endpoint: EngineEndpoint;
  version: string;
}

export interface EngineOptions extends EndpointOptions {
  /** How long the engine may take to answer the check. */
  timeoutMs?: number;
  /** The Runtime API address to give containers instead of the automatic choice (a setting, a CLI flag). */
  runtimeApiAddress?: string;
  /** What to name it in messages. */
  runtimeApiAddressSource?: string;
  sources?: EngineSources;
}

/** The environment variable that sets the Runtime API address when no setting or flag does. */
export const RUNTIME_API_ADDRESS_ENV = 'LAMBDA_WORKBENCH_RUNTIME_API_ADDRESS';

const DEFAULT_TIMEOUT_MS = 3_000;
// An ssh engine needs a handshake first.
const SSH_TIMEOUT_MS = 15_000;

function timeoutFor(endpoint: EngineEndpoint, opts: EngineOptions): number {
  return opts.timeoutMs ?? (endpoint.kind === 'ssh' ? SSH_TIMEOUT_MS : DEFAULT_TIMEOUT_MS);
}

/**
 * Quick check that the engine answers. Resolves with its version, or throws a UserError that
 * says "not installed", "not running" or "not reachable at X" and what to do about it.
 */
export async function checkEngine(opts: EngineOptions = {}): Promise<EngineCheck> {
  const engine = await openEngine(opts);
  return { ok: true, endpoint: engine.endpoint, version: engine.info.version };
}

/** The same check, never throwing: the shape `doctor` prints. */
export async function probeEngine(
  opts: EngineOptions = {},
): Promise<{ ok: boolean; endpoint: string | null; version: string | null; error: string | null; hint: string | null }> {
  let endpoint: EngineEndpoint | undefined;
  try {
    endpoint = resolveEndpoint(opts);
    const check = await checkEngine(opts);
    return { ok: true, endpoint: check.endpoint.url, version: check.version, error: null, hint: null };
  } catch (err) {
    const user = err instanceof UserError ? err : undefined;
    return {
      ok: false,
      endpoint: endpoint?.url ?? null,
      version: null,
      error: err instanceof Error ? err.message : String(err),
      hint: user?.hint ?? null,
    };
  }
}

/** Resolves, connects and checks the engine in one step; what container work starts with. */
export async function openEngine(opts: EngineOptions = {}): Promise<Engine> {
  const endpoint = resolveEndpoint(opts);
  const runtimeApiAddress = runtimeApiAddressFrom(opts);
  const timeoutMs = timeoutFor(endpoint, opts);
  const fail = (err: unknown): UserError => (err instanceof UserError ? err : engineError(err, endpoint, dockerInstalled(opts.env ?? process.env), timeoutMs, process.platform, opts.sources));

  // A missing socket file needs no connection attempt to explain.
  if (endpoint.kind === 'unix' && endpoint.socketPath && !existsSync(endpoint.socketPath)) {
    throw fail(Object.assign(new Error(`no socket at ${endpoint.socketPath}`), { code: 'ENOENT' }));
  }
  let docker: Docker;
  try {
    docker = await connectEngine(endpoint);
  } catch (err) {
    throw fail(err);
  }
  try {
    const signal = AbortSignal.timeout(timeoutMs);
    // dockerode takes an abort signal on these calls; its type definitions do not say so.
    const call = <T>(fn: (opts: { abortSignal: AbortSignal }) => Promise<unknown>): Promise<T> => fn.call(docker, { abortSignal: signal }) as Promise<T>;
    // Side by side: each is a round trip, and /info is one of the engine's slower answers.
    const [version, info] = await Promise.all([
      call<Docker.DockerVersion & { Components?: { Name?: string }[] }>(docker.version as never),
      call<{
        OperatingSystem?: string;
        Architecture?: string;
        CgroupVersion?: string;
        CgroupDriver?: string;
        Name?: string;
      }>(docker.info as never),
    ]);
    const podman = Boolean(version.Components?.some((c) => /podman/i.test(c.Name ?? ''))) || endpoint.podman === true;
    const os = info.OperatingSystem ?? '';
    return {
      docker,
      endpoint,
      runtimeApiAddress,
      ...(opts.sources ? { sources: opts.sources } : {}),
      info: {
        version: version.Version,
        apiVersion: version.ApiVersion,
        operatingSystem: os,
        architecture: info.Architecture ?? '',
        cgroupVersion: info.CgroupVersion === '1' || info.CgroupVersion === '2' ? info.CgroupVersion : undefined,
        cgroupDriver: info.CgroupDriver,
        virtualized: /docker desktop|boot2docker/i.test(os) || info.Name === 'colima' || (podman && process.platform !== 'linux'),
        podman,
        name: info.Name || undefined,
      },
    };
  } catch (err) {
    throw fail(err);
  }
}

/**
 * The explicit Runtime API address: the option, else the environment variable. It is checked
 * where it is used (planRuntimeAddress), so a wrong value never stops work that does not need it.
 */
export function runtimeApiAddressFrom(opts: Pick<EngineOptions, 'runtimeApiAddress' | 'runtimeApiAddressSource' | 'env'>): RuntimeApiAddress | undefined {
  const explicit = opts.runtimeApiAddress?.trim();
  const fromEnv = (opts.env ?? process.env)[RUNTIME_API_ADDRESS_ENV]?.trim();
  if (explicit) return { address: explicit, source: opts.runtimeApiAddressSource ?? 'the lambdaWorkbench.local.runtimeApiAddress setting' };
  if (fromEnv) return { address: fromEnv, source: RUNTIME_API_ADDRESS_ENV };
  return undefined;
}

/** Whether a Docker or Podman command exists here: separates "not installed" from "not running". */
export function dockerInstalled(env: Record<string, string | undefined>): boolean {
  const names = process.platform === 'win32' ? ['docker.exe', 'podman.exe', 'dockerd.exe'] : ['docker', 'dockerd', 'podman'];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return true;
      } catch {
        // not here
      }
    }
  }
  return process.platform === 'darwin' && existsSync('/Applications/Docker.app');
}
