import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionBuild } from '../../../src/core/build';
import { UserError } from '../../../src/core/errors';
import type { FunctionSpec } from '../../../src/core/model/types';
import { DEFAULT_SETTINGS, EDITOR_SOURCES, openCore, type Settings } from '../../../src/core/open';
import { functionsOf, samTemplate, tempProject } from '../build/support';
import { writeTree } from '../size/fixtures';
import { fakeDeps } from './fakes';

const TEMPLATE = samTemplate({
  ByRunner: 'Runtime: python3.12\nHandler: app.handler\nCodeUri: runner/',
  ByDeploy: 'Runtime: python3.12\nHandler: app.handler\nCodeUri: deploy/',
  ByCommand: 'Runtime: python3.12\nHandler: app.handler\nCodeUri: command/',
});

// One build engine behind size, local runs, deploys and the Build commands: whoever builds a
// function, the others see its artifact. Python functions without requirements build with no toolchain.
describe('open: one artifact for size, local runs and deploys', () => {
  let project: ReturnType<typeof tempProject>;
  let fns: Record<string, FunctionSpec>;
  beforeEach(async () => {
    const app = 'def handler(e, c):\n    return 1\n';
    project = tempProject(TEMPLATE, { 'runner/app.py': app, 'deploy/app.py': app, 'command/app.py': app });
    fns = await functionsOf(project.template);
  });
  afterEach(() => project.cleanup());

  const env = { AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };

  it('a build the runner, a deploy or the command starts is the artifact size measures next, and each is announced', async () => {
    const { deps, rec } = fakeDeps();
    const announced: string[] = [];
    const lines: string[] = [];
    const core = openCore(DEFAULT_SETTINGS, { cacheDir: join(project.dir, 'cache'), sources: EDITOR_SOURCES, env, buildLog: (l) => lines.push(l), onBuilt: (fn, b: FunctionBuild) => announced.push(`${fn.logicalId}:${b.status}`) }, deps);
    try {
      const size = await core.sizeEngine();
      for (const fn of Object.values(fns)) assert.equal((await size.measure(fn)).estimate, true, `${fn.logicalId} is not built yet`);

      await core.runner();
      const runnerBuilds = rec.runners[0].builds!;
      await runnerBuilds.build(fns.ByRunner, {});
      const ctx = await core.deployContext({});
      await ctx.builds!.build(fns.ByDeploy, {});
      await (await core.buildEngine()).build(fns.ByCommand);

      for (const fn of Object.values(fns)) {
        const s = await size.measure(fn);
        assert.deepEqual([s.source, s.estimate], ['artifact', false], `${fn.logicalId} is measured as its artifact`);
      }
      assert.deepEqual(announced, ['ByRunner:built', 'ByDeploy:built', 'ByCommand:built']);
      assert.ok(lines.some((l) => /^Building ByRunner \(python-pip/.test(l)), 'build output goes to the shell\'s log');
      assert.equal(rec.buildEngines.length, 1, 'one engine');
      assert.equal(rec.buildEngines[0].cacheDir, join(project.dir, 'cache', 'build'));
    } finally {
      await core.dispose();
    }
  });

  it('builds with the installer options of the settings; new ones make a new engine, and every size is judged again', async () => {
    const { deps, rec } = fakeDeps();
    const core = openCore(DEFAULT_SETTINGS, { cacheDir: join(project.dir, 'cache'), sources: EDITOR_SOURCES, env }, deps);
    try {
      await core.buildEngine();
      const next: Settings = { ...DEFAULT_SETTINGS, build: { ...DEFAULT_SETTINGS.build, pipArgs: ['--index-url', 'https://mirror.example/simple'] } };
      assert.deepEqual(core.update(next), { aws: false, runner: false, builds: true, sizes: 'all' });
      await core.buildEngine();
      assert.deepEqual(rec.buildEngines.map((o) => o.settings?.pipArgs), [[], ['--index-url', 'https://mirror.example/simple']]);
      // Its hints name the pip arguments, images and engine in the editor's words.
      assert.ok(rec.buildEngines.every((o) => o.sources === EDITOR_SOURCES));
    } finally {
      await core.dispose();
    }
  });

  it("untrusted: nothing is built, run or deployed whoever asks, sizes stay estimates that say why, and trust lets them all go ahead", async () => {
    const { deps, rec } = fakeDeps();
    let trusted = false;
    const core = openCore(DEFAULT_SETTINGS, { cacheDir: join(project.dir, 'cache'), sources: EDITOR_SOURCES, env, trusted: () => trusted }, deps);
    try {
      const untrusted = (what: RegExp) => (err: unknown): boolean =>
        err instanceof UserError && err.code === 'workspace-untrusted' && what.test(err.message) && /Trust the workspace \(Manage Workspace Trust\)/.test(err.hint ?? '');
      await assert.rejects(core.runner(), untrusted(/^Functions are not run in a workspace that is not trusted: running one in a container runs the workspace's code\.$/));
      await assert.rejects(core.deployContext({}), untrusted(/^Nothing is deployed in a workspace that is not trusted/));
      assert.deepEqual([rec.engines.length, rec.runners.length, rec.sessions.length], [0, 0, 0], 'no engine, container runner or AWS session was opened for them');
      await assert.rejects((await core.buildEngine()).build(fns.ByRunner), (err: unknown) => err instanceof UserError && err.code === 'build-untrusted');
      const s = await (await core.sizeEngine()).measure(fns.ByRunner);
      assert.deepEqual([s.estimate, s.build?.untrusted], [true, true]);
      // Trust granted while the core runs: runs, deploys and builds go ahead.
      trusted = true;
      await core.runner();
      await core.deployContext({});
      assert.equal((await rec.runners[0].builds!.build(fns.ByRunner, {})).status, 'built');
    } finally {
      await core.dispose();
    }
  });

  it("untrusted: sizes bundle with this tool's esbuild, never the workspace's own (it would run in this process)", async () => {
    const { deps } = fakeDeps();
    let trusted = false;
    const dir = join(project.dir, 'bundled');
    // A package named esbuild in the project: loading it leaves a mark, and it cannot bundle.
    const mark = join(project.dir, 'loaded');
    writeTree(dir, {
      'app.js': 'exports.handler = async () => 1;\n',
      'package.json': '{"name":"bundled","devDependencies":{"esbuild":"*"}}',
      'node_modules/esbuild/package.json': '{"name":"esbuild","version":"0.0.0-workspace","main":"index.js"}',
      'node_modules/esbuild/index.js': `require('fs').writeFileSync(${JSON.stringify(mark)}, 'x');\nexports.version = '0.0.0-workspace';\nexports.context = async () => { throw new Error('the workspace esbuild ran'); };\n`,
    });
    writeFileSync(project.template, samTemplate({ Bundled: 'Runtime: nodejs22.x\nHandler: app.handler\nCodeUri: bundled/' }, { Bundled: 'BuildMethod: esbuild\nBuildProperties:\n  EntryPoints:\n    - app.js' }));
    const fn = (await functionsOf(project.template)).Bundled;
    const core = openCore(DEFAULT_SETTINGS, { cacheDir: join(project.dir, 'cache'), sources: EDITOR_SOURCES, env, trusted: () => trusted }, deps);
    try {
      const size = await core.sizeEngine();
      const measured = await size.measure(fn);
      assert.ok(measured.zippedBytes !== null && measured.zippedBytes > 0, 'measured with the bundled esbuild');
      assert.equal(existsSync(mark), false, "the workspace's esbuild was not loaded");
      trusted = true;
      await assert.rejects(size.collectInputs({ kind: 'function', spec: fn }), /the workspace esbuild ran/);
      assert.equal(existsSync(mark), true, 'trusted: the project\'s own esbuild is used, as SAM does');
    } finally {
      await core.dispose();
    }
  });
});
