import { connect, createServer, isIP } from 'node:net';
import { hostname } from 'node:os';
import { UserError } from '../errors';
import { CLI_SOURCES, type SettingSources } from '../sources';
import { bridgeGateway } from './bridge';
import type { EngineEndpoint } from './dockerHost';
import type { Engine } from './engine';

/** The two ends of a TCP connection from this machine to a network engine's host. */
export interface EngineRoute {
  /** This machine's address on the way to the engine: where the engine's machine can reach it back. */
  localAddress: string;
  /** The engine's address as this machine sees it: where its containers' calls come from (masqueraded). */
  remoteAddress: string;
}

/** Whether the engine's containers run on this machine, and what that rests on. */
export interface EngineLocality {
  local: boolean;
  /** Why, for messages: 'a socket on this machine', "the engine reports the host name 'build-box'"... */
  reason: string;
  /** For tcp and ssh engines. */
  route?: EngineRoute;
  /** The bridge network's IPv4 gateway, when the decision needed it. */
  gateway?: string;
}

/** What the decision rests on; `decideLocality` is the rule. */
export interface LocalityFacts {
  kind: EngineEndpoint['kind'];
  virtualized: boolean;
  route?: EngineRoute;
  /** The route's remote end is an address of this machine. */
  routeEndsHere: boolean;
  /** The engine's host name as it reports it, and this machine's. */
  engineName?: string;
  hostName: string;
  /** The engine's bridge gateway is an address of this machine. */
  gatewayIsHere: boolean;
}

/**
 * Whether the engine runs its containers on this machine (or in a VM of this machine that the
 * engine bridges to it: Docker Desktop, Colima, Podman machine). Bind mounts of local folders
 * and the bridge-gateway address work only then.
 *
 * The rule:
 * - a unix socket or named pipe is this machine's engine;
 * - a tcp or ssh engine is local when a connection to it ends at an address of this machine, the
 *   engine reports this machine's host name, and its bridge gateway is an address of this
 *   machine. The address alone cannot decide: an `ssh -L` tunnel to another machine's engine
 *   also answers on 127.0.0.1. The host name tells that tunnel apart, and the gateway catches a
 *   host name two machines share (the gateway must bind here, which for a default bridge on
 *   both machines it also would: a tunnel to a twin with the same name and bridge is the case
 *   this cannot see; its containers then fail to reach the Runtime API, which says what to set);
 * - an engine in a VM reached on loopback (Docker Desktop's "expose daemon on tcp://localhost:2375")
 *   is local: the VM forwards host.docker.internal to this machine.
 */
export function decideLocality(f: LocalityFacts): { local: boolean; reason: string } {
  if (f.kind === 'unix' || f.kind === 'npipe') return { local: true, reason: 'a socket on this machine' };
  const where = f.route ? `${f.route.remoteAddress}` : 'the engine';
  if (!f.routeEndsHere) return { local: false, reason: `${where} is not an address of this machine` };
  if (f.virtualized && f.route && isLoopback(f.route.remoteAddress)) return { local: true, reason: `an engine in a VM, forwarded to ${where}` };
  if (f.engineName !== f.hostName) {
    return { local: false, reason: `it answers on ${where}, but reports the host name '${f.engineName ?? '(none)'}', not this machine's ('${f.hostName}'): a tunnel or forward to another machine` };
  }
  if (!f.gatewayIsHere) return { local: false, reason: `its bridge gateway is not an address of this machine` };
  return { local: true, reason: `it answers on ${where} and reports this machine's host name` };
}

const known = new WeakMap<Engine, Promise<EngineLocality>>();

/** Whether the engine's containers run on this machine: see decideLocality for the rule. Learned once per engine. */
export async function engineIsLocal(engine: Engine): Promise<boolean> {
  return (await engineLocality(engine)).local;
}

/** The locality decision with what it rests on (the route to a network engine, its bridge gateway). */
export function engineLocality(engine: Engine): Promise<EngineLocality> {
  let found = known.get(engine);
  if (!found) {
    found = learnLocality(engine);
    known.set(engine, found);
    found.catch(() => known.delete(engine));
  }
  return found;
}

async function learnLocality(engine: Engine): Promise<EngineLocality> {
  const { endpoint, info } = engine;
  if (endpoint.kind === 'unix' || endpoint.kind === 'npipe') {
    return { ...decideLocality({ kind: endpoint.kind, virtualized: info.virtualized, routeEndsHere: true, hostName: hostname(), gatewayIsHere: true }) };
  }
  const route = await routeTo(endpoint, undefined, engine.sources);
  const routeEndsHere = await isAddressHere(route.remoteAddress);
  const gateway = routeEndsHere && !info.virtualized ? await bridgeGateway(engine).catch(() => undefined) : undefined;
  const gatewayIsHere = gateway !== undefined && (await isAddressHere(gateway));
  const decision = decideLocality({ kind: endpoint.kind, virtualized: info.virtualized, route, routeEndsHere, engineName: info.name, hostName: hostname(), gatewayIsHere });
  return { ...decision, route, gateway };
}

/** Opens (and closes) a TCP connection to the engine's host: for ssh engines the ssh port, for tcp ones the engine's. */
export async function routeTo(
  endpoint: Pick<EngineEndpoint, 'host' | 'port' | 'url' | 'source'>,
  timeoutMs = 3_000,
  sources: Pick<SettingSources, 'chooseRuntimeApiAddress'> = CLI_SOURCES,
): Promise<EngineRoute> {
  const host = endpoint.host ?? '';
  const port = endpoint.port ?? 0;
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (why: string): void => {
      socket.destroy();
      reject(
        new UserError(
          `Could not open a connection to the Docker engine's host at ${endpoint.url} (${endpoint.source}) to learn which address of this machine it reaches: ${why}.`,
          `Check that the engine is reachable, or give an address of this machine that the engine can reach as the Runtime API address (${sources.chooseRuntimeApiAddress}).`,
          'engine-route',
        ),
      );
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs / 1000} s`));
    socket.once('error', (err) => fail(err.message));
    socket.once('connect', () => {
      const route = { localAddress: unmapped(socket.localAddress ?? ''), remoteAddress: unmapped(socket.remoteAddress ?? '') };
      socket.destroy();
      resolve(route);
    });
  });
}

/**
 * Whether an address belongs to this machine: loopback, or one this process can listen on. The
 * listen test sees addresses of interfaces that are down, which interface lists leave out (a
 * Docker bridge with no container on it).
 */
export async function isAddressHere(address: string): Promise<boolean> {
  if (!isIP(address)) return false;
  if (isLoopback(address)) return true;
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(0, address, () => server.close(() => resolve(true)));
  });
}

export function isLoopback(address: string): boolean {
  const a = unmapped(address);
  return a === '::1' || /^127\./.test(a);
}

/** ::ffff:10.0.0.5 is 10.0.0.5. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1] : address;
}
