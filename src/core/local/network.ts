import type { Engine } from '../docker/engine';
import { UserError } from '../errors';

export type NetworkMode = 'bridge' | 'host';

/** Where the Runtime API listens, how the container reaches it, and who may call it. */
export interface RuntimeAddressPlan {
  networkMode: NetworkMode;
  /** The one address the server binds. */
  bindHost: string;
  /** The host part of AWS_LAMBDA_RUNTIME_API inside the container. */
  containerHost: string;
  /** Check callers against the container's own address (bridge), or a fixed set (loopback). */
  allow: 'container-address' | string[];
}

/**
 * Chooses the Runtime API address so the container, and nothing else, can reach it:
 * - bridge network on a local engine: the bridge gateway (an address of this machine that only
 *   bridge containers route to), answering only the container's own IP;
 * - host network: loopback;
 * - an engine in a VM (Docker Desktop): loopback, reached as host.docker.internal, which the VM
 *   forwards to this machine's loopback;
 * - an engine elsewhere: no address works; say so instead of hanging.
 */
export async function planRuntimeAddress(engine: Engine, mode: NetworkMode): Promise<RuntimeAddressPlan> {
  const remote = engine.endpoint.kind === 'tcp' || engine.endpoint.kind === 'ssh';
  if (remote) {
    throw new UserError(
      `The Docker engine at ${engine.endpoint.url} (${engine.endpoint.source}) runs containers on another machine, which cannot reach this machine's Runtime API.`,
      'Run local invocations on an engine on this machine: set the lambdaWorkbench.docker.host setting (CLI: DOCKER_HOST) to it, e.g. unix:///var/run/docker.sock.',
      'runtime-api-unreachable',
    );
  }
  if (mode === 'host') {
    if (engine.info.virtualized) {
      throw new UserError(
        `Host networking on ${engine.info.operatingSystem || 'this engine'} means the VM's network, not this machine's.`,
        'Use the bridge network (the default) with this engine.',
        'runtime-api-host-network',
      );
    }
    return { networkMode: 'host', bindHost: '127.0.0.1', containerHost: '127.0.0.1', allow: ['127.0.0.1'] };
  }
  if (engine.info.virtualized) {
    return {
      networkMode: 'bridge',
      bindHost: '127.0.0.1',
      containerHost: engine.info.podman ? 'host.containers.internal' : 'host.docker.internal',
      allow: ['127.0.0.1', '::1'],
    };
  }
  // Whether the gateway is an address here shows when the server binds it (the bridge
  // interface is down while no container runs, so interface lists do not show it).
  const gateway = await bridgeGateway(engine);
  return { networkMode: 'bridge', bindHost: gateway, containerHost: gateway, allow: 'container-address' };
}

async function bridgeGateway(engine: Engine): Promise<string> {
  let inspect: { IPAM?: { Config?: { Gateway?: string }[] } };
  try {
    inspect = (await engine.docker.getNetwork('bridge').inspect()) as typeof inspect;
  } catch (err) {
    throw new UserError(`The Docker engine has no usable 'bridge' network: ${(err as Error).message}`, 'Restart the engine, which recreates it.', 'no-bridge-network');
  }
  const gateway = inspect.IPAM?.Config?.find((c) => c.Gateway && !c.Gateway.includes(':'))?.Gateway;
  if (!gateway) throw new UserError("The Docker 'bridge' network has no IPv4 gateway.", 'Restart the engine, or use the host network.', 'no-bridge-network');
  return gateway;
}
