import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { deployCommand } from '../../../src/cli/commands/deploy';
import { layersCommand } from '../../../src/cli/commands/layers';
import type { Io } from '../../../src/cli/io';
import type { AwsSession } from '../../../src/core/deploy';
import { testEnv } from '../env';
import { createRole, INDEX_JS, motoSession, resetMoto, scratch, writeFiles } from './support';

function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += `${t}\n`), err: (t: string) => void (io.stderr += `${t}\n`) };
  return io;
}

const template = (roleArn: string) => `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: cli-hello
      CodeUri: hello/
      Handler: index.handler
      Runtime: nodejs22.x
      MemorySize: 256
      Role: ${roleArn}
      Layers:
        - !Ref Shared
  Shared:
    Type: AWS::Serverless::LayerVersion
    Properties:
      LayerName: cli-shared
      ContentUri: shared/
`;

describe('deploy: the deploy and layers commands against moto', () => {
  let session: AwsSession;
  let work: ReturnType<typeof scratch>;
  const saved: Record<string, string | undefined> = {};
  const ENV = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_PROFILE: undefined, AWS_REGION: undefined };

  beforeEach(async () => {
    await resetMoto();
    session = await motoSession();
    work = scratch();
    for (const [k, v] of Object.entries({ ...ENV, LAMBDA_WORKBENCH_CACHE: join(work.dir, 'cache') })) {
      saved[k] = process.env[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    session.destroy();
    work.remove();
  });

  const aws = () => ['--endpoint-url', testEnv().motoUrl, '--region', 'us-east-1'];

  it('deploys with --json as CLI.md says, then reports an unchanged redeploy with 0 bytes uploaded', async () => {
    const roleArn = await createRole(session);
    const dir = writeFiles(join(work.dir, 'app'), { 'template.yaml': template(roleArn), 'hello/index.js': INDEX_JS, 'shared/nodejs/lib.js': '1;\n' });

    const dry = capture();
    assert.equal(await deployCommand(['--root', dir, '--json', '--dry-run', ...aws()], dry), 0, dry.stderr + dry.stdout);
    const plan = JSON.parse(dry.stdout) as { dryRun: boolean; functions: { action: string; uploadBytes: number }[] };
    assert.equal(plan.dryRun, true);
    assert.equal(plan.functions[0].action, 'created');
    await assert.rejects(session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'cli-hello' })), /not found/i, 'a dry run creates nothing');

    const first = capture();
    assert.equal(await deployCommand(['--root', dir, '--json', ...aws()], first), 0, first.stderr);
    assert.equal(first.stderr, '', 'nothing but JSON on stdout, nothing on stderr in --json mode');
    const out = JSON.parse(first.stdout) as { functions: Record<string, unknown>[]; layers: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(out.functions[0]).slice(0, 10), ['logicalId', 'functionName', 'action', 'codeSha256', 'codeSize', 'uploadedBytes', 'via', 'layers', 'version', 'reason']);
    const f = out.functions[0];
    assert.equal(f.logicalId, 'Hello');
    assert.equal(f.functionName, 'cli-hello');
    assert.equal(f.action, 'created');
    assert.equal(f.via, 'direct');
    assert.equal(f.uploadedBytes, f.codeSize);
    assert.deepEqual(f.layers, ['arn:aws:lambda:us-east-1:123456789012:layer:cli-shared:1']);
    assert.equal(f.version, '$LATEST');
    assert.equal(f.reason, null);
    const cfg = await session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'cli-hello' }));
    assert.equal(cfg.CodeSha256, f.codeSha256);
    assert.equal(cfg.MemorySize, 256);

    const again = capture();
    assert.equal(await deployCommand(['--root', dir, '--json', ...aws()], again), 0, again.stderr);
    const second = JSON.parse(again.stdout) as { functions: { action: string; uploadedBytes: number; via: unknown }[]; layers: { action: string }[] };
    assert.equal(second.functions[0].action, 'unchanged');
    assert.equal(second.functions[0].uploadedBytes, 0);
    assert.equal(second.functions[0].via, null);
    assert.equal(second.layers[0].action, 'unchanged');

    const human = capture();
    assert.equal(await deployCommand(['Hello', '--root', dir, ...aws()], human), 0, human.stderr);
    assert.match(human.stdout, /^FUNCTION\s+NAME\s+ACTION\s+VIA\s+UPLOADED\s+VERSION\nHello\s+cli-hello\s+unchanged\s+-\s+0 B\s+\$LATEST$/m);
  });

  it('exits 1 and says why when a function cannot be deployed, and rejects bad arguments as usage errors', async () => {
    const dir = writeFiles(join(work.dir, 'app'), { 'template.yaml': template('!GetAtt MissingRole.Arn'), 'hello/index.js': INDEX_JS, 'shared/nodejs/lib.js': '1;\n' });
    // No literal role, no --role, no --yes: the role cannot be created.
    const io = capture();
    assert.equal(await deployCommand(['--root', dir, '--json', ...aws()], io), 1);
    const out = JSON.parse(io.stdout) as { functions: { action: string; reason: string }[] };
    assert.equal(out.functions[0].action, 'failed');
    assert.match(out.functions[0].reason, /IAM role lambda-workbench-basic-execution was not created.*--yes/);

    await assert.rejects(deployCommand(['--root', dir, '--role', 'not-an-arn'], capture()), /--role wants a role ARN/);
    await assert.rejects(deployCommand(['Nope', '--root', dir], capture()), /no function 'Nope' \(functions: Hello\)/);
    await assert.rejects(layersCommand(['prune', 'x', ...aws()], capture()), /prune needs --keep N/);
    await assert.rejects(layersCommand(['frob'], capture()), /layers wants list, publish or prune, not 'frob'/);
  });

  it('publishes, lists and prunes layers', async () => {
    const roleArn = await createRole(session);
    const dir = writeFiles(join(work.dir, 'app'), { 'template.yaml': template(roleArn), 'hello/index.js': INDEX_JS, 'shared/nodejs/lib.js': '1;\n' });
    const publish = async (): Promise<{ layers: { name: string; version: number; action: string; codeSha256: string; codeSize: number }[] }> => {
      const io = capture();
      assert.equal(await layersCommand(['publish', 'Shared', '--root', dir, '--json', ...aws()], io), 0, io.stderr + io.stdout);
      return JSON.parse(io.stdout);
    };
    const p1 = await publish();
    assert.deepEqual([p1.layers[0].name, p1.layers[0].version, p1.layers[0].action], ['cli-shared', 1, 'published']);
    assert.match(p1.layers[0].codeSha256, /^[A-Za-z0-9+/]{43}=$/);
    const p2 = await publish();
    assert.deepEqual([p2.layers[0].version, p2.layers[0].action], [1, 'unchanged']);
    writeFiles(join(dir, 'shared'), { 'nodejs/lib.js': '2;\n' });
    assert.equal((await publish()).layers[0].version, 2);
    writeFiles(join(dir, 'shared'), { 'nodejs/lib.js': '3;\n' });
    assert.equal((await publish()).layers[0].version, 3);

    const list = capture();
    assert.equal(await layersCommand(['list', '--json', ...aws()], list), 0, list.stderr);
    const listed = JSON.parse(list.stdout) as { layers: { name: string; version: number; codeSize: number; codeSha256: string }[] };
    assert.deepEqual(listed.layers.map((l) => l.version).sort(), [1, 2, 3]);
    assert.ok(listed.layers.every((l) => l.name === 'cli-shared' && l.codeSize > 0 && l.codeSha256));

    const prune = capture();
    assert.equal(await layersCommand(['prune', 'Shared', '--keep', '1', '--root', dir, '--json', ...aws()], prune), 0, prune.stderr);
    const pruned = JSON.parse(prune.stdout) as { layers: { version: number; action: string }[] };
    assert.deepEqual(pruned.layers.map((l) => [l.version, l.action]), [[3, 'kept'], [2, 'deleted'], [1, 'deleted']]);
  });
});
