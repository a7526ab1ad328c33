import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readYaml } from '../../../src/core/model/document';
import { describeValue, isIntrinsic, toCfnJson } from '../../../src/core/model/intrinsics';
import { NodeReader } from '../../../src/core/model/nodes';
import { SHORT_FORM_TAGS } from '../../../src/core/model/tags';
import { parseTemplate } from '../../../src/core/model';
import { fixture, fn, plain } from './fixtures';

/** The document as plain data, intrinsics as IntrinsicValue. */
function data(text: string): { value: Record<string, unknown>; problems: string[] } {
  const src = readYaml(text);
  return { value: new NodeReader(src).value(src.doc.contents) as Record<string, unknown>, problems: src.problems.map((p) => p.code) };
}

describe('model: CloudFormation tags', () => {
  it('knows all eighteen short forms', () => {
    assert.deepEqual(
      [...SHORT_FORM_TAGS].sort(),
      ['!And', '!Base64', '!Cidr', '!Condition', '!Equals', '!FindInMap', '!GetAZs', '!GetAtt', '!If', '!ImportValue', '!Join', '!Not', '!Or', '!Ref', '!Select', '!Split', '!Sub', '!Transform'],
    );
  });

  it('reads every short form in scalar, sequence and mapping form, without a warning', () => {
    const lines = SHORT_FORM_TAGS.flatMap((tag) => [`s${tag.slice(1)}: ${tag} x`, `q${tag.slice(1)}: ${tag} [a, b]`, `m${tag.slice(1)}: ${tag} {k: v}`]);
    const { value, problems } = data(lines.join('\n'));
    assert.deepEqual(problems, []);
    for (const tag of SHORT_FORM_TAGS) {
      const name = tag.slice(1);
      for (const [key, args] of [[`s${name}`, name === 'GetAtt' ? ['x'] : 'x'], [`q${name}`, ['a', 'b']], [`m${name}`, { k: 'v' }]] as const) {
        const v = value[key];
        assert.ok(isIntrinsic(v), key);
        assert.equal(v.fn, name, key);
        assert.deepEqual(v.args, args, key);
      }
    }
  });

  it('gives !GetAtt A.B and !GetAtt [A, B] the same arguments, splitting at the first dot', () => {
    const { value } = data('a: !GetAtt Fn.Arn\nb: !GetAtt [Fn, Arn]\nc: !GetAtt App.Outputs.Arn\nd: {"Fn::GetAtt": "Fn.Arn"}');
    assert.deepEqual(value.a, value.b);
    assert.deepEqual((value.c as { args: unknown }).args, ['App', 'Outputs.Arn']);
    assert.deepEqual(value.d, value.a);
  });

  it('reads nested short forms and both !Sub forms', () => {
    const { value } = data("a: !Sub 'x-${Y}'\nb: !Sub\n  - '${N}-z'\n  - N: !Ref Thing\nc: !Select [0, !GetAZs '']\nd: !If [C, !Ref A, !Ref AWS::NoValue]");
    assert.deepEqual(plain(value.a), { fn: 'Sub', args: 'x-${Y}' });
    const b = value.b as { fn: string; args: [string, Record<string, unknown>] };
    assert.equal(b.args[0], '${N}-z');
    assert.ok(isIntrinsic(b.args[1].N));
    assert.deepEqual(plain(b.args[1].N), { fn: 'Ref', args: 'Thing' });
    const c = value.c as { args: [number, unknown] };
    assert.equal(c.args[0], 0);
    assert.deepEqual(plain(c.args[1]), { fn: 'GetAZs', args: '' });
    const d = value.d as { args: unknown[] };
    assert.ok(d.args.every((x, i) => i === 0 || isIntrinsic(x)));
  });

  it('recognises long forms as SAM does: one key, Ref or Condition or Fn::*', () => {
    const { value } = data('a: {Ref: X}\nb: {"Fn::Join": ["-", [a, b]]}\nc: {Condition: IsProd}\nd: {Ref: X, Other: 1}\ne: {"Fn::Nope": 1}\nf: {Name: x}');
    assert.deepEqual(plain(value.a), { fn: 'Ref', args: 'X' });
    assert.deepEqual(plain(value.b), { fn: 'Join', args: ['-', ['a', 'b']] });
    assert.deepEqual(plain(value.c), { fn: 'Condition', args: 'IsProd' });
    assert.ok(!isIntrinsic(value.d), 'two keys: a plain map');
    assert.ok(isIntrinsic(value.e), 'any Fn:: key');
    assert.ok(!isIntrinsic(value.f));
  });

  it('parses the fixture that uses every tag in a real template', () => {
    const text = readFileSync(fixture('short-tags', 'template.yaml'), 'utf8');
    const src = readYaml(text);
    assert.deepEqual(src.problems, []);
    const reader = new NodeReader(src);
    const conditions = reader.value(reader.get(src.doc.contents, 'Conditions')?.value) as Record<string, { fn: string; args: unknown[] }>;
    assert.deepEqual(
      Object.fromEntries(Object.entries(conditions).map(([k, v]) => [k, v.fn])),
      { IsProd: 'Equals', NotProd: 'Not', Either: 'Or', Both: 'And' },
    );
    assert.deepEqual(plain(conditions.NotProd.args), [{ fn: 'Condition', args: 'IsProd' }]);

    const tagged = fn(parseTemplate(fixture('short-tags', 'template.yaml'), text), 'Tagged');
    assert.deepEqual(plain(tagged.functionNameExpression), { fn: 'Sub', args: '${AWS::StackName}-tagged' });
    assert.deepEqual(plain(tagged.role), { fn: 'GetAtt', args: ['TaggedRole', 'Arn'] });
    assert.deepEqual(tagged.environment, { PLAIN: 'just text' });
    const expr = tagged.environmentExpressions ?? {};
    const fns = Object.fromEntries(Object.entries(expr).map(([k, v]) => [k, v.fn]));
    assert.deepEqual(fns, {
      REF: 'Ref',
      ATT_SCALAR: 'GetAtt',
      ATT_SEQ: 'GetAtt',
      SUB_SCALAR: 'Sub',
      SUB_SEQ: 'Sub',
      JOIN: 'Join',
      SELECT: 'Select',
      SPLIT: 'Select',
      MAP: 'FindInMap',
      IMPORT: 'ImportValue',
      B64: 'Base64',
      CIDR: 'Select',
      TRANSFORMED: 'Transform',
    });
    assert.deepEqual(plain(expr.MAP.args), ['Sizes', { fn: 'Ref', args: 'Stage' }, 'Memory'], 'intrinsics keep their arguments as written');
    assert.deepEqual(plain(expr.SPLIT.args), [1, { fn: 'Split', args: [',', 'a,b,c'] }]);
    assert.deepEqual(plain(expr.CIDR.args), [0, { fn: 'Cidr', args: ['10.0.0.0/16', 4, 8] }]);
    assert.deepEqual(expr.TRANSFORMED.args, { Name: 'AWS::Include', Parameters: { Location: 's3://bucket/snippet.yaml' } });
  });

  it('renders intrinsics back as CloudFormation JSON and as short-form text', () => {
    const { value } = data("a: !GetAtt Fn.Arn\nb: !Sub 'x-${Y}'\nc: !Join ['-', [!Ref A, b]]\nd: !Ref X");
    assert.deepEqual(toCfnJson(value), {
      a: { 'Fn::GetAtt': ['Fn', 'Arn'] },
      b: { 'Fn::Sub': 'x-${Y}' },
      c: { 'Fn::Join': ['-', [{ Ref: 'A' }, 'b']] },
      d: { Ref: 'X' },
    });
    assert.equal(describeValue(value.a), '!GetAtt Fn.Arn');
    assert.equal(describeValue(value.b), "!Sub 'x-${Y}'");
    assert.equal(describeValue(value.d), '!Ref X');
    assert.equal(describeValue(value.c), '!Join ["-",[{"Ref":"A"},"b"]]');
  });

  it('follows aliases and merge keys; explicit keys win, earlier merge sources before later', () => {
    const { value } = data('base: &b {x: 1, y: 1}\nmore: &m {y: 2, z: 2}\nuse:\n  <<: [*b, *m]\n  x: 0\nlist: &l [1, 2]\ncopy: *l');
    assert.deepEqual(value.use, { x: 0, y: 1, z: 2 });
    assert.deepEqual(value.copy, [1, 2]);
  });

  it('warns about an unknown tag with its position, suggesting the tag that was likely meant', () => {
    const src = readYaml('a: 1\nb: !GetAt Fn.Arn\nc: !Secret [x]\n');
    assert.deepEqual(
      src.problems.map((p) => [p.code, p.severity, p.range.start.line, p.range.start.column]),
      [
        ['unknown-tag', 'warning', 1, 3],
        ['unknown-tag', 'warning', 2, 3],
      ],
    );
    assert.match(src.problems[0].message, /Did you mean !GetAtt\?/);
    assert.doesNotMatch(src.problems[1].message, /Did you mean/);
  });
});
