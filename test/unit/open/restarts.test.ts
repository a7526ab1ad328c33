import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, type Restarts, restartsFor, type Settings } from '../../../src/core/open';

type Patch = { [K in keyof Settings]?: Partial<Settings[K]> };

/** The defaults with some values changed, as a settings change gives them. */
function settings(patch: Patch = {}): Settings {
  const out = structuredClone(DEFAULT_SETTINGS) as Settings;
  for (const [group, values] of Object.entries(patch)) Object.assign(out[group as keyof Settings], values);
  return out;
}

const NOTHING: Restarts = { aws: false, runner: false, builds: false, sizes: 'none' };

describe('open: what a change of settings restarts', () => {
  it('restarts nothing for settings only a deploy reads, nor for the env file each invoke reads', () => {
    assert.deepEqual(restartsFor(settings(), settings({ deploy: { s3Bucket: 'staging', publishAlias: 'live', concurrency: 8 } })), NOTHING);
    assert.deepEqual(restartsFor(settings(), settings({ local: { envFile: '.env.local' } })), NOTHING);
    assert.deepEqual(restartsFor(settings(), settings({ local: { minWarm: 2 } })), NOTHING, 'the warm pool takes a new minimum as it runs');
    assert.deepEqual(restartsFor(settings(), settings()), NOTHING);
  });

  it('restarts only the runner for what the runner is made with: images, idle timeout, engine, Runtime API address, credentials', () => {
    const runnerOnly: Restarts = { aws: false, runner: true, builds: false, sizes: 'none' };
    // Builds from source happen in the runtime's image on that engine: the build engine takes them, no artifact goes stale.
    const andBuilds: Restarts = { ...runnerOnly, builds: true };
    assert.deepEqual(restartsFor(settings(), settings({ local: { images: { 'nodejs22.x': 'mirror/node:22' } } })), andBuilds);
    assert.deepEqual(restartsFor(settings(), settings({ local: { idleTimeoutSeconds: 0 } })), runnerOnly);
    assert.deepEqual(restartsFor(settings(), settings({ local: { runtimeApiAddress: '10.0.0.5' } })), runnerOnly);
    assert.deepEqual(restartsFor(settings(), settings({ local: { passAwsCredentials: true } })), runnerOnly);
    assert.deepEqual(restartsFor(settings(), settings({ docker: { host: 'ssh://builder' } })), andBuilds);
  });

  it('renews the build engine for new installer options, and judges every measurement again: every artifact is out of date', () => {
    assert.deepEqual(restartsFor(settings(), settings({ build: { pipArgs: ['--index-url', 'https://mirror.example/simple'] } })), { aws: false, runner: false, builds: true, sizes: 'all' });
    assert.deepEqual(restartsFor(settings(), settings({ build: { npmArgs: ['--offline'] } })).builds, true);
  });

  it('judges every measurement again for a new warning threshold, and keeps the runner', () => {
    assert.deepEqual(restartsFor(settings(), settings({ size: { warnAt: 0.5 } })), { aws: false, runner: false, builds: false, sizes: 'all' });
  });

  it('renews AWS access and the layers looked up with it for an endpoint; the runner, which fetches layers through it, stays', () => {
    assert.deepEqual(restartsFor(settings(), settings({ aws: { endpointUrl: 'http://127.0.0.1:5000' } })), { aws: true, runner: false, builds: false, sizes: 'arnLayers' });
  });

  it('restarts the runner for a region, since containers get AWS_REGION', () => {
    assert.deepEqual(restartsFor(settings(), settings({ aws: { region: 'eu-west-1' } })), { aws: true, runner: true, builds: false, sizes: 'arnLayers' });
  });

  it('restarts the runner for a profile only when its region or credentials reach the containers', () => {
    const withRegion = settings({ aws: { region: 'eu-west-1' } });
    assert.deepEqual(restartsFor(withRegion, settings({ aws: { region: 'eu-west-1', profile: 'dev' } })), { aws: true, runner: false, builds: false, sizes: 'arnLayers' }, 'the region is set, no credentials passed');
    assert.deepEqual(restartsFor(settings(), settings({ aws: { profile: 'dev' } })), { aws: true, runner: true, builds: false, sizes: 'arnLayers' }, 'the region comes from the profile');
    const passing = settings({ aws: { region: 'eu-west-1' }, local: { passAwsCredentials: true } });
    assert.deepEqual(restartsFor(passing, settings({ aws: { region: 'eu-west-1', profile: 'dev' }, local: { passAwsCredentials: true } })), { aws: true, runner: true, builds: false, sizes: 'arnLayers' }, 'the containers get its credentials');
  });

  it('measures everything again when the threshold and AWS change together', () => {
    assert.deepEqual(restartsFor(settings(), settings({ aws: { endpointUrl: 'http://127.0.0.1:5000' }, size: { warnAt: 0.9 } })), { aws: true, runner: false, builds: false, sizes: 'all' });
  });
});
