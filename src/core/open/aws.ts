import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { CancellationTokenLike } from '../cancel';
import type { AwsSession, AwsSessionOptions } from '../deploy/session';
import { effectiveProfile, listProfiles } from '../deploy/profiles';
import { describeError } from '../errors';
import type { AwsCredentials } from '../local/environment';
import { lambdaLayerResolver, type LayerSizeResolver, type ResolvedLayer } from '../size/layers';
import { sessionOptions, type SettingSources, type Settings } from './settings';

export type CreateSession = (opts: AwsSessionOptions) => Promise<AwsSession>;

/** A session for one layer region, and why its credentials cannot be used, if they cannot. */
interface Regional {
  session: AwsSession;
  resolver?: LayerSizeResolver;
  problem?: string;
}

/**
 * AWS access for one set of AWS settings: the session deploys and the Cloud view use, and one
 * session per region for layers given by ARN (a layer lives in the region its ARN names). Each is
 * made on first use, so nothing loads the AWS SDK until something needs AWS.
 */
export class AwsAccess {
  private main: Promise<AwsSession> | undefined;
  private readonly regions = new Map<string, Promise<Regional>>();
  private closed = false;

  constructor(
    private readonly settings: Pick<Settings, 'aws'>,
    private readonly createSession: CreateSession,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly sources?: SettingSources,
  ) {}

  /** The session for the profile, region and endpoint the settings choose. */
  session(): Promise<AwsSession> {
    this.main ??= this.open(sessionOptions(this.settings, this.sources)).catch((err: unknown) => {
      this.main = undefined;
      throw err;
    });
    return this.main;
  }

  /** Looks up layers by ARN; without usable credentials a layer's size is unknown, with the reason. */
  readonly layerResolver: LayerSizeResolver = {
    resolve: async (arn: string, token?: CancellationTokenLike): Promise<ResolvedLayer> => {
      const { resolver, problem } = await this.regional(arn.split(':')[3] ?? '');
      return resolver ? resolver.resolve(arn, token) : { unzippedBytes: null, zippedBytes: null, detail: problem ?? 'no AWS access' };
    },
  };

  /** A Lambda client in `region`, for downloading layers given by ARN. */
  async lambdaIn(region: string): Promise<Pick<LambdaClient, 'send'>> {
    return (await this.regional(region)).session.lambda;
  }

  /** The credentials a local run passes to the function (only when the user asked for that). */
  async credentials(): Promise<AwsCredentials> {
    const session = await this.session();
    await session.checkCredentials();
    const c = await session.lambda.config.credentials();
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken };
  }

  /**
   * The region a local run reports (AWS_REGION in the container): the setting, else the profile's.
   * Undefined leaves it to the runner, which takes AWS_REGION from the environment.
   */
  async runRegion(): Promise<string | undefined> {
    if (this.settings.aws.region) return this.settings.aws.region;
    const profile = effectiveProfile(this.settings.aws.profile || undefined, this.env);
    if (!profile) return undefined;
    return (await listProfiles(this.env)).find((p) => p.name === profile)?.region;
  }

  /** Destroys every session made; later calls make none. */
  close(): void {
    this.closed = true;
    const all = [this.main, ...[...this.regions.values()].map((r) => r.then((x) => x.session))];
    this.main = undefined;
    this.regions.clear();
    for (const s of all) void s?.then((x) => x.destroy(), () => undefined);
  }

  private regional(region: string): Promise<Regional> {
    let entry = this.regions.get(region);
    if (!entry) {
      entry = this.openRegional(region);
      this.regions.set(region, entry);
      // A failure to even make the session is not kept: the next lookup tries again.
      void entry.catch(() => this.regions.get(region) === entry && this.regions.delete(region));
    }
    return entry;
  }

  private async openRegional(region: string): Promise<Regional> {
    const session = await this.open({ ...sessionOptions(this.settings, this.sources), region });
    try {
      await session.checkCredentials();
    } catch (err) {
      return { session, problem: `no usable AWS credentials (${describeError(err)})` };
    }
    return { session, resolver: lambdaLayerResolver(session.lambda) };
  }

  private async open(opts: AwsSessionOptions): Promise<AwsSession> {
    if (this.closed) throw new Error('AWS access for these settings was closed.');
    return this.createSession(opts);
  }
}
