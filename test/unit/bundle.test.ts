import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIST = join(__dirname, '..', '..', '..', 'dist');

describe('bundles', () => {
  for (const entry of ['extension.js', 'cli.js']) {
    it(`${entry} loads heavy dependencies from dist/vendor instead of inlining them`, () => {
      const code = readFileSync(join(DIST, entry), 'utf8');
      // Markers of the packages' own code: docker-modem (dockerode's transport), @smithy (AWS SDK core).
      assert.doesNotMatch(code, /docker-modem|@smithy\/smithy-client|new LambdaClient\b.*extends/, `${entry} inlines a vendor package`);
      // The product's own code is about 1.6 MB unminified; one inlined vendor set (dockerode with its
      // transport, or the AWS SDK core) would add about 1 MB more.
      assert.ok(code.length < 2_000_000, `${entry} is ${code.length} bytes`);
    });
  }

  it('the vendor bundles export what the product imports', async () => {
    const aws = (await import(join(DIST, 'vendor', 'aws.js'))) as Record<string, Record<string, unknown>>;
    assert.equal(typeof aws.clientLambda.LambdaClient, 'function');
    assert.equal(typeof aws.clientS3.S3Client, 'function');
    assert.equal(typeof aws.clientEcr.ECRClient, 'function');
    assert.equal(typeof aws.clientIam.IAMClient, 'function');
    assert.equal(typeof aws.clientSts.STSClient, 'function');
    assert.equal(typeof aws.credentialProviders.fromIni, 'function');
    const docker = (await import(join(DIST, 'vendor', 'docker.js'))) as { default: unknown };
    assert.equal(typeof docker.default, 'function');
  });
});
