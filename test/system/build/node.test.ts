import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildEngine } from '../../../src/core/build';
import { filesUnder, offlineSettings, type Project, project, recordingTools } from './support';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs22.x
    Handler: app.handler
Resources:
  Node:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: node/
  NodeArm:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: node/
      Architectures: [arm64]
  Bare:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: bare/
`;

describe('build (real npm): Node.js functions get their production dependencies only', function () {
  this.timeout(60_000);
  let p: Project;
  let recorder: ReturnType<typeof recordingTools>;
  let engine: BuildEngine;
  const timings: string[] = [];

  before(() => {
    p = project(TEMPLATE, { node: 'node', bare: 'node' });
    recorder = recordingTools();
    engine = new BuildEngine({ cacheDir: p.cacheDir, settings: offlineSettings(), tools: recorder.tools });
  });
  after(() => {
    if (timings.length > 0) console.log(`      timings: ${timings.join(', ')}`);
    p.cleanup();
  });

  it('npm ci --omit=dev: dependencies and theirs, no devDependencies, no lock file or npm state in the artifact', async () => {
    const fns = await p.functions();
    const built = await engine.build(fns.Node);
    timings.push(`cold ${built.durationMs} ms`);
    assert.deepEqual([built.status, built.builder], ['built', 'nodejs-npm']);
    const files = filesUnder(built.artifactDir!);
    assert.ok(files.includes('app.js') && files.includes('package.json'), files.join(', '));
    const modules = readdirSync(join(built.artifactDir!, 'node_modules')).sort();
    assert.deepEqual(modules, ['debug', 'ms'], 'debug and its dependency ms; not the devDependency is-number');
    assert.ok(!files.includes('package-lock.json') && !files.includes('node_modules/.package-lock.json'), files.join(', '));
    assert.deepEqual(recorder.calls, ['npm pack --dry-run', 'npm ci --omit=dev']);
    // The package's own prepare script exits 1: it belongs to development and is not run.
    assert.match(readFileSync(join(built.artifactDir!, 'package.json'), 'utf8'), /"prepare"/);
  });

  it('a rebuild with nothing changed is cached and runs no toolchain', async () => {
    const fns = await p.functions();
    recorder.calls.length = 0;
    const again = await engine.build(fns.Node);
    timings.push(`no-change ${again.durationMs} ms`);
    assert.deepEqual([again.status, again.cached], ['cached', true]);
    assert.deepEqual(recorder.calls, []);
  });

  it('a source-only edit lists the package again but installs nothing', async () => {
    const fns = await p.functions();
    recorder.calls.length = 0;
    p.write('node/app.js', "exports.handler = async () => ({ message: 'edited' });\n");
    const edited = await engine.build(fns.Node);
    timings.push(`source edit ${edited.durationMs} ms`);
    assert.equal(edited.status, 'built');
    assert.deepEqual(recorder.calls, ['npm pack --dry-run']);
    assert.match(readFileSync(join(edited.artifactDir!, 'app.js'), 'utf8'), /edited/);
    assert.deepEqual(readdirSync(join(edited.artifactDir!, 'node_modules')).sort(), ['debug', 'ms']);
  });

  it('arm64 is another platform: its own install (for linux arm64), and its own cache entry', async () => {
    const fns = await p.functions();
    recorder.calls.length = 0;
    const lines: string[] = [];
    const arm = await engine.build(fns.NodeArm, { onLog: (l) => lines.push(l) });
    assert.equal(arm.status, 'built');
    assert.deepEqual(recorder.calls, ['npm pack --dry-run', 'npm ci --omit=dev']);
    assert.ok(lines.some((l) => l === 'npm: ci --omit=dev for linux arm64'), lines.join('\n'));
    assert.equal(readdirSync(join(p.cacheDir, 'npm')).length, 2);
  });

  it('a package.json without name or version (npm cannot pack it): every file but node_modules, and its dependencies', async () => {
    const fns = await p.functions();
    p.write('bare/package.json', JSON.stringify({ dependencies: { debug: '4.3.7' } }));
    p.write('bare/package-lock.json', readFileSync(join(p.dir, 'node', 'package-lock.json'), 'utf8').replace(/"is-number": "7.0.0"/, ''));
    const lines: string[] = [];
    const bare = await engine.build(fns.Bare, { onLog: (l) => lines.push(l) });
    assert.equal(bare.status, 'built', lines.join('\n'));
    assert.ok(lines.some((l) => /npm pack could not list the package's files \(.*name and version/.test(l)), lines.join('\n'));
    assert.deepEqual(filesUnder(bare.artifactDir!).filter((f) => !f.startsWith('node_modules/')), ['app.js', 'package.json']);
    assert.deepEqual(readdirSync(join(bare.artifactDir!, 'node_modules')).sort(), ['debug', 'ms']);
  });

  it('a lock file that disagrees with package.json fails the build and keeps the previous artifact', async () => {
    const fns = await p.functions();
    const before = filesUnder(join(p.dir, '.lambda-workbench', 'build', 'Node'));
    const pkg = JSON.parse(readFileSync(join(p.dir, 'node', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    pkg.dependencies.ms = '2.1.2';
    p.write('node/package.json', JSON.stringify(pkg, null, 2));
    await assert.rejects(engine.build(fns.Node), (err: Error) => /npm ci failed for Node/.test(err.message));
    assert.deepEqual(filesUnder(join(p.dir, '.lambda-workbench', 'build', 'Node')), before);
  });
});
