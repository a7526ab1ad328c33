import type { ECRClient } from '@aws-sdk/client-ecr';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient, LambdaClientConfig } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import { UserError } from '../errors';
import type { SettingSources } from '../sources';
import { type AwsErrorContext, toUserError } from './awsErrors';
import { type AwsProfileInfo, effectiveProfile, listProfiles } from './profiles';

export interface AwsSessionOptions {
  /** A profile from the shared config/credentials files; default: AWS_PROFILE, then the SDK's default chain. */
  profile?: string;
  /** Default: the profile's region, then AWS_REGION. */
  region?: string;
  /** Send every call here instead of AWS (LocalStack, moto). S3 then uses path-style addressing. */
  endpointUrl?: string;
  /** Fixed credentials or a provider, replacing the default chain (emulators, tests). */
  credentials?: LambdaClientConfig['credentials'];
  /** Environment for profile lookups; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** How messages name where the profile and region are chosen (default: the CLI's flags). */
  sources?: Pick<SettingSources, 'profile' | 'region' | 'keepVersions'>;
}

/** One set of AWS clients sharing credentials, region and endpoint. */
export interface AwsSession {
  readonly profile?: string;
  readonly profileInfo?: AwsProfileInfo;
  readonly endpointUrl?: string;
  readonly errorContext: AwsErrorContext;
  readonly lambda: LambdaClient;
  readonly s3: S3Client;
  readonly ecr: ECRClient;
  readonly iam: IAMClient;
  readonly sts: STSClient;
  /** The resolved region; a UserError saying how to set one when there is none. */
  region(): Promise<string>;
  /** Loads the credentials now, so missing or expired ones fail before the first step. */
  checkCredentials(): Promise<void>;
  destroy(): void;
}

export async function createAwsSession(opts: AwsSessionOptions = {}): Promise<AwsSession> {
  const env = opts.env ?? process.env;
  const profile = effectiveProfile(opts.profile, env);
  const profileInfo = profile ? (await listProfiles(env)).find((p) => p.name === profile) : undefined;
  const errorContext: AwsErrorContext = { profile, profileInfo, endpointUrl: opts.endpointUrl, sources: opts.sources };

  const [{ LambdaClient }, { S3Client }, { ECRClient }, { IAMClient }, { STSClient }, { fromNodeProviderChain }] = await Promise.all([
    import('@aws-sdk/client-lambda'),
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/client-ecr'),
    import('@aws-sdk/client-iam'),
    import('@aws-sdk/client-sts'),
    import('@aws-sdk/credential-providers'),
  ]);
  // One memoized provider for all five clients: an SSO or assume-role refresh happens once.
  const credentials = opts.credentials ?? fromNodeProviderChain(profile ? { profile } : {});
  const common = {
    credentials,
    ...(profile ? { profile } : {}),
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}),
  };
  const lambda = new LambdaClient(common);
  const s3 = new S3Client({
    ...common,
    ...(opts.endpointUrl
      ? // Emulators serve buckets under the path, not as virtual hosts, and may not speak the
        // streaming checksum encoding newer SDKs send by default.
        { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' as const, responseChecksumValidation: 'WHEN_REQUIRED' as const }
      : {}),
  });
  const ecr = new ECRClient(common);
  const iam = new IAMClient(common);
  const sts = new STSClient(common);

  return {
    profile,
    profileInfo,
    endpointUrl: opts.endpointUrl,
    errorContext,
    lambda,
    s3,
    ecr,
    iam,
    sts,
    async region() {
      try {
        const region = await lambda.config.region();
        if (region) return region;
      } catch (err) {
        throw toUserError(err, 'resolving the region', errorContext);
      }
      throw toUserError(new Error('Region is missing'), 'resolving the region', errorContext);
    },
    async checkCredentials() {
      try {
        const loaded = await lambda.config.credentials();
        if (loaded.expiration && loaded.expiration.getTime() <= Date.now()) {
          throw Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' });
        }
      } catch (err) {
        throw toUserError(await explainCredentialsFailure(err, profile), 'loading credentials', errorContext);
      }
    },
    destroy() {
      for (const c of [lambda, s3, ecr, iam, sts]) c.destroy();
    },
  };
}

/**
 * The default chain reports "Could not load credentials from any providers" whatever went wrong
 * with a named profile; asking the profile's own provider gives the actual reason (expired
 * credential_process output, a missing key, an SSO token that is not there).
 */
async function explainCredentialsFailure(err: unknown, profile: string | undefined): Promise<unknown> {
  if (!profile || (err as Error).name !== 'CredentialsProviderError') return err;
  const { fromIni } = await import('@aws-sdk/credential-providers');
  try {
    await fromIni({ profile })();
    return err;
  } catch (specific) {
    return specific;
  }
}

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

/** Who the credentials belong to (STS GetCallerIdentity, which needs no permission). */
export async function whoAmI(session: Pick<AwsSession, 'sts' | 'errorContext'>): Promise<CallerIdentity> {
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  try {
    const out = await session.sts.send(new GetCallerIdentityCommand({}));
    if (!out.Account || !out.Arn) throw new UserError('STS GetCallerIdentity returned no account.', undefined, 'aws-error');
    return { account: out.Account, arn: out.Arn, userId: out.UserId ?? '' };
  } catch (err) {
    throw toUserError(err, 'checking who the credentials belong to (STS GetCallerIdentity)', session.errorContext);
  }
}
