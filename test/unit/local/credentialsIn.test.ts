import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { UserError } from '../../../src/core/errors';
import { CREDENTIALS_SCRIPT, credentialLines } from '../../../src/core/local/credentialsIn';

/** Runs the script under this machine's /bin/sh, as the container's shell runs it, with `env` as the image's entrypoint. */
function run(stdin: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('/bin/sh', ['-c', CREDENTIALS_SCRIPT, 'lambda-workbench-credentials', 'env'], { input: stdin, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', KEEP: 'kept' }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('local: credentials handed over on stdin', () => {
  it('exports the three values and runs the image\'s entrypoint with the rest of the environment', () => {
    const r = run(credentialLines({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wJalr/K7MDENG+bPxRfi', sessionToken: 'IQoJb3Jp==' }));
    assert.equal(r.status, 0, r.stderr);
    const env = Object.fromEntries(r.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    assert.equal(env.AWS_ACCESS_KEY_ID, 'AKIAEXAMPLE');
    assert.equal(env.AWS_SECRET_ACCESS_KEY, 'wJalr/K7MDENG+bPxRfi');
    assert.equal(env.AWS_SESSION_TOKEN, 'IQoJb3Jp==');
    assert.equal(env.KEEP, 'kept');
  });

  it('leaves AWS_SESSION_TOKEN unset for long-term keys', () => {
    const r = run(credentialLines({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' }));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^AWS_SECRET_ACCESS_KEY=secret$/m);
    assert.doesNotMatch(r.stdout, /AWS_SESSION_TOKEN/);
  });

  it('stops, saying why, when nothing arrives', () => {
    const r = run('');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no AWS credentials arrived on stdin/);
  });

  it('refuses values that would break the lines', () => {
    assert.throws(() => credentialLines({ accessKeyId: 'AKIA\nX=1', secretAccessKey: 's' }), (err: unknown) => err instanceof UserError && err.code === 'credentials-invalid');
  });
});
