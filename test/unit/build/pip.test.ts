import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noWheelError, pythonVersion, wheelPlatforms } from '../../../src/core/build';
import { inContainer, missingDistribution, requirementName } from '../../../src/core/build/builders/pipSource';
import type { BuildUnit } from '../../../src/core/build';

const unit = (patch: Partial<BuildUnit> = {}): BuildUnit => ({ kind: 'function', logicalId: 'Fn', templatePath: '/p/template.yaml', codeDir: '/p/fn', runtime: 'python3.12', architecture: 'arm64', properties: {}, subdir: '', ...patch });

describe('build: pip for Lambda', () => {
  it("wheel platforms follow the runtime's glibc, as SAM's: 2.34 from Python 3.12 (AL2023), 2.17 before", () => {
    assert.deepEqual(wheelPlatforms('3.12', 'arm64'), ['manylinux2014_aarch64', 'manylinux_2_17_aarch64', 'manylinux_2_28_aarch64', 'manylinux_2_34_aarch64']);
    assert.deepEqual(wheelPlatforms('3.11', 'x86_64'), ['manylinux1_x86_64', 'manylinux2010_x86_64', 'manylinux2014_x86_64', 'manylinux_2_17_x86_64']);
    assert.ok(wheelPlatforms('3.13', 'x86_64').includes('manylinux_2_34_x86_64'));
  });

  it('the Python version comes from the runtime, or a BuildMethod named after one', () => {
    assert.equal(pythonVersion(unit()), '3.12');
    assert.equal(pythonVersion(unit({ runtime: undefined, method: 'python3.13' })), '3.13');
    assert.throws(() => pythonVersion(unit({ runtime: 'provided.al2023', method: 'makefile' })), /names no Python version/);
  });

  it('"no matching distribution" even after a build from source becomes an error naming the package and where pip looked', () => {
    const err = noWheelError(unit(), '3.12', [
      'Looking in links: /wheels',
      'ERROR: Could not find a version that satisfies the requirement docopt==0.6.2 (from versions: none)',
      'ERROR: No matching distribution found for docopt==0.6.2',
    ]);
    assert.ok(err);
    assert.match(err.message, /no wheel of docopt \(docopt==0\.6\.2\) for Python 3\.12 on arm64 \(manylinux aarch64\)/);
    assert.match(err.message, /even after building it from source/);
    assert.match(err.hint ?? '', /the package index pip uses \(--pip-arg\)\.$/);
    assert.equal(err.code, 'build-no-wheel');
  });

  it('lists the versions that do have wheels, and leaves other failures alone', () => {
    const err = noWheelError(unit({ architecture: 'x86_64' }), '3.9', [
      'ERROR: Could not find a version that satisfies the requirement numpy==2.3.1 (from versions: 1.26.4, 2.0.2)',
      'ERROR: No matching distribution found for numpy==2.3.1',
    ]);
    assert.match(err?.message ?? '', /no wheel of numpy .*Versions with such wheels: 1\.26\.4, 2\.0\.2\./);
    assert.equal(noWheelError(unit(), '3.12', ['ERROR: Could not install packages due to an OSError']), undefined);
  });

  it('reads the requirement pip found nothing for, and its name', () => {
    assert.equal(missingDistribution(['x', 'ERROR: No matching distribution found for netifaces==0.11.0']), 'netifaces==0.11.0');
    assert.equal(missingDistribution(['ERROR: Could not install packages due to an OSError']), undefined);
    assert.equal(requirementName('netifaces==0.11.0'), 'netifaces');
    assert.equal(requirementName('Foo.Bar[extra]>=1; python_version>"3"'), 'Foo.Bar');
  });

  it('mounts local --find-links folders into the build container and passes the rest as they are', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-fl-'));
    try {
      mkdirSync(join(dir, 'wheels'));
      const { args, binds } = inContainer(['--no-index', '--find-links', join(dir, 'wheels'), '-f=wheels', '--find-links', 'https://example.com/simple', '--find-links=/no/such/dir'], dir);
      assert.deepEqual(args, ['--no-index', '--find-links', '/var/lambda-workbench/find-links/0', '--find-links', '/var/lambda-workbench/find-links/1', '--find-links', 'https://example.com/simple', '--find-links=/no/such/dir']);
      assert.deepEqual(binds, [`${join(dir, 'wheels')}:/var/lambda-workbench/find-links/0:ro`, `${join(dir, 'wheels')}:/var/lambda-workbench/find-links/1:ro`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
