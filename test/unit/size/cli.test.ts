import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageCommand } from '../../../src/cli/commands/package';
import { sizeCommand } from '../../../src/cli/commands/size';
import { type Io, UsageError } from '../../../src/cli/io';
import { LIMITS } from '../../../src/core/limits';
import { sha256Base64 } from '../pack/zipTools';
import { tempDir, writeTree } from './fixtures';

function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += `${t}\n`), err: (t: string) => void (io.stderr += `${t}\n`) };
  return io;
}

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Small:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: app.handler
      CodeUri: small/
  Big:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: big/
  Container:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
    Metadata:
      Dockerfile: Dockerfile
      DockerContext: ./image
`;

const APP = 'exports.handler = async () => "hi";\n';
const MANIFEST = '{"name":"small"}';

/** The per-function fields CLI.md promises, in its order. */
const CONTRACT = ['logicalId', 'zippedBytes', 'unzippedBytes', 'layersUnzippedBytes', 'totalUnzippedBytes', 'layerCount', 'imageBytes', 'status', 'estimate', 'findings', 'topContributors'];

describe('cli: size and package', () => {
  let t: ReturnType<typeof tempDir>;
  let savedCache: string | undefined;
  before(function () {
    this.timeout(60_000);
    t = tempDir('lwb-cli-size-');
    savedCache = process.env.LAMBDA_WORKBENCH_CACHE;
    process.env.LAMBDA_WORKBENCH_CACHE = join(t.dir, 'cache');
    writeTree(join(t.dir, 'project'), {
      'template.yaml': TEMPLATE,
      'small/app.js': APP,
      'small/package.json': MANIFEST,
      'big/app.py': 'def handler(e, c): return 1\n',
      'image/Dockerfile': 'FROM public.ecr.aws/lambda/nodejs:22\n',
    });
    // Over the unzipped limit without writing it: a sparse file.
    mkdirSync(join(t.dir, 'project', 'big', 'data'), { recursive: true });
    const fd = openSync(join(t.dir, 'project', 'big', 'data', 'zeros.bin'), 'w');
    ftruncateSync(fd, LIMITS.unzippedWithLayersBytes);
    closeSync(fd);
  });
  after(() => {
    if (savedCache === undefined) delete process.env.LAMBDA_WORKBENCH_CACHE;
    else process.env.LAMBDA_WORKBENCH_CACHE = savedCache;
    t.cleanup();
  });
  const root = (): string => join(t.dir, 'project');

  it('size --json prints the contract fields for every function and exits 1 when one is over', async function () {
    this.timeout(60_000);
    const io = capture();
    assert.equal(await sizeCommand(['--root', root(), '--json'], io), 1);
    const out = JSON.parse(io.stdout) as { functions: Record<string, unknown>[] };
    assert.deepEqual(
      out.functions.map((f) => f.logicalId),
      ['Small', 'Big', 'Container'],
    );
    for (const f of out.functions) assert.deepEqual(Object.keys(f).slice(0, CONTRACT.length), CONTRACT);
    const [small, big, container] = out.functions as { status: string; estimate: boolean; zippedBytes: number | null; unzippedBytes: number | null; imageBytes: number | null; layerCount: number; findings: { code: string; severity: string; message: string; bytes: number | null; limit: number | null }[]; topContributors: { name: string; bytes: number; share: number }[] }[];
    // Not built yet: an estimate, ok because its package.json declares no dependency left uncounted.
    assert.deepEqual([small.status, small.estimate], ['ok', true]);
    assert.equal(small.unzippedBytes, APP.length + MANIFEST.length);
    assert.equal(typeof small.zippedBytes, 'number');
    assert.equal(small.imageBytes, null);
    assert.equal(small.layerCount, 0);
    assert.deepEqual(small.topContributors.map((c) => c.name), ['app.js', 'package.json']);
    assert.equal(big.status, 'over');
    const over = big.findings.find((f) => f.code === 'unzipped-over');
    assert.ok(over);
    assert.deepEqual(Object.keys(over).slice(0, 5), ['code', 'severity', 'message', 'bytes', 'limit']);
    assert.equal(over.limit, LIMITS.unzippedWithLayersBytes);
    assert.equal(over.bytes, LIMITS.unzippedWithLayersBytes + 28);
    assert.equal(container.status, 'unknown');
    assert.equal(container.zippedBytes, null);
    assert.equal(io.stderr, '', 'nothing on stderr');
  });

  it('size LOGICAL_ID measures only that function: exit 0 when it fits', async () => {
    const io = capture();
    assert.equal(await sizeCommand(['Small', '--root', root(), '--json', '--warn-at', '0.5'], io), 0);
    const out = JSON.parse(io.stdout) as { functions: { logicalId: string; warnAt: number }[] };
    assert.deepEqual(
      out.functions.map((f) => [f.logicalId, f.warnAt]),
      [['Small', 0.5]],
    );
  });

  it('size prints a table for people', async () => {
    const io = capture();
    assert.equal(await sizeCommand(['Small', '--template', join(root(), 'template.yaml')], io, t.dir), 0);
    assert.match(io.stdout, /^FUNCTION\s+STATUS\s+ZIPPED \(of 50 MiB\)\s+UNZIPPED WITH LAYERS \(of 250 MiB\)\s+LAYERS$/m);
    assert.match(io.stdout, new RegExp(`^Small\\s+ok \\(estimate\\)\\s+\\d+ bytes \\(0\\.0%\\)\\s+${APP.length + MANIFEST.length} bytes \\(0\\.0%\\)\\s+0$`, 'm'));
    assert.match(io.stdout, new RegExp(`biggest: app.js ${APP.length} bytes`));
  });

  it('size refuses bad usage (exit 2 through the CLI)', async () => {
    await assert.rejects(sizeCommand(['Nope', '--root', root()], capture()), (e: Error) => e instanceof UsageError && /no function 'Nope'.*functions: Small, Big, Container/.test(e.message));
    for (const bad of ['2', '0', 'abc', '']) await assert.rejects(sizeCommand(['--root', root(), '--warn-at', bad], capture()), UsageError, `--warn-at ${bad}`);
    await assert.rejects(sizeCommand(['--bogus'], capture()), UsageError);
  });

  it('package writes the exact artifact and prints its path, bytes and CodeSha256', async () => {
    const out = join(t.dir, 'out', 'small.zip');
    const io = capture();
    assert.equal(await packageCommand(['Small', '--out', out, '--root', root(), '--json'], io), 0);
    const r = JSON.parse(io.stdout) as { logicalId: string; path: string; bytes: number; codeSha256: string };
    assert.deepEqual(Object.keys(r).slice(0, 4), ['logicalId', 'path', 'bytes', 'codeSha256']);
    assert.equal(r.logicalId, 'Small');
    assert.equal(r.path, out);
    assert.equal(r.bytes, statSync(out).size);
    assert.equal(r.codeSha256, sha256Base64(out));
    // package built it first: size now measures that artifact, no longer an estimate.
    const sized = capture();
    await sizeCommand(['Small', '--root', root(), '--json'], sized);
    const measured = (JSON.parse(sized.stdout) as { functions: { zippedBytes: number; estimate: boolean }[] }).functions[0];
    assert.deepEqual([measured.zippedBytes, measured.estimate], [r.bytes, false], 'size predicted these bytes');
    const again = capture();
    assert.equal(await packageCommand(['Small', '--out', join(t.dir, 'again.zip'), '--root', root(), '--json'], again), 0);
    assert.equal((JSON.parse(again.stdout) as { codeSha256: string }).codeSha256, r.codeSha256, 'same code, same CodeSha256');
    const human = capture();
    assert.equal(await packageCommand(['Small', '--out', out, '--root', root()], human), 0);
    assert.match(human.stdout, new RegExp(`CodeSha256 ${r.codeSha256.replace(/[+/]/g, '\\$&')}`));
  });

  it('package needs one function and --out, and says why an image function has no zip', async () => {
    await assert.rejects(packageCommand(['Small', '--root', root()], capture()), /--out FILE.zip is required/);
    await assert.rejects(packageCommand(['--out', 'x.zip', '--root', root()], capture()), UsageError);
    await assert.rejects(packageCommand(['Small', 'Big', '--out', 'x.zip', '--root', root()], capture()), UsageError);
    const io = capture();
    assert.equal(await packageCommand(['Container', '--out', join(t.dir, 'c.zip'), '--root', root()], io), 1);
    assert.match(io.stderr, /Container is deployed as a container image, not a zip/);
    assert.equal(io.stdout, '');
  });
});
