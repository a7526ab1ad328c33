import assert from 'node:assert/strict';
import { join } from 'node:path';
import { functionsCommand } from '../../src/cli/commands/functions';
import { type Io, UsageError } from '../../src/cli/io';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'templates');
const EXAMPLE = join(ROOT, 'examples', 'template.yaml');

function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += `${t}\n`), err: (t: string) => void (io.stderr += `${t}\n`) };
  return io;
}

interface FunctionsJson {
  templates: {
    path: string;
    functions: Record<string, unknown>[];
    layers: Record<string, unknown>[];
    errors: { message: string; line: number; column: number; code: string }[];
    warnings: { message: string; line: number; column: number }[];
  }[];
}

describe('cli: functions', () => {
  it('prints the JSON contract for --template, exit 0 for a clean template', async () => {
    const io = capture();
    assert.equal(await functionsCommand(['--template', EXAMPLE, '--json'], io), 0, io.stderr);
    assert.equal(io.stderr, '', 'nothing on stderr for a clean template');
    const out = JSON.parse(io.stdout) as FunctionsJson;
    assert.equal(out.templates.length, 1);
    const [t] = out.templates;
    assert.equal(t.path, EXAMPLE);
    assert.deepEqual(t.errors, []);
    const [node, py] = t.functions;
    for (const key of ['logicalId', 'functionName', 'runtime', 'handler', 'codeUri', 'architecture', 'memorySize', 'timeout', 'packageType', 'layers', 'events']) {
      assert.ok(key in node, `functions[] has ${key}`);
    }
    assert.deepEqual(
      { ...node, layers: undefined, events: undefined },
      {
        logicalId: 'HelloNode',
        functionName: 'hello-node',
        runtime: 'nodejs22.x',
        handler: 'app.handler',
        codeUri: join(ROOT, 'examples', 'hello-node'),
        architecture: 'x86_64',
        memorySize: 256,
        timeout: 10,
        packageType: 'Zip',
        layers: undefined,
        events: undefined,
        resourceType: 'AWS::Serverless::Function',
        functionNameExpression: null,
        imageUri: null,
        conditional: [],
      },
    );
    assert.deepEqual(node.layers, [{ kind: 'local', logicalId: 'SharedLayer', contentUri: join(ROOT, 'examples', 'layers', 'shared') }]);
    assert.deepEqual(node.events, [{ name: 'Api', type: 'HttpApi', properties: { Path: '/hello', Method: 'get' } }]);
    assert.equal(py.functionName, null);
    assert.deepEqual((py.events as { properties: unknown }[])[0].properties, {
      Queue: { 'Fn::GetAtt': ['WorkQueue', 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    }, 'intrinsics in CloudFormation JSON form');
    assert.deepEqual(t.layers, [
      {
        logicalId: 'SharedLayer',
        contentUri: join(ROOT, 'examples', 'layers', 'shared'),
        layerName: 'shared',
        resourceType: 'AWS::Serverless::LayerVersion',
        compatibleRuntimes: ['nodejs22.x'],
        compatibleArchitectures: [],
      },
    ]);
  });

  it('discovers under --root, reports errors 1-based, and exits 1 when a template has errors', async () => {
    const io = capture();
    assert.equal(await functionsCommand(['--root', join(FIXTURES, 'handlers'), '--json'], io), 1);
    const out = JSON.parse(io.stdout) as FunctionsJson;
    assert.deepEqual(out.templates.map((t) => t.path), [join(FIXTURES, 'handlers', 'template.yaml')]);
    const noExport = out.templates[0].errors.find((e) => e.code === 'handler-export-missing' && e.message.includes('nothere'));
    assert.ok(noExport);
    assert.deepEqual([noExport.line, noExport.column], [38, 16], 'Handler: esm.nothere is on line 38, its value at column 16');
    assert.equal(io.stderr, '', '--json: problems are data, not stderr text');
  });

  it('keeps warnings apart from errors: warnings alone exit 0', async () => {
    const io = capture();
    assert.equal(await functionsCommand(['--template', join(FIXTURES, 'unknown-tags', 'template.yaml'), '--json'], io), 0);
    const [t] = (JSON.parse(io.stdout) as FunctionsJson).templates;
    assert.deepEqual(t.errors, []);
    assert.deepEqual(t.warnings.map((w) => [w.line, w.column]), [[11, 20], [14, 14], [15, 14]]);
  });

  it('prints a table for people, problems on stderr as file:line:column', async () => {
    const io = capture();
    const code = await functionsCommand(['--root', join(FIXTURES, 'layers')], io, ROOT);
    assert.equal(code, 1);
    const lines = io.stdout.split('\n');
    assert.equal(lines[0], 'test/fixtures/templates/layers/template.yaml');
    assert.match(lines[1], /^ {2}FUNCTION +RUNTIME +HANDLER +MEMORY +TIMEOUT +ARCH +CODE +LAYERS +EVENTS$/);
    const app = lines.find((l) => l.trimStart().startsWith('App '));
    assert.ok(app, io.stdout);
    assert.match(app, /nodejs22\.x +index\.handler +128 MB +3 s +x86_64 +app +Deps, Raw, arn:aws:lambda:us-east-1:123456789012:layer:vendor:7, !Sub/);
    assert.match(io.stdout, /^ {2}LAYER +NAME +CONTENT +RUNTIMES$/m);
    assert.match(io.stdout, /^ {2}Raw +raw +s3:\/\/my-artifacts\/layers\/raw\.zip/m);
    assert.match(io.stdout, /^ {2}Deps +deps +layers\/deps +nodejs22\.x, nodejs20\.x$/m, 'folders relative to the template');
    assert.match(io.stdout, /2 functions and 3 layers in 1 template\.$/m);
    assert.match(io.stderr, /^test\/fixtures\/templates\/layers\/template\.yaml:53:16: error: Layers: !Ref Missing names nothing/m);
  });

  it('says so when there is nothing to list', async () => {
    const io = capture();
    assert.equal(await functionsCommand(['--root', join(FIXTURES, 'globals', 'src')], io, ROOT), 0);
    assert.equal(io.stdout.trim(), 'No template.yaml or template.yml under test/fixtures/templates/globals/src.');
    const json = capture();
    assert.equal(await functionsCommand(['--root', join(FIXTURES, 'globals', 'src'), '--json'], json), 0);
    assert.deepEqual(JSON.parse(json.stdout), { templates: [] });
  });

  it('reports a --template that does not exist as a template error (exit 1)', async () => {
    const io = capture();
    assert.equal(await functionsCommand(['--template', join(FIXTURES, 'nope.yaml'), '--json'], io), 1);
    const [t] = (JSON.parse(io.stdout) as FunctionsJson).templates;
    assert.equal(t.errors[0].code, 'template-unreadable');
  });

  it('takes repeated --template, relative to the working folder', async () => {
    const io = capture();
    await functionsCommand(['--template', 'examples/template.yaml', '--template', 'test/fixtures/templates/anchors/template.yaml', '--json'], io, ROOT);
    const out = JSON.parse(io.stdout) as FunctionsJson;
    assert.deepEqual(out.templates.map((t) => t.path), [EXAMPLE, join(FIXTURES, 'anchors', 'template.yaml')]);
  });

  it('rejects unknown flags, missing values, stray arguments and a --root that is not a folder as usage errors', async () => {
    await assert.rejects(functionsCommand(['--nope'], capture()), (err: Error) => err instanceof UsageError && /Unknown option '--nope'/.test(err.message));
    await assert.rejects(functionsCommand(['--root'], capture()), UsageError);
    await assert.rejects(functionsCommand(['extra'], capture()), UsageError);
    await assert.rejects(functionsCommand(['--root', join(FIXTURES, 'missing-folder')], capture()), (err: Error) => err instanceof UsageError && /is not a folder/.test(err.message));
  });
});
