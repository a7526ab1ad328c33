import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

/**
 * A network namespace of the test run's own. The tiers that need services run inside one, so the
 * run's Docker engine gets a default bridge (docker0) and iptables of its own: it starts from the
 * state a new machine's engine has, whatever engine the machine already runs, two runs on one
 * machine do not share a bridge, and nothing the run starts listens on the machine's network.
 * Inside: loopback, the engine's bridge, and one veth interface whose address plays "another
 * address of this machine" for the remote-engine tests. Needs root, `ip` and `nsenter` (Linux);
 * without them the run stays in the machine's namespace.
 */
export const NETNS_ENV = 'LWB_TEST_NETNS';
const PREFIX = 'lwb-test-';
/** The dummy interface's address: from a documentation range, reachable only inside the namespace. */
export const NETNS_LAN_ADDRESS = '198.51.100.7';

export function canIsolateNetwork(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  return ['ip', 'nsenter'].every((tool) => spawnSync(tool, ['-V'], { stdio: 'ignore' }).error === undefined);
}

function ip(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${r.stderr.trim()}`);
}

/** Removes namespaces of earlier runs whose runner is gone (a run killed before its cleanup). */
function removeStale(): void {
  const dir = '/run/netns';
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).filter((n) => n.startsWith(PREFIX))) {
    const pid = Number(name.slice(PREFIX.length));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      /* gone */
    }
    if (!alive) spawnSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
  }
}

/**
 * Runs this same script again inside a new namespace, with the same arguments and standard
 * streams, and resolves with its exit code; the namespace is deleted afterwards. Signals reach the
 * child, which stops what it started.
 */
export async function rerunInNamespace(): Promise<number> {
  removeStale();
  const name = `${PREFIX}${process.pid}`;
  ip(['netns', 'add', name]);
  try {
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
    // A veth pair (the dummy driver is not on every kernel), both ends up so the address counts.
    ip(['-n', name, 'link', 'add', 'lwb-lan', 'type', 'veth', 'peer', 'name', 'lwb-lan-peer']);
    ip(['-n', name, 'addr', 'add', `${NETNS_LAN_ADDRESS}/24`, 'dev', 'lwb-lan']);
    ip(['-n', name, 'link', 'set', 'lwb-lan', 'up']);
    ip(['-n', name, 'link', 'set', 'lwb-lan-peer', 'up']);
    // nsenter enters only the network namespace: `ip netns exec` would also remount /sys, hiding
    // the cgroup hierarchy dockerd needs.
    const child = spawn('nsenter', [`--net=/run/netns/${name}`, '--', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, [NETNS_ENV]: name },
    });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const code = await new Promise<number>((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal ? 128 + 15 : 1))));
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    return code;
  } finally {
    spawnSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
  }
}
