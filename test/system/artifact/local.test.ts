import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildSettings } from '../../../src/core/build';
import { DEFAULT_SETTINGS, EDITOR_SOURCES, openCore, type WorkbenchCore } from '../../../src/core/open';
import { offlineSettings, project, type Project } from '../build/support';
import { runLabels, testEnv } from '../env';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Node:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: app.handler
      CodeUri: node/
      MemorySize: 256
`;

// Requires what only the build installs, and tries to write into /var/task, which Lambda keeps
// read-only (and which here is made of hard links into the build cache).
const APP = `const fs = require('fs');
const debug = require('debug');
exports.handler = async () => {
  let write = 'written';
  try {
    fs.writeFileSync('/var/task/node_modules/ms/index.js', 'module.exports = 0;');
  } catch (err) {
    write = err.code;
  }
  return { debug: typeof debug, version: require('debug/package.json').version, write, task: fs.readdirSync('/var/task').sort() };
};
`;

// A Node.js function whose dependency the build installs (the code folder has no node_modules)
// runs in the real test image through the core's runner: built first, then mounted read-only.
describe('artifact (real npm, real Docker): a local run mounts the built artifact', function () {
  this.timeout(180_000);
  let p: Project;
  let core: WorkbenchCore;
  before(() => {
    p = project(TEMPLATE, { node: 'node' });
    p.write('node/app.js', APP);
    const build: BuildSettings = offlineSettings();
    core = openCore(
      { ...DEFAULT_SETTINGS, local: { ...DEFAULT_SETTINGS.local, images: { 'nodejs22.x': testEnv().image } }, build: { pipArgs: [], npmArgs: build.npmArgs ?? [], mavenArgs: [] } },
      { cacheDir: join(p.dir, '.cache'), sources: EDITOR_SOURCES, local: { labels: runLabels() } },
    );
  });
  after(async () => {
    await core.dispose();
    p.cleanup();
  });

  it('builds first (saying so), then the handler requires the installed dependency; /var/task is read-only', async () => {
    assert.ok(!existsSync(join(p.dir, 'node', 'node_modules')), 'the code folder has no node_modules');
    const fn = (await p.functions()).Node;
    const { runner } = await core.runner();
    const progress: string[] = [];
    const started = Date.now();
    const result = await runner.invoke(fn, { event: {}, onProgress: (m) => progress.push(m.message) });
    const wall = Date.now() - started;
    assert.equal(result.error, null, JSON.stringify(result.error));
    const payload = result.payload as { debug: string; version: string; write: string; task: string[] };
    assert.deepEqual([payload.debug, payload.version], ['function', '4.3.7']);
    assert.equal(payload.write, 'EROFS', 'the artifact is mounted read-only');
    assert.deepEqual(payload.task, ['app.js', 'node_modules', 'package.json']);
    assert.ok(progress.includes('Building Node (nodejs-npm)'), progress.join(' | '));
    assert.ok(progress.indexOf('Building Node (nodejs-npm)') < progress.findIndex((m) => m.startsWith('Invoking')), 'built before it runs');
    const artifact = join(p.dir, '.lambda-workbench', 'build', 'Node');
    assert.deepEqual(readdirSync(join(artifact, 'node_modules')).sort(), ['debug', 'ms']);
    assert.ok(statSync(join(artifact, 'node_modules', 'ms', 'index.js')).nlink > 1, 'a hard link into the dependency cache');
    assert.doesNotMatch(readFileSync(join(artifact, 'node_modules', 'ms', 'index.js'), 'utf8'), /module\.exports = 0;/);
    console.log(`      cold invoke with the artifact: ${wall} ms wall (build included), Init Duration ${result.report.initDurationMs} ms, Duration ${result.report.durationMs} ms`);
  });

  it('a second invoke is warm and builds nothing; an edit rebuilds, and the next invoke runs the new code cold', async () => {
    const fn = (await p.functions()).Node;
    const { runner } = await core.runner();
    const progress: string[] = [];
    const warm = await runner.invoke(fn, { event: {}, onProgress: (m) => progress.push(m.message) });
    assert.equal(warm.report.cold, false);
    assert.ok(!progress.some((m) => m.startsWith('Building')), progress.join(' | '));

    p.write('node/app.js', "exports.handler = async () => ({ edited: require('ms')('2 days') });\n");
    progress.length = 0;
    const edited = await runner.invoke(fn, { event: {}, onProgress: (m) => progress.push(m.message) });
    assert.deepEqual(edited.payload, { edited: 172_800_000 });
    assert.equal(edited.report.cold, true);
    assert.ok(progress.includes('Building Node (nodejs-npm)'), progress.join(' | '));

    // A cold start with the artifact up to date: no build, only the container.
    progress.length = 0;
    const started = Date.now();
    const cold = await runner.invoke(fn, { event: {}, forceCold: true, onProgress: (m) => progress.push(m.message) });
    assert.deepEqual([cold.report.cold, progress.some((m) => m.startsWith('Building'))], [true, false]);
    console.log(`      cold invoke, artifact up to date: ${Date.now() - started} ms wall, Init Duration ${cold.report.initDurationMs} ms`);
  });

  it('a rebuild of the same inputs starts a fresh container: the warm one mounts the folder the rebuild replaced', async () => {
    const fn = (await p.functions()).Node;
    const { runner } = await core.runner();
    await runner.invoke(fn, { event: {} });
    const warm = await runner.invoke(fn, { event: {} });
    assert.equal(warm.report.cold, false);
    // A forced build replaces the folder: the next run needs a container that mounts the new one.
    await (await core.buildEngine()).build(fn, { force: true });
    const fresh = await runner.invoke(fn, { event: {} });
    assert.equal(fresh.report.cold, true);
    assert.deepEqual(fresh.payload, { edited: 172_800_000 });
  });
});
