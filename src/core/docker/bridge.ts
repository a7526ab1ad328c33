import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { UserError } from '../errors';
import { CLI_SOURCES } from '../sources';
import type { Engine, EngineSources } from './engine';

/**
 * The address bridge containers route to (the default bridge's gateway, an address of the
 * engine's machine), taken from what is always there. IPAM's Gateway is not: on the first start
 * of a new engine the default bridge's IPAM config holds only the Subnet, and the Gateway appears
 * after a restart. So, in order:
 * 1. IPAM's IPv4 Gateway, when present;
 * 2. the address of the bridge interface the network names in its options
 *    (com.docker.network.bridge.name, e.g. docker0), within the network's subnet;
 * 3. the gateway a container on the network was given (its NetworkSettings).
 */
export interface BridgeFacts {
  /** IPAM.Config entries of the network. */
  ipam: { Subnet?: string; Gateway?: string }[];
  /** The bridge interface's name from the network's options. */
  interfaceName?: string;
  /** IDs of containers attached to the network. */
  containerIds: string[];
}

export interface BridgeSources {
  /** IPv4 addresses of a network interface of this machine (also when it is down). */
  interfaceAddresses(name: string): Promise<string[]>;
  /** The gateway a container was given on the bridge network, if it still has one. */
  containerGateway(id: string): Promise<string | undefined>;
}

/** The gateway, and which source gave it (for messages and tests). */
export interface BridgeGateway {
  address: string;
  source: 'ipam' | 'interface' | 'container';
}

export async function findBridgeGateway(facts: BridgeFacts, sources: BridgeSources): Promise<BridgeGateway | undefined> {
  const fromIpam = facts.ipam.find((c) => c.Gateway && isIPv4(c.Gateway))?.Gateway;
  if (fromIpam) return { address: fromIpam, source: 'ipam' };
  const subnets = facts.ipam.map((c) => c.Subnet).filter((s): s is string => !!s && isIPv4(s.split('/')[0]));
  if (facts.interfaceName) {
    const addresses = await sources.interfaceAddresses(facts.interfaceName).catch(() => []);
    // The interface's address inside the network's subnet (an interface can carry others).
    const inSubnet = addresses.find((a) => subnets.length === 0 || subnets.some((s) => inCidr(a, s)));
    if (inSubnet) return { address: inSubnet, source: 'interface' };
  }
  for (const id of facts.containerIds) {
    const gw = await sources.containerGateway(id).catch(() => undefined);
    if (gw && isIPv4(gw)) return { address: gw, source: 'container' };
  }
  return undefined;
}

/** The IPv4 gateway of the engine's default bridge network: the address its bridge containers route to. */
export async function bridgeGateway(engine: Pick<Engine, 'docker' | 'sources'>, sources: BridgeSources = hostBridgeSources(engine)): Promise<string> {
  let inspect: { IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] | null }; Options?: Record<string, string>; Containers?: Record<string, unknown> };
  try {
    inspect = (await engine.docker.getNetwork('bridge').inspect()) as typeof inspect;
  } catch (err) {
    throw new UserError(`The Docker engine has no usable 'bridge' network: ${(err as Error).message}`, 'Restart the engine, which recreates it.', 'no-bridge-network');
  }
  const facts: BridgeFacts = {
    ipam: inspect.IPAM?.Config ?? [],
    interfaceName: inspect.Options?.['com.docker.network.bridge.name'],
    containerIds: Object.keys(inspect.Containers ?? {}),
  };
  const found = await findBridgeGateway(facts, sources);
  if (!found) {
    throw new UserError(
      `The Docker 'bridge' network has no IPv4 gateway that this machine can find (IPAM: ${JSON.stringify(facts.ipam)}, interface: ${facts.interfaceName ?? 'none named'}).`,
      bridgeHint(engine.sources ?? CLI_SOURCES),
      'no-bridge-network',
    );
  }
  return found.address;
}

/** Where a person gives the address by hand, or (where the shell can) leaves the bridge for the host's network. */
function bridgeHint(sources: EngineSources): string {
  const host = sources.hostNetwork ? `, or run on the host network (${sources.hostNetwork})` : '';
  return `Give the address of this machine's bridge interface as the Runtime API address (${sources.chooseRuntimeApiAddress})${host}.`;
}

/** The sources of a local engine: this machine's interfaces and the engine's containers. */
export function hostBridgeSources(engine: Pick<Engine, 'docker'>): BridgeSources {
  return {
    interfaceAddresses,
    async containerGateway(id) {
      const c = (await engine.docker.getContainer(id).inspect()) as { NetworkSettings?: { Gateway?: string; Networks?: Record<string, { Gateway?: string }> } };
      return c.NetworkSettings?.Networks?.bridge?.Gateway || c.NetworkSettings?.Gateway || undefined;
    },
  };
}

/**
 * IPv4 addresses of an interface. Node lists only interfaces that are up and running, and a
 * bridge with no container on it is down (NO-CARRIER): on Linux the kernel's routing tables
 * still have its addresses, so those are read when the list has none.
 */
export async function interfaceAddresses(name: string): Promise<string[]> {
  const listed = (networkInterfaces()[name] ?? []).filter((a) => a.family === 'IPv4').map((a) => a.address);
  if (listed.length > 0 || process.platform !== 'linux') return listed;
  const [route, trie] = await Promise.all([readFile('/proc/net/route', 'utf8'), readFile('/proc/net/fib_trie', 'utf8')]).catch(() => ['', '']);
  const subnets = routeSubnets(route, name);
  return localAddresses(trie).filter((a) => subnets.some((s) => inCidr(a, s)));
}

/** The subnets routed directly through an interface, from /proc/net/route (little-endian hex). */
export function routeSubnets(procNetRoute: string, iface: string): string[] {
  const out: string[] = [];
  for (const line of procNetRoute.split('\n').slice(1)) {
    const [name, dest, gateway, , , , , mask] = line.trim().split(/\s+/);
    if (name !== iface || !dest || !mask || gateway !== '00000000') continue;
    const bits = hexToIPv4(mask)
      .split('.')
      .reduce((n, part) => n + (Number(part).toString(2).match(/1/g)?.length ?? 0), 0);
    out.push(`${hexToIPv4(dest)}/${bits}`);
  }
  return out;
}

/** This machine's own IPv4 addresses, from /proc/net/fib_trie (the `/32 host LOCAL` leaves). */
export function localAddresses(procNetFibTrie: string): string[] {
  const found = new Set<string>();
  let last: string | undefined;
  for (const line of procNetFibTrie.split('\n')) {
    const leaf = /\|--\s+(\d+\.\d+\.\d+\.\d+)/.exec(line);
    if (leaf) {
      last = leaf[1];
      continue;
    }
    if (last && /\/32 host LOCAL/.test(line)) found.add(last);
  }
  return [...found].filter((a) => !a.startsWith('127.'));
}

function hexToIPv4(hex: string): string {
  const n = parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

function isIPv4(a: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(a);
}

function toInt(a: string): number {
  return a.split('.').reduce((n, p) => (n << 8) + Number(p), 0) >>> 0;
}

export function inCidr(address: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText ?? 32);
  if (!isIPv4(address) || !isIPv4(base) || !(bits >= 0 && bits <= 32)) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((toInt(address) & mask) >>> 0) === ((toInt(base) & mask) >>> 0);
}
