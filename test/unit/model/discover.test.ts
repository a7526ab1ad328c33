import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cancellationSource, CancelledError } from '../../../src/core/cancel';
import { discoverTemplates } from '../../../src/core/model';
import { fixture, FIXTURES } from './fixtures';

describe('model: template discovery', () => {
  let dir: string;
  const touch = (rel: string) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), 'Resources: {}\n');
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-discover-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds template.yaml and template.yml in nested projects, skipping dependencies and build output', async () => {
    const wanted = ['a/template.yaml', 'a/nested/deeper/template.yml', 'b/template.yaml', 'template.yaml'];
    const skipped = [
      'a/node_modules/pkg/template.yaml',
      'a/.aws-sam/build/template.yaml',
      '.git/template.yaml',
      'b/dist/template.yaml',
      'b/build/template.yaml',
      'b/out/template.yaml',
      'cdk.out/template.yaml',
      'a/other.yaml',
      'a/template.yaml.bak',
      'a/Template.yaml',
    ];
    for (const f of [...wanted, ...skipped]) touch(f);
    mkdirSync(join(dir, 'c', 'template.yaml'), { recursive: true }); // a folder with the name is not a template
    assert.deepEqual(await discoverTemplates([dir]), wanted.map((f) => join(dir, f)).sort());
  });

  it('merges several roots, without duplicates when one root holds another', async () => {
    touch('one/template.yaml');
    touch('one/inner/template.yaml');
    touch('two/template.yml');
    const found = await discoverTemplates([join(dir, 'one'), join(dir, 'two'), join(dir, 'one', 'inner'), join(dir, 'missing')]);
    assert.deepEqual(found, [join(dir, 'one', 'inner', 'template.yaml'), join(dir, 'one', 'template.yaml'), join(dir, 'two', 'template.yml')]);
  });

  it('does not follow symbolic links, so a loop ends', async () => {
    touch('p/template.yaml');
    symlinkSync(dir, join(dir, 'p', 'loop'), 'dir');
    assert.deepEqual(await discoverTemplates([dir]), [join(dir, 'p', 'template.yaml')]);
  });

  it('finds every template of the fixture corpus, nested application included', async () => {
    const found = await discoverTemplates([FIXTURES]);
    assert.ok(found.includes(fixture('nested-app', 'template.yaml')));
    assert.ok(found.includes(fixture('nested-app', 'shared', 'template.yml')));
    assert.ok(found.length >= 15, `found ${found.length}`);
  });

  it('stops when cancelled', async () => {
    touch('x/template.yaml');
    const source = cancellationSource();
    source.cancel();
    await assert.rejects(discoverTemplates([dir], { token: source.token }), CancelledError);
  });
});
