import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newCommand } from '../../../src/cli/commands/new';
import type { Io } from '../../../src/cli/io';
import { listFiles, output, run, tempDir } from './support';

function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += `${t}\n`), err: (t: string) => void (io.stderr += `${t}\n`) };
  return io;
}

describe('cli: new', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('cli');
  });
  afterEach(() => dir.remove());

  it('scaffolds into a new template and prints {logicalId, files} as JSON', async () => {
    const io = capture();
    const code = await newCommand(['--name', 'orders', '--runtime', 'nodejs22.x', '--event', 'sqs', '--language', 'js', '--root', dir.path, '--json'], io);
    assert.equal(code, 0, io.stderr);
    assert.equal(io.stderr, '');
    const result = JSON.parse(io.stdout) as { logicalId: string; files: string[]; template: string; test: { command: string; args: string[]; cwd: string } };
    assert.equal(result.logicalId, 'Orders');
    const template = join(dir.path, 'template.yaml');
    assert.equal(result.template, template);
    assert.ok(result.files.includes(template));
    assert.ok(result.files.includes(join(dir.path, 'orders', 'app.mjs')));
    assert.ok(result.files.includes(join(dir.path, 'events', 'Orders', 'batch.sqs.json')));
    for (const f of result.files) assert.ok(existsSync(f), f);
    // The test command it reports runs the generated test, and it passes.
    const r = run(result.test.command, result.test.args, result.test.cwd);
    assert.equal(r.status, 0, output(r));
  });

  it('resolves a relative --template against the working folder', async () => {
    const io = capture();
    const code = await newCommand(['--name', 'rel', '--runtime', 'python3.13', '--event', 'schedule', '--template', 'infra/stack.yaml', '--json'], io, dir.path);
    assert.equal(code, 0, io.stderr);
    assert.equal((JSON.parse(io.stdout) as { template: string }).template, join(dir.path, 'infra', 'stack.yaml'));
    assert.ok(existsSync(join(dir.path, 'infra', 'rel', 'app.py')), 'the code folder is relative to the template');
  });

  it('adds to the template it finds under --root, and takes --flag=value, --package, --arch and --dir', async () => {
    const template = join(dir.path, 'template.yml');
    writeFileSync(template, '# mine\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Old:\n    Type: AWS::SNS::Topic\n');
    const io = capture();
    const code = await newCommand(
      ['--name=thumbs', '--runtime=python3.12', '--event=s3', '--package=image', '--arch=arm64', '--dir=functions/thumbs', `--root=${dir.path}`],
      io,
    );
    assert.equal(code, 0, io.stderr);
    assert.match(io.stdout, /Updated .*template\.yml: Thumbs \(python3\.12, python, Image, arm64\) triggered by Amazon S3/);
    assert.match(io.stdout, /\+ .*functions\/thumbs\/Dockerfile/);
    assert.match(io.stdout, /Run its unit test: cd .*functions\/thumbs && python3 -m unittest/);
    const text = readFileSync(template, 'utf8');
    assert.ok(text.startsWith('# mine\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Old:\n    Type: AWS::SNS::Topic\n'));
    assert.match(text, /DockerContext: \.\/functions\/thumbs/);
    assert.ok(!existsSync(join(dir.path, 'template.yaml')), 'no second template');
  });

  it('exits 2 and lists the valid choices for a bad value', async () => {
    const io = capture();
    assert.equal(await newCommand(['--name', 'x', '--runtime', 'java11', '--event', 'sqs', '--root', dir.path], io), 2);
    assert.match(io.stderr, /Runtime 'java11' is not offered\. Choose one of: nodejs24\.x, nodejs22\.x, python3\.13, python3\.12, java21, java17, provided\.al2023\./);
    assert.equal(io.stdout, '');
    assert.deepEqual(listFiles(dir.path), []);

    const lang = capture();
    assert.equal(await newCommand(['--name', 'x', '--runtime', 'python3.13', '--event', 'sqs', '--language', 'rust', '--root', dir.path], lang), 2);
    assert.match(lang.stderr, /python3\.13 functions cannot be written in Rust/);
  });

  it('exits 2 for missing, unknown or valueless options', async () => {
    const missing = capture();
    assert.equal(await newCommand(['--runtime', 'python3.13', '--root', dir.path], missing), 2);
    assert.match(missing.stderr, /missing --name, --event/);
    assert.match(missing.stderr, /--event EVENT {8}http-api\|rest-api\|function-url\|alb\|sqs\|sns\|s3\|eventbridge\|schedule\|dynamodb\|kinesis/);

    const unknown = capture();
    assert.equal(await newCommand(['--name', 'x', '--runtime', 'python3.13', '--event', 'sqs', '--memory', '512'], unknown), 2);
    assert.match(unknown.stderr, /Unknown option '--memory'/);

    const valueless = capture();
    assert.equal(await newCommand(['--name', '--runtime', 'python3.13'], valueless), 2);
    assert.match(valueless.stderr, /Option '--name' argument is ambiguous/);

    const twice = capture();
    assert.equal(await newCommand(['--name', 'x', '--runtime', 'python3.13', '--event', 'sqs', '--template', 'a.yaml', '--template', 'b.yaml'], twice), 2);
    assert.match(twice.stderr, /give --template once/);
    assert.deepEqual(listFiles(dir.path), []);
  });

  it('exits 2 for a name that is taken, writing nothing', async () => {
    const template = join(dir.path, 'template.yaml');
    const text = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Orders:\n    Type: AWS::SNS::Topic\n';
    writeFileSync(template, text);
    const io = capture();
    assert.equal(await newCommand(['--name', 'orders', '--runtime', 'python3.13', '--event', 'sqs', '--template', template], io), 2);
    assert.match(io.stderr, /Logical id Orders .* already a resource/);
    assert.equal(readFileSync(template, 'utf8'), text);
    assert.deepEqual(listFiles(dir.path), ['template.yaml']);
  });

  it('exits 1 when the template itself is broken', async () => {
    const template = join(dir.path, 'template.yaml');
    writeFileSync(template, 'Resources:\n  A: [unclosed\n');
    const io = capture();
    assert.equal(await newCommand(['--name', 'x', '--runtime', 'python3.13', '--event', 'sqs', '--template', template], io), 1);
    assert.match(io.stderr, /YAML error at line \d+/);
  });

  it('lists its choices as data with --list --json, and prints usage with --help', async () => {
    const io = capture();
    assert.equal(await newCommand(['--list', '--json'], io), 0);
    const choices = JSON.parse(io.stdout) as { runtimes: { id: string; languages: string[] }[]; events: { id: string }[]; languages: { id: string }[] };
    assert.deepEqual(choices.runtimes.find((r) => r.id === 'provided.al2023')?.languages, ['go', 'rust']);
    assert.equal(choices.events.length, 11);
    assert.ok(choices.languages.some((l) => l.id === 'rust'));
    const help = capture();
    assert.equal(await newCommand(['--help'], help), 0);
    assert.match(help.stdout, /^Usage: lambda-workbench new --name NAME/);
  });
});
