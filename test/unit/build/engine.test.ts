import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BuildEngine, stateFile } from '../../../src/core/build';
import { cancellationSource, CancelledError } from '../../../src/core/cancel';
import { UserError } from '../../../src/core/errors';
import type { FunctionSpec } from '../../../src/core/model/types';
import { functionsOf, NO_TOOLS, samTemplate, tempProject } from './support';

// Builds that need no toolchain (Python without requirements, Node.js without package.json) show
// the engine's decisions: when to build, where the artifact goes, what survives a failure.
describe('build: the engine', () => {
  let project: ReturnType<typeof tempProject>;
  let fns: Record<string, FunctionSpec>;
  let engine: BuildEngine;

  beforeEach(async () => {
    project = tempProject(
      samTemplate({
        Py: 'Runtime: python3.12\nHandler: app.handler\nCodeUri: py/',
        Node: 'Runtime: nodejs22.x\nHandler: app.handler\nCodeUri: node/',
        Root: 'Runtime: python3.12\nHandler: app.handler\nCodeUri: .',
        Esb: 'Runtime: nodejs22.x\nHandler: app.handler\nCodeUri: node/',
        Img: 'PackageType: Image',
      }, { Esb: 'BuildMethod: esbuild' }),
      {
        'app.py': 'def handler(e, c): return 0\n',
        'py/app.py': 'def handler(e, c): return 1\n',
        'py/lib/util.py': 'X = 1\n',
        'py/__pycache__/app.cpython-311.pyc': 'bytecode',
        'py/.venv/bin/python': '',
        'py/.aws-sam/build/Py/app.py': 'old',
        'py/native.so': 'host build',
        'node/app.js': 'exports.handler = async () => 1;\n',
        'node/node_modules/local/index.js': 'module.exports = 1;\n',
      },
    );
    fns = await functionsOf(project.template);
    engine = new BuildEngine({ cacheDir: join(project.dir, 'cache'), tools: NO_TOOLS });
  });
  afterEach(() => project.cleanup());

  const artifact = (id: string): string => join(project.dir, '.lambda-workbench', 'build', id);
  const files = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();

  it('puts the artifact in .lambda-workbench/build/<LogicalId> next to the template, without what SAM leaves out', async () => {
    const built = await engine.build(fns.Py);
    assert.equal(built.status, 'built');
    assert.equal(built.cached, false);
    assert.equal(built.builder, 'python-pip');
    assert.equal(built.artifactDir, artifact('Py'));
    assert.deepEqual(files(artifact('Py')), ['app.py', 'lib/util.py']);
    assert.match(readFileSync(join(project.dir, '.lambda-workbench', '.gitignore'), 'utf8'), /^\*$/m, 'build output is never committed');
    assert.ok(existsSync(stateFile(project.template, 'Py')));
  });

  it('a code folder that contains the template does not take in the build folder itself', async () => {
    await engine.build(fns.Py);
    const root = await engine.build(fns.Root);
    assert.ok(!files(root.artifactDir!).some((f) => f.startsWith('.lambda-workbench')), files(root.artifactDir!).join(', '));
    assert.ok(files(root.artifactDir!).includes('py/app.py'));
  });

  it('an unchanged function is not built again; an edit, a removed artifact or force builds it', async () => {
    await engine.build(fns.Py);
    const again = await engine.build(fns.Py);
    assert.equal(again.status, 'cached');
    assert.equal(again.cached, true);
    writeFileSync(join(project.dir, 'py/app.py'), 'def handler(e, c): return 2\n');
    const edited = await engine.build(fns.Py);
    assert.equal(edited.status, 'built');
    assert.match(readFileSync(join(artifact('Py'), 'app.py'), 'utf8'), /return 2/);
    assert.equal((await engine.build(fns.Py)).status, 'cached');
    rmSync(artifact('Py'), { recursive: true });
    assert.equal((await engine.build(fns.Py)).status, 'built');
    assert.equal((await engine.build(fns.Py, { force: true })).status, 'built');
  });

  it('status() tells up to date from stale without building', async () => {
    assert.deepEqual(await engine.status(fns.Py), { builder: 'python-pip', artifactDir: null, upToDate: false });
    await engine.build(fns.Py);
    assert.deepEqual(await engine.status(fns.Py), { builder: 'python-pip', artifactDir: artifact('Py'), upToDate: true });
    writeFileSync(join(project.dir, 'py/new.py'), '');
    assert.equal((await engine.status(fns.Py)).upToDate, false);
  });

  it('a failed build leaves the previous artifact and its state as they were, and no work folders', async () => {
    await engine.build(fns.Node);
    const state = readFileSync(stateFile(project.template, 'Node'), 'utf8');
    writeFileSync(join(project.dir, 'node/app.js'), 'exports.handler = async () => 2;\n');
    writeFileSync(join(project.dir, 'node/package.json'), '{ not json');
    await assert.rejects(engine.build(fns.Node), (err: unknown) => err instanceof UserError && /package\.json/.test(err.message));
    assert.match(readFileSync(join(artifact('Node'), 'app.js'), 'utf8'), /=> 1/);
    assert.equal(readFileSync(stateFile(project.template, 'Node'), 'utf8'), state);
    assert.deepEqual(readdirSync(join(project.dir, '.lambda-workbench', 'build', '.work')), []);
  });

  it('a cancelled build throws CancelledError and changes nothing', async () => {
    await engine.build(fns.Py);
    writeFileSync(join(project.dir, 'py/app.py'), 'def handler(e, c): return 3\n');
    const source = cancellationSource();
    source.cancel();
    await assert.rejects(engine.build(fns.Py, { token: source.token }), CancelledError);
    assert.match(readFileSync(join(artifact('Py'), 'app.py'), 'utf8'), /return 1/);
    assert.equal((await engine.status(fns.Py)).upToDate, false);
  });

  it('Node.js without package.json: the sources without node_modules', async () => {
    await engine.build(fns.Node);
    assert.deepEqual(files(artifact('Node')), ['app.js']);
  });

  it('links are followed inside the code folder and left out when they lead out of it', async () => {
    symlinkSync(join(project.dir, 'py/lib'), join(project.dir, 'py/lib2'));
    symlinkSync(join(project.dir, 'app.py'), join(project.dir, 'py/outside.py'));
    const lines: string[] = [];
    await engine.build(fns.Py, { onLog: (l) => lines.push(l) });
    assert.deepEqual(files(artifact('Py')), ['app.py', 'lib/util.py', 'lib2/util.py']);
    assert.ok(lines.some((l) => /outside\.py.*out of the code folder/.test(l)), lines.join('\n'));
  });

  it('esbuild: what the bundle read from node_modules and from outside the folder is checked file by file, the rest of node_modules not at all', async () => {
    const write = (rel: string, text: string): void => {
      mkdirSync(dirname(join(project.dir, rel)), { recursive: true });
      writeFileSync(join(project.dir, rel), text);
    };
    write('node/app.js', "const local = require('local');\nconst shared = require('../shared/util');\nexports.handler = async () => [local, shared];\n");
    write('node/node_modules/other/index.js', 'module.exports = "not bundled";\n');
    write('shared/util.js', 'module.exports = "shared 1";\n');
    const bundle = (): string => readFileSync(join(artifact('Esb'), 'app.js'), 'utf8');
    assert.equal((await engine.build(fns.Esb)).status, 'built');
    assert.match(bundle(), /shared 1/);
    assert.equal((await engine.build(fns.Esb)).status, 'cached');

    // A package the bundle never read, edited in place: nothing to rebuild.
    write('node/node_modules/other/index.js', 'module.exports = "still not bundled";\n');
    assert.equal((await engine.status(fns.Esb)).upToDate, true);
    assert.equal((await engine.build(fns.Esb)).status, 'cached');

    // A bundled package edited in place.
    write('node/node_modules/local/index.js', 'module.exports = "local 2";\n');
    assert.equal((await engine.status(fns.Esb)).upToDate, false);
    assert.equal((await engine.build(fns.Esb)).status, 'built');
    assert.match(bundle(), /local 2/);

    // A file outside the code folder (a monorepo's shared code): before, no part of the key.
    write('shared/util.js', 'module.exports = "shared 2";\n');
    assert.equal((await engine.build(fns.Esb)).status, 'built');
    assert.match(bundle(), /shared 2/);

    // A package.json appearing where resolution looks, and a package added beside the others.
    write('node/node_modules/local/package.json', '{"main":"main.js"}');
    write('node/node_modules/local/main.js', 'module.exports = "local 3";\n');
    assert.equal((await engine.build(fns.Esb)).status, 'built');
    assert.match(bundle(), /local 3/);
    assert.equal((await engine.build(fns.Esb)).status, 'cached');
    write('node/node_modules/added/index.js', '');
    assert.equal((await engine.build(fns.Esb)).status, 'built');
  });

  it('buildAll reports each function, failures and skips included, instead of throwing', async () => {
    mkdirSync(join(project.dir, 'node'), { recursive: true });
    writeFileSync(join(project.dir, 'node/package.json'), '[]');
    const results = await engine.buildAll([fns.Py, fns.Node, fns.Esb, fns.Img]);
    assert.deepEqual(results.map((r) => [r.logicalId, r.status, r.builder]), [
      ['Py', 'built', 'python-pip'],
      ['Node', 'failed', 'nodejs-npm'],
      ['Esb', 'built', 'esbuild'],
      ['Img', 'skipped', 'image'],
    ]);
    assert.match(results[1].reason ?? '', /package\.json/);
    assert.equal(results[1].artifactDir, null, 'no artifact was ever built');
    assert.ok(results.every((r) => Number.isInteger(r.durationMs) && r.durationMs >= 0));
  });
});
