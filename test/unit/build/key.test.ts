import assert from 'node:assert/strict';
import { mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILDERS, buildKey, type BuildSettings, planBuild } from '../../../src/core/build';
import type { FunctionSpec } from '../../../src/core/model/types';
import { functionsOf, samTemplate, tempProject } from './support';

describe('build: the input key', () => {
  let project: ReturnType<typeof tempProject>;
  let fns: Record<string, FunctionSpec>;

  beforeEach(async () => {
    project = tempProject(
      samTemplate({
        Py: 'Runtime: python3.12\nHandler: app.handler\nCodeUri: py/',
        Node: 'Runtime: nodejs22.x\nHandler: app.handler\nCodeUri: node/',
      }),
      {
        'py/app.py': 'def handler(e, c): return 1\n',
        'py/requirements.txt': 'six==1.17.0\n',
        'node/app.js': 'exports.handler = async () => 1;\n',
        'node/package.json': '{"name":"n","version":"1.0.0","dependencies":{"ms":"2.1.3"}}',
      },
    );
    fns = await functionsOf(project.template);
  });
  afterEach(() => project.cleanup());

  const keyOf = async (fn: FunctionSpec, settings: BuildSettings = {}): Promise<string> => {
    const plan = planBuild(fn);
    assert.equal(plan.kind, 'build');
    if (plan.kind !== 'build') throw new Error('unreachable');
    return buildKey(BUILDERS[plan.builder], plan.unit, settings);
  };
  const touch = (rel: string, content: string): void => writeFileSync(join(project.dir, rel), content);

  it('is stable while nothing changes', async () => {
    assert.equal(await keyOf(fns.Py), await keyOf(fns.Py));
    assert.match(await keyOf(fns.Py), /^[0-9a-f]{32}$/);
  });

  it('changes with a source edit, a new file, the manifest, the runtime and the architecture', async () => {
    const base = await keyOf(fns.Py);
    touch('py/app.py', 'def handler(e, c): return 2\n');
    const edited = await keyOf(fns.Py);
    assert.notEqual(edited, base);
    touch('py/util.py', '');
    const added = await keyOf(fns.Py);
    assert.notEqual(added, edited);
    touch('py/requirements.txt', 'six==1.16.0\n');
    const manifest = await keyOf(fns.Py);
    assert.notEqual(manifest, added);
    assert.notEqual(await keyOf({ ...fns.Py, architecture: 'arm64' }), manifest);
    assert.notEqual(await keyOf({ ...fns.Py, runtime: 'python3.13' }), manifest);
  });

  it('follows requirements.txt into the files it includes, wherever they are', async () => {
    touch('common.txt', 'markupsafe==3.0.2\n');
    touch('py/requirements.txt', '-r ../common.txt\nsix==1.17.0\n');
    const base = await keyOf(fns.Py);
    touch('common.txt', 'markupsafe==3.0.1\n');
    assert.notEqual(await keyOf(fns.Py), base);
  });

  it('a file saved with the same bytes but a new time counts as an edit (no file is read to decide)', async () => {
    const base = await keyOf(fns.Py);
    const later = new Date(Date.now() + 5000);
    utimesSync(join(project.dir, 'py/app.py'), later, later);
    assert.notEqual(await keyOf(fns.Py), base);
  });

  it('a manifest rewritten in place with its size and modification time kept still moves the key (its digest is not kept past a change)', async () => {
    const manifest = join(project.dir, 'node/package.json');
    // Whole seconds: a time that survives being set again exactly.
    const when = Math.floor(Date.now() / 1000) - 60;
    utimesSync(manifest, when, when);
    const before = statSync(manifest);
    const base = await keyOf(fns.Node);
    writeFileSync(manifest, '{"name":"n","version":"1.0.0","dependencies":{"ms":"2.1.2"}}');
    utimesSync(manifest, when, when);
    const after = statSync(manifest);
    assert.equal(after.size, before.size);
    assert.equal(after.mtimeMs, before.mtimeMs);
    assert.notEqual(await keyOf(fns.Node), base);
  });

  it('a large tree is walked a slice at a time: the event loop runs while it is fingerprinted', async () => {
    for (let d = 0; d < 40; d++) {
      mkdirSync(join(project.dir, `py/pkg${d}`));
      for (let f = 0; f < 250; f++) writeFileSync(join(project.dir, `py/pkg${d}/m${f}.py`), '');
    }
    let ticks = 0;
    const tick = setInterval(() => ticks++, 0);
    try {
      await keyOf(fns.Py);
    } finally {
      clearInterval(tick);
    }
    assert.ok(ticks > 0, 'no timer ran during a walk of 10,000 files');
  });

  it('ignores what the builder leaves out: bytecode, environments, SAM output, its own build folder; node_modules for npm', async () => {
    const py = await keyOf(fns.Py);
    const node = await keyOf(fns.Node);
    for (const dir of ['py/__pycache__', 'py/.venv/lib', 'py/.aws-sam/build', 'py/.lambda-workbench/build', 'node/node_modules/ms']) mkdirSync(join(project.dir, dir), { recursive: true });
    touch('py/__pycache__/app.cpython-312.pyc', 'x');
    touch('py/.venv/lib/x.py', 'x');
    touch('py/app.pyc', 'x');
    touch('node/node_modules/ms/index.js', 'x');
    assert.equal(await keyOf(fns.Py), py);
    assert.equal(await keyOf(fns.Node), node);
  });

  it("includes the options the builder reads, and only those: pip's arguments move a pip key, not an npm one", async () => {
    const py = await keyOf(fns.Py);
    const node = await keyOf(fns.Node);
    const pip: BuildSettings = { pipArgs: ['--index-url', 'https://mirror.example/simple'] };
    assert.notEqual(await keyOf(fns.Py, pip), py);
    assert.equal(await keyOf(fns.Node, pip), node);
    assert.notEqual(await keyOf(fns.Node, { npmArgs: ['--offline'] }), node);
    assert.notEqual(await keyOf(fns.Node, { env: { npm_config_registry: 'https://mirror.example/' } }), node);
  });
});
