import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESTRICTED_SETTINGS } from '../../../src/core/open/settings';

const ROOT = join(__dirname, '..', '..', '..', '..');

interface Manifest {
  capabilities?: { untrustedWorkspaces?: { supported: boolean | 'limited'; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, { scope?: string }> } };
}

/**
 * Settings a workspace may set even before it is trusted, and why each is harmless there. A new
 * setting must be placed here, restricted, or machine-scoped: this test fails until it is.
 */
const WORKSPACE_MAY_SET: Record<string, string> = {
  'aws.region': 'a region sends nothing anywhere the user did not already allow',
  'size.warnAt': 'a threshold for warnings',
  'local.idleTimeoutSeconds': 'how long a container of a run the user started stays warm',
  'local.minWarm': 'how many containers stay warm for the functions the user ran in this window (at most 10); none until the workspace is trusted',
  'deploy.publishAlias': 'deploys are refused in an untrusted workspace, and the alias names a version in the same function',
  'deploy.concurrency': 'how many deploys at once',
  'serve.port': 'the loopback port of a local API the user starts; a taken port is an error, nothing listens elsewhere',
  'serve.warmContainers': 'how many containers a local API the user starts warms up, within its concurrency',
  'serve.concurrency': 'how many requests a local API the user starts runs at once per function',
};

describe('open: workspace trust in the manifest', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

  it("declares limited support, restricting exactly the settings the reader ignores from an untrusted workspace", () => {
    const trust = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(trust?.supported, 'limited');
    assert.deepEqual(
      trust?.restrictedConfigurations,
      RESTRICTED_SETTINGS.map((k) => `lambdaWorkbench.${k}`),
    );
  });

  it('decides for every setting: restricted, machine-scoped, or harmless from a workspace', () => {
    for (const [key, spec] of Object.entries(manifest.contributes.configuration.properties)) {
      const short = key.replace(/^lambdaWorkbench\./, '');
      const decided = RESTRICTED_SETTINGS.includes(short) || spec.scope === 'machine' || short in WORKSPACE_MAY_SET;
      assert.ok(decided, `${key}: restrict it, make it a machine setting, or say why a workspace may set it`);
    }
    assert.ok(RESTRICTED_SETTINGS.every((k) => `lambdaWorkbench.${k}` in manifest.contributes.configuration.properties), 'every restricted key is a setting');
  });
});
