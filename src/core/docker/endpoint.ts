import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readContextEndpoint } from './contexts';
import type { SettingSources } from '../sources';
import { type EngineEndpoint, parseDockerHost } from './dockerHost';

export type { EngineEndpoint } from './dockerHost';
export { parseDockerHost } from './dockerHost';

export interface EndpointOptions {
  /** An explicit engine address (the extension setting, a CLI flag); wins over everything else. */
  dockerHost?: string;
  /** What to name the explicit setting in messages. */
  dockerHostSource?: string;
  /** How the shell names where a person chooses the engine, for hints; default the CLI's. */
  sources?: Pick<SettingSources, 'chooseDockerHost'>;
  env?: Record<string, string | undefined>;
  home?: string;
  platform?: NodeJS.Platform;
  /** Whether a socket file exists (tests pass their own). */
  exists?: (path: string) => boolean;
}

/**
 * Finds the engine the way the docker CLI does: an explicit host, then DOCKER_HOST, then the
 * current context (DOCKER_CONTEXT or config.json's currentContext), then the default socket;
 * after the CLI's own order, Docker Desktop's per-user sockets and Podman's socket, so machines
 * with only those work too.
 */
export function resolveEndpoint(opts: EndpointOptions = {}): EngineEndpoint {
  const env = opts.env ?? process.env;
  const home = opts.home ?? homedir();
  const platform = opts.platform ?? process.platform;

  const explicit = opts.dockerHost?.trim();
  if (explicit) return withTlsFromEnv(parseDockerHost(explicit, opts.dockerHostSource ?? 'the lambdaWorkbench.docker.host setting'), env, home);

  const fromEnv = env.DOCKER_HOST?.trim();
  if (fromEnv) return withTlsFromEnv(parseDockerHost(fromEnv, 'DOCKER_HOST'), env, home);

  const configDir = env.DOCKER_CONFIG?.trim() || join(home, '.docker');
  const fromContext = readContextEndpoint(configDir, env.DOCKER_CONTEXT?.trim(), opts.sources);
  if (fromContext) return fromContext;

  return defaultSocket(home, env, platform, opts.exists ?? existsSync);
}

/** The candidates after the docker CLI's own default, in the order they are tried. */
export function defaultSocketCandidates(home: string, env: Record<string, string | undefined>, platform: NodeJS.Platform): EngineEndpoint[] {
  if (platform === 'win32') {
    return [
      { url: 'npipe:////./pipe/docker_engine', kind: 'npipe', socketPath: '//./pipe/docker_engine', source: 'the default Docker pipe' },
      { url: 'npipe:////./pipe/podman-machine-default', kind: 'npipe', socketPath: '//./pipe/podman-machine-default', source: "Podman's default pipe", podman: true },
    ];
  }
  const unix = (path: string, source: string, podman = false): EngineEndpoint => ({ url: `unix://${path}`, kind: 'unix', socketPath: path, source, podman });
  const list = [
    unix('/var/run/docker.sock', 'the default socket'),
    unix(join(home, '.docker', 'run', 'docker.sock'), "Docker Desktop's socket"),
    unix(join(home, '.docker', 'desktop', 'docker.sock'), "Docker Desktop's socket"),
    unix(join(home, '.colima', 'default', 'docker.sock'), "Colima's socket"),
  ];
  const runtimeDir = env.XDG_RUNTIME_DIR?.trim();
  if (runtimeDir) list.push(unix(join(runtimeDir, 'podman', 'podman.sock'), "Podman's user socket", true));
  list.push(unix('/run/podman/podman.sock', "Podman's system socket", true));
  if (platform === 'darwin') {
    list.push(unix(join(home, '.local', 'share', 'containers', 'podman', 'machine', 'podman.sock'), "Podman machine's socket", true));
  }
  return list;
}

function defaultSocket(home: string, env: Record<string, string | undefined>, platform: NodeJS.Platform, exists: (path: string) => boolean): EngineEndpoint {
  const candidates = defaultSocketCandidates(home, env, platform);
  // Named pipes cannot be probed with existsSync; the first one is Docker's own default.
  if (platform === 'win32') return candidates[0];
  return candidates.find((c) => c.socketPath && exists(c.socketPath)) ?? candidates[0];
}

/** DOCKER_TLS_VERIFY / DOCKER_CERT_PATH apply to tcp addresses from the setting or DOCKER_HOST, as in the docker CLI. */
function withTlsFromEnv(endpoint: EngineEndpoint, env: Record<string, string | undefined>, home: string): EngineEndpoint {
  if (endpoint.kind !== 'tcp') return endpoint;
  const verify = Boolean(env.DOCKER_TLS_VERIFY);
  const tls = verify || Boolean(env.DOCKER_TLS) || endpoint.tls !== undefined || endpoint.port === 2376;
  if (!tls) return endpoint;
  const certDir = env.DOCKER_CERT_PATH?.trim() || join(home, '.docker');
  const pem = (name: string): string | undefined => (existsSync(join(certDir, name)) ? join(certDir, name) : undefined);
  return { ...endpoint, tls: { verify: verify || (endpoint.tls?.verify ?? false), caPath: pem('ca.pem'), certPath: pem('cert.pem'), keyPath: pem('key.pem') } };
}
