import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { deployCommand } from '../../../src/cli/commands/deploy';
import { stateFile } from '../../../src/core/build';
import type { AwsSession } from '../../../src/core/deploy';
import { project, type Project } from '../build/support';
import { createRole, motoSession, resetMoto } from '../deploy/support';
import { testEnv } from '../env';
import { capture, offlineFlags, setEnv, zipOfFolder } from './support';

const template = (roleArn: string): string => `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Handler: app.handler
    Role: ${roleArn}
Resources:
  Py:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: artifact-py
      CodeUri: py/
  NoWheel:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: artifact-no-wheel
      CodeUri: sdist/
`;

// `deploy` of a Python function with real dependencies to the emulator: it builds first, and what
// goes up is the artifact's zip.
/**
 * A project in the emulator's account, with the CLI's cache in it and moto's credentials: what each
 * deploy test starts from. Returns the project of the running test (set before each).
 */
function deployProject(template: (roleArn: string) => string, samples: Record<string, string>): { project(): Project; session(): AwsSession } {
  let p: Project;
  let session: AwsSession;
  let restore: () => void;
  beforeEach(async () => {
    await resetMoto();
    session = await motoSession();
    p = project(template(await createRole(session)), samples);
    restore = setEnv({ LAMBDA_WORKBENCH_CACHE: join(p.dir, '.cache'), AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_PROFILE: undefined, AWS_REGION: undefined });
  });
  afterEach(() => {
    restore();
    session.destroy();
    p.cleanup();
  });
  return { project: () => p, session: () => session };
}

describe('artifact (real pip, moto): deploy builds first and uploads the artifact', function () {
  this.timeout(180_000);
  const ctx = deployProject(template, { py: 'python', sdist: 'python-sdist' });

  const deploy = async (...ids: string[]) => {
    const io = capture();
    const code = await deployCommand([...ids, '--endpoint-url', testEnv().motoUrl, '--region', 'us-east-1', '--yes', '--json', ...offlineFlags()], io, ctx.project().dir);
    return { code, io, out: JSON.parse(io.stdout) as { functions: { logicalId: string; action: string; codeSha256: string; reason: string | null }[] } };
  };

  it('the deployed CodeSha256 is the sha256 of the artifact folder\'s zip, which holds the dependencies', async () => {
    const { code, io, out } = await deploy('Py');
    assert.equal(code, 0, io.stderr);
    assert.equal(out.functions[0].action, 'created', out.functions[0].reason ?? '');
    assert.equal(io.stderr, '', '--json: the build runs quietly');
    assert.ok(existsSync(stateFile(ctx.project().template, 'Py')), 'the build ran first');
    const deployed = await ctx.session().lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'artifact-py' }));
    const zip = await zipOfFolder(join(ctx.project().dir, '.lambda-workbench', 'build', 'Py'), join(ctx.project().dir, 'artifact.zip'));
    assert.equal(deployed.CodeSha256, zip.codeSha256);
    assert.equal(out.functions[0].codeSha256, zip.codeSha256);
    for (const f of ['app.py', 'six.py', 'markupsafe/__init__.py']) assert.ok(zip.names.includes(f), `${f} in the zip`);

    // Nothing changed: the build is up to date (not run again), and nothing goes up.
    const state = readFileSync(stateFile(ctx.project().template, 'Py'), 'utf8');
    const again = await deploy('Py');
    assert.equal(again.out.functions[0].action, 'unchanged', again.out.functions[0].reason ?? '');
    assert.equal(readFileSync(stateFile(ctx.project().template, 'Py'), 'utf8'), state);
  });

  it('a function whose build fails is refused with the build\'s error, and nothing is uploaded', async () => {
    // docopt is published only as source, but pure Python: it builds. A version that does not exist does not.
    ctx.project().write('sdist/requirements.txt', 'docopt==0.6.99\n');
    const { code, out } = await deploy('NoWheel');
    assert.equal(code, 1);
    assert.equal(out.functions[0].action, 'refused');
    assert.match(out.functions[0].reason ?? '', /^Building NoWheel failed: NoWheel: pip found neither a wheel for Python 3\.12 on x86_64 nor a source distribution of docopt \(docopt==0\.6\.99\)/);
    await assert.rejects(ctx.session().lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'artifact-no-wheel' })), /ResourceNotFound|not found/i);
  });
});

const layerTemplate = (roleArn: string): string => `Transform: AWS::Serverless-2016-10-31
Resources:
  PyDeps:
    Type: AWS::Serverless::LayerVersion
    Properties:
      LayerName: artifact-py-deps
      ContentUri: pylayer/
      CompatibleRuntimes: [python3.12]
    Metadata:
      BuildMethod: python3.12
  UsesLayer:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: artifact-uses-layer
      Runtime: python3.12
      Handler: app.handler
      Role: ${roleArn}
      CodeUri: fn/
      Layers: [!Ref PyDeps]
`;

describe('artifact (real pip, moto): deploy builds a layer with a BuildMethod and publishes its artifact', function () {
  this.timeout(180_000);
  const ctx = deployProject(layerTemplate, { pylayer: 'python', fn: 'python' });

  it("the published layer's CodeSha256 is the zip of its artifact: sources and dependencies under python/", async () => {
    const io = capture();
    const code = await deployCommand(['UsesLayer', '--endpoint-url', testEnv().motoUrl, '--region', 'us-east-1', '--yes', '--json', ...offlineFlags()], io, ctx.project().dir);
    assert.equal(code, 0, io.stderr);
    const out = JSON.parse(io.stdout) as { layers: { logicalId: string; action: string; codeSha256: string; reason: string | null }[] };
    assert.deepEqual(out.layers.map((l) => [l.logicalId, l.action]), [['PyDeps', 'published']], JSON.stringify(out.layers));
    assert.ok(existsSync(stateFile(ctx.project().template, 'PyDeps')), 'the layer was built first');
    const zip = await zipOfFolder(join(ctx.project().dir, '.lambda-workbench', 'build', 'PyDeps'), join(ctx.project().dir, 'layer.zip'));
    assert.equal(out.layers[0].codeSha256, zip.codeSha256);
    for (const f of ['python/app.py', 'python/six.py', 'python/markupsafe/__init__.py']) assert.ok(zip.names.includes(f), `${f} in the layer zip`);
  });
});
