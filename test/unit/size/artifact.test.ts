import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildEngine, type BuildSettings } from '../../../src/core/build';
import { UserError } from '../../../src/core/errors';
import type { FunctionSpec } from '../../../src/core/model/types';
import { type FunctionSize, SizeEngine } from '../../../src/core/size';
import { functionsOf, NO_TOOLS, samTemplate, tempProject } from '../build/support';
import { makeZip } from '../local/zipFixture';
import { writeTree } from './fixtures';

const APP = 'def handler(event, context):\n    return 1\n';

/** A wheel as pip downloads one: the package's files, and a dist-info with METADATA and RECORD. */
function wheel(dir: string, file: string, files: Record<string, string>, requires: string[] = []): number {
  const [dist, version] = file.split('-');
  const info = `${dist}-${version}.dist-info`;
  const metadata = ['Metadata-Version: 2.1', `Name: ${dist}`, `Version: ${version}`, ...requires.map((r) => `Requires-Dist: ${r}`), '', 'A package.'].join('\n');
  const record = [...Object.keys(files), `${info}/METADATA`, `${info}/RECORD`].map((f) => `${f},,`).join('\n');
  const entries = [...Object.entries(files).map(([name, data]) => ({ name, data })), { name: `${info}/METADATA`, data: metadata }, { name: `${info}/RECORD`, data: record }];
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), makeZip(entries));
  return entries.reduce((n, e) => n + Buffer.byteLength(e.data), 0);
}

const find = (s: FunctionSize, code: string) => s.findings.find((f) => f.code === code);

// What sizes are made of for functions a builder makes: the artifact once it is built and up to
// date, an estimate before (never "ok" while a declared dependency is not counted). No toolchain
// runs here: the builds have nothing to install, the estimates read wheels and folders.
describe('size: artifacts and estimates', () => {
  let project: ReturnType<typeof tempProject>;
  let fns: Record<string, FunctionSpec>;
  let builds: BuildEngine;
  let engine: SizeEngine;
  let wheels: string;
  let wheelBytes: { tiny: number; leaf: number };

  const open = (settings: BuildSettings = {}, trusted = true): void => {
    builds = new BuildEngine({ cacheDir: join(project.dir, 'cache'), settings, tools: NO_TOOLS, trusted: () => trusted });
    engine = new SizeEngine({ workers: 0, builds });
  };

  beforeEach(async () => {
    project = tempProject(
      samTemplate(
        {
          PyWheels: 'Runtime: python3.12\nHandler: app.handler\nCodeUri: wheels-fn/',
          PyPlain: 'Runtime: python3.12\nHandler: app.handler\nCodeUri: plain/',
          Node: 'Runtime: nodejs22.x\nHandler: app.handler\nCodeUri: node/',
          Go: 'Runtime: provided.al2023\nHandler: bootstrap\nCodeUri: go/',
        },
        { Go: 'BuildMethod: go1.x' },
      ),
      {
        'wheels-fn/app.py': APP,
        'wheels-fn/requirements.txt': 'tinydep==1.0\nArmOnly\n',
        'plain/app.py': APP,
        'plain/.lambdaignore': 'data/\n',
        'plain/data/fixture.bin': 'x'.repeat(5000),
        'plain/__pycache__/app.cpython-312.pyc': 'bytecode',
        'node/app.js': 'exports.handler = async () => require("present");\n',
        'node/package.json': JSON.stringify({ dependencies: { present: '1.0.0', missing: '1.0.0' }, devDependencies: { devonly: '1.0.0' } }),
        'node/node_modules/present/package.json': JSON.stringify({ name: 'present', version: '1.0.0' }),
        'node/node_modules/present/index.js': 'module.exports = 1;\n',
        'node/node_modules/devonly/package.json': JSON.stringify({ name: 'devonly', version: '1.0.0' }),
        'node/node_modules/devonly/index.js': 'module.exports = 2;\n'.repeat(100),
        'go/main.go': 'package main\nfunc main() {}\n',
        'go/go.mod': 'module example.com/fn\n\ngo 1.22\n',
      },
    );
    wheels = join(project.dir, 'wheels');
    wheelBytes = {
      tiny: wheel(wheels, 'tinydep-1.0-py3-none-any.whl', { 'tinydep/__init__.py': 'import leaf\n'.repeat(50) }, ['leaf>=2', 'winonly ; sys_platform == "win32"', 'extraonly ; extra == "fast"']),
      leaf: wheel(wheels, 'leaf-2.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', { 'leaf/__init__.py': 'from ._speed import *\n', 'leaf/_speed.cpython-312-x86_64-linux-gnu.so': 'E'.repeat(20_000) }),
    };
    // Only for the other CPU: no use to an x86_64 function.
    wheel(wheels, 'ArmOnly-1.0-cp312-cp312-manylinux2014_aarch64.whl', { 'armonly/__init__.py': 'x' });
    fns = await functionsOf(project.template);
    open({ pipArgs: ['--no-index', '--find-links', wheels] });
  });
  afterEach(async () => {
    await engine.dispose();
    project.cleanup();
  });

  it('before a build, estimates a Python function from its sources and the wheels pip would install, following their requirements', async () => {
    const s = await engine.measure(fns.PyWheels);
    assert.equal(s.estimate, true);
    assert.equal(s.source, 'folder');
    const sources = APP.length + 'tinydep==1.0\nArmOnly\n'.length;
    assert.equal(s.unzippedBytes, sources + wheelBytes.tiny + wheelBytes.leaf, 'tinydep and the leaf it requires; not what only Windows or an extra asks for');
    assert.deepEqual(s.build?.uncounted, ['ArmOnly'], 'no wheel of it for x86_64');
    assert.equal(s.status, 'warn', 'never ok while a declared dependency is not counted');
    const left = find(s, 'dependencies-not-counted');
    assert.ok(left, 'said in a finding');
    assert.equal(left.severity, 'warning');
    assert.deepEqual(left.subjects, [{ package: 'ArmOnly' }], 'on its requirements.txt line');
    assert.match(left.message, /1 declared dependency is not counted: ArmOnly\. PyWheels has not been built; the size is an estimate from its sources and from 2 wheels in the folders pip installs from\./);
    assert.match(left.fix, /lambda-workbench build PyWheels/);
    assert.deepEqual(s.topContributors.slice(0, 2).map((c) => [c.name, c.kind]), [['leaf', 'package'], ['tinydep', 'package']]);

    writeFileSync(join(project.dir, 'wheels-fn', 'requirements.txt'), 'tinydep==1.0\n');
    const all = await engine.measure(fns.PyWheels);
    assert.deepEqual([all.estimate, all.status, all.build?.uncounted], [true, 'ok', []], 'everything counted: an estimate that fits');
    assert.equal(find(all, 'dependencies-not-counted'), undefined);
  });

  it('before a build, counts a Node.js function\'s own node_modules (without dev-only packages) and names what is not installed', async () => {
    const s = await engine.measure(fns.Node);
    assert.equal(s.estimate, true);
    assert.deepEqual(s.build?.uncounted, ['missing']);
    assert.equal(s.status, 'warn');
    assert.ok(s.topContributors.some((c) => c.name === 'present'), 'the installed dependency is counted');
    assert.ok(!s.topContributors.some((c) => c.name === 'devonly'), 'a dev-only package is not');
  });

  it('a compiled function says its size is not known until it is built', async () => {
    const s = await engine.measure(fns.Go);
    assert.deepEqual([s.estimate, s.status, s.zippedBytes, s.unzippedBytes], [true, 'unknown', null, null]);
    assert.match(find(s, 'artifact-not-built')?.message ?? '', /Go has not been built, so its size is not known: go-modules compiles/);
  });

  it('measures and packages the up-to-date artifact, with the code folder\'s .lambdaignore; an edit makes it an estimate that cannot be packaged', async () => {
    const built = await builds.build(fns.PyPlain);
    const s = await engine.measure(fns.PyPlain);
    assert.deepEqual([s.source, s.estimate, s.codePath, s.build?.upToDate], ['artifact', false, built.artifactDir, true]);
    const inputs = (await engine.collectInputs({ kind: 'function', spec: fns.PyPlain })).map((i) => i.name).sort();
    assert.deepEqual(inputs, ['app.py'], 'no bytecode (the build left it out), no data/ (.lambdaignore)');
    const out = join(project.dir, 'out.zip');
    const pkg = await engine.package(fns.PyPlain, out);
    assert.equal(pkg.bytes, s.zippedBytes);
    assert.equal(statSync(out).size, s.zippedBytes);

    writeFileSync(join(project.dir, 'plain', 'app.py'), `${APP}# edited\n`);
    const stale = await engine.measure(fns.PyPlain);
    assert.deepEqual([stale.estimate, stale.build?.upToDate, stale.build?.artifactDir], [true, false, built.artifactDir]);
    await assert.rejects(engine.package(fns.PyPlain, out), (err: unknown) => err instanceof UserError && err.code === 'not-built' && /its build is out of date/.test(err.message));
    await assert.rejects(engine.collectInputs({ kind: 'function', spec: fns.PyPlain }), (err: unknown) => err instanceof UserError && err.code === 'not-built');
  });

  it('in an untrusted workspace nothing is built: an existing artifact is still used, a stale one stays an estimate that says why', async () => {
    await builds.build(fns.PyPlain);
    await engine.dispose();
    open({ pipArgs: ['--no-index', '--find-links', wheels] }, false);
    assert.equal((await builds.build(fns.PyPlain)).status, 'cached', 'up to date: nothing runs, nothing refused');
    writeFileSync(join(project.dir, 'plain', 'app.py'), `${APP}# edited\n`);
    await assert.rejects(builds.build(fns.PyPlain), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.equal(err.code, 'build-untrusted');
      assert.match(err.hint ?? '', /Trust the workspace/);
      return true;
    });
    const s = await engine.measure(fns.PyWheels);
    assert.equal(s.build?.untrusted, true);
    assert.match(find(s, 'dependencies-not-counted')?.message ?? '', /nothing is built in an untrusted workspace/);
    assert.match(find(s, 'dependencies-not-counted')?.fix ?? '', /Trust the workspace/);
  });

  it('groups an installed Python distribution by what its RECORD lists: every folder it installed is one package', async () => {
    const code = join(project.dir, 'vendored');
    writeTree(code, {
      'app.py': APP,
      'fastlib/__init__.py': 'x',
      'fastlib.libs/libblas.so': 'B'.repeat(30_000),
      'Fast_Lib-1.0.dist-info/METADATA': 'Name: Fast-Lib\n',
      'Fast_Lib-1.0.dist-info/RECORD': 'fastlib/__init__.py,sha256=x,1\n"fastlib.libs/libblas.so",sha256=y,30000\nFast_Lib-1.0.dist-info/RECORD,,\n../../bin/fast,,\n',
    });
    const s = await new SizeEngine({ workers: 0 }).measure({ ...fns.PyPlain, codeUri: code });
    const top = s.topContributors[0];
    assert.deepEqual([top.name, top.kind], ['Fast_Lib', 'package']);
    assert.equal(top.bytes, 1 + 30_000 + readFileSync(join(code, 'Fast_Lib-1.0.dist-info/METADATA')).length + readFileSync(join(code, 'Fast_Lib-1.0.dist-info/RECORD')).length);
  });

  it('names the requirements.txt line that brings a dominant distribution in when it is not asked for itself', async () => {
    const code = join(project.dir, 'pulled');
    writeTree(code, {
      'app.py': APP,
      'requirements.txt': '# what the function asks for\ntoplib==1.0\n',
      'toplib/__init__.py': 'import heavylib\n',
      'toplib-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: toplib\nVersion: 1.0\nRequires-Dist: heavylib>=2\n\nTop.',
      'toplib-1.0.dist-info/RECORD': 'toplib/__init__.py,,\n',
      'heavylib/data.bin': 'h'.repeat(1_200_000),
      'heavylib-2.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: heavylib\nVersion: 2.0\n',
      'heavylib-2.0.dist-info/RECORD': 'heavylib/data.bin,,\n',
    });
    const s = await new SizeEngine({ workers: 0 }).measure({ ...fns.PyPlain, codeUri: code });
    assert.deepEqual(find(s, 'dominant-package')?.subjects, [{ package: 'heavylib', requiredBy: 'toplib' }]);
  });
});
