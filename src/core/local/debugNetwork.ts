import type Docker from 'dockerode';
import { LABEL_OWNER, LABEL_SESSION, ownerLabel } from './labels';
import type { RuntimeAddressPlan } from './network';

/**
 * Debug Locally's containers run on a bridge network of their runner's own, with traffic between
 * its containers off. Their debugger has to listen on the container's own address for the port
 * published on 127.0.0.1 to reach it; on the default bridge every other container could reach it
 * there too, and a debugger runs whatever code it is sent. On this network no other container
 * can: bridge networks are isolated from each other, and within it inter-container traffic is off.
 */
export interface DebugNetwork {
  name: string;
  /** Its gateway: an address of the engine's machine that its containers route to. */
  gateway: string;
}

export async function createDebugNetwork(docker: Docker, session: string, labels: Readonly<Record<string, string>> = {}): Promise<DebugNetwork> {
  const name = `lambda-workbench-debug-${session}`;
  const network = await docker.createNetwork({
    Name: name,
    Driver: 'bridge',
    CheckDuplicate: true,
    Labels: { ...labels, [LABEL_OWNER]: ownerLabel(), [LABEL_SESSION]: session },
    Options: { 'com.docker.network.bridge.enable_icc': 'false' },
  });
  const info = (await network.inspect()) as { IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] | null } };
  const config = info.IPAM?.Config?.find((c) => c.Subnet && !c.Subnet.includes(':'));
  const gateway = config?.Gateway ?? firstHost(config?.Subnet);
  if (!gateway) {
    await network.remove().catch(() => undefined);
    throw new Error(`the debug network ${name} has no IPv4 subnet`);
  }
  return { name, gateway };
}

/**
 * Where a debug container's Runtime API listens: on the debug network's gateway when the runner
 * uses the default bridge's, as it would there; the address the person chose, and a VM's
 * loopback (host.docker.internal), are reached from any network and stay as they are.
 */
export function debugPlan(plan: RuntimeAddressPlan, net: DebugNetwork): RuntimeAddressPlan {
  if (plan.source !== 'the bridge gateway') return plan;
  return { ...plan, bindHost: net.gateway, containerHost: net.gateway, source: "the debug network's gateway" };
}

export async function removeDebugNetwork(docker: Docker, net: DebugNetwork): Promise<void> {
  await docker
    .getNetwork(net.name)
    .remove()
    .catch(() => undefined);
}

/** x.y.z.1 of an IPv4 subnet such as 172.18.0.0/16 (Docker's choice of gateway when it names none). */
function firstHost(subnet: string | undefined): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/\d+$/.exec(subnet ?? '');
  return m ? `${m[1]}.${m[2]}.${m[3]}.${Number(m[4]) + 1}` : undefined;
}
