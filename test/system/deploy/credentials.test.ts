import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../src/core/errors';
import { awsDoctor, createAwsSession, listProfiles } from '../../../src/core/deploy';
import { testEnv } from '../env';
import { scratch } from './support';

/** Runs `body` with the AWS environment pointing at fresh shared files only. */
async function withAwsFiles<T>(config: string, credentials: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = scratch('lwb-aws-files-');
  const keys = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'HOME', 'AWS_EC2_METADATA_DISABLED'];
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  try {
    for (const k of keys) delete process.env[k];
    writeFileSync(join(dir.dir, 'config'), config);
    writeFileSync(join(dir.dir, 'credentials'), credentials);
    process.env.AWS_CONFIG_FILE = join(dir.dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir.dir, 'credentials');
    process.env.HOME = dir.dir;
    // Not a product setting: keeps the default chain from probing an instance metadata service.
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    return await body(dir.dir);
  } finally {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    dir.remove();
  }
}

const CONFIG = `
[default]
region = eu-west-1

# an IAM Identity Center profile that has never logged in
[profile dev-sso]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
region = us-west-2

[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile expired]
region = us-east-1
credential_process = ${process.execPath} -e "console.log(JSON.stringify({Version:1,AccessKeyId:'AKIAEXPIRED',SecretAccessKey:'x',SessionToken:'t',Expiration:'2020-01-01T00:00:00Z'}))"

[profile empty]
region = us-east-1

[profile moto]
region = us-east-1
`;
const CREDENTIALS = `
[moto]
aws_access_key_id = testing
aws_secret_access_key = testing
`;

describe('deploy: AWS credentials and profiles', () => {
  it('lists the profiles of both shared files for a picker, SSO ones marked', async () => {
    await withAwsFiles(CONFIG, CREDENTIALS, async () => {
      const profiles = await listProfiles();
      assert.deepEqual(
        profiles.map((p) => [p.name, p.sso, p.region ?? null, p.sources.join('+')]),
        [
          ['default', false, 'eu-west-1', 'config'],
          ['dev-sso', true, 'us-west-2', 'config'],
          ['empty', false, 'us-east-1', 'config'],
          ['expired', false, 'us-east-1', 'config'],
          ['moto', false, 'us-east-1', 'config+credentials'],
        ],
      );
    });
  });

  it('names a profile that does not exist and the command that creates it', async () => {
    await withAwsFiles(CONFIG, CREDENTIALS, async () => {
      const doctor = await awsDoctor({ profile: 'ghost', region: 'us-east-1' });
      assert.equal(doctor.ok, false);
      assert.equal(doctor.profile, 'ghost');
      assert.match(doctor.error ?? '', /AWS profile 'ghost' is not in your shared config or credentials file\./);
      assert.match(doctor.error ?? '', /`aws configure --profile ghost`/);
    });
  });

  it('tells an SSO profile without a cached token to run aws sso login', async () => {
    await withAwsFiles(CONFIG, CREDENTIALS, async () => {
      const session = await createAwsSession({ profile: 'dev-sso' });
      try {
        assert.equal(await session.region(), 'us-west-2', 'the region comes from the profile');
        await assert.rejects(session.checkCredentials(), (err: unknown) => {
          assert.ok(err instanceof UserError);
          assert.equal(err.code, 'aws-sso-expired');
          assert.match(err.message, /SSO session of profile 'dev-sso' is missing or expired/);
          assert.equal(err.hint, 'Run `aws sso login --profile dev-sso`, then try again.');
          return true;
        });
      } finally {
        session.destroy();
      }
    });
  });

  it('says when a profile\'s credentials have expired', async () => {
    await withAwsFiles(CONFIG, CREDENTIALS, async () => {
      const doctor = await awsDoctor({ profile: 'expired' });
      assert.equal(doctor.ok, false);
      assert.match(doctor.error ?? '', /The AWS credentials of profile 'expired' have expired/);
      assert.match(doctor.error ?? '', /credential_process/);
    });
  });

  it('says when a profile has no credentials, and when there are none at all', async () => {
    await withAwsFiles(CONFIG, CREDENTIALS, async () => {
      const empty = await awsDoctor({ profile: 'empty' });
      assert.match(empty.error ?? '', /AWS profile 'empty' has no usable credentials/);
      assert.match(empty.error ?? '', /`aws configure --profile empty`/);
    });
    await withAwsFiles('', '', async () => {
      const none = await awsDoctor({ region: 'us-east-1' });
      assert.equal(none.profile, null);
      assert.match(none.error ?? '', /No AWS credentials found/);
      assert.match(none.error ?? '', /`aws configure`/);
      const noRegion = await awsDoctor({ endpointUrl: testEnv().motoUrl, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
      assert.match(noRegion.error ?? '', /No AWS region is set/);
      assert.match(noRegion.error ?? '', /--region/);
    });
  });

  it('reports the account through STS with a profile from the shared files and the endpoint override', async () => {
    await withAwsFiles(CONFIG, CREDENTIALS, async () => {
      const doctor = await awsDoctor({ profile: 'moto', endpointUrl: testEnv().motoUrl });
      assert.deepEqual(
        { ok: doctor.ok, profile: doctor.profile, region: doctor.region, account: doctor.account, error: doctor.error },
        { ok: true, profile: 'moto', region: 'us-east-1', account: '123456789012', error: null },
      );
      assert.match(doctor.arn ?? '', /^arn:aws:(iam|sts)::123456789012:/);
    });
  });

  it('says an endpoint that does not answer is unreachable', async () => {
    const doctor = await awsDoctor({ region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    assert.equal(doctor.ok, false);
    assert.match(doctor.error ?? '', /Could not reach the AWS endpoint http:\/\/127\.0\.0\.1:9/);
    assert.match(doctor.error ?? '', /emulator running/);
  });
});
