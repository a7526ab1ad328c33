import { isIP } from 'node:net';
import type { Engine, RuntimeApiAddress } from '../docker/engine';
import { bridgeGateway } from '../docker/bridge';
import { type EngineLocality, engineLocality, isAddressHere, isLoopback } from '../docker/locality';
import { UserError } from '../errors';
import { CLI_SOURCES, type SettingSources } from '../sources';

export type NetworkMode = 'bridge' | 'host';

/** Where the Runtime API listens, how the container reaches it, and who may call it. */
export interface RuntimeAddressPlan {
  networkMode: NetworkMode;
  /** The one address the server binds. */
  bindHost: string;
  /** The host part of AWS_LAMBDA_RUNTIME_API inside the container (an IPv6 address in brackets). */
  containerHost: string;
  /** Check callers against the container's own address (bridge), or a fixed set (loopback). */
  allow: 'container-address' | string[];
  /** With a fixed set: the container's own address too, once it is known (see allowedOnceRunning). */
  allowContainer?: boolean;
  /** Where the address comes from, for messages: 'the bridge gateway', 'the lambdaWorkbench.local.runtimeApiAddress setting', ... */
  source: string;
}

/** Where to set the address by hand, for messages: a clause to end a hint with. */
export function runtimeApiAddressHint(sources: Pick<SettingSources, 'chooseRuntimeApiAddress'> = CLI_SOURCES): string {
  return `give an address of this machine that the engine can reach as the Runtime API address (${sources.chooseRuntimeApiAddress})`;
}

/**
 * Chooses the Runtime API address so the container, and nothing else, can reach it:
 * - an address the user set (lambdaWorkbench.local.runtimeApiAddress): that one, for NAT and VPNs
 *   that make the automatic choice wrong;
 * - bridge network on a local engine: the bridge gateway (an address of this machine that only
 *   bridge containers route to), answering only the container's own IP;
 * - host network on a local engine: loopback;
 * - an engine in a VM (Docker Desktop): loopback, reached as host.docker.internal, which the VM
 *   forwards to this machine's loopback;
 * - an engine on another machine (tcp:// or ssh://, see engineLocality for how that is decided):
 *   the address this machine uses to reach it (the local end of a TCP connection to its host),
 *   which the engine's machine can route back to. Its containers' calls arrive from the engine
 *   host's address (the engine masquerades bridge traffic) or, when nothing translates them,
 *   from their own: those two are answered. A tunnel (the engine reached on this machine's
 *   loopback) leaves no address the far side can reach: say so.
 *
 * An ssh:// engine gets the same direct address (the local end of a connection to its ssh port),
 * not a reverse tunnel: docker-modem opens a new ssh connection per request, so there is no
 * lasting one to forward through; a forward of our own would listen on the engine host's loopback
 * (sshd's default GatewayPorts), which its bridge containers cannot reach; and every container's
 * Runtime API has a port of its own, which a fixed `ssh -R` cannot follow.
 */
export async function planRuntimeAddress(engine: Engine, mode: NetworkMode): Promise<RuntimeAddressPlan> {
  if (mode === 'host' && engine.info.virtualized) {
    throw new UserError(
      `Host networking on ${engine.info.operatingSystem || 'this engine'} means the VM's network, not this machine's.`,
      'Use the bridge network (the default) with this engine.',
      'runtime-api-host-network',
    );
  }
  const where = await engineLocality(engine);
  if (engine.runtimeApiAddress) return chosenPlan(engine, mode, where, engine.runtimeApiAddress);
  if (!where.local) return remotePlan(engine, mode, where);
  if (mode === 'host') return { networkMode: 'host', bindHost: '127.0.0.1', containerHost: '127.0.0.1', allow: ['127.0.0.1'], source: 'loopback (host network)' };
  if (engine.info.virtualized) {
    return {
      networkMode: 'bridge',
      bindHost: '127.0.0.1',
      containerHost: engine.info.podman ? 'host.containers.internal' : 'host.docker.internal',
      allow: ['127.0.0.1', '::1'],
      source: "loopback, which the engine's VM forwards",
    };
  }
  // Whether the gateway is an address here shows when the server binds it (the bridge
  // interface is down while no container runs, so interface lists do not show it).
  const gateway = where.gateway ?? (await bridgeGateway(engine));
  return { networkMode: 'bridge', bindHost: gateway, containerHost: gateway, allow: 'container-address', source: 'the bridge gateway' };
}

function remotePlan(engine: Engine, mode: NetworkMode, where: EngineLocality): RuntimeAddressPlan {
  const route = where.route;
  if (!route) throw new Error(`no route to the ${engine.endpoint.kind} engine ${engine.endpoint.url}`);
  if (isLoopback(route.localAddress)) throw tunnelError(engine, where);
  return {
    networkMode: mode,
    bindHost: route.localAddress,
    containerHost: bracketed(route.localAddress),
    allow: [route.remoteAddress],
    allowContainer: true,
    source: 'the address this machine uses to reach the engine',
  };
}

async function chosenPlan(engine: Engine, mode: NetworkMode, where: EngineLocality, given: RuntimeApiAddress): Promise<RuntimeAddressPlan> {
  const chosen = { ...given, address: given.address.replace(/^\[(.*)\]$/, '$1') };
  if (!isIP(chosen.address) || /^(0\.0\.0\.0|::0*)$/.test(chosen.address)) {
    throw new UserError(
      `The Runtime API address '${given.address}' (from ${given.source}) is not one address of this machine.`,
      'Give one IP address of this machine that the Docker engine can reach (`ip addr` or `ipconfig` lists them), not a host name or 0.0.0.0; or clear it to let the address be chosen automatically.',
      'runtime-api-address-invalid',
    );
  }
  if (!(await isAddressHere(chosen.address))) {
    throw new UserError(
      `The Runtime API address ${chosen.address} (from ${chosen.source}) is not an address of this machine.`,
      'Set it to an address of this machine that the Docker engine can reach (`ip addr` or `ipconfig` lists them), or clear it to let the address be chosen automatically.',
      'runtime-api-address',
    );
  }
  const plan = { networkMode: mode, bindHost: chosen.address, containerHost: bracketed(chosen.address), source: chosen.source };
  if (where.local) {
    // A local container calls from its own bridge address, or (host network, or a VM's forwarder) from this machine.
    if (mode === 'bridge' && !engine.info.virtualized) return { ...plan, allow: 'container-address' };
    return { ...plan, allow: [...new Set([chosen.address, '127.0.0.1', '::1'])] };
  }
  if (!where.route || isLoopback(where.route.remoteAddress)) throw tunnelError(engine, where);
  return { ...plan, allow: [where.route.remoteAddress], allowContainer: true };
}

function tunnelError(engine: Engine, where: EngineLocality): UserError {
  const sources = engine.sources ?? CLI_SOURCES;
  return new UserError(
    `The Docker engine at ${engine.endpoint.url} (${engine.endpoint.source}) runs containers on another machine (${where.reason}), reached through a tunnel on this machine's loopback: ` +
      "no address of this machine is known that its containers can reach, and their calls could not be told apart from anyone else's.",
    `Choose the engine by its own address (ssh://user@host, or tcp://host:2376) instead of the tunnel (${sources.chooseDockerHost}). ` +
      `If its containers then cannot reach this machine at the address chosen automatically, ${runtimeApiAddressHint(sources)}.`,
    'runtime-api-unreachable',
  );
}

/** Who may call before the container runs: the fixed set, or no one yet (requests wait for allowedOnceRunning). */
export function initialAllowed(plan: RuntimeAddressPlan): string[] | undefined {
  return plan.allow === 'container-address' || plan.allowContainer ? undefined : plan.allow;
}

/** Who may call once the container runs and its address is known; undefined: no change. */
export function allowedOnceRunning(plan: RuntimeAddressPlan, containerAddress: string | undefined): string[] | undefined {
  const own = containerAddress ? [containerAddress] : [];
  if (plan.allow === 'container-address') return own;
  return plan.allowContainer ? [...plan.allow, ...own] : undefined;
}

function bracketed(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}
