import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { noWheelError } from '../../src/core/build';
import type { BuildUnit } from '../../src/core/build';
import { pruneLayerVersions } from '../../src/core/deploy/prune';
import { bridgeGateway } from '../../src/core/docker/bridge';
import { readContextEndpoint } from '../../src/core/docker/contexts';
import { parseDockerHost } from '../../src/core/docker/dockerHost';
import type { Engine } from '../../src/core/docker/engine';
import { engineError } from '../../src/core/docker/engineError';
import { routeTo } from '../../src/core/docker/locality';
import { UserError } from '../../src/core/errors';
import { planRuntimeAddress } from '../../src/core/local/network';
import { runtimeApiReachError } from '../../src/core/local/runtimeReach';
import { CLI_SOURCES, EDITOR_SOURCES, type SettingSources } from '../../src/core/sources';

// Every hint that tells a person what to set speaks the words of the shell that shows it: the
// editor's names settings and commands and never a flag, the CLI's names flags and never a setting.

const SHELLS: [string, SettingSources][] = [
  ['editor', EDITOR_SOURCES],
  ['CLI', CLI_SOURCES],
];

/** The hint names `wanted` (the shell's own words) and nothing of the other shell's. */
function assertWords(shell: string, hint: string | undefined, wanted: RegExp): void {
  assert.ok(hint, `${shell}: a hint`);
  assert.match(hint, wanted, `${shell}: ${hint}`);
  assert.match(hint, /[.!?]$/, `${shell}: a punctuated sentence: ${hint}`);
  if (shell === 'editor') {
    assert.doesNotMatch(hint, /(^|[\s(])--[a-z]/, `editor: no flag: ${hint}`);
    assert.doesNotMatch(hint, /CLI|command line|LAMBDA_WORKBENCH_|DOCKER_HOST/, `editor: no CLI words: ${hint}`);
  } else {
    assert.doesNotMatch(hint, /lambdaWorkbench\.|\bsetting\b|Lambda: /, `CLI: no setting: ${hint}`);
  }
}

const DOCKER_HOST_WORDS: Record<string, RegExp> = { editor: /\(the lambdaWorkbench\.docker\.host setting\)/, CLI: /\(--docker-host, or the DOCKER_HOST variable\)/ };
const ADDRESS_WORDS: Record<string, RegExp> = {
  editor: /\(the lambdaWorkbench\.local\.runtimeApiAddress setting\)/,
  CLI: /\(--runtime-api-address, or the LAMBDA_WORKBENCH_RUNTIME_API_ADDRESS variable\)/,
};

function rejection(p: Promise<unknown>): Promise<UserError> {
  return p.then(
    () => assert.fail('expected a rejection'),
    (err: unknown) => {
      assert.ok(err instanceof UserError, `a UserError, got ${String(err)}`);
      return err;
    },
  );
}

/** A Docker client whose default bridge network has no IPv4 gateway to be found, and nothing else. */
const NO_GATEWAY = { getNetwork: () => ({ inspect: async () => ({ IPAM: { Config: [] }, Options: {}, Containers: {} }) }) } as unknown as Docker;

describe('hints in the words of each shell', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lwb-hints-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const [shell, sources] of SHELLS) {
    describe(shell, () => {
      it('an engine elsewhere that does not answer: where to choose another', () => {
        const tcp = parseDockerHost('tcp://203.0.113.9:2375', sources.dockerHost);
        const refused = engineError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), tcp, true, 3000, 'linux', sources);
        assert.equal(refused.code, 'docker-unreachable');
        assertWords(shell, refused.hint, DOCKER_HOST_WORDS[shell]);
        const slow = engineError(Object.assign(new Error('aborted'), { name: 'AbortError' }), tcp, true, 3000, 'linux', sources);
        assert.equal(slow.code, 'docker-timeout');
        assertWords(shell, slow.hint, DOCKER_HOST_WORDS[shell]);
      });

      it('a docker context that is missing, or a docker configuration that is not JSON: where to choose an engine', () => {
        mkdirSync(join(dir, 'contexts'));
        const missing = (() => {
          try {
            readContextEndpoint(dir, 'gone', sources);
          } catch (err) {
            return err as UserError;
          }
          return assert.fail('a missing context throws');
        })();
        assert.equal(missing.code, 'docker-context-missing');
        assertWords(shell, missing.hint, DOCKER_HOST_WORDS[shell]);
        writeFileSync(join(dir, 'config.json'), '{ not json');
        assert.throws(
          () => readContextEndpoint(dir, undefined, sources),
          (err: unknown) => err instanceof UserError && err.code === 'docker-config-invalid' && (assertWords(shell, err.hint, DOCKER_HOST_WORDS[shell]), true),
        );
      });

      it("an engine's host that refuses the connection that finds this machine's address: where to give one", async () => {
        const port = await closedPort();
        const err = await rejection(routeTo({ host: '127.0.0.1', port, url: `tcp://127.0.0.1:${port}`, source: sources.dockerHost }, 3000, sources));
        assert.equal(err.code, 'engine-route');
        assertWords(shell, err.hint, ADDRESS_WORDS[shell]);
      });

      it('a bridge network with no gateway to find: where to give the address, and the host network only where a shell has it', async () => {
        const none = { interfaceAddresses: async () => [], containerGateway: async () => undefined };
        const err = await rejection(bridgeGateway({ docker: NO_GATEWAY, sources }, none));
        assert.equal(err.code, 'no-bridge-network');
        assertWords(shell, err.hint, ADDRESS_WORDS[shell]);
        if (shell === 'CLI') assert.match(err.hint ?? '', /or run on the host network \(--network host\)\.$/);
        else assert.doesNotMatch(err.hint ?? '', /host network/, 'the editor has no host network to offer');
      });

      it('an engine reached through a tunnel on loopback: where to choose it by its own address, and the Runtime API address', async () => {
        const server = await listening();
        try {
          const port = (server.address() as AddressInfo).port;
          const engine: Engine = {
            docker: NO_GATEWAY,
            endpoint: parseDockerHost(`tcp://127.0.0.1:${port}`, sources.dockerHost),
            info: { version: '27', apiVersion: '1.47', operatingSystem: 'Debian', architecture: 'x86_64', virtualized: false, podman: false, name: 'build-box' },
            sources,
          };
          const err = await rejection(planRuntimeAddress(engine, 'bridge'));
          assert.equal(err.code, 'runtime-api-unreachable');
          assertWords(shell, err.hint, DOCKER_HOST_WORDS[shell]);
          assert.match(err.hint ?? '', ADDRESS_WORDS[shell]);
        } finally {
          await new Promise((r) => server.close(r));
        }
      });

      it('a container that could not reach its Runtime API: where to give the address, or choose the engine', () => {
        const plan = { networkMode: 'bridge' as const, bindHost: '10.0.0.2', containerHost: '10.0.0.2', allow: ['10.0.0.5'], allowContainer: true, source: 'the address this machine uses to reach the engine' };
        const evidence = { logicalId: 'Fn', plan, runtimeApi: '10.0.0.2:40000', contacted: false, refused: [], ended: { kind: 'exit' as const, code: 1, oomKilled: false }, sources };
        const lost = runtimeApiReachError(evidence);
        assertWords(shell, lost?.hint, ADDRESS_WORDS[shell]);
        assert.match(lost?.hint ?? '', /^Give an address of this machine that the engine can reach as the Runtime API address/);
        const translated = runtimeApiReachError({ ...evidence, contacted: true, refused: ['192.168.1.1'] });
        assertWords(shell, translated?.hint, DOCKER_HOST_WORDS[shell]);
        assert.match(translated?.hint ?? '', ADDRESS_WORDS[shell]);
      });

      it('pip with no wheel anywhere: where its package index is set', () => {
        const unit: BuildUnit = { kind: 'function', logicalId: 'Fn', templatePath: '/p/template.yaml', codeDir: '/p/fn', runtime: 'python3.12', architecture: 'arm64', properties: {}, subdir: '' };
        const err = noWheelError(unit, '3.12', ['ERROR: No matching distribution found for docopt==0.6.2'], sources);
        assert.equal(err?.code, 'build-no-wheel');
        assertWords(shell, err?.hint, shell === 'editor' ? /\(the lambdaWorkbench\.build\.pipArgs setting\)/ : /\(--pip-arg\)/);
      });

      it('a prune told to keep a number of versions that is not one: where the number is given', async () => {
        // Refused before any call: the Lambda client is never reached.
        const lambda = { send: async () => assert.fail('no AWS call') };
        const err = await rejection(pruneLayerVersions({ lambda, errorContext: { sources } }, 'shared', 2.5));
        assert.equal(err.message, 'The number of versions to keep must be a whole number (0 or more), not 2.5.');
        assertWords(shell, err.hint, shell === 'editor' ? /\(Lambda: Prune Layer Versions\)/ : /\(--keep N\)/);
      });
    });
  }
});

function listening(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((socket) => socket.destroy());
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** A port on loopback that nothing listens on (one that was just released). */
async function closedPort(): Promise<number> {
  const server = await listening();
  const port = (server.address() as AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}
