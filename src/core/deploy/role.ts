import { awsErrorName } from './awsErrors';
import type { IamSend } from './types';

/** The role created for functions whose template names none: logs to CloudWatch, nothing else. */
export const DEFAULT_ROLE_NAME = 'lambda-workbench-basic-execution';

const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

function partitionOf(arn: string): string {
  return arn.split(':')[1] || 'aws';
}

/** The role's ARN, or undefined when there is no role by that name. */
export async function findRole(iam: IamSend, roleName: string): Promise<string | undefined> {
  const { GetRoleCommand } = await import('@aws-sdk/client-iam');
  try {
    return (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role?.Arn;
  } catch (err) {
    if (awsErrorName(err) === 'NoSuchEntity' || awsErrorName(err) === 'NoSuchEntityException') return undefined;
    throw err;
  }
}

/** Creates the role with AWSLambdaBasicExecutionRole attached; reuses it when a rerun finds it. */
export async function createBasicExecutionRole(iam: IamSend, roleName: string): Promise<string> {
  const { AttachRolePolicyCommand, CreateRoleCommand } = await import('@aws-sdk/client-iam');
  let arn: string | undefined;
  try {
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: TRUST_POLICY,
        Description: 'Lets Lambda functions deployed by Lambda Workbench write their logs.',
      }),
    );
    arn = created.Role?.Arn;
  } catch (err) {
    if (awsErrorName(err) !== 'EntityAlreadyExists' && awsErrorName(err) !== 'EntityAlreadyExistsException') throw err;
    arn = await findRole(iam, roleName);
  }
  if (!arn) throw new Error(`IAM did not return an ARN for role ${roleName}.`);
  // Attaching an attached policy is a no-op, so a rerun after a failure here completes it.
  try {
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: basicExecutionPolicyArn(arn) }));
  } catch (err) {
    // Where AWS's managed policies are missing (some emulators), the same permissions inline.
    if (awsErrorName(err) !== 'NoSuchEntity' && awsErrorName(err) !== 'NoSuchEntityException') throw err;
    const { PutRolePolicyCommand } = await import('@aws-sdk/client-iam');
    await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'basic-execution', PolicyDocument: BASIC_EXECUTION_POLICY }));
  }
  return arn;
}

export function basicExecutionPolicyArn(roleArn: string): string {
  return `arn:${partitionOf(roleArn)}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`;
}

/** What AWSLambdaBasicExecutionRole allows: writing the function's logs. */
export const BASIC_EXECUTION_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
});

/** Lambda's answer while a new role has not reached every region's IAM yet. */
export function isRolePropagationError(err: unknown): boolean {
  return awsErrorName(err) === 'InvalidParameterValueException' && /cannot be assumed by Lambda/i.test((err as Error).message ?? '');
}
