import assert from 'node:assert/strict';
import { join } from 'node:path';
import { functionUsesPath, loadTemplate, loadWorkspace, templatesAffectedBy } from '../../../src/core/model';
import { fixture, FIXTURES, fn, problemList, ROOT } from './fixtures';

describe('model: workspace', () => {
  it('loads every template under the roots, parsed and checked, sorted by path', async () => {
    const models = await loadWorkspace([FIXTURES, join(ROOT, 'examples')]);
    const paths = models.map((m) => m.path);
    assert.deepEqual(paths, [...paths].sort());
    assert.ok(paths.includes(join(ROOT, 'examples', 'template.yaml')));
    const handlers = models.find((m) => m.path === fixture('handlers', 'template.yaml'));
    assert.ok(handlers && problemList(handlers).includes('handler-export-missing@38'), 'handler checks ran');
    const nested = models.find((m) => m.path === fixture('nested-app', 'shared', 'template.yml'));
    assert.deepEqual(nested?.functions.map((f) => f.logicalId), ['Housekeeping']);
  });

  it('re-parses one template from unsaved editor text', async () => {
    const path = join(ROOT, 'examples', 'template.yaml');
    const before = await loadTemplate(path);
    assert.equal(fn(before, 'HelloNode').memorySize, 256);
    const { readFileSync } = await import('node:fs');
    const edited = readFileSync(path, 'utf8').replace('Handler: app.handler', 'Handler: app.nope');
    const after = await loadTemplate(path, edited);
    assert.equal(fn(after, 'HelloNode').handler, 'app.nope');
    assert.deepEqual(problemList(after), ['handler-export-missing@19']);
  });

  it('reports a template that cannot be read, without throwing', async () => {
    const model = await loadTemplate(fixture('gone', 'template.yaml'));
    assert.deepEqual(problemList(model), ['template-unreadable@1']);
  });

  it('tells which templates a changed file affects', async () => {
    const models = await loadWorkspace([join(ROOT, 'examples'), fixture('layers')]);
    const names = (changed: string) => templatesAffectedBy(models, changed).map((m) => m.path);
    const example = join(ROOT, 'examples', 'template.yaml');
    assert.deepEqual(names(join(ROOT, 'examples', 'hello-node', 'app.mjs')), [example]);
    assert.deepEqual(names(join(ROOT, 'examples', 'layers', 'shared', 'nodejs', 'x.js')), [example], 'a layer folder');
    assert.deepEqual(names(example), [example]);
    assert.deepEqual(names(fixture('layers', 'app', 'index.js')), [fixture('layers', 'template.yaml')]);
    assert.deepEqual(names(join(ROOT, 'examples', 'hello-node-other', 'a.js')), [], 'a sibling folder with a longer name is not inside');
    assert.deepEqual(names(join(ROOT, 'README.md')), []);
  });

  it('tells whether a changed file is part of what a function runs: its code folder or a local layer', async () => {
    const [model] = await loadWorkspace([join(ROOT, 'examples')]);
    const node = fn(model, 'HelloNode');
    assert.equal(functionUsesPath(node, join(ROOT, 'examples', 'hello-node', 'app.mjs')), true);
    assert.equal(functionUsesPath(node, join(ROOT, 'examples', 'layers', 'shared', 'nodejs', 'x.js')), true, 'its layer');
    assert.equal(functionUsesPath(node, join(ROOT, 'examples', 'hello-python', 'app.py')), false, "another function's code");
    assert.equal(functionUsesPath(fn(model, 'HelloPython'), join(ROOT, 'examples', 'hello-node', 'app.mjs')), false);
    assert.equal(functionUsesPath(node, join(ROOT, 'examples', 'hello-node-other', 'a.js')), false);
  });
});
