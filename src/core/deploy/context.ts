import type { BuildEngine } from '../build/engine';
import type { CancellationTokenLike } from '../cancel';
import type { SettingSources } from '../sources';
import type { Packager, SizeMeasurer } from './artifact';
import { type AwsErrorContext, isAwsError, toUserError } from './awsErrors';
import type { ImageEngine } from './image';
import { withRetry } from './retry';
import { isRolePropagationError } from './role';
import { type AwsSession, whoAmI } from './session';
import { once } from './pool';
import type { EcrSend, IamSend, LambdaSend, S3Send } from './types';
import { waitForFunctionReady } from './waiters';

export interface DeployOptions {
  /** Role for functions whose template gives no literal Role ARN (the CLI's --role). */
  role?: string;
  /** S3 staging bucket for zips over the direct-upload limit (the CLI's --s3-bucket). */
  s3Bucket?: string;
  /**
   * For emulators: push images to this registry host (host:port) instead of the ECR repository's
   * URI, and pin the function to the image there. Emulated ECR hands out URIs nothing can push to.
   */
  registryOverride?: string;
  /** Publish a version after a change. */
  publishVersion?: boolean;
  /** Point this alias at the published version (implies publishVersion). */
  alias?: string;
  /** How many functions deploy at once (default 3). */
  concurrency?: number;
  /** Name of the basic execution role created for functions without one. */
  roleName?: string;
  /** How long to wait for Lambda to finish an update, in seconds. */
  maxWaitSeconds?: number;
  /** Base delay between retries while IAM propagates a new role or an update finishes (default 2000 ms). */
  retryDelayMs?: number;
  /** Attempts of CreateFunction while a new role propagates (default 15). */
  roleAttempts?: number;
  /** How refusals name the bucket setting, the role and the confirmation (default: the CLI's flags). */
  sources?: Pick<SettingSources, 's3Bucket' | 'role' | 'confirm'>;
}

/** Everything a plan or an execution talks to. Tests build one from clients pointed at an emulator. */
export interface DeployContext {
  lambda: LambdaSend;
  s3: S3Send;
  ecr: EcrSend;
  iam: IamSend;
  region: string;
  errorContext: AwsErrorContext;
  packager: Packager;
  measurer?: SizeMeasurer;
  /**
   * Builds functions a builder makes before they are packaged (skipping what is up to date), so
   * the zip is the artifact's. Without it, packaging takes whatever the packager finds.
   */
  builds?: Pick<BuildEngine, 'build'>;
  /** Connects to Docker on first use (only image functions need it). */
  imageEngine?: () => Promise<ImageEngine>;
  /** The account the credentials belong to, looked up on first use; S3 calls then name it as the staging bucket's owner. */
  account?: () => Promise<string | undefined>;
  options: DeployOptions;
}

/** A context over a session's clients: resolves the region and checks credentials first. */
export async function deployContextFrom(
  session: AwsSession,
  parts: { packager: Packager; measurer?: SizeMeasurer; builds?: Pick<BuildEngine, 'build'>; imageEngine?: () => Promise<ImageEngine>; options?: DeployOptions },
): Promise<DeployContext> {
  const region = await session.region();
  await session.checkCredentials();
  return {
    lambda: session.lambda,
    s3: session.s3,
    ecr: session.ecr,
    iam: session.iam,
    region,
    errorContext: session.errorContext,
    packager: parts.packager,
    measurer: parts.measurer,
    builds: parts.builds,
    imageEngine: parts.imageEngine,
    // Unknown (an STS call refused or unanswered) leaves the owner unchecked rather than failing the deploy.
    account: once(() => whoAmI(session).then((who) => who.account, () => undefined)),
    options: parts.options ?? {},
  };
}

/** Runs one AWS call, turning its error into one a person can act on. */
export async function awsCall<T>(ctx: Pick<DeployContext, 'errorContext'>, what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw toUserError(err, what, ctx.errorContext);
  }
}

/**
 * A Lambda call that changes a function: when Lambda answers ResourceConflictException (an
 * update still in progress), waits for that update to finish and tries again.
 */
export function changeFunction<T>(ctx: DeployContext, functionName: string, what: string, op: () => Promise<T>, token?: CancellationTokenLike): Promise<T> {
  const delay = ctx.options.retryDelayMs ?? 2000;
  return awsCall(ctx, what, () =>
    withRetry(
      op,
      {
        attempts: 6,
        retryIf: (err) => isAwsError(err, 'ResourceConflictException'),
        delayMs: (n) => Math.min(delay * n, 10_000),
        beforeRetry: async () => void (await waitForFunctionReady(ctx.lambda, functionName, token, ctx.options.maxWaitSeconds)),
      },
      token,
    ),
  );
}

/** A call that hands Lambda a role (CreateFunction): a role created moments ago cannot be assumed until IAM has propagated it. */
export function retryWhileRolePropagates<T>(ctx: DeployContext, what: string, op: () => Promise<T>, token?: CancellationTokenLike): Promise<T> {
  const delay = ctx.options.retryDelayMs ?? 2000;
  return awsCall(ctx, what, () =>
    withRetry(op, { attempts: ctx.options.roleAttempts ?? 15, retryIf: isRolePropagationError, delayMs: (n) => Math.min(delay * n, 8000) }, token),
  );
}
