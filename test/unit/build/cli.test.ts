import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCommand } from '../../../src/cli/commands/build';
import { runCli } from '../../../src/cli/cli';
import { type Io, UsageError } from '../../../src/cli/io';
import { samTemplate, tempProject } from './support';

function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += `${t}\n`), err: (t: string) => void (io.stderr += `${t}\n`) };
  return io;
}

/** The per-function fields CLI.md promises, in its order. */
const CONTRACT = ['logicalId', 'builder', 'artifactDir', 'cached', 'durationMs'];

describe('cli: build', () => {
  let project: ReturnType<typeof tempProject>;
  let savedCache: string | undefined;
  beforeEach(() => {
    project = tempProject(
      samTemplate(
        {
          Py: 'Runtime: python3.12\nHandler: app.handler\nCodeUri: py/',
          Node: 'Runtime: nodejs22.x\nHandler: app.handler\nCodeUri: node/',
          Esb: 'Runtime: nodejs22.x\nHandler: app.handler\nCodeUri: esb/',
          Img: 'PackageType: Image',
        },
        { Esb: 'BuildMethod: esbuild' },
      ),
      { 'py/app.py': 'def handler(e, c): return 1\n', 'node/app.js': 'exports.handler = async () => 1;\n', 'esb/app.js': 'exports.handler = async () => 1;\n' },
    );
    savedCache = process.env.LAMBDA_WORKBENCH_CACHE;
    process.env.LAMBDA_WORKBENCH_CACHE = join(project.dir, 'cache');
  });
  afterEach(() => {
    if (savedCache === undefined) delete process.env.LAMBDA_WORKBENCH_CACHE;
    else process.env.LAMBDA_WORKBENCH_CACHE = savedCache;
    project.cleanup();
  });

  it('--json lists each function with the contract fields first; a second run is cached', async () => {
    const io = capture();
    assert.equal(await buildCommand(['--json', 'Py', 'Esb', 'Img'], io, project.dir), 0);
    const first = JSON.parse(io.stdout) as { functions: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(first.functions[0]).slice(0, CONTRACT.length), CONTRACT);
    assert.deepEqual(first.functions.map((f) => [f.logicalId, f.builder, f.cached, f.status]), [
      ['Py', 'python-pip', false, 'built'],
      ['Esb', 'esbuild', false, 'built'],
      ['Img', 'image', false, 'skipped'],
    ]);
    assert.equal(first.functions[0].artifactDir, join(project.dir, '.lambda-workbench', 'build', 'Py'));
    assert.equal(first.functions[1].artifactDir, join(project.dir, '.lambda-workbench', 'build', 'Esb'));
    assert.ok(existsSync(join(project.dir, '.lambda-workbench', 'build', 'Esb', 'app.js')), "esbuild's bundle is the artifact");
    assert.equal(first.functions[2].artifactDir, null);
    assert.match(io.stderr, /Building Py \(python-pip/, 'build output goes to stderr');

    const again = capture();
    assert.equal(await buildCommand(['--json', 'Py'], again, project.dir), 0);
    const second = JSON.parse(again.stdout) as { functions: Record<string, unknown>[] };
    assert.deepEqual([second.functions[0].cached, second.functions[0].status], [true, 'cached']);
    const bundled = capture();
    assert.equal(await buildCommand(['--json', 'Esb'], bundled, project.dir), 0);
    assert.equal((JSON.parse(bundled.stdout) as { functions: Record<string, unknown>[] }).functions[0].status, 'cached');
  });

  it('human output: a table of function, builder, status, time and artifact', async () => {
    const io = capture();
    assert.equal(await buildCommand([], io, project.dir), 0);
    const lines = io.stdout.trim().split('\n');
    assert.match(lines[0], /^NAME\s+BUILDER\s+STATUS\s+TIME\s+ARTIFACT$/);
    assert.match(lines[1], /^Py\s+python-pip\s+built\s+\d+ ms\s+\.lambda-workbench\/build\/Py$/);
    assert.match(lines[3], /^Esb\s+esbuild\s+built\s+\d+ ms\s+\.lambda-workbench\/build\/Esb$/);
    assert.match(lines[4], /^Img\s+image\s+skipped\s+-\s+an image function/);
  });

  it('exit 1 when a build fails, with the reason and what to do on stderr; the others still build', async () => {
    writeFileSync(join(project.dir, 'node', 'package.json'), '{');
    const io = capture();
    assert.equal(await buildCommand(['--json'], io, project.dir), 1);
    const out = JSON.parse(io.stdout) as { functions: { logicalId: string; status: string }[] };
    assert.deepEqual(out.functions.map((f) => f.status), ['built', 'failed', 'built', 'skipped']);
    assert.match(io.stderr, /lambda-workbench build: Node: .*package\.json is not a valid package\.json/);
    assert.match(io.stderr, /Fix package\.json/);
    assert.ok(existsSync(join(project.dir, '.lambda-workbench', 'build', 'Py')));
  });

  it('usage errors exit 2: an unknown option, an unknown function', async () => {
    await assert.rejects(buildCommand(['--nope'], capture(), project.dir), UsageError);
    await assert.rejects(buildCommand(['Missing'], capture(), project.dir), /no function or layer 'Missing'/);
    const io = capture();
    assert.equal(await runCli(['build', '--root', project.dir, '--nope'], io), 2);
    assert.equal(await runCli(['build', '--help'], io), 0);
    assert.match(io.stdout, /Usage: lambda-workbench build \[LOGICAL_ID\.\.\.\]/);
  });

  it('layers with a BuildMethod are built too, listed under "layers"; a layer can be named; one without a BuildMethod is left alone', async () => {
    const withLayers = tempProject(
      `Transform: AWS::Serverless-2016-10-31
Resources:
  Tools:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: tools/
    Metadata:
      BuildMethod: makefile
  AsIs:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: tools/
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: fn/
      Layers: [!Ref Tools]
`,
      { 'tools/Makefile': 'build-Tools:\n\tmkdir -p $(ARTIFACTS_DIR)/bin && cp tool.sh $(ARTIFACTS_DIR)/bin/tool\n', 'tools/tool.sh': 'echo tool\n', 'fn/app.py': 'def handler(e, c): return 1\n' },
    );
    try {
      const io = capture();
      assert.equal(await buildCommand(['--json'], io, withLayers.dir), 0, io.stderr);
      const out = JSON.parse(io.stdout) as { functions: Record<string, unknown>[]; layers: Record<string, unknown>[] };
      assert.deepEqual(out.functions.map((f) => [f.logicalId, f.status]), [['Fn', 'built']]);
      assert.deepEqual(out.layers.map((l) => [l.logicalId, l.builder, l.status]), [['Tools', 'makefile', 'built']]);
      assert.ok(existsSync(join(withLayers.dir, '.lambda-workbench', 'build', 'Tools', 'bin', 'tool')));
      const named = capture();
      assert.equal(await buildCommand(['Tools'], named, withLayers.dir), 0);
      assert.match(named.stdout, /^Tools \(layer\)\s+makefile\s+cached/m);
    } finally {
      withLayers.cleanup();
    }
  });
});
