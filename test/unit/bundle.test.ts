import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const DIST = join(__dirname, '..', '..', '..', 'dist');

/** The chunks an ES module loads before it runs: itself and its static imports, transitively. */
function staticClosure(dir: string, entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const code = readFileSync(join(dir, entry), 'utf8');
  for (const m of code.matchAll(/^(?:import|export)\b[^;'"]*?(?:from\s*)?["']\.\/([^"']+\.mjs)["']/gm)) staticClosure(dir, m[1], seen);
  return seen;
}

describe('bundles', () => {
  const entries = ['extension.js', ...readdirSync(join(DIST, 'cli')).filter((f) => f.endsWith('.mjs')).map((f) => `cli/${f}`)];
  for (const entry of entries) {
    it(`${entry} loads heavy dependencies from dist/vendor instead of inlining them`, () => {
      const code = readFileSync(join(DIST, entry), 'utf8');
      // Markers of the packages' own code: docker-modem (dockerode's transport), @smithy (AWS SDK core).
      assert.doesNotMatch(code, /docker-modem|@smithy\/smithy-client|new LambdaClient\b.*extends/, `${entry} inlines a vendor package`);
      // The product's own code is about 1.5 MB unminified; one inlined vendor set (dockerode with its
      // transport, or the AWS SDK core) would add about 1 MB more.
      assert.ok(code.length < 2_000_000, `${entry} is ${code.length} bytes`);
    });
  }

  it("the CLI's --version and --help load only its dispatcher: a few KB, not the product's code", () => {
    const loaded = [...staticClosure(join(DIST, 'cli'), 'cli.mjs')];
    const bytes = loaded.reduce((n, f) => n + statSync(join(DIST, 'cli', f)).size, 0);
    assert.ok(bytes < 20_000, `cli.mjs loads ${loaded.join(', ')}: ${bytes} bytes`);
    const total = readdirSync(join(DIST, 'cli')).filter((f) => f.endsWith('.mjs')).reduce((n, f) => n + statSync(join(DIST, 'cli', f)).size, 0);
    assert.ok(total > 500_000, `the commands' code is in the other chunks (${total} bytes in all)`);
  });

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

  it("dockerode's ssh:// transport and BuildKit session are bundles of their own, read only when an engine needs them", async () => {
    const vendor = join(DIST, 'vendor');
    const code = readFileSync(join(vendor, 'docker.js'), 'utf8');
    assert.doesNotMatch(code, /ssh2|@grpc\/grpc-js|protobufjs/, 'docker.js inlines ssh2 or gRPC');
    // A new process, so this test's own module cache cannot hide what loading docker.js reads.
    const script = `
      const Docker = require(${JSON.stringify(join(vendor, 'docker.js'))}).default;
      const loaded = () => Object.keys(require.cache).map((f) => require('path').basename(f)).filter((f) => f.startsWith('docker-')).sort();
      const before = loaded();
      const docker = new Docker({ protocol: 'ssh', host: '127.0.0.1', port: 1, username: 'nobody', timeout: 5000 });
      docker.ping().then(() => ({}), (e) => e).then((e) => console.log(JSON.stringify({ before, after: loaded(), error: String(e && (e.code || e.level || e.message)) })));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ['--no-deprecation', '-e', script], { encoding: 'utf8', timeout: 30_000 })) as { before: string[]; after: string[]; error: string };
    assert.deepEqual(out.before, []);
    // ssh2 itself ran: it tried the port and was refused.
    assert.deepEqual(out.after, ['docker-ssh.js']);
    assert.match(out.error, /ECONNREFUSED|client-socket/);
  });
});
