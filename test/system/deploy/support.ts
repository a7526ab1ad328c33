import { NO_RANGE, testFunctionSpec } from '../../support/specs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FunctionSpec, LayerSpec } from '../../../src/core/model/types';
import { type DeployContext, type DeployOptions, type Packager, type SizeMeasurer, createAwsSession, type AwsSession } from '../../../src/core/deploy';
import { sizeEnginePackager } from '../../../src/core/deploy/sizeEnginePackager';
import { SizeEngine } from '../../../src/core/size';
import { motoClientConfig, testEnv } from '../env';


/** Empties the emulator: every test starts from an account with nothing in it. */
export async function resetMoto(): Promise<void> {
  const res = await fetch(`${testEnv().motoUrl}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto reset answered ${res.status}`);
}

export function motoSession(): Promise<AwsSession> {
  const { endpoint, region, credentials } = motoClientConfig();
  return createAwsSession({ endpointUrl: endpoint, region, credentials });
}

/** A scratch folder removed by the returned function. */
export function scratch(prefix = 'lwb-deploy-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): string {
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return root;
}

export function layerSpec(logicalId: string, contentUri: string, patch: Partial<LayerSpec> = {}): LayerSpec {
  return {
    logicalId,
    templatePath: join(dirname(contentUri), 'template.yaml'),
    resourceType: 'AWS::Serverless::LayerVersion',
    contentUri,
    compatibleRuntimes: ['nodejs22.x'],
    compatibleArchitectures: [],
    ranges: { resource: NO_RANGE, logicalId: NO_RANGE, properties: {} },
    ...patch,
  };
}

export function functionSpec(logicalId: string, codeUri: string, patch: Partial<FunctionSpec> = {}): FunctionSpec {
  return testFunctionSpec({ logicalId, templatePath: join(dirname(codeUri), 'template.yaml'), codeUri, ...patch });
}

/** The packager deploys use: the size engine's file selection through the deterministic zip writer. */
export const sizeEngine = new SizeEngine({ workers: 1 });
export const testPackager: Packager & SizeMeasurer = sizeEnginePackager(sizeEngine);

export function contextFor(
  session: AwsSession,
  options: DeployOptions = {},
  parts: { packager?: Packager; measurer?: SizeMeasurer | null; lambda?: DeployContext['lambda'] } = {},
): DeployContext {
  return {
    lambda: parts.lambda ?? session.lambda,
    s3: session.s3,
    ecr: session.ecr,
    iam: session.iam,
    region: 'us-east-1',
    errorContext: session.errorContext,
    packager: parts.packager ?? testPackager,
    measurer: parts.measurer === null ? undefined : (parts.measurer ?? testPackager),
    options: { retryDelayMs: 20, ...options },
  };
}

/** An execution role in the emulator (CreateFunction needs one that exists). */
export async function createRole(session: AwsSession, name = 'lwb-test-role'): Promise<string> {
  const { CreateRoleCommand } = await import('@aws-sdk/client-iam');
  const out = await session.iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  return out.Role!.Arn!;
}

/** What an interception does instead of the real call: throw this error, or answer this. */
export class Answer {
  constructor(readonly value: unknown) {}
}

/**
 * A Lambda client that sends through the real one, with a hook to fail chosen calls (the hook
 * returns an error to throw) or answer them itself (it returns an Answer): for the states the
 * emulator never enters, such as an update still in progress.
 */
export function interceptedLambda(
  real: DeployContext['lambda'],
  intercept: (command: { constructor: { name: string }; input: unknown }, calls: number) => unknown,
): DeployContext['lambda'] & { calls: string[] } {
  const calls: string[] = [];
  const client = {
    calls,
    send: (async (command: { constructor: { name: string }; input: unknown }, ...rest: unknown[]) => {
      calls.push(command.constructor.name);
      const injected = intercept(command, calls.filter((c) => c === command.constructor.name).length);
      if (injected instanceof Answer) return injected.value;
      if (injected) throw injected;
      return (real.send as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
    }) as DeployContext['lambda']['send'],
  };
  return client;
}

export const INDEX_JS = 'exports.handler = async () => ({ ok: true });\n';
