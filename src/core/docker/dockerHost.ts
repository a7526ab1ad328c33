import { UserError } from '../errors';

/** Where a Docker engine listens, and why we chose it (so errors can name the setting to change). */
export interface EngineEndpoint {
  /** As a person writes it: unix:///var/run/docker.sock, tcp://10.0.0.5:2376, ssh://me@build-box. */
  url: string;
  kind: 'unix' | 'npipe' | 'tcp' | 'ssh';
  socketPath?: string;
  host?: string;
  port?: number;
  username?: string;
  /** TLS for tcp endpoints: the PEM files, and whether the server certificate is verified. */
  tls?: { verify: boolean; caPath?: string; certPath?: string; keyPath?: string };
  /** Where the choice came from, for messages: 'the lambdaWorkbench.docker.host setting', 'DOCKER_HOST', ... */
  source: string;
  /** The docker context it came from, when it did. */
  context?: string;
  /** A Podman socket rather than Docker's (changes how to start it). */
  podman?: boolean;
}

/**
 * Parses a DOCKER_HOST-style address. Accepts what the docker CLI accepts (unix://, npipe://,
 * tcp://, ssh://) plus a bare absolute socket path and a bare host:port, which people type.
 */
export function parseDockerHost(value: string, source: string): EngineEndpoint {
  const bad = (why: string): UserError =>
    new UserError(
      `The Docker engine address '${value}' (from ${source}) is not valid: ${why}.`,
      'Use unix:///path/to/docker.sock, tcp://host:2375, tcp://host:2376 with TLS, or ssh://user@host.',
      'docker-bad-host',
    );
  if (value.startsWith('/')) return { url: `unix://${value}`, kind: 'unix', socketPath: value, source };
  if (value.startsWith('unix://')) {
    const path = value.slice('unix://'.length);
    if (!path) throw bad('the socket path is missing');
    return { url: value, kind: 'unix', socketPath: path, source };
  }
  if (value.startsWith('npipe://')) {
    const path = value.slice('npipe://'.length);
    if (!path) throw bad('the pipe path is missing');
    return { url: value, kind: 'npipe', socketPath: path, source };
  }
  const withScheme = value.includes('://') ? value : `tcp://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw bad('it is not a URL');
  }
  if (!url.hostname) throw bad('the host name is missing');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (url.protocol === 'ssh:') {
    const port = url.port ? Number(url.port) : 22;
    return { url: `ssh://${url.username ? `${url.username}@` : ''}${url.host}`, kind: 'ssh', host, port, username: url.username || undefined, source };
  }
  if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
    if (url.pathname && url.pathname !== '/') throw bad('a path after the host is not supported');
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 2376 : 2375;
    const endpoint: EngineEndpoint = { url: `tcp://${url.host.includes(':') ? url.host : `${url.host}:${port}`}`, kind: 'tcp', host, port, source };
    if (url.protocol === 'https:') endpoint.tls = { verify: true };
    return endpoint;
  }
  throw bad(`the scheme '${url.protocol.replace(/:$/, '')}' is not one Docker uses`);
}
