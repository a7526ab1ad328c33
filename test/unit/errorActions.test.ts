import assert from 'node:assert/strict';
import { CLI_SOURCES, EDITOR_SOURCES } from '../../src/core/sources';
import { UserError } from '../../src/core/errors';
import { engineError } from '../../src/core/docker/engineError';
import { parseDockerHost } from '../../src/core/docker/dockerHost';
import { REFUSED_BY_TEMPLATE } from '../../src/core/deploy/types';
import { errorAction, type ErrorAction } from '../../src/extension/errorActions';
import { deployFixes } from '../../src/extension/commands/deployFixes';

// Which button the editor offers on an error: found from the error's code, never from its words.

const setting = (key: string): ErrorAction => ({ title: 'Open Setting', command: 'workbench.action.openSettings', arguments: [`lambdaWorkbench.${key}`] });
const AGAIN: ErrorAction = { title: 'Deploy Again', command: 'lambdaWorkbench.deployFunction', arguments: [{ templatePath: '/p/template.yaml', logicalId: 'Fn' }] };
const IN_TEMPLATE: ErrorAction = { title: 'Open in Template', command: 'lambdaWorkbench.openInTemplate', arguments: [{ templatePath: '/p/template.yaml', logicalId: 'Fn' }] };

describe('editor: the button that fixes an error', () => {
  it('opens the setting a hint names, whichever words the hint used', () => {
    const cases: [string, string][] = [
      ['docker-timeout', 'docker.host'],
      ['docker-config-invalid', 'docker.host'],
      ['build-image-remote', 'docker.host'],
      ['debug-remote-engine', 'docker.host'],
      ['build-index', 'build.pipArgs'],
      ['build-no-wheel', 'build.pipArgs'],
      ['build-image-failed', 'local.images'],
      ['debugpy-missing', 'local.images'],
      ['no-bridge-network', 'local.runtimeApiAddress'],
      ['engine-route', 'local.runtimeApiAddress'],
      ['bucket-not-set', 'deploy.s3Bucket'],
    ];
    for (const [code, key] of cases) {
      // The same button for the CLI's words: the code decides, not the text.
      for (const hint of ['Set it (the setting).', 'Set it (--flag).']) assert.deepEqual(errorAction(new UserError('Failed.', hint, code)), setting(key), code);
    }
    assert.equal(errorAction(new UserError('Failed.', 'Do something.', 'build-failed')), undefined, 'a failed build names no setting');
    assert.equal(errorAction(new Error('not a UserError')), undefined);
  });

  it('an engine elsewhere that did not answer in time offers its setting, in the words of either shell', () => {
    const tcp = parseDockerHost('tcp://203.0.113.9:2375', 'DOCKER_HOST');
    for (const sources of [EDITOR_SOURCES, CLI_SOURCES]) {
      assert.deepEqual(errorAction(engineError(Object.assign(new Error('aborted'), { name: 'AbortError' }), tcp, true, 3000, 'linux', sources)), setting('docker.host'));
    }
  });
});

describe('editor: the buttons on a deploy that left something out', () => {
  const fn = { kind: 'function' as const, logicalId: 'Fn', templatePath: '/p/template.yaml' };

  it('a package over the direct-upload limit with no staging bucket: the bucket setting', () => {
    assert.deepEqual(deployFixes([{ ...fn, code: 'bucket-not-set' }], AGAIN), [setting('deploy.s3Bucket')]);
    assert.deepEqual(deployFixes([{ kind: 'layer', logicalId: 'Shared', code: 'bucket-not-set' }], AGAIN), [setting('deploy.s3Bucket')]);
  });

  it('a role or bucket the person declined to create: deploy again (and answer Yes), or set what the deploy would have made', () => {
    const role = new UserError('The new function has no role, and IAM role r was not created.', 'Set Role ...', 'role-missing');
    assert.deepEqual(deployFixes([{ ...fn, error: role }], AGAIN), [IN_TEMPLATE, AGAIN]);
    const bucket = new UserError('S3 bucket b does not exist and was not created.', 'Create it ...', 'bucket-missing');
    assert.deepEqual(deployFixes([{ ...fn, error: bucket }], AGAIN), [AGAIN, setting('deploy.s3Bucket')]);
  });

  it('a template the deploy cannot take as it is: the function in its template; a failed build: what its code names', () => {
    assert.deepEqual(deployFixes([{ ...fn, code: REFUSED_BY_TEMPLATE }], AGAIN), [IN_TEMPLATE]);
    assert.deepEqual(deployFixes([{ kind: 'layer', logicalId: 'Shared', code: REFUSED_BY_TEMPLATE }], AGAIN), [], 'a layer has no Open in Template');
    assert.deepEqual(deployFixes([{ ...fn, code: 'build-image-missing' }], AGAIN), [setting('local.images')]);
    assert.deepEqual(deployFixes([{ ...fn, code: 'build-failed' }, { ...fn }], AGAIN), [], 'nothing to offer but the log');
  });

  it('one button per title, at most two, in the order of what was left out', () => {
    const fixes = deployFixes(
      [
        { ...fn, code: 'bucket-not-set' },
        { ...fn, logicalId: 'Other', code: 'build-image-missing' },
        { ...fn, error: new UserError('No role.', undefined, 'role-missing') },
      ],
      AGAIN,
    );
    assert.deepEqual(fixes, [setting('deploy.s3Bucket'), { ...IN_TEMPLATE }]);
  });
});
