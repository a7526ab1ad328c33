import assert from 'node:assert/strict';
import { noWheelError, pythonVersion, wheelPlatforms } from '../../../src/core/build';
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

  it('"no matching distribution" becomes an error naming the package and the build it needs', () => {
    const err = noWheelError(unit(), '3.12', [
      'Looking in links: /wheels',
      'ERROR: Could not find a version that satisfies the requirement docopt==0.6.2 (from versions: none)',
      'ERROR: No matching distribution found for docopt==0.6.2',
    ]);
    assert.ok(err);
    assert.match(err.message, /no wheel of docopt \(docopt==0\.6\.2\) for Python 3\.12 on arm64 \(manylinux aarch64\)/);
    assert.match(err.hint ?? '', /inside the function's Lambda image \(python3\.12, arm64\)/);
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
});
