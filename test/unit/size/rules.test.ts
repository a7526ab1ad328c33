import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyseDependencies, isIgnored, parseIgnore, SizeEngine } from '../../../src/core/size';
import { resolvePackage } from '../../../src/core/size/dependencies';
import { fnSpec, pkgJson, tempDir, writeTree } from './fixtures';

describe('size: exclusion rules', () => {
  let t: ReturnType<typeof tempDir>;
  let engine: SizeEngine;
  beforeEach(() => {
    t = tempDir();
    engine = new SizeEngine({ workers: 0 });
  });
  afterEach(async () => {
    await engine.dispose();
    t.cleanup();
  });

  it('leaves out what is never read at run time, and keeps the rest', async () => {
    const code = join(t.dir, 'code');
    writeTree(code, {
      'app.js': 'x',
      '.git/HEAD': 'ref: refs/heads/main',
      '.aws-sam/build/template.yaml': 'old build',
      '.lambda-workbench/build/Fn/app.js': 'this product\'s build of a function whose CodeUri is the template folder',
      'pkg/__pycache__/m.cpython-312.pyc': 'bytecode',
      '.pytest_cache/v/cache': 'c',
      '.venv/lib/python3.12/site.py': 'venv',
      'lib/.venv/keep.py': 'only the root .venv is a virtual environment',
      'node_modules/.bin/tsc': 'link',
      'node_modules/.cache/esbuild/x': 'cache',
      'node_modules/.package-lock.json': '{}',
      'node_modules/left-pad/index.js': 'module.exports = 1;',
      'node_modules/left-pad/package.json': pkgJson('left-pad'),
      '.DS_Store': 'mac',
      'events/get.json': '{}',
      'events/handler.js': 'code in events/ stays',
      'src/events/x.json': 'only the root events/ holds samples',
      '.lambdaignore': '',
      'coverage/lcov.info': 'c',
    });
    const size = await engine.measure(fnSpec({ codeUri: code }));
    const packed = (await engine.collectInputs({ kind: 'function', spec: fnSpec({ codeUri: code }) })).map((i) => i.name).sort();
    assert.deepEqual(packed, ['app.js', 'events/handler.js', 'lib/.venv/keep.py', 'node_modules/left-pad/index.js', 'node_modules/left-pad/package.json', 'src/events/x.json']);
    const by = new Map(size.excluded.map((x) => [x.by, x]));
    for (const rule of ['vcs', 'sam-build', 'python-bytecode', 'tool-caches', 'virtualenv', 'npm-bin-links', 'npm-metadata', 'os-litter', 'sample-events', 'ignore-file', 'coverage']) {
      assert.ok(by.has(rule), `rule ${rule} left something out`);
    }
    assert.deepEqual(by.get('sample-events')?.examples, ['events/get.json']);
    assert.equal(size.fileCount, 6);
  });

  it('applies .lambdaignore and extra patterns, gitignore style', async () => {
    const code = join(t.dir, 'code');
    writeTree(code, {
      '.lambdaignore': '# comment\n*.log\n/build/\ndocs\n!docs/keep.md\nsrc/**/*.fixture.json\n',
      'app.js': 'x',
      'debug.log': 'l',
      'sub/trace.log': 'l',
      'build/out.js': 'b',
      'lib/build/kept.js': 'anchored pattern: only the root build/',
      'docs/a.md': 'd',
      'src/a/b/c.fixture.json': 'f',
      'src/a/b/c.json': 'kept',
      'tmp/scratch.txt': 's',
    });
    const inputs = await engine.collectInputs({ kind: 'function', spec: fnSpec({ codeUri: code }) }, { excludes: ['tmp/'] });
    assert.deepEqual(inputs.map((i) => i.name).sort(), ['app.js', 'lib/build/kept.js', 'src/a/b/c.json']);
  });

  it('parses patterns: anchors, folders only, ** and negation (the last match decides)', () => {
    const p = parseIgnore('*.map\n/top.txt\nlogs/\na/**/z.js\n**/fixtures/**\n!keep.map\n');
    assert.ok(isIgnored(p, 'x/y.js.map', false));
    assert.equal(isIgnored(p, 'keep.map', false), undefined);
    assert.ok(isIgnored(p, 'top.txt', false));
    assert.equal(isIgnored(p, 'sub/top.txt', false), undefined);
    assert.ok(isIgnored(p, 'x/logs', true));
    assert.equal(isIgnored(p, 'x/logs', false), undefined, 'a folder pattern does not match a file');
    assert.ok(isIgnored(p, 'a/z.js', false));
    assert.ok(isIgnored(p, 'a/b/c/z.js', false));
    assert.ok(isIgnored(p, 'q/fixtures/r/s.json', false));
    assert.equal(isIgnored(p, 'ab/z.js', false), undefined);
  });

  it('reports tests, docs, source maps and type declarations without removing them', async () => {
    const code = join(t.dir, 'code');
    const big = 'x'.repeat(12 * 1024);
    writeTree(code, {
      'app.js': 'y'.repeat(100),
      'app.test.js': big,
      'tests/test_handler.py': big,
      'node_modules/lib/README.md': big,
      'node_modules/lib/docs/guide.html': big,
      'node_modules/lib/index.js.map': big,
      'node_modules/lib/index.d.ts': big,
      'node_modules/lib/index.js': 'z',
      'node_modules/lib/package.json': pkgJson('lib'),
    });
    const size = await engine.measure(fnSpec({ codeUri: code }));
    assert.deepEqual(size.categories, {
      tests: { bytes: 2 * big.length, files: 2 },
      docs: { bytes: 2 * big.length, files: 2 },
      'source-maps': { bytes: big.length, files: 1 },
      'type-declarations': { bytes: big.length, files: 1 },
    });
    const codes = size.findings.map((f) => f.code).sort();
    assert.deepEqual(codes, ['docs-in-package', 'source-maps-in-package', 'tests-in-package', 'type-declarations-in-package']);
    const tests = size.findings.find((f) => f.code === 'tests-in-package');
    assert.equal(tests?.bytes, 2 * big.length);
    assert.deepEqual(tests?.actions[0], { kind: 'exclude', ignoreFile: join(code, '.lambdaignore'), patterns: ['**/test/', '**/tests/', '**/__tests__/', '**/__mocks__/', '**/*.test.*', '**/*.spec.*', '**/test_*.py', '**/*_test.py'] });
    assert.equal(size.fileCount, 9, 'reported files are still packed');
  });
});

describe('size: devDependencies', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => {
    t = tempDir();
  });
  afterEach(() => t.cleanup());

  it('leaves out packages only devDependencies need, resolving the tree the way require does', async () => {
    const code = join(t.dir, 'code');
    writeTree(code, {
      'package.json': JSON.stringify({ dependencies: { express: '*', '@scope/util': '*' }, devDependencies: { typescript: '*', jest: '*', '@types/node': '*' } }),
      'app.js': 'x',
      'node_modules/express/package.json': pkgJson('express', { debug: '*', 'shared-dep': '*' }),
      'node_modules/express/index.js': 'e',
      'node_modules/debug/package.json': pkgJson('debug', { ms: '*' }),
      // jest needs its own (nested) ms: the hoisted ms stays because debug needs it.
      'node_modules/ms/package.json': pkgJson('ms'),
      'node_modules/@scope/util/package.json': pkgJson('@scope/util', {}, { peerDependencies: { 'peer-lib': '*' } }),
      'node_modules/peer-lib/package.json': pkgJson('peer-lib'),
      'node_modules/shared-dep/package.json': pkgJson('shared-dep'),
      'node_modules/typescript/package.json': pkgJson('typescript'),
      'node_modules/typescript/lib/tsc.js': 'big compiler',
      'node_modules/jest/package.json': pkgJson('jest', { 'shared-dep': '*', ms: '*', 'jest-only': '*' }),
      'node_modules/jest/node_modules/ms/package.json': pkgJson('ms'),
      'node_modules/jest-only/package.json': pkgJson('jest-only'),
      'node_modules/@types/node/package.json': pkgJson('@types/node'),
      'node_modules/@types/node/index.d.ts': 'declare',
      'node_modules/extraneous/package.json': pkgJson('extraneous'),
    });
    const a = analyseDependencies(code);
    assert.ok(a);
    assert.deepEqual(a.devOnly, ['node_modules/@types/node', 'node_modules/jest', 'node_modules/jest-only', 'node_modules/jest/node_modules/ms', 'node_modules/typescript']);
    const engine = new SizeEngine({ workers: 0 });
    try {
      const fn = fnSpec({ codeUri: code });
      const names = (await engine.collectInputs({ kind: 'function', spec: fn })).map((i) => i.name);
      assert.ok(names.includes('node_modules/express/index.js'));
      assert.ok(names.includes('node_modules/extraneous/package.json'), 'packages nobody declares are kept: something may load them');
      assert.ok(names.includes('node_modules/peer-lib/package.json'), 'peer dependencies of needed packages are needed');
      assert.ok(!names.some((n) => n.startsWith('node_modules/typescript/') || n.startsWith('node_modules/jest')));
      const size = await engine.measure(fn);
      const f = size.findings.find((x) => x.code === 'dev-dependencies-excluded');
      assert.match(f?.message ?? '', /5 installed packages are only needed by devDependencies .*@types\/node, jest, jest-only, ms, typescript/);
      assert.equal(f?.severity, 'info');
    } finally {
      await engine.dispose();
    }
  });

  it('finds a package from a nested folder outward, like require', () => {
    const installed = new Set(['node_modules/a', 'node_modules/a/node_modules/b', 'node_modules/b', 'node_modules/@s/c']);
    assert.equal(resolvePackage(installed, 'node_modules/a', 'b'), 'node_modules/a/node_modules/b');
    assert.equal(resolvePackage(installed, 'node_modules/@s/c', 'b'), 'node_modules/b');
    assert.equal(resolvePackage(installed, '', '@s/c'), 'node_modules/@s/c');
    assert.equal(resolvePackage(installed, 'node_modules/a/node_modules/b', 'nope'), undefined);
  });

  it('re-reads the dependency tree only when a manifest or node_modules changes', async () => {
    const code = join(t.dir, 'code');
    writeTree(code, {
      'package.json': JSON.stringify({ dependencies: {}, devDependencies: { tool: '*' } }),
      'node_modules/tool/package.json': pkgJson('tool'),
      'node_modules/tool/index.js': 't',
    });
    const engine = new SizeEngine({ workers: 0 });
    try {
      const fn = fnSpec({ codeUri: code });
      assert.equal((await engine.collectInputs({ kind: 'function', spec: fn })).length, 1, 'only package.json');
      // The tool becomes a runtime dependency: the manifest's stamp changes, so the tree is read again.
      writeTree(code, { 'package.json': JSON.stringify({ dependencies: { tool: '*' } }) });
      const names = (await engine.collectInputs({ kind: 'function', spec: fn })).map((i) => i.name).sort();
      assert.deepEqual(names, ['node_modules/tool/index.js', 'node_modules/tool/package.json', 'package.json']);
    } finally {
      await engine.dispose();
    }
  });
});
