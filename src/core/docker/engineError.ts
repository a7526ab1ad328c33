import { UserError } from '../errors';
import { CLI_SOURCES, type SettingSources } from '../sources';
import type { EngineEndpoint } from './dockerHost';

export type EngineProblem = 'docker-not-installed' | 'docker-not-running' | 'docker-unreachable' | 'docker-permission' | 'docker-timeout';

/** How to start the engine behind this endpoint, in a form a person can paste. */
export function startHint(endpoint: EngineEndpoint, platform: NodeJS.Platform = process.platform): string {
  if (endpoint.podman) {
    return platform === 'linux'
      ? 'Start it with `systemctl --user start podman.socket` (or `sudo systemctl start podman.socket` for the system socket), then try again.'
      : 'Start it with `podman machine start`, then try again.';
  }
  if (endpoint.context === 'colima' || endpoint.source.startsWith('Colima')) return 'Start it with `colima start`, then try again.';
  if (platform === 'linux' && !endpoint.source.startsWith('Docker Desktop')) {
    return 'Start it with `sudo systemctl start docker` (or start Docker Desktop if you use it), then try again.';
  }
  return 'Start Docker Desktop, wait until it says it is running, then try again.';
}

/** The end of a hint for an engine elsewhere: where a person chooses another. */
function chooseEngine(sources: Pick<SettingSources, 'chooseDockerHost'>): string {
  return `or choose a running engine (${sources.chooseDockerHost}); \`docker context ls\` lists the engines you have.`;
}

/**
 * Turns a failed connection into words a person can act on. `installed` says whether any Docker
 * or Podman command exists on this machine, which separates "not installed" from "not running".
 */
export function engineError(
  err: unknown,
  endpoint: EngineEndpoint,
  installed: boolean,
  timeoutMs: number,
  platform: NodeJS.Platform = process.platform,
  sources: Pick<SettingSources, 'chooseDockerHost'> = CLI_SOURCES,
): UserError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const name = (err as Error | undefined)?.name;
  const where = `${endpoint.url} (${endpoint.source})`;
  const local = endpoint.kind === 'unix' || endpoint.kind === 'npipe';

  if (name === 'AbortError' || name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') {
    return new UserError(
      `The Docker engine at ${where} did not answer within ${(timeoutMs / 1000).toFixed(0)} s.`,
      local ? `It may be starting or stuck: ${startHint(endpoint, platform)}` : `Check that the engine runs and that this machine can reach it, ${chooseEngine(sources)}`,
      'docker-timeout',
    );
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new UserError(
      `Permission denied on the Docker socket ${endpoint.socketPath ?? endpoint.url}.`,
      platform === 'linux'
        ? 'Add your user to the docker group: `sudo usermod -aG docker $USER`, then log out and in again.'
        : 'Make sure your user may use the Docker engine (Docker Desktop: restart it).',
      'docker-permission',
    );
  }
  if (local && (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ENOTSOCK')) {
    if (!installed) {
      return new UserError(
        `Docker is not installed: no engine answers at ${where} and there is no docker or podman command on this machine.`,
        'Install Docker Engine (https://docs.docker.com/engine/install/) or Docker Desktop (or Podman with its Docker-compatible socket), then try again.',
        'docker-not-installed',
      );
    }
    return new UserError(`Docker is not running: nothing answers at ${where}.`, startHint(endpoint, platform), 'docker-not-running');
  }
  const reason = describeConnectError(err);
  return new UserError(
    `The Docker engine is not reachable at ${where}: ${reason}.`,
    local ? startHint(endpoint, platform) : `Check that the engine runs and listens there, ${chooseEngine(sources)}`,
    'docker-unreachable',
  );
}

function describeConnectError(err: unknown): string {
  const status = (err as { statusCode?: number } | undefined)?.statusCode;
  if (typeof status === 'number') return `something answers there, but not a Docker engine API (HTTP ${status})`;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to the host';
    case 'ECONNRESET':
      return 'the connection was reset (is it an https port without TLS, or the other way round?)';
    default: {
      const message = err instanceof Error ? err.message : String(err);
      return message.replace(/\s+$/, '') || 'unknown error';
    }
  }
}
