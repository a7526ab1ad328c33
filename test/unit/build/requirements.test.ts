import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRequirements } from '../../../src/core/build/builders/requirements';
import { writeTree } from '../size/fixtures';

describe('build: reading requirements.txt', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-req-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const read = async (files: Record<string, string>, path = 'a/requirements.txt') => {
    writeTree(dir, files);
    return readRequirements(join(dir, path));
  };

  it('packages, comments, options and continuations', async () => {
    const r = await read({ 'a/requirements.txt': '# pinned\nrequests==2.32.3 \\\n  --hash=sha256:abc  # why\n--index-url https://pypi.org/simple\n' });
    assert.deepEqual([r.hasPackages, r.local], [true, false]);
    const none = await read({ 'a/requirements.txt': '# nothing yet\n\n--extra-index-url https://example.com/simple\n' });
    assert.equal(none.hasPackages, false);
  });

  it('included files count by content: an edit to one changes the digest; equal trees in two folders are equal', async () => {
    const one = await read({ 'a/requirements.txt': '-r base.txt\n', 'a/base.txt': 'six==1.17.0\n' });
    assert.equal(one.hasPackages, true);
    const two = await read({ 'b/requirements.txt': '-r base.txt\n', 'b/base.txt': 'six==1.17.0\n' }, 'b/requirements.txt');
    assert.equal(two.digest, one.digest);
    const edited = await read({ 'a/base.txt': 'six==1.16.0\n' });
    assert.notEqual(edited.digest, one.digest);
  });

  it('local paths, file: URLs, editable installs and local wheel folders make it local (not shared)', async () => {
    for (const line of ['./libs/mine', '-e .', 'mine @ file:///tmp/mine', '--find-links ./wheels\nsix', '../shared']) {
      assert.equal((await read({ 'a/requirements.txt': `${line}\n` })).local, true, line);
    }
    assert.equal((await read({ 'a/requirements.txt': '--find-links https://example.com/wheels\nsix\n' })).local, false);
  });
});
