import { readFileSync } from 'node:fs';
import type Docker from 'dockerode';
import { UserError } from '../errors';
import type { EngineEndpoint } from './dockerHost';

/**
 * dockerode options for an endpoint. Every connection key is set, even to undefined, because
 * docker-modem merges DOCKER_HOST/DOCKER_TLS_VERIFY from the environment under whatever it is
 * given: an explicit unix socket would otherwise lose to a tcp DOCKER_HOST.
 */
export function dockerOptions(endpoint: EngineEndpoint): Docker.DockerOptions {
  const base: Docker.DockerOptions = { socketPath: undefined, host: undefined, port: undefined, protocol: undefined, username: undefined, ca: undefined, cert: undefined, key: undefined };
  switch (endpoint.kind) {
    case 'unix':
    case 'npipe':
      return { ...base, socketPath: endpoint.socketPath };
    case 'ssh':
      return { ...base, protocol: 'ssh', host: endpoint.host, port: endpoint.port, username: endpoint.username, sshOptions: { agent: process.env.SSH_AUTH_SOCK } };
    case 'tcp': {
      if (!endpoint.tls) return { ...base, protocol: 'http', host: endpoint.host, port: endpoint.port };
      const read = (path: string | undefined): Buffer | undefined => {
        if (!path) return undefined;
        try {
          return readFileSync(path);
        } catch (err) {
          throw new UserError(`Cannot read the Docker TLS file ${path}: ${(err as Error).message}`, 'Check DOCKER_CERT_PATH or the docker context.', 'docker-tls');
        }
      };
      return { ...base, protocol: 'https', host: endpoint.host, port: endpoint.port, ca: read(endpoint.tls.caPath), cert: read(endpoint.tls.certPath), key: read(endpoint.tls.keyPath) };
    }
  }
}

/**
 * A dockerode client for the endpoint. dockerode (with ssh2 and the gRPC stack under it) is
 * loaded here, on first use, so that merely activating the extension never pays for it.
 */
export async function connectEngine(endpoint: EngineEndpoint): Promise<Docker> {
  const { default: Dockerode } = await import('dockerode');
  const options = dockerOptions(endpoint);
  const docker = new Dockerode(options);
  if (endpoint.kind === 'tcp' && endpoint.tls && !endpoint.tls.verify) {
    // docker-modem has no "skip verify" switch; the agent option is how https requests get one.
    const https = await import('node:https');
    (docker.modem as { agent?: unknown }).agent = new https.Agent({ rejectUnauthorized: false, ca: options.ca as Buffer | undefined, cert: options.cert as Buffer | undefined, key: options.key as Buffer | undefined });
  }
  return docker;
}
