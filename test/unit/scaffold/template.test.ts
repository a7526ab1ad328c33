import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../src/core/errors';
import { applyEdits, planNewFunction, readProject, type NewFunctionRequest } from '../../../src/core/scaffold';
import { lineDiff, listFiles, readTemplate, ROOT, tempDir } from './support';

// Adding to an existing template changes nothing but the inserted lines: every comment, blank line,
// quote and indentation choice of the person stays as it was.

interface Template {
  Transform?: unknown;
  Parameters?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, unknown>;
}

async function addTo(text: string, request: NewFunctionRequest): Promise<{ before: string; after: string; dir: string; remove(): void }> {
  const dir = tempDir('tpl');
  const path = join(dir.path, 'template.yaml');
  writeFileSync(path, text);
  const plan = planNewFunction(request, await readProject(path));
  await applyEdits(plan.edits);
  return { before: text, after: readFileSync(path, 'utf8'), dir: dir.path, remove: dir.remove };
}

function assertOnlyInsertions(before: string, after: string): string[] {
  const { removed, added } = lineDiff(before, after);
  assert.deepEqual(removed, [], 'no line of the original template is changed or removed');
  assert.ok(added.some((l) => l.trim() !== ''), 'lines were added');
  return added;
}

describe('inserting into an existing template', () => {
  const example = readFileSync(join(ROOT, 'examples', 'template.yaml'), 'utf8');

  it('keeps examples/template.yaml byte for byte around the new resources', async () => {
    const dir = tempDir('example');
    try {
      const path = join(dir.path, 'template.yaml');
      copyFileSync(join(ROOT, 'examples', 'template.yaml'), path);
      const plan = planNewFunction({ name: 'orders', runtime: 'nodejs22.x', event: 'sqs', language: 'js' }, await readProject(path));
      await applyEdits(plan.edits);
      const after = readFileSync(path, 'utf8');
      const added = assertOnlyInsertions(example, after);
      assert.ok(after.startsWith(example.trimEnd()), 'everything is appended after the last resource, before nothing');
      for (const comment of example.split('\n').filter((l) => l.trim().startsWith('#'))) assert.ok(after.includes(comment));
      // Inserted lines follow the file's style: two-space steps, sequences indented under keys.
      assert.ok(added.includes('  Orders:'));
      assert.ok(added.includes('      Architectures:') && added.includes('        - x86_64'));
      const before = readTemplate<Template>(example);
      const t = readTemplate<Template>(after);
      for (const [id, resource] of Object.entries(before.Resources)) assert.deepEqual(t.Resources[id], resource, `${id} unchanged`);
      assert.deepEqual(Object.keys(t.Resources).slice(-3), ['Orders', 'OrdersQueue', 'OrdersDeadLetterQueue']);
      assert.equal(t.Resources.Orders.Properties?.CodeUri, 'orders/');
    } finally {
      dir.remove();
    }
  });

  it('adds Parameters before Resources and Outputs at the end, changing no existing line', async () => {
    const r = await addTo(example, { name: 'front', runtime: 'python3.13', event: 'alb' });
    try {
      assertOnlyInsertions(r.before, r.after);
      const lines = r.after.split('\n');
      assert.ok(lines.indexOf('Parameters:') < lines.indexOf('Resources:'));
      assert.ok(lines.indexOf('Outputs:') > lines.indexOf('  FrontListener:'));
      const t = readTemplate<Template>(r.after);
      assert.ok(t.Parameters?.FrontSubnetIds && t.Outputs?.FrontLoadBalancerUrl);
    } finally {
      r.remove();
    }
  });

  it('writes in the template own style: 4-space indent, sequences level with keys, single quotes, CRLF', async () => {
    const text = [
      "AWSTemplateFormatVersion: '2010-09-09'",
      "Transform: 'AWS::Serverless-2016-10-31'",
      'Resources:',
      '    Existing:',
      '        Type: AWS::Serverless::Function',
      '        Properties:',
      "            Runtime: 'python3.12'",
      '            Handler: app.handler',
      '            CodeUri: existing/',
      '            Architectures:',
      '            - arm64',
      '',
    ].join('\r\n');
    const r = await addTo(text, { name: 'second', runtime: 'nodejs22.x', event: 'http-api', language: 'js' });
    try {
      const added = assertOnlyInsertions(r.before.replace(/\r/g, ''), r.after.replace(/\r/g, ''));
      assert.ok(!/(^|[^\r])\n/.test(r.after), 'every line ends with CRLF');
      assert.ok(added.includes('    Second:'));
      assert.ok(added.includes('        Type: AWS::Serverless::Function'));
      assert.ok(added.includes('            Architectures:') && added.includes('            - x86_64'), added.join('\n'));
      assert.ok(added.includes("            Value: !Sub 'https://${ServerlessHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/second'") ||
        added.some((l) => l.includes('!Sub') && l.includes('https://${ServerlessHttpApi}')));
      assert.deepEqual(Object.keys(readTemplate<Template>(r.after).Resources), ['Existing', 'Second']);
    } finally {
      r.remove();
    }
  });

  it('keeps comments that close Resources with the resource above, and section comments with their section', async () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Resources:
  Existing:
    Type: AWS::SQS::Queue
    # Properties:
    #   DelaySeconds: 5

# ---- what the stack exports ----
Outputs:
  QueueUrl:
    Value: !Ref Existing
`;
    const r = await addTo(text, { name: 'worker', runtime: 'python3.13', event: 'schedule' });
    try {
      assertOnlyInsertions(r.before, r.after);
      const lines = r.after.split('\n');
      assert.ok(lines.indexOf('    #   DelaySeconds: 5') < lines.indexOf('  Worker:'), 'the commented-out property stays with Existing');
      assert.ok(lines.indexOf('  Worker:') < lines.indexOf('# ---- what the stack exports ----'));
      assert.equal(lines[lines.indexOf('# ---- what the stack exports ----') + 1], 'Outputs:');
    } finally {
      r.remove();
    }
  });

  it('adds the Serverless transform when the template has none, and fills an empty Resources', async () => {
    const text = "AWSTemplateFormatVersion: '2010-09-09'\n# nothing here yet\nResources:\n";
    const r = await addTo(text, { name: 'first', runtime: 'python3.12', event: 'sns' });
    try {
      assertOnlyInsertions(r.before, r.after);
      assert.match(r.after, /^AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n# nothing here yet\nResources:\n {2}First:\n/);
      const t = readTemplate<Template>(r.after);
      assert.equal(t.Transform, 'AWS::Serverless-2016-10-31');
      assert.deepEqual(Object.keys(t.Resources), ['First', 'FirstTopic']);
    } finally {
      r.remove();
    }
  });

  it('creates template.yaml with Transform and Globals when there is none', async () => {
    const dir = tempDir('new');
    try {
      const path = join(dir.path, 'template.yaml');
      const plan = planNewFunction({ name: 'hello', runtime: 'nodejs22.x', event: 'function-url' }, await readProject(path));
      assert.equal(plan.templateCreated, true);
      await applyEdits(plan.edits);
      const text = readFileSync(path, 'utf8');
      const t = readTemplate<Template & { Globals: { Function: Record<string, unknown> } }>(text);
      assert.equal(t.Transform, 'AWS::Serverless-2016-10-31');
      assert.deepEqual(t.Globals.Function, { Timeout: 10, MemorySize: 256 });
      assert.equal(t.Resources.Hello.Type, 'AWS::Serverless::Function');
      assert.match(text, /^# Settings every function in this template shares/m);
    } finally {
      dir.remove();
    }
  });

  const refusals: [string, string, RegExp][] = [
    ['flow-style Resources', 'Transform: AWS::Serverless-2016-10-31\nResources: { Q: { Type: "AWS::SQS::Queue" } }\n', /flow style/],
    ['a JSON template', '{"Transform": "AWS::Serverless-2016-10-31", "Resources": {}}\n', /block-style YAML mapping/],
    ['a YAML syntax error', 'Transform: AWS::Serverless-2016-10-31\nResources:\n  A:\n    Type: [unclosed\n', /YAML error at line \d+/],
    ['another transform', 'Transform: AWS::LanguageExtensions\nResources:\n  A:\n    Type: AWS::SQS::Queue\n', /AWS::Serverless-2016-10-31/],
  ];
  for (const [what, text, message] of refusals) {
    it(`refuses ${what} and writes nothing`, async () => {
      const dir = tempDir('refuse');
      try {
        const path = join(dir.path, 'template.yaml');
        writeFileSync(path, text);
        await assert.rejects(
          async () => applyEdits(planNewFunction({ name: 'x', runtime: 'python3.13', event: 'sqs' }, await readProject(path)).edits),
          (err: unknown) => err instanceof UserError && message.test(err.message + (err.hint ?? '')),
        );
        assert.equal(readFileSync(path, 'utf8'), text);
        assert.deepEqual(listFiles(dir.path), ['template.yaml']);
      } finally {
        dir.remove();
      }
    });
  }
});
