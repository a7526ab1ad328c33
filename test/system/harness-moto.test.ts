import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, DeleteFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { CreateRoleCommand, DeleteRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { motoClientConfig, testEnv } from './env';

describe('harness: AWS API emulator (moto)', () => {
  it('creates a function and lists it through @aws-sdk/client-lambda', async () => {
    const { runId } = testEnv();
    const lambda = new LambdaClient(motoClientConfig());
    const iam = new IAMClient(motoClientConfig());
    const name = `harness-${runId}`.replace(/[^a-zA-Z0-9-_]/g, '-');
    const dir = mkdtempSync(join(tmpdir(), 'lwb-zip-'));
    try {
      writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => 1;\n');
      execFileSync('zip', ['-qX', 'code.zip', 'index.mjs'], { cwd: dir });
      const role = await iam.send(
        new CreateRoleCommand({
          RoleName: name,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          }),
        }),
      );
      const created = await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role: role.Role!.Arn!,
          Code: { ZipFile: readFileSync(join(dir, 'code.zip')) },
        }),
      );
      assert.equal(created.FunctionName, name);
      const listed = await lambda.send(new ListFunctionsCommand({}));
      assert.ok(listed.Functions?.some((f) => f.FunctionName === name && f.Runtime === 'nodejs22.x'), 'the new function is listed');
      await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
      await iam.send(new DeleteRoleCommand({ RoleName: name }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      lambda.destroy();
      iam.destroy();
    }
  });
});
