import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FunctionSize, SizeEngine } from '../../../src/core/size';
import { readZip } from '../pack/zipTools';
import { fnSpec, tempDir, writeTree } from './fixtures';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n';
const RSA_KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----\n';

describe('size: private keys, credentials and env files stay out of the package', () => {
  let t: ReturnType<typeof tempDir>;
  let engine: SizeEngine;
  beforeEach(() => {
    t = tempDir();
    engine = new SizeEngine({ workers: 2 });
  });
  afterEach(async () => {
    await engine.dispose();
    t.cleanup();
  });

  /** Measures and packages; the zip, what deploy collects and the measurement must agree. */
  async function packed(code: string): Promise<{ names: string[]; size: FunctionSize }> {
    const fn = fnSpec({ codeUri: code });
    const size = await engine.measure(fn);
    const out = join(t.dir, `out-${Math.random().toString(36).slice(2)}.zip`);
    const pkg = await engine.package(fn, out);
    assert.equal(pkg.bytes, size.zippedBytes, 'package writes the measured size');
    const names = [...(await readZip(out)).keys()];
    const collected = (await engine.collectInputs({ kind: 'function', spec: fn })).map((i) => i.name).sort();
    assert.deepEqual(collected, names, 'deploy collects what was packed');
    return { names, size };
  }

  function code(): string {
    const dir = join(t.dir, 'code');
    writeTree(dir, {
      'app.js': 'exports.handler = async () => 1;',
      '.env': 'DB_PASSWORD=hunter2',
      '.env.production': 'API_KEY=live',
      '.env.example': 'DB_PASSWORD=',
      id_rsa: KEY,
      'id_rsa.pub': 'ssh-ed25519 AAAA user@host',
      'keys/server.key': RSA_KEY,
      'keys/signing.pem': `${CERT}${RSA_KEY}`,
      'certs/ca.pem': CERT,
      'node_modules/certifi/cacert.pem': CERT.repeat(50),
      'deploy.p12': 'binary',
      '.npmrc': '//registry.npmjs.org/:_authToken=npm_abcdef\n',
      'sub/.npmrc': 'save-exact=true\n',
      '.aws/credentials': '[default]\naws_secret_access_key = x',
      '.aws/config': '[default]\nregion = eu-west-1',
      'lib/.netrc': 'machine x login y password z',
    });
    return dir;
  }

  it('leaves them out, each a warning naming the file with a quick fix to include it anyway, and keeps certificates, templates and public keys', async () => {
    const dir = code();
    const { names, size } = await packed(dir);
    assert.deepEqual(names, ['.env.example', 'app.js', 'certs/ca.pem', 'id_rsa.pub', 'node_modules/certifi/cacert.pem', 'sub/.npmrc']);
    const secrets = size.findings.filter((f) => f.code === 'secret-left-out');
    assert.ok(secrets.every((f) => f.severity === 'warning'));
    const byPath = new Map(secrets.map((f) => [f.subjects[0].path, f]));
    assert.deepEqual([...byPath.keys()].sort(), ['.aws', '.env', '.env.production', '.npmrc', 'deploy.p12', 'id_rsa', 'keys/server.key', 'keys/signing.pem', 'lib/.netrc']);
    assert.equal(byPath.get('id_rsa')?.message, 'id_rsa looks like a private key and is left out of the package.');
    assert.equal(byPath.get('.npmrc')?.message, '.npmrc looks like credentials and is left out of the package.');
    assert.match(byPath.get('.env')?.message ?? '', /^\.env looks like an env file/);
    assert.deepEqual(byPath.get('.aws')?.actions, [{ kind: 'include', ignoreFile: join(dir, '.lambdaignore'), path: '.aws', pattern: '!/.aws/' }]);
    assert.deepEqual(byPath.get('keys/server.key')?.actions, [{ kind: 'include', ignoreFile: join(dir, '.lambdaignore'), path: 'keys/server.key', pattern: '!/keys/server.key' }]);
  });

  it('packs one that .lambdaignore includes on purpose (the quick fix\'s line), and only that one', async () => {
    const dir = code();
    writeFileSync(join(dir, '.lambdaignore'), '# keys the function signs with\n!/keys/server.key\n');
    const { names, size } = await packed(dir);
    assert.ok(names.includes('keys/server.key'));
    assert.ok(!names.includes('id_rsa') && !names.includes('.env'));
    assert.ok(!size.findings.some((f) => f.code === 'secret-left-out' && f.subjects[0].path === 'keys/server.key'));
  });

  it('judges a link by the file it leads to as well as by its name, and an AWS credentials file by its content', async () => {
    const dir = join(t.dir, 'code');
    writeTree(dir, { 'app.js': 'x', 'private/id_ed25519': KEY, '.aws/credentials': '[default]\naws_secret_access_key = y', 'conf/credentials': '[p]\nAWS_SECRET_ACCESS_KEY=z', 'docs/credentials': 'how to get them' });
    symlinkSync('private/id_ed25519', join(dir, 'deploy-key'));
    symlinkSync('.aws/credentials', join(dir, 'settings.ini'));
    symlinkSync('.aws', join(dir, 'cfg'));
    const { names, size } = await packed(dir);
    assert.deepEqual(names, ['app.js', 'docs/credentials']);
    assert.deepEqual(size.findings.filter((f) => f.code === 'secret-left-out').map((f) => f.subjects[0].path).sort(), ['.aws', 'cfg', 'conf/credentials', 'deploy-key', 'private/id_ed25519', 'settings.ini']);
  });

  it('notices a certificate file that now holds a private key, though no folder changed', async function () {
    this.timeout(20_000);
    const dir = join(t.dir, 'code');
    writeTree(dir, { 'app.js': 'x', 'tls/bundle.pem': CERT });
    // Folders this old are trusted unchanged: the next measurement only re-stats the files it packed.
    await new Promise((r) => setTimeout(r, 2200));
    assert.ok((await packed(dir)).names.includes('tls/bundle.pem'));
    writeFileSync(join(dir, 'tls', 'bundle.pem'), `${CERT}${RSA_KEY}`);
    assert.ok(!(await packed(dir)).names.includes('tls/bundle.pem'), 'left out once it holds a key');
  });

  it('reports a CodeUri outside the project (the template\'s folder)', async () => {
    writeTree(t.dir, { 'project/template.yaml': 'Resources: {}', 'project/src/app.js': 'x', 'elsewhere/app.js': 'y' });
    const template = join(t.dir, 'project', 'template.yaml');
    const inside = await engine.measure(fnSpec({ codeUri: join(t.dir, 'project', 'src'), templatePath: template }));
    assert.equal(inside.findings.filter((f) => f.code === 'code-outside-project').length, 0);
    const out = await engine.measure(fnSpec({ codeUri: join(t.dir, 'project', '..', 'elsewhere'), templatePath: template }));
    const f = out.findings.find((x) => x.code === 'code-outside-project');
    assert.equal(f?.severity, 'warning');
    assert.match(f?.message ?? '', /^Fn's CodeUri is .*\/elsewhere, outside the project folder .*\/project: everything in it is packed and deployed\.$/);
  });
});
