import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BuildEngine, ELF_MACHINE, stateFile } from '../../../src/core/build';
import { cancellationSource, CancelledError } from '../../../src/core/cancel';
import { UserError } from '../../../src/core/errors';
import { openEngine } from '../../../src/core/docker';
import { pythonImages } from '../env';
import { runInImage } from '../pythonTools';
import { filesUnder, machinesOf, offlineSettings, type Project, project, recordingTools } from './support';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Handler: app.handler
Resources:
  PyX86:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: x86/
  PyArm:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: arm/
      Architectures: [arm64]
  PySameDeps:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: same/
  PySdist:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: sdist/
  PyNative:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: native/
      Runtime: python3.13
`;

describe('build (real pip): Python functions get wheels for their own architecture', function () {
  this.timeout(60_000);
  let p: Project;
  let recorder: ReturnType<typeof recordingTools>;
  let engine: BuildEngine;
  const timings: string[] = [];

  before(() => {
    p = project(TEMPLATE, { x86: 'python', arm: 'python', same: 'python', sdist: 'python-sdist', native: 'python-sdist-native' });
    recorder = recordingTools();
    engine = new BuildEngine({ cacheDir: p.cacheDir, settings: offlineSettings(), tools: recorder.tools });
  });
  after(() => {
    if (timings.length > 0) console.log(`      timings: ${timings.join(', ')}`);
    p.cleanup();
  });

  const artifact = (id: string): string => join(p.dir, '.lambda-workbench', 'build', id);

  it('x86_64 and arm64 builds hold the sources and manylinux wheels whose .so files are ELF for that CPU', async () => {
    const fns = await p.functions();
    const x86 = await engine.build(fns.PyX86);
    const arm = await engine.build(fns.PyArm);
    timings.push(`cold x86_64 ${x86.durationMs} ms`, `cold arm64 ${arm.durationMs} ms`);
    for (const b of [x86, arm]) {
      assert.deepEqual([b.status, b.builder, b.cached], ['built', 'python-pip', false]);
      const files = filesUnder(b.artifactDir!);
      for (const f of ['app.py', 'requirements.txt', 'six.py', 'markupsafe/__init__.py']) assert.ok(files.includes(f), `${f} in ${b.logicalId}`);
      assert.ok(!files.some((f) => f.endsWith('.pyc') || f.startsWith('bin/')), 'no bytecode of this machine, no console scripts');
    }
    const x86so = await machinesOf(x86.artifactDir!, '.so');
    const armso = await machinesOf(arm.artifactDir!, '.so');
    assert.ok(Object.keys(armso).length > 0, 'markupsafe brings a compiled extension');
    assert.deepEqual(Object.values(x86so), Object.keys(x86so).map(() => ELF_MACHINE.x86_64), JSON.stringify(x86so));
    assert.deepEqual(Object.values(armso), Object.keys(armso).map(() => ELF_MACHINE.arm64), JSON.stringify(armso));
    assert.ok(Object.keys(armso).every((f) => f.includes('cpython-312-aarch64-linux-gnu')), Object.keys(armso).join(', '));
    assert.deepEqual(recorder.calls, ['python pip install', 'python pip install'], 'one install per platform');
  });

  it('a rebuild with nothing changed is cached and runs no toolchain', async () => {
    const fns = await p.functions();
    recorder.calls.length = 0;
    const again = await engine.build(fns.PyArm);
    timings.push(`no-change ${again.durationMs} ms`);
    assert.deepEqual([again.status, again.cached], ['cached', true]);
    assert.deepEqual(recorder.calls, []);
  });

  it('a source-only edit rebuilds without reinstalling: the dependencies come from the cache, hard-linked', async () => {
    const fns = await p.functions();
    recorder.calls.length = 0;
    p.write('arm/app.py', 'def handler(event, context):\n    return "edited"\n');
    const edited = await engine.build(fns.PyArm);
    timings.push(`source edit ${edited.durationMs} ms`);
    assert.equal(edited.status, 'built');
    assert.deepEqual(recorder.calls, []);
    assert.match(readFileSync(join(artifact('PyArm'), 'app.py'), 'utf8'), /edited/);
    const entries = readdirSync(join(p.cacheDir, 'pip'));
    const cached = entries.map((e) => join(p.cacheDir, 'pip', e, 'six.py')).map((f) => statSync(f).ino);
    assert.ok(cached.includes(statSync(join(artifact('PyArm'), 'six.py')).ino), 'six.py is the cache entry itself');
  });

  it('another function with the same requirements and platform reuses the install', async () => {
    const fns = await p.functions();
    recorder.calls.length = 0;
    const lines: string[] = [];
    const same = await engine.build(fns.PySameDeps, { onLog: (l) => lines.push(l) });
    assert.equal(same.status, 'built');
    assert.deepEqual(recorder.calls, []);
    assert.ok(lines.some((l) => /reused from the cache/.test(l)), lines.join('\n'));
    assert.ok(existsSync(join(artifact('PySameDeps'), 'markupsafe', '__init__.py')));
  });

  it('a pure-Python package published only as source is built here into a py3-none-any wheel, and says so', async () => {
    const fns = await p.functions();
    const lines: string[] = [];
    const b = await engine.build(fns.PySdist, { onLog: (l) => lines.push(l) });
    assert.deepEqual([b.status, b.builder], ['built', 'python-pip']);
    assert.ok(existsSync(join(artifact('PySdist'), 'docopt.py')), filesUnder(artifact('PySdist')).join(', '));
    assert.ok(lines.some((l) => /built docopt-0\.6\.2-py2?\.?py3-none-any\.whl on this machine: pure Python/.test(l)), lines.join('\n'));
  });

  it('a package with no wheel and native code is built inside the function\'s image, and its extension loads there', async () => {
    const fns = await p.functions();
    const image = pythonImages().build313;
    const inImage = new BuildEngine({ cacheDir: p.cacheDir, settings: { ...offlineSettings(), images: { 'python3.13': image } } });
    const lines: string[] = [];
    const b = await inImage.build(fns.PyNative, { onLog: (l) => lines.push(l) });
    assert.deepEqual([b.status, b.builder], ['built', 'python-pip']);
    assert.ok(lines.some((l) => l === `pip: building netifaces==0.11.0 inside ${image} (x86_64)`), lines.join('\n'));
    const so = Object.keys(await machinesOf(b.artifactDir!, '.so'));
    assert.deepEqual(so, ['netifaces.cpython-313-x86_64-linux-gnu.so']);
    // The artifact runs where it will run: the runtime image (no compiler) imports the extension.
    const docker = (await openEngine()).docker;
    const r = await runInImage(docker, pythonImages()['python3.13'], 'cd /var/task && python3 -c "import netifaces; print(netifaces.AF_INET)"', { binds: [`${b.artifactDir}:/var/task:ro`] });
    assert.deepEqual([r.code, r.output.trim()], [0, '2'], r.output);
  });

  it('without a compiler in the image, the error says what the image needs and the setting that maps it', async () => {
    const fns = await p.functions();
    const plain = new BuildEngine({ cacheDir: join(p.dir, '.other-cache'), settings: { ...offlineSettings(), images: { 'python3.13': pythonImages()['python3.13'] } } });
    await assert.rejects(plain.build(fns.PyNative, { force: true }), (err: unknown) => {
      assert.ok(err instanceof UserError, String(err));
      assert.match(err.message, /Building netifaces inside lambda-workbench-test\/python:3\.13 failed/);
      assert.match(err.hint ?? '', /C compiler .*\(--image;/);
      return true;
    });
  });

  it('when the function\'s image is not available, the error names the image it needs and the setting that provides it', async () => {
    const fns = await p.functions();
    const unmapped = new BuildEngine({ cacheDir: join(p.dir, '.unmapped-cache'), settings: offlineSettings() });
    await assert.rejects(unmapped.build(fns.PyNative, { force: true }), (err: unknown) => {
      assert.ok(err instanceof UserError, String(err));
      assert.equal(err.code, 'build-image-missing');
      assert.match(err.message, /netifaces has no wheel for Lambda, so it has to be built inside python3\.13's image, public\.ecr\.aws\/lambda\/python:3\.13, which is not available/);
      assert.match(err.hint ?? '', /\(--image;/, 'the CLI\'s words: this engine was opened as the CLI opens it');
      return true;
    });
  });

  it('a failed build leaves the previous artifact and its state in place', async () => {
    const fns = await p.functions();
    const before = filesUnder(artifact('PyX86'));
    const state = readFileSync(stateFile(p.template, 'PyX86'), 'utf8');
    p.write('x86/requirements.txt', 'six==1.17.0\nsix-no-such-package==1.0\n');
    await assert.rejects(engine.build(fns.PyX86), (err: unknown) => err instanceof UserError && err.code === 'build-no-wheel' && /neither a wheel .* nor a source distribution of six-no-such-package/.test(err.message));
    assert.deepEqual(filesUnder(artifact('PyX86')), before);
    assert.equal(readFileSync(stateFile(p.template, 'PyX86'), 'utf8'), state);
    assert.equal((await engine.status(fns.PyX86)).upToDate, false);
  });

  it('cancelling kills pip and leaves the previous artifact in place', async () => {
    const fns = await p.functions();
    p.write('x86/requirements.txt', 'six==1.17.0\n');
    const before = filesUnder(artifact('PyX86'));
    const entries = readdirSync(join(p.cacheDir, 'pip')).sort();
    const source = cancellationSource();
    // Cancelled at pip's first line of its own, so the process is running when it is stopped.
    let started = false;
    const onLog = (l: string): void => {
      if (started) source.cancel();
      started ||= l.startsWith('pip:');
    };
    await assert.rejects(engine.build(fns.PyX86, { token: source.token, onLog }), CancelledError);
    assert.ok(started);
    assert.deepEqual(filesUnder(artifact('PyX86')), before);
    assert.deepEqual(readdirSync(join(p.dir, '.lambda-workbench', 'build', '.work')), []);
    assert.deepEqual(readdirSync(join(p.cacheDir, 'pip')).sort(), entries, 'no cache entry, whole or half-filled');
  });
});
