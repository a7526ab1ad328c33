import assert from 'node:assert/strict';
import { type BridgeSources, findBridgeGateway, inCidr, localAddresses, routeSubnets } from '../../../src/core/docker/bridge';

// What a new engine's first start shows (docker network inspect bridge), and the kernel's tables
// with docker0 down (no container on it yet): read off a freshly started dockerd.
const FRESH_IPAM = [{ Subnet: '172.17.0.0/16' }];
const PROC_NET_ROUTE = [
  'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
  'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0',
  'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
  'docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
  '',
].join('\n');
const PROC_NET_FIB_TRIE = `Main:
  +-- 0.0.0.0/0 2 0 2
     +-- 127.0.0.0/8 2 0 2
        +-- 127.0.0.0/31 1 0 0
           |-- 127.0.0.0
              /8 host LOCAL
           |-- 127.0.0.1
              /32 host LOCAL
        |-- 127.255.255.255
           /32 link BROADCAST
     +-- 172.17.0.0/16 2 0 2
        +-- 172.17.0.0/31 1 0 0
           |-- 172.17.0.0
              /16 link UNICAST
           |-- 172.17.0.1
              /32 host LOCAL
        |-- 172.17.255.255
           /32 link BROADCAST
     |-- 192.0.2.2
        /32 host LOCAL
Local:
  +-- 0.0.0.0/0 2 0 2
     |-- 172.17.0.1
        /32 host LOCAL
`;

/** Sources that answer from fixed data, and say which were asked. */
function sources(interfaces: Record<string, string[]>, containers: Record<string, string | undefined>, asked: string[] = []): BridgeSources {
  return {
    interfaceAddresses: async (name) => {
      asked.push(`interface ${name}`);
      return interfaces[name] ?? [];
    },
    containerGateway: async (id) => {
      asked.push(`container ${id}`);
      if (!(id in containers)) throw new Error(`no such container: ${id}`);
      return containers[id];
    },
  };
}

describe('bridge gateway: the address bridge containers route to', () => {
  it('takes IPAM’s gateway when the engine has one, asking nothing else', async () => {
    const asked: string[] = [];
    const gw = await findBridgeGateway({ ipam: [{ Subnet: 'fd00::/64', Gateway: 'fd00::1' }, { Subnet: '10.9.0.0/16', Gateway: '10.9.0.1' }], interfaceName: 'docker0', containerIds: ['c1'] }, sources({ docker0: ['172.17.0.1'] }, {}, asked));
    assert.deepEqual(gw, { address: '10.9.0.1', source: 'ipam' });
    assert.deepEqual(asked, []);
  });

  it('on a new engine (IPAM has only the subnet) takes the address of the bridge interface the network names', async () => {
    const gw = await findBridgeGateway({ ipam: FRESH_IPAM, interfaceName: 'docker0', containerIds: [] }, sources({ docker0: ['10.0.0.5', '172.17.0.1'] }, {}));
    assert.deepEqual(gw, { address: '172.17.0.1', source: 'interface' });
  });

  it('falls back to the gateway a container on the network was given', async () => {
    const asked: string[] = [];
    const gw = await findBridgeGateway({ ipam: FRESH_IPAM, interfaceName: 'br-other', containerIds: ['gone', 'c2'] }, sources({}, { c2: '172.17.0.1' }, asked));
    assert.deepEqual(gw, { address: '172.17.0.1', source: 'container' });
    assert.deepEqual(asked, ['interface br-other', 'container gone', 'container c2']);
  });

  it('finds nothing when no source has an IPv4 address (the caller turns that into an error with the setting)', async () => {
    assert.equal(await findBridgeGateway({ ipam: FRESH_IPAM, interfaceName: 'docker0', containerIds: ['c3'] }, sources({ docker0: ['10.0.0.5'] }, { c3: '' })), undefined);
  });

  it('reads a down interface’s subnet from /proc/net/route and this machine’s addresses from /proc/net/fib_trie', () => {
    assert.deepEqual(routeSubnets(PROC_NET_ROUTE, 'docker0'), ['172.17.0.0/16']);
    assert.deepEqual(routeSubnets(PROC_NET_ROUTE, 'eth0'), ['192.0.2.0/24']);
    assert.deepEqual(routeSubnets(PROC_NET_ROUTE, 'docker1'), []);
    assert.deepEqual(localAddresses(PROC_NET_FIB_TRIE).sort(), ['172.17.0.1', '192.0.2.2']);
  });

  it('matches addresses to subnets by prefix length', () => {
    assert.equal(inCidr('172.17.0.1', '172.17.0.0/16'), true);
    assert.equal(inCidr('172.18.0.1', '172.17.0.0/16'), false);
    assert.equal(inCidr('10.1.2.3', '0.0.0.0/0'), true);
    assert.equal(inCidr('10.1.2.3', '10.1.2.3/32'), true);
    assert.equal(inCidr('10.1.2.4', '10.1.2.3/32'), false);
    assert.equal(inCidr('fd00::1', '172.17.0.0/16'), false);
  });
});
