import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { invokeCommand } from '../../../src/cli/commands/invoke';
import { BuildEngine } from '../../../src/core/build';
import { openEngine } from '../../../src/core/docker';
import { UserError } from '../../../src/core/errors';
import type { LocalRunner } from '../../../src/core/local';
import type { FunctionSpec } from '../../../src/core/model/types';
import { EDITOR_SOURCES } from '../../../src/core/sources';
import { holdArm64Emulation, withoutArm64Emulation } from '../../support/binfmt';
import { ARM64_ENV } from '../../support/services';
import { offlineSettings, type Project, project, rustArm64Settings } from '../build/support';
import { testEnv } from '../env';
import { functionSpec, type LocalFixture, localFixture, writeFiles } from './fixture';

// One Go function (test/fixtures/build/go-outcomes), built by the build stage for each Lambda
// architecture and run by the local runner on the provided.al2023 test image of that architecture,
// and a Node.js function on the Node.js 22 test image of each (AWS's aws-lambda-ric, its native
// part cross-compiled for arm64 by scripts/setup.sh arm64node).
// On an x86_64 machine the arm64 one runs under qemu-aarch64, which the test runner registers with
// binfmt_misc (test/support/binfmt.ts). A Rust function (test/fixtures/build/rust) is built for arm64
// by Cargo Lambda, with a rustc that has the aarch64 standard library (scripts/setup.sh rustarm64).
const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: provided.al2023
    Handler: bootstrap
    MemorySize: 256
    Timeout: 10
    Environment:
      Variables:
        GREETING: hello from the template
Resources:
  GoArm:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: arm/
      Architectures: [arm64]
    Metadata:
      BuildMethod: go1.x
  GoX86:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: x86/
      Architectures: [x86_64]
    Metadata:
      BuildMethod: go1.x
  RustArm:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: rust/
      Architectures: [arm64]
    Metadata:
      BuildMethod: rust-cargolambda
  PyArm:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: py/
      Runtime: python3.13
      Handler: app.handler
      Architectures: [arm64]
  PyX86:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: py/
      Runtime: python3.13
      Handler: app.handler
      Architectures: [x86_64]
`;

/** A Python function with a dependency from requirements.txt, which the build stage installs for each CPU. */
const PYTHON_CODE = {
  'app.py': [
    'import os',
    'import platform',
    'import sys',
    '',
    'import fastjsonschema',
    '',
    'validate = fastjsonschema.compile({"type": "object", "required": ["action"]})',
    'invocation = 0',
    '',
    '',
    'def handler(event, context):',
    '    global invocation',
    '    invocation += 1',
    '    validate(event)',
    '    return {"machine": platform.machine(), "python": "%d.%d" % sys.version_info[:2], "invocation": invocation,',
    '            "requestId": context.aws_request_id, "greeting": os.environ.get("GREETING"), "fastjsonschema": fastjsonschema.VERSION}',
    '',
  ].join('\n'),
  'requirements.txt': 'fastjsonschema==2.22.3\n',
};

const REPORT = (requestId: string, cold: boolean): RegExp =>
  new RegExp(`^REPORT RequestId: ${requestId}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: \\d+ MB${cold ? '\\tInit Duration: \\d+\\.\\d\\d ms' : ''}$`);

interface Images {
  arm64: string;
  native: string;
}

function images(): Images {
  const { LWB_TEST_IMAGE_PROVIDED_ARM64: arm64, LWB_TEST_IMAGE_PROVIDED: native } = process.env;
  assert.ok(arm64 && native, 'the runner imports the provided.al2023 test images (test/support/services.ts)');
  return { arm64, native };
}

describe('local invoke: arm64 Go, Rust, Node.js and Python functions on arm64 images, under emulation (real qemu-aarch64, real build, real Docker)', function () {
  this.timeout(600_000);
  let p: Project;
  let arm: LocalFixture;
  let x86: LocalFixture;
  let fns: Record<string, FunctionSpec>;
  let release: (() => Promise<void>) | undefined;

  before(async function () {
    if (process.arch !== 'x64') this.skip(); // emulated here; an arm64 machine runs it natively
    // Not skipped when emulation is missing: the runner's reason is the failure.
    assert.equal(process.env[ARM64_ENV], 'ok', `arm64 code cannot run on this machine: ${process.env[ARM64_ENV]}`);
    release = await holdArm64Emulation();
    const { arm64, native } = images();
    p = project(TEMPLATE, { arm: 'go-outcomes', x86: 'go-outcomes', rust: 'rust' });
    writeFiles(join(p.dir, 'py'), PYTHON_CODE);
    const builds = new BuildEngine({ cacheDir: p.cacheDir, settings: offlineSettings() });
    arm = await localFixture({ images: { 'provided.al2023': arm64 }, builds });
    x86 = await localFixture({ images: { 'provided.al2023': native }, builds });
    assert.equal((await arm.engine.docker.getImage(arm64).inspect()).Architecture, 'arm64', 'the test image is imported as linux/arm64');
    fns = await p.functions();
  });
  after(async () => {
    await arm?.dispose();
    await x86?.dispose();
    await release?.();
    p?.cleanup();
  });

  it('runs as arm64 (GOARCH arm64, uname -m aarch64) with the REPORT line, and the next invoke is warm in the same process; timed beside the native x86_64 build', async () => {
    const emulated = await measure(arm.runner, fns.GoArm, (payload) => {
      assert.equal(payload.goarch, 'arm64');
      assert.equal(payload.machine, 'aarch64');
      assert.equal(payload.greeting, 'hello from the template');
    });
    const native = await measure(x86.runner, fns.GoX86, (payload) => {
      assert.equal(payload.goarch, 'amd64');
      assert.equal(payload.machine, 'x86_64');
    });
    printTimings('Go', emulated, native);
  });

  it('Rust cross-compiled for arm64 by Cargo Lambda: the aarch64 bootstrap runs on the arm64 image with the REPORT line and warm reuse', async () => {
    const rustArm = await arm.another({ builds: new BuildEngine({ cacheDir: p.cacheDir, settings: rustArm64Settings() }) });
    const emulated = await measure(rustArm, fns.RustArm, (payload) => {
      assert.equal(payload.message, 'hello from Rust');
      assert.equal(payload.arch, 'aarch64');
      assert.equal(payload.greeting, 'hello from the template');
      assert.equal(payload.functionName, 'RustArm');
    });
    console.log(`      Rust arm64 (emulated): cold invoke ${emulated.cold.toFixed(0)} ms (Init Duration ${emulated.init.toFixed(0)} ms), warm invoke ${emulated.warm.toFixed(1)} ms (medians of 3 cold, 9 warm)`);
  });

  it('Node.js 22 with AWS\'s runtime interface client built for arm64: process.arch arm64, the REPORT line, warm reuse; timed beside x86_64', async () => {
    const { LWB_TEST_IMAGE_NODE_ARM64: nodeArm64, LWB_TEST_IMAGE_NODE: nodeNative } = process.env;
    assert.ok(nodeArm64 && nodeNative, 'the runner imports the Node.js test images (test/support/services.ts)');
    assert.equal((await arm.engine.docker.getImage(nodeArm64).inspect()).Architecture, 'arm64');
    const code = {
      'app.mjs': [
        "import { machine } from 'node:os';",
        'let invocation = 0;',
        'export const handler = async (event, context) => ({ arch: process.arch, machine: machine(), invocation: ++invocation, requestId: context.awsRequestId, greeting: process.env.GREETING });',
        '',
      ].join('\n'),
    };
    const spec = (architecture: 'arm64' | 'x86_64'): FunctionSpec =>
      functionSpec(p.dir, `Node${architecture === 'arm64' ? 'Arm' : 'X86'}`, code, { runtime: 'nodejs22.x', handler: 'app.handler', architecture, memorySize: 256, environment: { GREETING: 'hello from the template' } });
    const armRunner = await arm.another({ images: { 'nodejs22.x': nodeArm64 } });
    const x86Runner = await x86.another({ images: { 'nodejs22.x': nodeNative } });
    const emulated = await measure(armRunner, spec('arm64'), (payload) => {
      assert.equal(payload.arch, 'arm64');
      assert.equal(payload.machine, 'aarch64');
      assert.equal(payload.greeting, 'hello from the template');
    });
    const native = await measure(x86Runner, spec('x86_64'), (payload) => {
      assert.equal(payload.arch, 'x64');
      assert.equal(payload.machine, 'x86_64');
    });
    printTimings('Node.js', emulated, native);
  });

  it("Python 3.13 with AWS's awslambdaric built for arm64, and a dependency the build stage installs for arm64: platform.machine() aarch64, warm reuse; timed beside x86_64", async () => {
    const { LWB_TEST_IMAGE_PYTHON313_ARM64: pyArm64, LWB_TEST_IMAGE_PYTHON313: pyNative } = process.env;
    assert.ok(pyArm64 && pyNative, 'the runner imports the Python test images (test/support/services.ts)');
    assert.equal((await arm.engine.docker.getImage(pyArm64).inspect()).Architecture, 'arm64');
    const armRunner = await arm.another({ images: { 'python3.13': pyArm64 } });
    const x86Runner = await x86.another({ images: { 'python3.13': pyNative } });
    const check = (machine: string) => (payload: Record<string, unknown>) => {
      assert.equal(payload.machine, machine);
      assert.equal(payload.python, '3.13');
      assert.equal(payload.greeting, 'hello from the template');
      assert.equal(payload.fastjsonschema, '2.22.3', 'the dependency from requirements.txt is in the artifact');
    };
    const emulated = await measure(armRunner, fns.PyArm, check('aarch64'));
    const native = await measure(x86Runner, fns.PyX86, check('x86_64'));
    printTimings('Python', emulated, native);
    // What the handler said is wrong comes back in the Python runtime's own shape, emulated too.
    const failed = await armRunner.invoke(fns.PyArm, { event: {} });
    assert.equal(failed.error?.errorType, 'JsonSchemaValueException');
    assert.match(failed.error?.errorMessage ?? '', /must contain \['action'\] properties/);
  });

  it("a timeout: Lambda's error, and the emulated environment is replaced", async () => {
    const result = await arm.runner.invoke(fns.GoArm, { event: { action: 'sleep', ms: 5000 }, timeoutSeconds: 1 });
    assert.deepEqual(result.error, { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${result.requestId} Error: Task timed out after 1.00 seconds` });
    assert.equal(result.report.status, 'timeout');
    const after = await arm.runner.invoke(fns.GoArm, { event: { action: 'hello' }, timeoutSeconds: 1 });
    assert.equal(after.error, null, JSON.stringify(after.error));
    assert.equal(after.report.cold, true);
    assert.equal((after.payload as Record<string, unknown>).machine, 'aarch64');
  });

  it("a function mapped to an image for the other CPU is refused before a container starts, naming both CPUs (an arm64 function on an amd64 image, and the reverse)", async () => {
    const { arm64, native } = images();
    const before = new Set((await arm.containers()).map((c) => c.Id));
    for (const [id, image, imageCpu, fnCpu] of [
      ['GoArm', native, 'x86_64', 'arm64'],
      ['GoX86', arm64, 'arm64', 'x86_64'],
    ] as const) {
      const runner = await arm.another({ images: { 'provided.al2023': image } });
      await assert.rejects(runner.invoke(fns[id], { event: { action: 'hello' } }), (err: unknown) => {
        assert.ok(err instanceof UserError, String(err));
        assert.equal(err.code, 'image-architecture');
        assert.match(err.message, new RegExp(`^The image ${image} is for ${imageCpu}, but the function runs on ${fnCpu}`));
        assert.match(err.hint ?? '', new RegExp(`Map provided\\.al2023 to an image for linux/${fnCpu === 'arm64' ? 'arm64' : 'amd64'} \\(--image\\), or set the function's Architectures to ${imageCpu}`));
        return true;
      });
    }
    assert.deepEqual((await arm.containers()).filter((c) => !before.has(c.Id)), [], 'no container was created');
  });
});

describe('local invoke: an arm64 function where the engine cannot run arm64 (qemu-aarch64 turned off for the test)', function () {
  this.timeout(600_000);
  let p: Project;
  let fx: LocalFixture;
  let fns: Record<string, FunctionSpec>;
  let builds: BuildEngine;

  before(async function () {
    if (process.arch !== 'x64') this.skip();
    assert.equal(process.env[ARM64_ENV], 'ok', `arm64 code cannot run on this machine: ${process.env[ARM64_ENV]}`);
    p = project(TEMPLATE, { arm: 'go-outcomes', x86: 'go-outcomes', rust: 'rust' });
    writeFiles(join(p.dir, 'py'), PYTHON_CODE);
    builds = new BuildEngine({ cacheDir: p.cacheDir, settings: offlineSettings() });
    fx = await localFixture({ images: { 'provided.al2023': images().arm64 }, builds });
    fns = await p.functions();
  });
  after(async () => {
    await fx?.dispose();
    p?.cleanup();
  });

  it("Invoke says the engine cannot run arm64 code and how to let it (from the container's exec format error), in the CLI's words and the editor's, and the command line prints it", async () => {
    // The editor's engine, opened as the extension opens it: its hints speak of settings.
    const editor = await fx.another({ engine: await openEngine({ sources: EDITOR_SOURCES }), sources: EDITOR_SOURCES });
    await withoutArm64Emulation(async () => {
      for (const [runner, dockerHost] of [
        [fx.runner, '--docker-host, or the DOCKER_HOST variable'],
        [editor, 'the lambdaWorkbench.docker.host setting'],
      ] as const) {
        await assert.rejects(runner.invoke(fns.GoArm, { event: { action: 'hello' } }), (err: unknown) => {
          assert.ok(err instanceof UserError, String(err));
          assert.equal(err.code, 'architecture-not-emulated', err.message);
          assert.match(err.message, /^The Docker engine runs x86_64 code and cannot run GoArm, an arm64 function: its container \(\S+\) stopped with "[^"]*exec format error"/m);
          assert.match(err.hint ?? '', /register QEMU's qemu-aarch64 with the kernel's binfmt_misc with the F flag \(on Debian or Ubuntu, install qemu-user-static/);
          assert.ok(err.hint?.includes(`Or run the function on x86_64 (Architectures: [x86_64] in the template), or on an engine on an arm64 machine (${dockerHost}).`), err.hint);
          return true;
        });
      }
    });
    assert.equal((await fx.containers('GoArm')).length, 0, 'the failed container is removed');

    // The command line, end to end: the arm64 build's bootstrap as a function's code (its makefile
    // build copies it), on the arm64 image.
    const built = await builds.build(fns.GoArm);
    cpSync(built.artifactDir!, join(p.dir, 'cli', 'code'), { recursive: true });
    writeFiles(p.dir, {
      'cli/template.yaml': `Transform: AWS::Serverless-2016-10-31\nResources:\n  GoPrebuilt:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: provided.al2023\n      Handler: bootstrap\n      Architectures: [arm64]\n      CodeUri: code/\n`,
      'cli/code/Makefile': 'build-GoPrebuilt:\n\tcp bootstrap $(ARTIFACTS_DIR)/bootstrap\n',
    });
    const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += `${t}\n`), err: (t: string) => void (io.stderr += `${t}\n`) };
    const code = await withoutArm64Emulation(() =>
      invokeCommand(['GoPrebuilt', '--image', images().arm64, '--label', `lambda-workbench.test-run=${testEnv().runId}`], io, join(p.dir, 'cli')),
    );
    assert.equal(code, 1, io.stdout + io.stderr);
    assert.match(io.stderr, /^lambda-workbench invoke: The Docker engine runs x86_64 code and cannot run GoPrebuilt, an arm64 function: its container \(\S+\) stopped with "[^"]*exec format error"/m);
    assert.match(io.stderr, /or on an engine on an arm64 machine \(--docker-host, or the DOCKER_HOST variable\)\.\n$/);
    assert.doesNotMatch(io.stderr, /lambdaWorkbench\./);
    // Emulation is back: the same function runs.
    const release = await holdArm64Emulation();
    try {
      const result = await fx.runner.invoke(fns.GoArm, { event: { action: 'hello' } });
      assert.equal(result.error, null, JSON.stringify(result.error));
      assert.equal((result.payload as Record<string, unknown>).machine, 'aarch64');
    } finally {
      await release();
    }
  });
});

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

interface Timings {
  cold: number;
  warm: number;
  init: number;
}

/**
 * Invokes `fn` (built first, not timed) cold three times, each followed by three warm invokes,
 * checking each result with `check` and its REPORT line; the medians of their wall-clock times and
 * of the Init Duration.
 */
async function measure(runner: LocalRunner, fn: FunctionSpec, check: (payload: Record<string, unknown>) => void): Promise<Timings> {
  await runner.invoke(fn, { event: { action: 'hello' } });
  const cold: number[] = [];
  const warm: number[] = [];
  const init: number[] = [];
  for (let round = 0; round < 3; round++) {
    let started = performance.now();
    const first = await runner.invoke(fn, { event: { action: 'hello' }, forceCold: true });
    cold.push(performance.now() - started);
    assert.equal(first.error, null, JSON.stringify(first.error));
    const payload = first.payload as Record<string, unknown>;
    check(payload);
    assert.equal(payload.requestId, first.requestId);
    assert.equal(first.report.cold, true);
    assert.match(first.reportLine, REPORT(first.requestId, true));
    init.push(first.report.initDurationMs ?? NaN);
    for (let n = 0; n < 3; n++) {
      started = performance.now();
      const next = await runner.invoke(fn, { event: { action: 'hello' } });
      warm.push(performance.now() - started);
      assert.equal(next.error, null, JSON.stringify(next.error));
      assert.equal(next.report.cold, false);
      check(next.payload as Record<string, unknown>);
      // A runtime process that served before (the runner keeps the earlier rounds' warm containers too).
      assert.ok(Number((next.payload as Record<string, unknown>).invocation) >= 2, JSON.stringify(next.payload));
      assert.match(next.reportLine, REPORT(next.requestId, false));
    }
  }
  return { cold: median(cold), warm: median(warm), init: median(init) };
}

/** Printed, never asserted: emulation's cost next to the native run on the same machine. */
function printTimings(what: string, emulated: Timings, native: Timings): void {
  for (const [label, t] of [
    ['arm64 (emulated)', emulated],
    ['x86_64 (native)', native],
  ] as const) {
    console.log(`      ${what} ${label}: cold invoke ${t.cold.toFixed(0)} ms (Init Duration ${t.init.toFixed(0)} ms), warm invoke ${t.warm.toFixed(1)} ms (medians of 3 cold, 9 warm)`);
  }
  console.log(`      ${what} emulated / native: cold ${(emulated.cold / native.cold).toFixed(2)}x, Init Duration ${(emulated.init / native.init).toFixed(2)}x, warm ${(emulated.warm / native.warm).toFixed(2)}x`);
}
