import { UserError } from '../errors';
import { CLI_SOURCES, type SettingSources } from '../sources';
import type { AwsProfileInfo } from './profiles';

/** What an AWS error message needs to know about the session that made the call. */
export interface AwsErrorContext {
  /** The profile in use (explicit or AWS_PROFILE); undefined means the SDK's default chain. */
  profile?: string;
  profileInfo?: AwsProfileInfo;
  endpointUrl?: string;
  /** How the shell names where the profile and region are chosen (default: the CLI's flags). */
  sources?: Pick<SettingSources, 'profile' | 'region' | 'keepVersions'>;
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

function shape(err: unknown): SdkErrorShape {
  return typeof err === 'object' && err !== null ? (err as SdkErrorShape) : {};
}

/** The service's error code (the SDK puts it in `name`), e.g. 'ResourceConflictException'. */
export function awsErrorName(err: unknown): string | undefined {
  return shape(err).name;
}

export function httpStatus(err: unknown): number | undefined {
  return shape(err).$metadata?.httpStatusCode;
}

export function isAwsError(err: unknown, ...names: string[]): boolean {
  const name = awsErrorName(err);
  return name !== undefined && names.includes(name);
}

const REJECTED_CREDENTIALS = [
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'AuthFailure',
  'InvalidAccessKeyId',
];
const EXPIRED_CREDENTIALS = ['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired', 'RequestExpired'];
const DENIED = ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError', 'Forbidden'];
const NETWORK = ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'EHOSTUNREACH'];

function profileLabel(ctx: AwsErrorContext): string {
  return ctx.profile ? `profile '${ctx.profile}'` : 'the default credential chain';
}

function isSso(err: unknown, ctx: AwsErrorContext): boolean {
  return ctx.profileInfo?.sso === true || /\bsso\b/i.test(shape(err).message ?? '');
}

function ssoExpired(ctx: AwsErrorContext): UserError {
  const p = ctx.profile ?? 'NAME';
  return new UserError(
    `The AWS SSO session of ${profileLabel(ctx)} is missing or expired.`,
    `Run \`aws sso login --profile ${p}\`, then try again.`,
    'aws-sso-expired',
  );
}

/** Credentials that could not be found or loaded, before any request went out. */
function credentialsNotLoaded(err: unknown, ctx: AwsErrorContext): UserError {
  if (isSso(err, ctx)) return ssoExpired(ctx);
  const p = ctx.profile;
  if (/expired/i.test(shape(err).message ?? '')) {
    return new UserError(
      `The AWS credentials of ${profileLabel(ctx)} have expired (${shape(err).message}).`,
      ctx.profileInfo?.credentialProcess
        ? `Renew what its credential_process reads (e.g. log in to the tool behind it), then try again.`
        : fixCredentialsHint(ctx),
      'aws-credentials-expired',
    );
  }
  if (p && !ctx.profileInfo) {
    return new UserError(
      `AWS profile '${p}' is not in your shared config or credentials file.`,
      `Create it with \`aws configure --profile ${p}\` (or \`aws configure sso --profile ${p}\` for SSO), or choose another profile.`,
      'aws-profile-missing',
    );
  }
  if (p) {
    return new UserError(
      `AWS profile '${p}' has no usable credentials (${shape(err).message ?? 'none found'}).`,
      `Run \`aws configure --profile ${p}\` to set its access keys, or choose another profile.`,
      'aws-credentials-missing',
    );
  }
  return new UserError(
    'No AWS credentials found (environment variables, shared config and credentials files, SSO, container or instance role).',
    'Run `aws configure` to create the default profile, or `aws sso login --profile NAME` and choose that profile.',
    'aws-credentials-missing',
  );
}

function fixCredentialsHint(ctx: AwsErrorContext): string {
  return ctx.profile
    ? `Refresh the keys of profile '${ctx.profile}' (\`aws configure --profile ${ctx.profile}\`), or choose another profile.`
    : 'Refresh your credentials (`aws configure`), or choose a profile.';
}

/**
 * Turns an error from the AWS SDK into words a person can act on. `what` says what was being
 * done ("updating the code of function api"). Errors that are not about AWS pass through.
 */
export function toUserError(err: unknown, what: string, ctx: AwsErrorContext): unknown {
  if (err instanceof UserError) return err;
  const e = shape(err);
  const name = e.name ?? '';
  const message = e.message ?? String(err);
  const status = httpStatus(err);
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') return credentialsNotLoaded(err, ctx);
  if (EXPIRED_CREDENTIALS.includes(name) || /security token included in the request is expired/i.test(message)) {
    if (isSso(err, ctx)) return ssoExpired(ctx);
    return new UserError(`The AWS credentials of ${profileLabel(ctx)} have expired.`, fixCredentialsHint(ctx), 'aws-credentials-expired');
  }
  if (REJECTED_CREDENTIALS.includes(name)) {
    if (isSso(err, ctx)) return ssoExpired(ctx);
    return new UserError(`AWS rejected the credentials of ${profileLabel(ctx)}: ${message}`, fixCredentialsHint(ctx), 'aws-credentials-rejected');
  }
  if (DENIED.includes(name) || (status === 403 && !name.endsWith('NotFoundException'))) {
    // Some emulators answer 403 with a body the SDK cannot parse: the status is all there is.
    const detail = DENIED.includes(name) ? message : `HTTP 403 Forbidden`;
    return new UserError(
      `AWS denied ${what}: ${detail}`,
      `The identity behind ${profileLabel(ctx)} needs permission for this action: ask your administrator, or use a profile that has it.`,
      'aws-access-denied',
    );
  }
  if (message === 'Region is missing' || /region is missing/i.test(message)) {
    return new UserError(
      `No AWS region is set for ${profileLabel(ctx)}.`,
      `Choose a region (${(ctx.sources ?? CLI_SOURCES).region}), or add one to the profile (\`aws configure set region us-east-1${ctx.profile ? ` --profile ${ctx.profile}` : ''}\`).`,
      'aws-region-missing',
    );
  }
  if (NETWORK.includes(e.code ?? '') || NETWORK.includes(name) || name === 'TimeoutError') {
    return ctx.endpointUrl
      ? new UserError(
          `Could not reach the AWS endpoint ${ctx.endpointUrl} while ${what} (${e.code ?? name}).`,
          'Is the emulator running at that address? Or remove the endpoint override to use AWS itself.',
          'aws-unreachable',
        )
      : new UserError(`Could not reach AWS while ${what} (${e.code ?? name}).`, 'Check your network connection and proxy settings.', 'aws-unreachable');
  }
  if (name === 'ResourceConflictException') {
    return new UserError(
      `Another change to the same resource was in progress while ${what}: ${message}`,
      'Wait for it to finish (a minute at most), then run the deploy again.',
      'aws-conflict',
    );
  }
  if (e.$metadata) return new UserError(`AWS returned ${name || `HTTP ${status ?? '?'}`} while ${what}: ${message}`, undefined, 'aws-error');
  return err;
}
