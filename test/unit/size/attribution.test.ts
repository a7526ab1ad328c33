import assert from 'node:assert/strict';
import { attribute, packageOf } from '../../../src/core/size';
import { pythonRootsOf } from '../../../src/core/size/attribution';
import { attributeEntries, type AttributionState } from '../../../src/core/size/attributionUpdate';

const piece = (name: string, size: number) => ({ name, size, compressedSize: Math.round(size / 2) });

describe('size: attribution', () => {
  it('names the package a path belongs to: nearest node_modules, scoped names, Python distributions', () => {
    const none = new Set<string>();
    assert.equal(packageOf('node_modules/lodash/fp/map.js', none), 'lodash');
    assert.equal(packageOf('node_modules/@aws-sdk/client-s3/dist/index.js', none), '@aws-sdk/client-s3');
    assert.equal(packageOf('node_modules/a/node_modules/@s/b/x.js', none), '@s/b', 'the nearest node_modules wins');
    assert.equal(packageOf('nodejs/node_modules/uuid/index.js', none), 'uuid', 'a layer layout');
    assert.equal(packageOf('node_modules/.package-lock.json', none), undefined);
    assert.equal(packageOf('src/app.js', none), undefined);
    const roots = pythonRootsOf([{ name: 'requests-2.31.0.dist-info/RECORD' }, { name: 'python/lib/python3.12/site-packages/numpy-2.0.0.dist-info/METADATA' }]);
    assert.deepEqual([...roots].sort(), ['', 'python/lib/python3.12/site-packages']);
    assert.equal(packageOf('requests/api.py', roots), 'requests');
    assert.equal(packageOf('requests-2.31.0.dist-info/RECORD', roots), 'requests');
    assert.equal(packageOf('python/lib/python3.12/site-packages/six.py', roots), 'six', 'a single-module distribution');
    assert.equal(packageOf('app.py', roots), undefined, 'the handler next to vendored packages is a file');
    assert.equal(packageOf('python/lib/python3.12/site-packages/numpy/core/x.so', roots), 'numpy');
  });

  it('adds pieces up by package, keeps the biggest, and gives each its share', () => {
    const pieces = [piece('node_modules/big/a.js', 600), piece('node_modules/big/b.js', 300), piece('app.js', 50), piece('node_modules/small/i.js', 40), piece('README.md', 10)];
    const { top, packages } = attribute(pieces, 1000, new Set(), 3, true);
    assert.deepEqual(
      top.map((c) => [c.name, c.kind, c.bytes, c.zippedBytes, c.share, c.files]),
      [
        ['big', 'package', 900, 450, 0.9, 2],
        ['app.js', 'file', 50, 25, 0.05, 1],
        ['small', 'package', 40, 20, 0.04, 1],
      ],
    );
    assert.deepEqual([...packages.keys()].sort(), ['big', 'small']);
    assert.deepEqual(packages.get('big'), { bytes: 900, paths: ['node_modules/big/a.js', 'node_modules/big/b.js'] });
  });

  it('adds up pieces of the same file (an esbuild input in two outputs)', () => {
    const { top } = attribute([piece('src/shared.ts', 100), piece('src/shared.ts', 50), piece('src/a.ts', 120)], 270, new Set(), 10, false);
    assert.deepEqual(
      top.map((c) => [c.name, c.bytes]),
      [
        ['src/shared.ts', 150],
        ['src/a.ts', 120],
      ],
    );
  });

  it('updates the last attribution after a few entries changed to exactly what adding everything up gives', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    // Loose files of equal sizes too, where which ones make the top depends on their order.
    let pieces = Array.from({ length: 400 }, (_, i) => piece(i % 3 === 0 ? `src/f${i}.js` : `node_modules/${i % 5 === 0 ? '@s/' : ''}p${i % 17}/x${i}.js`, 10 * (1 + rand(20))));
    let state: AttributionState | undefined;
    for (let round = 0; round < 60; round++) {
      const got = attributeEntries(pieces, 100_000, 10, state);
      assert.ok(got);
      const want = attribute(pieces, 100_000, new Set(), 10, true);
      assert.deepEqual(got.attribution.top, want.top, `round ${round}`);
      assert.deepEqual([...got.attribution.packages], [...want.packages], `round ${round}`);
      state = got.state;
      // The next plan: the same entries, a few replaced (an edited file is a new entry object).
      pieces = [...pieces];
      for (let k = 0; k < 1 + rand(4); k++) {
        const i = rand(pieces.length);
        pieces[i] = piece(pieces[i].name, 10 * (1 + rand(20)));
      }
    }
    const renamed = [...pieces];
    renamed[5] = piece('src/renamed.js', 10);
    assert.deepEqual(attributeEntries(renamed, 100_000, 10, state)?.attribution.top, attribute(renamed, 100_000, new Set(), 10, true).top, 'a new name is added up from scratch');
    assert.equal(attributeEntries([piece('requests-2.31.0.dist-info/RECORD', 10)], 10, 10, undefined), undefined, 'Python distributions are left to attribute()');
  });
});
