import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_OPTIONS } from '../../../src/cli/commands/localRun';
import { SIZE_AWS_OPTIONS } from '../../../src/cli/commands/sizeSetup';
import { settingsFromFlags } from '../../../src/cli/core';
import { UsageError } from '../../../src/cli/io';
import { parseOptions } from '../../../src/cli/options';
import { CLI_SOURCES, DEFAULT_SETTINGS, EDITOR_SOURCES, openCore, type Settings } from '../../../src/core/open';
import { testFunctionSpec } from '../../support/specs';
import { makeZip } from '../local/zipFixture';
import { fakeDeps, serveArchive } from './fakes';

const ARN = 'arn:aws:lambda:eu-central-1:123456789012:layer:shared-libs:3';

/** What the editor's readSettings() gives for these values in the settings UI. */
function editorSettings(patch: { aws?: Partial<Settings['aws']>; local?: Partial<Settings['local']>; docker?: Partial<Settings['docker']> } = {}): Settings {
  return {
    ...DEFAULT_SETTINGS,
    aws: { ...DEFAULT_SETTINGS.aws, ...patch.aws },
    local: { ...DEFAULT_SETTINGS.local, ...patch.local },
    docker: { ...DEFAULT_SETTINGS.docker, ...patch.docker },
  };
}

describe('open: one factory for the editor and the CLI', () => {
  let work: string;
  /** An environment with no AWS files of the developer's: profiles come from `config` only. */
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'lwb-open-'));
    writeFileSync(join(work, 'config'), '[profile dev]\nregion = ap-south-1\n\n[default]\nregion = sa-east-1\n');
    env = { AWS_CONFIG_FILE: join(work, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials') };
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('gets the same settings from the CLI flags as from the editor settings, and opens the same runner, session and engine from them', async () => {
    const editor = editorSettings({
      aws: { profile: 'dev', region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:5000' },
      local: { images: { 'nodejs22.x': 'mirror.example/node:22' }, passAwsCredentials: true, runtimeApiAddress: '10.0.0.5' },
      docker: { host: 'tcp://10.0.0.9:2375' },
    });
    const flags = ['--profile', 'dev', '--region', 'eu-west-1', '--endpoint-url', 'http://127.0.0.1:5000', '--pass-credentials', '--docker-host', 'tcp://10.0.0.9:2375', '--runtime-api-address', '10.0.0.5'];
    const cli = settingsFromFlags(parseOptions(flags, LOCAL_OPTIONS).values, { 'nodejs22.x': 'mirror.example/node:22' });
    assert.deepEqual(cli, editor);

    const opened = [];
    for (const [settings, sources] of [[editor, EDITOR_SOURCES], [cli, CLI_SOURCES]] as const) {
      const { deps, rec } = fakeDeps();
      const core = openCore(settings, { cacheDir: join(work, 'cache'), sources, env }, deps);
      await core.runner();
      await core.session();
      await core.sizeEngine();
      await core.dispose();
      const runner = rec.runners[0];
      opened.push({
        engine: rec.engines[0],
        session: rec.sessions[0],
        runner: { cacheDir: runner.cacheDir, images: runner.images, idleTimeoutMs: runner.idleTimeoutMs, region: runner.region, credentials: runner.credentials, layerDownloader: typeof runner.layerDownloader },
        sizeEngine: { cacheDir: rec.sizeEngines[0].cacheDir, layerResolver: typeof rec.sizeEngines[0].layerResolver?.resolve },
      });
    }
    const [fromEditor, fromCli] = opened;
    // The same engine; its hints name where to choose an engine or an address as each shell does (only the CLI has a host network).
    assert.deepEqual(fromEditor.engine, {
      dockerHost: 'tcp://10.0.0.9:2375',
      dockerHostSource: 'the lambdaWorkbench.docker.host setting',
      runtimeApiAddress: '10.0.0.5',
      runtimeApiAddressSource: 'the lambdaWorkbench.local.runtimeApiAddress setting',
      sources: { chooseDockerHost: EDITOR_SOURCES.chooseDockerHost, chooseRuntimeApiAddress: EDITOR_SOURCES.chooseRuntimeApiAddress },
    });
    assert.deepEqual(fromCli.engine, {
      dockerHost: 'tcp://10.0.0.9:2375',
      dockerHostSource: '--docker-host',
      runtimeApiAddress: '10.0.0.5',
      runtimeApiAddressSource: '--runtime-api-address',
      sources: { chooseDockerHost: CLI_SOURCES.chooseDockerHost, chooseRuntimeApiAddress: CLI_SOURCES.chooseRuntimeApiAddress, hostNetwork: '--network host' },
    });
    // The same session; its messages name where to choose a profile or region as each shell does.
    const words = (sources: typeof EDITOR_SOURCES) => ({ profile: sources.profile, region: sources.region, keepVersions: sources.keepVersions });
    assert.deepEqual(fromEditor.session, { profile: 'dev', region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:5000', sources: words(EDITOR_SOURCES) });
    assert.deepEqual(fromCli.session, { ...fromEditor.session, sources: words(CLI_SOURCES) });
    assert.deepEqual(fromEditor.runner, {
      cacheDir: join(work, 'cache', 'local'),
      images: { 'nodejs22.x': 'mirror.example/node:22' },
      idleTimeoutMs: 300_000,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'key-of-dev', secretAccessKey: 'secret', sessionToken: 'token' },
      layerDownloader: 'function',
    });
    assert.deepEqual(fromEditor.sizeEngine, { cacheDir: join(work, 'cache', 'size'), layerResolver: 'function' });
    assert.deepEqual({ ...fromCli, engine: undefined, session: undefined }, { ...fromEditor, engine: undefined, session: undefined });
  });

  it('gives a local run the region setting, else the profile\'s, else leaves it to AWS_REGION', async () => {
    const regionOf = async (settings: Settings, e: NodeJS.ProcessEnv = env): Promise<string | undefined> => {
      const { deps, rec } = fakeDeps();
      const core = openCore(settings, { cacheDir: work, sources: EDITOR_SOURCES, env: e }, deps);
      await core.runner();
      await core.dispose();
      return rec.runners[0].region;
    };
    assert.equal(await regionOf(editorSettings({ aws: { profile: 'dev', region: 'eu-west-1' } })), 'eu-west-1');
    assert.equal(await regionOf(editorSettings({ aws: { profile: 'dev' } })), 'ap-south-1');
    assert.equal(await regionOf(editorSettings(), { ...env, AWS_PROFILE: 'dev' }), 'ap-south-1', 'AWS_PROFILE chooses the profile when the setting does not');
    assert.equal(await regionOf(editorSettings({ aws: { profile: 'nameless' } })), undefined, 'a profile without a region: the runner falls back to AWS_REGION');
  });

  it('passes credentials into containers only when asked, and opens no AWS session for a run without them', async () => {
    const { deps, rec } = fakeDeps();
    const core = openCore(editorSettings({ aws: { region: 'eu-west-1' } }), { cacheDir: work, sources: CLI_SOURCES, env }, deps);
    await core.runner();
    assert.equal(rec.runners[0].credentials, undefined);
    assert.deepEqual(rec.sessions, []);
    await core.dispose();
  });

  it('measures a layer given by ARN with the AWS settings, in the region its ARN names', async () => {
    const layerFiles = [
      { name: 'nodejs/', data: '' },
      { name: 'nodejs/data.json', data: '{"greeting":"hello"}\n'.repeat(100) },
      { name: 'nodejs/node_modules/lib/index.js', data: 'module.exports = 42;\n' },
    ];
    const archive = makeZip(layerFiles);
    const server = await serveArchive(archive);
    const { deps, rec } = fakeDeps({ lambda: (command) => (command === 'GetLayerVersionCommand' ? { Content: { CodeSize: archive.length, Location: server.url } } : undefined) });
    const code = join(work, 'code');
    mkdirSync(code);
    writeFileSync(join(code, 'index.js'), 'exports.handler = async () => 1;\n');
    const core = openCore(editorSettings({ aws: { profile: 'dev', region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:5000' } }), { cacheDir: work, sources: EDITOR_SOURCES, env }, deps);
    try {
      const size = await (await core.sizeEngine()).measure(testFunctionSpec({ codeUri: code, layers: [{ kind: 'arn', arn: ARN }] }));
      assert.equal(size.layers[0].status, 'measured', size.layers[0].detail);
      assert.equal(size.layersUnzippedBytes, layerFiles.reduce((n, f) => n + Buffer.byteLength(f.data), 0));
      assert.notEqual(size.status, 'unknown');
      assert.deepEqual(rec.sessions.map(({ sources: _, ...opts }) => opts), [{ profile: 'dev', region: 'eu-central-1', endpointUrl: 'http://127.0.0.1:5000' }]);
      assert.deepEqual(rec.lambdaCalls.map((c) => [c.command, c.input]), [['GetLayerVersionCommand', { LayerName: ARN.slice(0, ARN.lastIndexOf(':')), VersionNumber: 3 }]]);
    } finally {
      await core.dispose();
      await server.close();
    }
  });

  it('downloads a layer for a local run with the AWS settings of when it is needed', async () => {
    const archive = makeZip([{ name: 'message.txt', data: 'from the layer\n' }]);
    const server = await serveArchive(archive);
    const { deps, rec } = fakeDeps({ lambda: (command) => (command === 'GetLayerVersionByArnCommand' ? { Content: { CodeSize: archive.length, Location: server.url } } : undefined) });
    const core = openCore(editorSettings({ aws: { region: 'eu-west-1' } }), { cacheDir: work, sources: EDITOR_SOURCES, env }, deps);
    try {
      await core.runner();
      const download = rec.runners[0].layerDownloader!;
      assert.deepEqual(await download(ARN), archive);
      const moved = editorSettings({ aws: { region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:5000' } });
      assert.deepEqual(core.update(moved), { aws: true, runner: false, builds: false, sizes: 'arnLayers' });
      assert.deepEqual(await download(ARN), archive);
      assert.deepEqual(
        rec.lambdaCalls.map(({ session: { sources: _, ...opts } }) => opts),
        [{ region: 'eu-central-1' }, { region: 'eu-central-1', endpointUrl: 'http://127.0.0.1:5000' }],
        'the same runner fetched the second time through the new endpoint',
      );
      assert.deepEqual(rec.destroyedSessions.map(({ sources: _, ...opts }) => opts), [{ region: 'eu-central-1' }], 'the old session is closed');
    } finally {
      await core.dispose();
      await server.close();
    }
  });

  it('keeps the runner and the size engine through unrelated changes and replaces the runner for its own settings', async () => {
    const { deps, rec } = fakeDeps();
    const before = editorSettings({ aws: { region: 'eu-west-1' } });
    const core = openCore(before, { cacheDir: work, sources: EDITOR_SOURCES, env }, deps);
    const first = await core.runner();
    const engine = await core.sizeEngine();
    core.update({ ...before, deploy: { ...before.deploy, s3Bucket: 'staging' }, size: { warnAt: 0.5 } });
    assert.equal(await core.runner(), first, 'the same runner: its warm containers stay');
    core.update({ ...before, local: { ...before.local, images: { 'nodejs22.x': 'mirror.example/node:22' } } });
    const second = await core.runner();
    assert.notEqual(second, first);
    await core.settled();
    assert.equal(rec.disposedRunners, 1, 'the replaced runner removed its containers');
    assert.deepEqual(rec.runners[1].images, { 'nodejs22.x': 'mirror.example/node:22' });
    assert.equal(await core.sizeEngine(), engine, 'one size engine throughout: no settings restart its workers');
    await core.dispose();
  });

  it('awaits container removal and the size engine\'s shutdown when disposed, and runs nothing after', async () => {
    const { deps, rec, state } = fakeDeps({ runnerDisposeMs: 50, sizeEngineDisposeMs: 50 });
    const core = openCore(editorSettings(), { cacheDir: work, sources: EDITOR_SOURCES, env }, deps);
    await core.runner();
    await core.sizeEngine();
    await core.dispose();
    assert.equal(rec.disposedRunners, 1);
    assert.equal(state.sizeEngineDisposed, true);
    await assert.rejects(core.runner(), /shutting down/);
  });

  it('turns a malformed --endpoint-url into a usage error, as every command that takes it does', () => {
    assert.throws(() => settingsFromFlags(parseOptions(['--endpoint-url', '127.0.0.1:4566'], SIZE_AWS_OPTIONS).values), (err: unknown) => err instanceof UsageError && /--endpoint-url wants a URL/.test(err.message));
  });
});
