import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { effectiveProfile, listProfiles, parseIni, sharedFilePaths } from '../../../src/core/deploy/profiles';

describe('deploy: AWS profiles from the shared files', () => {
  it('parses the AWS CLI INI dialect: comments, nested blocks, case-insensitive keys', () => {
    const ini = parseIni('\uFEFF# top\n[profile a]\nRegion = eu-west-1\ns3 =\n  max_concurrent_requests = 20\n; note\n[b]\nx=1=2\n');
    assert.deepEqual([...ini.keys()], ['profile a', 'b']);
    assert.deepEqual(Object.fromEntries(ini.get('profile a') ?? []), { region: 'eu-west-1', s3: '' });
    assert.equal(ini.get('b')?.get('x'), '1=2');
  });

  it('merges config and credentials, marks SSO, role and process profiles, default first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-profiles-'));
    try {
      writeFileSync(join(dir, 'config'), '[profile zed]\nregion=us-west-2\n[profile sso]\nsso_session=corp\n[sso-session corp]\nsso_region=us-east-1\n[profile assume]\nrole_arn=arn:aws:iam::1:role/r\nsource_profile=default\n[profile proc]\ncredential_process=/bin/creds\n');
      writeFileSync(join(dir, 'credentials'), '[default]\naws_access_key_id=A\naws_secret_access_key=B\n[zed]\naws_access_key_id=C\n');
      const env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir };
      const profiles = await listProfiles(env);
      assert.deepEqual(profiles.map((p) => p.name), ['default', 'assume', 'proc', 'sso', 'zed']);
      const byName = Object.fromEntries(profiles.map((p) => [p.name, p]));
      assert.deepEqual(byName.zed, { name: 'zed', sources: ['config', 'credentials'], sso: false, staticKeys: true, region: 'us-west-2' });
      assert.equal(byName.sso.sso, true);
      assert.equal(byName.assume.roleArn, 'arn:aws:iam::1:role/r');
      assert.equal(byName.proc.credentialProcess, '/bin/creds');
      assert.deepEqual(await listProfiles({ AWS_CONFIG_FILE: join(dir, 'missing'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'missing2'), HOME: dir }), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the files and the profile the way the SDK does', () => {
    assert.deepEqual(sharedFilePaths({ HOME: '/h' }), { config: join('/h', '.aws', 'config'), credentials: join('/h', '.aws', 'credentials') });
    assert.equal(sharedFilePaths({ HOME: '/h', AWS_CONFIG_FILE: '~/cfg' }).config, join('/h', 'cfg'));
    assert.equal(effectiveProfile('x', { AWS_PROFILE: 'y' }), 'x');
    assert.equal(effectiveProfile(undefined, { AWS_PROFILE: 'y' }), 'y');
    assert.equal(effectiveProfile('', {}), undefined);
  });
});
