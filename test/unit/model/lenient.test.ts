import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sizeCommand } from '../../../src/cli/commands/size';
import type { Io } from '../../../src/cli/io';
import { parseTemplate } from '../../../src/core/model';
import type { TemplateModel } from '../../../src/core/model/types';
import { fn, problemList } from './fixtures';

/**
 * Templates SAM CLI accepts that YAML 1.2 does not. SAM CLI reads templates with PyYAML's safe
 * loader, its CloudFormation tags taken as plain values; the same reader (Debian's python3-yaml)
 * is the oracle here for what each property holds.
 */
function samReads(text: string): { Resources: Record<string, { Properties?: Record<string, unknown> }> } {
  const script = [
    'import json, sys, yaml',
    'class L(yaml.SafeLoader): pass',
    'L.add_multi_constructor("!", lambda l, suffix, node: None)',
    'json.dump(yaml.load(sys.stdin.read(), Loader=L), sys.stdout)',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script], { input: text, encoding: 'utf8' })) as ReturnType<typeof samReads>;
}

function read(text: string): TemplateModel {
  return parseTemplate('/x/template.yaml', text);
}

const FN = (id: string, extra: string) => `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: app.handler\n${extra}`;

describe('model: templates SAM reads and YAML 1.2 does not', () => {
  it('reads a flow collection whose closing bracket stands left of its key, followed by a comment at column 0, and warns there', () => {
    const text = `Resources:\n${FN('First', '      Environment:\n        Variables: {\n          TEAM: a,\n          TIER: "1"\n    }\n# the next function\n')}${FN('Second', '      Layers: [\n        arn:aws:lambda:us-east-1:123456789012:layer:x:1\n  ]\n')}`;
    const model = read(text);
    const sam = samReads(text);
    assert.deepEqual(
      model.functions.map((f) => f.logicalId),
      Object.keys(sam.Resources),
      'both functions load, as in SAM',
    );
    assert.deepEqual(fn(model, 'First').environment, (sam.Resources.First.Properties?.Environment as { Variables: unknown }).Variables);
    assert.deepEqual(
      fn(model, 'Second').layers.map((l) => (l.kind === 'arn' ? l.arn : l.kind)),
      sam.Resources.Second.Properties?.Layers,
    );
    assert.deepEqual(problemList(model), ['yaml-flow-indent@11', 'yaml-flow-indent@20']);
    const [first] = model.problems;
    assert.equal(first.severity, 'warning');
    assert.equal(first.range.start.column, 4, 'at the closing brace');
    assert.equal(model.problems[1].range.start.column, 2, 'at the closing bracket');
    assert.match(first.message, /stands left of the key.*SAM reads it.*indent the collection's lines/);
  });

  it('reads flow content at column 0, warning at each such line', () => {
    const text = `Resources:\n${FN('F', '      Layers: [\narn:aws:lambda:us-east-1:123456789012:layer:x:1,\n  arn:aws:lambda:us-east-1:123456789012:layer:y:2]\n')}`;
    const model = read(text);
    const layers = fn(model, 'F').layers.map((l) => (l.kind === 'arn' ? l.arn : l.kind));
    assert.deepEqual(layers, samReads(text).Resources.F.Properties?.Layers);
    assert.equal(layers.length, 2);
    assert.deepEqual(problemList(model), ['yaml-flow-indent@8', 'yaml-flow-indent@9']);
  });

  it('keeps an unclosed bracket an error, reading the functions after it as strict YAML does', () => {
    const text = `Resources:\n${FN('Open', '      Policies: [ AWSLambdaBasicExecutionRole\n')}${FN('After', '')}`;
    assert.throws(() => samReads(text), 'SAM refuses it too');
    const model = read(text);
    assert.deepEqual(
      model.functions.map((f) => f.logicalId),
      ['Open', 'After'],
    );
    assert.deepEqual(problemList(model), ['yaml-syntax@8']);
    assert.equal(model.problems[0].severity, 'error');
  });

  it('reads duplicate keys as SAM does, the last one winning, with a warning at the one that has no effect', () => {
    const text = `Resources:\n${FN('F', '      Runtime: python3.12\n      MemorySize: 256\n      MemorySize: 512\n')}`.replace('Handler: app.handler\n', 'Handler: app.handler\n      Timeout: 3\n      Timeout: 9\n');
    const model = read(text);
    const sam = samReads(text).Resources.F.Properties ?? {};
    const f = fn(model, 'F');
    assert.deepEqual([f.runtime, f.memorySize, f.timeout], [sam.Runtime, sam.MemorySize, sam.Timeout]);
    assert.deepEqual([f.runtime, f.memorySize, f.timeout], ['python3.12', 512, 9]);
    assert.deepEqual(problemList(model), ['yaml-duplicate-key@5', 'yaml-duplicate-key@7', 'yaml-duplicate-key@10']);
    assert.ok(model.problems.every((p) => p.severity === 'warning'));
    assert.match(model.problems[0].message, /^Runtime is given again on line 9 of this mapping; SAM uses the last one, so this one has no effect/);
  });

  it('takes the last of two Resources sections, as SAM does, and says the first has no effect', () => {
    const text = `Resources:\n${FN('Lost', '')}Resources:\n${FN('Kept', '')}`;
    const model = read(text);
    assert.deepEqual(
      model.functions.map((f) => f.logicalId),
      Object.keys(samReads(text).Resources),
    );
    assert.deepEqual(problemList(model), ['yaml-duplicate-key@1']);
    assert.match(model.problems[0].message, /^Resources is given again on line 7/);
  });

  it('says so on the command line too, with the file, line and column, and still measures the function', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-lenient-'));
    try {
      const template = join(dir, 'template.yaml');
      writeFileSync(template, `Resources:\n${FN('F', '      CodeUri: src/\n      Layers: [\n  arn:aws:lambda:us-east-1:123456789012:layer:x:1\n]\n      MemorySize: 128\n      MemorySize: 256\n')}`);
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'src', 'app.js'), 'exports.handler = async () => 1;\n');
      const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += `${t}\n`), err: (t: string) => void (io.stderr += `${t}\n`) } satisfies Io & Record<string, unknown>;
      assert.equal(await sizeCommand(['--template', template, '--json'], io), 0, io.stderr);
      assert.deepEqual(io.stderr.trim().split('\n'), [
        `${template}:9:3: warning: This line of a [...] or {...} collection stands left of the key it belongs to. SAM reads it (and so does Lambda Workbench), but YAML 1.2 tools reject it: indent the collection's lines, closing bracket included, past its key.`,
        `${template}:10:1: warning: This line of a [...] or {...} collection stands left of the key it belongs to. SAM reads it (and so does Lambda Workbench), but YAML 1.2 tools reject it: indent the collection's lines, closing bracket included, past its key.`,
        `${template}:11:7: warning: MemorySize is given again on line 12 of this mapping; SAM uses the last one, so this one has no effect. Remove one of them (YAML 1.2 tools reject duplicate keys).`,
      ]);
      assert.deepEqual(
        (JSON.parse(io.stdout) as { functions: { logicalId: string }[] }).functions.map((f) => f.logicalId),
        ['F'],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
