import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../src/core/errors';
import { parseTemplate } from '../../../src/core/model';
import { editTemplate } from '../../../src/core/scaffold/template/edit';
import { ref } from '../../../src/core/scaffold/template/values';
import { lineDiff, ROOT } from './support';

// Changing keys of an existing resource touches only the lines of those keys.

describe('editing keys of an existing template', () => {
  const example = readFileSync(join(ROOT, 'examples', 'template.yaml'), 'utf8');

  it('adds a resource, appends to a block list and to a missing one, sets and removes keys, and nothing else changes', () => {
    const { text, change } = editTemplate(example, [
      { kind: 'set', path: ['Resources', 'BigLayer'], value: { Type: 'AWS::Serverless::LayerVersion', Properties: { ContentUri: 'layers/big/', CompatibleRuntimes: ['nodejs22.x'] } } },
      { kind: 'append', path: ['Resources', 'HelloNode', 'Properties', 'Layers'], value: ref('BigLayer') },
      { kind: 'append', path: ['Resources', 'HelloPython', 'Properties', 'Layers'], value: ref('BigLayer') },
      { kind: 'set', path: ['Resources', 'HelloPython', 'Properties', 'MemorySize'], value: 512 },
      { kind: 'remove', path: ['Resources', 'HelloNode', 'Properties', 'FunctionName'] },
      { kind: 'remove', path: ['Resources', 'HelloPython', 'Properties', 'NotThere'] },
      { kind: 'set', path: ['Resources', 'HelloPython', 'Metadata', 'DockerTag'], value: 'v1' },
    ]);
    const { removed, added } = lineDiff(example, text);
    assert.deepEqual(removed, ['      FunctionName: hello-node']);
    assert.deepEqual(added, [
      '        - !Ref BigLayer',
      '      Layers:',
      '        - !Ref BigLayer',
      '      MemorySize: 512',
      '    Metadata:',
      '      DockerTag: v1',
      '  BigLayer:',
      '    Type: AWS::Serverless::LayerVersion',
      '    Properties:',
      '      ContentUri: layers/big/',
      '      CompatibleRuntimes:',
      '        - nodejs22.x',
      '',
    ]);
    assert.ok(text.endsWith('        - nodejs22.x\n\n  BigLayer:\n    Type: AWS::Serverless::LayerVersion\n    Properties:\n      ContentUri: layers/big/\n      CompatibleRuntimes:\n        - nodejs22.x\n'), 'a blank line before the new resource, as between the others');
    assert.equal(example.slice(0, change.start) + change.text + example.slice(change.end), text, 'one replacement gives the same text');

    const model = parseTemplate('/w/template.yaml', text);
    assert.deepEqual(model.problems, []);
    const node = model.functions.find((f) => f.logicalId === 'HelloNode');
    const python = model.functions.find((f) => f.logicalId === 'HelloPython');
    assert.deepEqual(node?.layers.map((l) => (l.kind === 'local' ? l.logicalId : l.kind)), ['SharedLayer', 'BigLayer']);
    assert.deepEqual(python?.layers.map((l) => (l.kind === 'local' ? l.layer.contentUri : l.kind)), ['/w/layers/big']);
    assert.equal(node?.functionName, undefined);
    assert.equal(python?.memorySize, 512);
  });

  it('writes in the template own style: 4-space indent, lists level with keys, single quotes, CRLF, flow lists', () => {
    const text = [
      "Transform: 'AWS::Serverless-2016-10-31'",
      'Resources:',
      '    Fn:',
      '        Type: AWS::Serverless::Function',
      '        Properties:',
      "            Runtime: 'python3.12'",
      '            Architectures:',
      '            - arm64',
      '            Layers: [!Ref A]',
      '    A:',
      '        Type: AWS::Serverless::LayerVersion',
      '        Properties: {ContentUri: a/}',
      '',
    ].join('\r\n');
    const after = editTemplate(text, [
      { kind: 'append', path: ['Resources', 'Fn', 'Properties', 'Layers'], value: ref('B') },
      { kind: 'append', path: ['Resources', 'Fn', 'Properties', 'Architectures'], value: 'x86_64' },
      { kind: 'set', path: ['Resources', 'Fn', 'Properties', 'Handler'], value: 'on' },
    ]).text;
    assert.ok(!/(^|[^\r])\n/.test(after), 'every line ends with CRLF');
    const { removed, added } = lineDiff(text.replace(/\r/g, ''), after.replace(/\r/g, ''));
    assert.deepEqual(removed, ['            Layers: [!Ref A]']);
    // YAML 1.1 reads a bare `on` as true: it is quoted, in the file's own quotes.
    assert.deepEqual(added, ['            - x86_64', '            Layers: [!Ref A, !Ref B]', "            Handler: 'on'"]);
  });

  it('refuses a flow-style mapping and leaves the text as it was', () => {
    const text = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  L:\n    Type: AWS::Serverless::LayerVersion\n    Properties: {ContentUri: a/}\n';
    assert.throws(
      () => editTemplate(text, [{ kind: 'set', path: ['Resources', 'L', 'Properties', 'Description'], value: 'x' }]),
      (err: unknown) => err instanceof UserError && /flow style/.test(err.message),
    );
    assert.throws(
      () => editTemplate(text, [{ kind: 'remove', path: ['Resources', 'L', 'Properties', 'ContentUri'] }]),
      (err: unknown) => err instanceof UserError && /flow style/.test(err.message),
    );
  });
});
