import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DependencyCache } from '../../../src/core/build';

describe('build: the shared dependency cache', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lwb-deps-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const installer = (calls: string[], content = 'installed') => async (dir: string): Promise<void> => {
    calls.push(dir);
    writeFileSync(join(dir, 'pkg.py'), content);
  };

  it('installs a key once; later requests reuse the entry', async () => {
    const cache = new DependencyCache(root);
    const calls: string[] = [];
    const first = await cache.obtain('pip', 'k1', installer(calls));
    const second = await cache.obtain('pip', 'k1', installer(calls));
    assert.deepEqual([first.reused, second.reused, calls.length], [false, true, 1]);
    assert.equal(first.dir, join(root, 'pip', 'k1'));
    assert.equal(readFileSync(join(first.dir, 'pkg.py'), 'utf8'), 'installed');
    const other = await cache.obtain('pip', 'k2', installer(calls));
    assert.deepEqual([other.reused, calls.length], [false, 2]);
  });

  it('concurrent requests for one key share one install', async () => {
    const cache = new DependencyCache(root);
    const calls: string[] = [];
    const results = await Promise.all([1, 2, 3].map(() => cache.obtain('npm', 'k', installer(calls))));
    assert.equal(calls.length, 1);
    assert.deepEqual(results.map((r) => r.reused).sort(), [false, true, true]);
  });

  it('a failed install leaves no entry and no temporary folder; the next request installs again', async () => {
    const cache = new DependencyCache(root);
    await assert.rejects(
      cache.obtain('pip', 'k', async (dir) => {
        writeFileSync(join(dir, 'half.py'), '');
        throw new Error('pip failed');
      }),
      /pip failed/,
    );
    assert.deepEqual(readdirSync(join(root, 'pip')), []);
    const calls: string[] = [];
    assert.equal((await cache.obtain('pip', 'k', installer(calls))).reused, false);
  });

  it('an entry another process finished first is used, and the duplicate install is dropped', async () => {
    const cache = new DependencyCache(root);
    const result = await cache.obtain('pip', 'k', async (dir) => {
      writeFileSync(join(dir, 'pkg.py'), 'ours');
      mkdirSync(join(root, 'pip', 'k'));
      writeFileSync(join(root, 'pip', 'k', 'pkg.py'), 'theirs');
    });
    assert.equal(result.reused, true);
    assert.equal(readFileSync(join(result.dir, 'pkg.py'), 'utf8'), 'theirs');
    assert.deepEqual(readdirSync(join(root, 'pip')), ['k']);
  });
});
