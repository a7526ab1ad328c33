import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GetRoleCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetAliasCommand, GetFunctionConfigurationCommand, InvalidParameterValueException, ListFunctionsCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { type AwsSession, type DeployProgress, executeDeploy, planDeploy } from '../../../src/core/deploy';
import { cancellationSource } from '../../../src/core/cancel';
import { BASIC_EXECUTION_POLICY } from '../../../src/core/deploy/role';
import type { FunctionSpec, LayerSpec } from '../../../src/core/model/types';
import { contextFor, createRole, functionSpec, INDEX_JS, interceptedLambda, layerSpec, motoSession, resetMoto, scratch, writeFiles } from './support';

describe('deploy: execution (roles, cancel and resume, parallelism, versions)', () => {
  let session: AwsSession;
  let work: ReturnType<typeof scratch>;

  beforeEach(async () => {
    await resetMoto();
    session = await motoSession();
    work = scratch();
  });
  afterEach(() => {
    session.destroy();
    work.remove();
  });

  const code = (name: string): string => writeFiles(join(work.dir, name), { 'index.js': `${INDEX_JS}// ${name}\n` });

  it('creates a basic execution role only after confirmation, retrying CreateFunction while IAM propagates it', async () => {
    const fn = functionSpec('NoRole', code('norole'));
    const plan = await planDeploy(contextFor(session), { functions: [fn] });
    assert.deepEqual(plan.functions[0].role, { kind: 'create', roleName: 'lambda-workbench-basic-execution' });
    assert.match(plan.confirmations[0], /^Create IAM role lambda-workbench-basic-execution \(AWSLambdaBasicExecutionRole: CloudWatch Logs only\) for NoRole$/);

    const refusedRun = await executeDeploy(contextFor(session), plan, { confirm: async () => false });
    const refused = refusedRun.functions[0];
    assert.equal(refused.action, 'failed');
    assert.match(refused.reason ?? '', /Step "create role" failed: The new function has no role, and IAM role lambda-workbench-basic-execution was not created\./);
    assert.match(refused.reason ?? '', /--role ARN/);
    await assert.rejects(session.iam.send(new GetRoleCommand({ RoleName: 'lambda-workbench-basic-execution' })), /NoSuchEntity|cannot be found/);

    // Lambda rejects a role IAM has not propagated yet; the deploy waits and tries again.
    const propagating = new InvalidParameterValueException({ $metadata: { httpStatusCode: 400 }, message: 'The role defined for the function cannot be assumed by Lambda.' });
    const lambda = interceptedLambda(session.lambda, (cmd, n) => (cmd.constructor.name === 'CreateFunctionCommand' && n <= 2 ? propagating : undefined));
    const questions: string[] = [];
    const result = await executeDeploy(contextFor(session, {}, { lambda }), plan, { confirm: async (q) => (questions.push(q), true) });
    await plan.dispose();
    assert.equal(result.functions[0].action, 'created', result.functions[0].reason ?? '');
    assert.equal(questions.length, 1);
    assert.equal(lambda.calls.filter((c) => c === 'CreateFunctionCommand').length, 3);
    // AWS attaches its managed AWSLambdaBasicExecutionRole; moto has no AWS managed policies unless
    // started with MOTO_IAM_LOAD_MANAGED_POLICIES, so the same permissions go in inline.
    const attached = await session.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'lambda-workbench-basic-execution' }));
    const inline = await session.iam.send(new GetRolePolicyCommand({ RoleName: 'lambda-workbench-basic-execution', PolicyName: 'basic-execution' })).catch(() => undefined);
    const managed = attached.AttachedPolicies?.some((p) => p.PolicyArn === 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
    assert.ok(managed || inline, 'the role can write logs');
    if (inline) assert.deepEqual(JSON.parse(decodeURIComponent(inline.PolicyDocument ?? '')), JSON.parse(BASIC_EXECUTION_POLICY));
    const cfg = await session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'NoRole' }));
    assert.match(cfg.Role ?? '', /:role\/lambda-workbench-basic-execution$/);

    // The next new function reuses the role without asking.
    const second = await planDeploy(contextFor(session), { functions: [functionSpec('AlsoNoRole', code('also'))] });
    assert.equal(second.functions[0].role?.kind, 'shared');
    assert.deepEqual(second.confirmations, []);
    await second.dispose();
  });

  it('stops between steps when cancelled, says what it left behind, and a rerun completes it', async () => {
    const roleArn = await createRole(session);
    const shared: LayerSpec = layerSpec('Shared', writeFiles(join(work.dir, 'shared'), { 'nodejs/x.js': '1;\n' }), { layerName: 'shared' });
    const fn: FunctionSpec = functionSpec('Cancelled', code('cancelled'), { role: roleArn, layers: [{ kind: 'local', logicalId: 'Shared', layer: shared }] });
    const ctx = contextFor(session);
    const source = cancellationSource();
    const plan = await planDeploy(ctx, { functions: [fn] });
    const result = await executeDeploy(ctx, plan, {
      token: source.token,
      // The user presses Cancel while the layer is being published.
      onProgress: (e: DeployProgress) => (e.step === 'publish layer' && e.phase === 'start' ? source.cancel() : undefined),
    });
    await plan.dispose();
    assert.equal(result.layers[0].action, 'published', 'the step in flight finishes');
    const r = result.functions[0];
    assert.equal(r.action, 'cancelled');
    assert.equal(r.reason, 'Cancelled. Left behind: layer shared:1 published; not done: create function. Run the deploy again to finish.');
    assert.equal(result.ok, false);
    assert.deepEqual((await session.lambda.send(new ListFunctionsCommand({}))).Functions, []);

    const rerun = await planDeploy(ctx, { functions: [fn] });
    assert.equal(rerun.layers[0].action, 'unchanged');
    const done = await executeDeploy(ctx, rerun);
    await rerun.dispose();
    assert.equal(done.ok, true);
    assert.equal(done.functions[0].action, 'created');
    assert.deepEqual(done.functions[0].layers, ['arn:aws:lambda:us-east-1:123456789012:layer:shared:1']);
  });

  it('deploys several functions in parallel, never more at once than the bound', async () => {
    const roleArn = await createRole(session);
    const fns = ['A', 'B', 'C', 'D', 'E'].map((n) => functionSpec(`Par${n}`, code(`par${n}`), { role: roleArn }));
    let inFlight = 0;
    let peak = 0;
    // Slow each CreateFunction a little so the deploys overlap.
    const lambda = interceptedLambda(session.lambda, () => undefined);
    const slow = {
      calls: lambda.calls,
      send: (async (cmd: { constructor: { name: string } }, ...rest: unknown[]) => {
        if (cmd.constructor.name !== 'CreateFunctionCommand') return (lambda.send as (...a: unknown[]) => Promise<unknown>)(cmd, ...rest);
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 100));
        try {
          return await (lambda.send as (...a: unknown[]) => Promise<unknown>)(cmd, ...rest);
        } finally {
          inFlight--;
        }
      }) as typeof lambda.send,
    };
    const ctx = contextFor(session, { concurrency: 2 }, { lambda: slow });
    const plan = await planDeploy(ctx, { functions: fns });
    const result = await executeDeploy(ctx, plan);
    await plan.dispose();
    assert.deepEqual(result.functions.map((f) => [f.functionName, f.action]), fns.map((f) => [f.logicalId, 'created']));
    assert.equal(peak, 2, 'two at a time');
  });

  it('publishes a version and points an alias at it, and does not publish again when nothing changed', async () => {
    const roleArn = await createRole(session);
    const fn = functionSpec('Versioned', code('versioned'), { role: roleArn });
    const ctx = contextFor(session, { alias: 'live', publishVersion: true });
    const run = async (spec: FunctionSpec) => {
      const plan = await planDeploy(ctx, { functions: [spec] });
      try {
        return await executeDeploy(ctx, plan);
      } finally {
        await plan.dispose();
      }
    };
    const first = await run(fn);
    assert.equal(first.functions[0].version, '1');
    assert.equal((await session.lambda.send(new GetAliasCommand({ FunctionName: 'Versioned', Name: 'live' }))).FunctionVersion, '1');

    const same = await run(fn);
    assert.equal(same.functions[0].action, 'unchanged');
    assert.equal(same.functions[0].version, '1');

    const changed = await run({ ...fn, memorySize: 512 });
    assert.equal(changed.functions[0].version, '2');
    assert.equal((await session.lambda.send(new GetAliasCommand({ FunctionName: 'Versioned', Name: 'live' }))).FunctionVersion, '2');
    const versions = await session.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'Versioned' }));
    assert.deepEqual(versions.Versions?.map((v) => v.Version), ['$LATEST', '1', '2']);
  });
});
