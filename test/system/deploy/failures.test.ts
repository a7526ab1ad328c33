import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, LambdaServiceException, ListFunctionsCommand, ResourceConflictException } from '@aws-sdk/client-lambda';
import { type AwsSession, createAwsSession, executeDeploy, planDeploy } from '../../../src/core/deploy';
import { UserError } from '../../../src/core/errors';
import type { FunctionSpec } from '../../../src/core/model/types';
import { testEnv } from '../env';
import { Answer, contextFor, createRole, functionSpec, INDEX_JS, interceptedLambda, motoSession, resetMoto, scratch, writeFiles } from './support';

/** Makes moto check every request against IAM from now on; resolves with the setting to restore. */
async function enforceIam(count: string): Promise<string> {
  const res = await fetch(`${testEnv().motoUrl}/moto-api/reset-auth`, { method: 'POST', body: count });
  const body = (await res.json()) as { PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT: string };
  return body.PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT;
}

describe('deploy: access denied, conflicts and failed steps', () => {
  let session: AwsSession;
  let roleArn: string;
  let work: ReturnType<typeof scratch>;
  let fn: FunctionSpec;

  beforeEach(async () => {
    await resetMoto();
    session = await motoSession();
    roleArn = await createRole(session);
    work = scratch();
    fn = functionSpec('Guarded', writeFiles(join(work.dir, 'g'), { 'index.js': INDEX_JS }), { role: roleArn });
  });
  afterEach(() => {
    session.destroy();
    work.remove();
  });

  it('reports AccessDenied from an emulator enforcing IAM, naming the step, and changes nothing', async () => {
    const iam = session.iam;
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'reader',
        PolicyName: 'read-only',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['lambda:GetFunction', 'lambda:GetFunctionConfiguration', 'lambda:ListLayerVersions', 'iam:GetRole'], Resource: '*' }],
        }),
      }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }))).AccessKey!;
    const reader = await createAwsSession({
      endpointUrl: testEnv().motoUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! },
    });
    const previous = await enforceIam('0');
    try {
      const ctx = contextFor(reader);
      const plan = await planDeploy(ctx, { functions: [fn] });
      assert.equal(plan.functions[0].action, 'created', 'reading is allowed, so the plan is made');
      const result = await executeDeploy(ctx, plan);
      await plan.dispose();
      const r = result.functions[0];
      assert.equal(r.action, 'failed');
      assert.match(r.reason ?? '', /^Step "create function" failed: AWS denied creating function Guarded: HTTP 403 Forbidden/);
      assert.match(r.reason ?? '', /needs permission for this action/);
      assert.match(r.reason ?? '', /Left behind: nothing changed for Guarded; not done: create function/);
      assert.ok(r.error instanceof UserError && r.error.code === 'aws-access-denied');
    } finally {
      await enforceIam(previous);
      reader.destroy();
    }
    const listed = await session.lambda.send(new ListFunctionsCommand({}));
    assert.deepEqual(listed.Functions, []);
  });

  it("turns Lambda's AccessDeniedException into a message with the policy text and the state left behind", async () => {
    const ctx = contextFor(session);
    const created = await planDeploy(ctx, { functions: [fn] });
    await executeDeploy(ctx, created);
    await created.dispose();
    writeFiles(fn.codeUri!, { 'index.js': `${INDEX_JS}// v2\n` });

    // moto answers 403 without Lambda's JSON error body, so AWS's own answer is thrown here with
    // the SDK's real exception type, as the SDK would parse it.
    const denied = new LambdaServiceException({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message: 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: lambda:UpdateFunctionCode on resource: arn:aws:lambda:us-east-1:123456789012:function:Guarded',
    });
    const lambda = interceptedLambda(session.lambda, (cmd) => (cmd.constructor.name === 'UpdateFunctionCodeCommand' ? denied : undefined));
    const denyCtx = contextFor(session, {}, { lambda });
    const plan = await planDeploy(denyCtx, { functions: [{ ...fn, memorySize: 512 }] });
    const result = await executeDeploy(denyCtx, plan);
    await plan.dispose();
    const r = result.functions[0];
    assert.equal(r.action, 'failed');
    assert.match(r.reason ?? '', /Step "update code" failed: AWS denied updating the code of Guarded: User: arn:aws:iam::123456789012:user\/ci is not authorized to perform: lambda:UpdateFunctionCode/);
    assert.match(r.reason ?? '', /not done: update code, update configuration/);
    const cfg = await session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'Guarded' }));
    assert.equal(cfg.MemorySize, 128, 'the configuration step did not run after the failed one');
  });

  it('waits and retries when Lambda answers ResourceConflictException (an update in progress)', async () => {
    const ctx = contextFor(session);
    const created = await planDeploy(ctx, { functions: [fn] });
    await executeDeploy(ctx, created);
    await created.dispose();

    const conflict = () =>
      new ResourceConflictException({
        $metadata: { httpStatusCode: 409 },
        message: 'The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:Guarded',
      });
    const lambda = interceptedLambda(session.lambda, (cmd, n) => (cmd.constructor.name === 'UpdateFunctionConfigurationCommand' && n <= 2 ? conflict() : undefined));
    const retryCtx = contextFor(session, {}, { lambda });
    const plan = await planDeploy(retryCtx, { functions: [{ ...fn, timeout: 10 }] });
    const result = await executeDeploy(retryCtx, plan);
    await plan.dispose();
    assert.equal(result.functions[0].action, 'updated', result.functions[0].reason ?? '');
    const sequence = lambda.calls.filter((c) => c === 'UpdateFunctionConfigurationCommand' || c === 'GetFunctionConfigurationCommand');
    assert.deepEqual(sequence.slice(0, 5), [
      'UpdateFunctionConfigurationCommand',
      'GetFunctionConfigurationCommand',
      'UpdateFunctionConfigurationCommand',
      'GetFunctionConfigurationCommand',
      'UpdateFunctionConfigurationCommand',
    ]);
    assert.equal((await session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'Guarded' }))).Timeout, 10);

    // A conflict that never clears ends in a failure that says what to do.
    const stuck = interceptedLambda(session.lambda, (cmd) => (cmd.constructor.name === 'UpdateFunctionConfigurationCommand' ? conflict() : undefined));
    const stuckCtx = contextFor(session, {}, { lambda: stuck });
    const plan2 = await planDeploy(stuckCtx, { functions: [{ ...fn, timeout: 20 }] });
    const result2 = await executeDeploy(stuckCtx, plan2);
    await plan2.dispose();
    assert.equal(result2.functions[0].action, 'failed');
    assert.match(result2.functions[0].reason ?? '', /Step "update configuration" failed: Another change to the same resource was in progress/);
    assert.match(result2.functions[0].reason ?? '', /run the deploy again/);
    assert.equal(stuck.calls.filter((c) => c === 'UpdateFunctionConfigurationCommand').length, 6);
  });

  it("waits for an update in progress with the SDK's waiter, and reports an update Lambda failed", async () => {
    const ctx = contextFor(session);
    const created = await planDeploy(ctx, { functions: [fn] });
    await executeDeploy(ctx, created);
    await created.dispose();

    // The first read after the update says it is still in progress: the SDK waiter (GetFunction) takes over.
    const busy = interceptedLambda(session.lambda, (cmd, n) =>
      cmd.constructor.name === 'GetFunctionConfigurationCommand' && n === 1 ? new Answer({ FunctionName: 'Guarded', State: 'Active', LastUpdateStatus: 'InProgress' }) : undefined,
    );
    const busyCtx = contextFor(session, {}, { lambda: busy });
    const plan = await planDeploy(busyCtx, { functions: [{ ...fn, timeout: 7 }] });
    const result = await executeDeploy(busyCtx, plan);
    await plan.dispose();
    assert.equal(result.functions[0].action, 'updated', result.functions[0].reason ?? '');
    const after = busy.calls.slice(busy.calls.indexOf('UpdateFunctionConfigurationCommand'));
    assert.deepEqual(after.slice(0, 4), ['UpdateFunctionConfigurationCommand', 'GetFunctionConfigurationCommand', 'GetFunctionCommand', 'GetFunctionConfigurationCommand']);

    const failing = interceptedLambda(session.lambda, (cmd) =>
      cmd.constructor.name === 'GetFunctionConfigurationCommand'
        ? new Answer({ FunctionName: 'Guarded', State: 'Active', LastUpdateStatus: 'Failed', LastUpdateStatusReason: 'The security group sg-1 does not exist.', LastUpdateStatusReasonCode: 'InvalidSecurityGroup' })
        : undefined,
    );
    const failingCtx = contextFor(session, {}, { lambda: failing });
    const plan2 = await planDeploy(failingCtx, { functions: [{ ...fn, timeout: 8 }] });
    const result2 = await executeDeploy(failingCtx, plan2);
    await plan2.dispose();
    assert.equal(result2.functions[0].action, 'failed');
    assert.match(
      result2.functions[0].reason ?? '',
      /^Step "update configuration" failed: Lambda could not complete the update of function Guarded: The security group sg-1 does not exist\. \(InvalidSecurityGroup\)\./,
    );
  });

  it('names the failed step and what it left, and a rerun completes the deploy', async () => {
    const ctx = contextFor(session);
    const created = await planDeploy(ctx, { functions: [fn] });
    await executeDeploy(ctx, created);
    await created.dispose();
    writeFiles(fn.codeUri!, { 'index.js': `${INDEX_JS}// v3\n` });
    const changed = { ...fn, memorySize: 1024 };

    const broken = interceptedLambda(session.lambda, (cmd) =>
      cmd.constructor.name === 'UpdateFunctionConfigurationCommand' ? Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) : undefined,
    );
    const brokenCtx = contextFor(session, {}, { lambda: broken });
    const plan = await planDeploy(brokenCtx, { functions: [changed] });
    const result = await executeDeploy(brokenCtx, plan);
    await plan.dispose();
    const r = result.functions[0];
    assert.equal(r.action, 'failed');
    assert.match(r.reason ?? '', /^Step "update configuration" failed: Could not reach the AWS endpoint http:\/\/127\.0\.0\.1:\d+ while updating the configuration of Guarded \(MemorySize\) \(ECONNRESET\)/);
    assert.match(r.reason ?? '', /Left behind: code of Guarded updated \(CodeSha256 [^)]+\); not done: update configuration\. Run the deploy again/);

    const rerun = await planDeploy(ctx, { functions: [changed] });
    assert.deepEqual(rerun.functions[0].changes, ['MemorySize'], 'the code step is not repeated');
    assert.equal(rerun.functions[0].uploadBytes, 0);
    const done = await executeDeploy(ctx, rerun);
    await rerun.dispose();
    assert.equal(done.functions[0].action, 'updated');
    assert.equal((await session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'Guarded' }))).MemorySize, 1024);
  });
});
