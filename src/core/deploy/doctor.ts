import { describeError } from '../errors';
import { type AwsSessionOptions, createAwsSession, whoAmI } from './session';

/** The AWS half of `doctor`: field names are the CLI's JSON contract. */
export interface AwsDoctorResult {
  ok: boolean;
  profile: string | null;
  region: string | null;
  account: string | null;
  /** The identity's ARN, for people reading the human output. */
  arn: string | null;
  error: string | null;
}

/** Whether the credentials load and AWS (or the endpoint override) accepts them. Never throws. */
export async function awsDoctor(opts: AwsSessionOptions = {}): Promise<AwsDoctorResult> {
  const result: AwsDoctorResult = { ok: false, profile: null, region: null, account: null, arn: null, error: null };
  let session: Awaited<ReturnType<typeof createAwsSession>> | undefined;
  try {
    session = await createAwsSession(opts);
    result.profile = session.profile ?? null;
    result.region = await session.region();
    await session.checkCredentials();
    const who = await whoAmI(session);
    result.account = who.account;
    result.arn = who.arn;
    result.ok = true;
  } catch (err) {
    result.error = describeError(err);
  } finally {
    session?.destroy();
  }
  return result;
}
