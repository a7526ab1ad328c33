import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { parseTemplate } from '../../src/core/model';
import { EXPANSION_FACTOR, EXPANSION_FLOOR } from '../../src/core/model/expansion';
import type { TemplateModel } from '../../src/core/model/types';
import { holds } from './seed';

/** Pieces of SAM templates and of YAML's syntax, so random text often parses, and often nearly. */
const TOKENS = [
  'Resources:', 'Globals:', 'Function:', 'Parameters:', 'Type: AWS::Serverless::Function', 'Type: AWS::Serverless::LayerVersion',
  'Type: CommaDelimitedList', 'Properties:', 'Runtime: nodejs22.x', 'Handler: app.handler', 'CodeUri: src/', 'Layers:', 'Environment:',
  'Variables:', 'Events:', 'Metadata:', 'Default: a,b', 'IgnoreGlobals: "*"', 'F:', 'G:', 'L:', 'P:', 'x', '1', '-1.5e3', 'null', 'true',
  '&a', '&b', '*a', '*b', '<<:', '<<: *a', '- ', ': ', '? ', '!Ref', '!Ref P', '!If [C, 1, 2]', '!Sub', '!GetAtt F.Arn', '!Join', '!Custom',
  '[', ']', '{', '}', ',', '"', "'", '#', '|', '>-', '---', '...', '%YAML 1.2', '!!str', '!!binary', '\\', '\t', '  ', '\u0000', '\uFEFF', 'é', '😀',
];

const yamlish = fc
  .array(fc.tuple(fc.nat({ max: 10 }), fc.array(fc.constantFrom(...TOKENS), { maxLength: 6 })), { maxLength: 40 })
  .map((lines) => lines.map(([indent, parts]) => ' '.repeat(indent) + parts.join(' ')).join('\n'));

/**
 * Templates built to repeat values: anchors whose values alias earlier anchors (fan-out up to 12,
 * so a few levels make an exponential "billion laughs"), merges of them, Globals, and many
 * functions that alias them.
 */
const amplifying = fc
  .record({
    levels: fc.array(fc.record({ fanOut: fc.integer({ min: 1, max: 12 }), map: fc.boolean() }), { minLength: 1, maxLength: 8 }),
    globals: fc.boolean(),
    functions: fc.integer({ min: 1, max: 60 }),
    merge: fc.boolean(),
  })
  .map(({ levels, globals, functions, merge }) => {
    const anchors = levels.map(({ fanOut, map }, i) => {
      const item = i === 0 ? '"leaf"' : `*a${i - 1}`;
      const body = map ? `{${Array.from({ length: fanOut }, (_, k) => `k${k}: ${item}`).join(', ')}}` : `[${Array(fanOut).fill(item).join(', ')}]`;
      return `    A${i}: &a${i} ${body}\n`;
    });
    const top = `a${levels.length - 1}`;
    const useTop = merge && levels[levels.length - 1].map ? `{<<: *${top}, own: 1}` : `*${top}`;
    const fns = Array.from({ length: functions }, (_, i) => `  F${i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: app.handler\n      Tags: ${useTop}\n      Environment: {Variables: {V: *${top}}}\n`);
    const globalsText = globals ? `Globals:\n  Function:\n    Tags: *${top}\n    Layers: [*${top}]\n` : '';
    return `Metadata:\n  Anchors:\n${anchors.join('')}${globalsText}Resources:\n${fns.join('')}`;
  });

/**
 * Functions whose flow collections have lines at any indentation, some left of their key (which
 * SAM reads, and the reader reads leniently), brackets unbalanced now and then.
 */
const FLOW_PARTS = ['a,', '"b",', "'c'", '{k: v},', '[x,', 'y],', ']', '}', '[', '{', '# note', '*a', '&a z,', ':', '---', '...', '!Ref P,'];
const dedented = fc
  .array(fc.array(fc.tuple(fc.nat({ max: 9 }), fc.constantFrom(...FLOW_PARTS)), { maxLength: 12 }), { minLength: 1, maxLength: 20 })
  .map((fns) =>
    `Resources:\n${fns
      .map((lines, i) => `  F${i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: app.handler\n      Layers: [\n${lines.map(([n, part]) => `${' '.repeat(n)}${part}`).join('\n')}\n  ]\n`)
      .join('')}`,
  );

/** Nodes and characters in what the model holds, counted up to `cap` and no further. */
function sizeOf(model: TemplateModel, cap: number): number {
  let size = 0;
  const stack: unknown[] = [model.functions, model.layers, model.httpResources, model.problems];
  while (stack.length > 0 && size <= cap) {
    const v = stack.pop();
    size += typeof v === 'string' ? v.length + 1 : 1;
    if (v !== null && typeof v === 'object') stack.push(...Object.values(v));
  }
  return size;
}

/** Whatever the text, the model comes back, holds no internal error, and is at most linear in the text. */
function readsWithinBounds(text: string): void {
  const model = parseTemplate('/fuzz/template.yaml', text);
  assert.ok(Array.isArray(model.functions) && Array.isArray(model.layers));
  const internal = model.problems.find((p) => p.code === 'internal-error');
  assert.equal(internal, undefined, internal?.message);
  // Ranges and problems are a few nodes each for every unit the reader spends: a linear bound,
  // far below what an unbounded expansion produces.
  const cap = 10 * (EXPANSION_FLOOR + EXPANSION_FACTOR * text.length);
  assert.ok(sizeOf(model, cap) <= cap, 'the model is at most linear in the text');
  const lines = text.split('\n').length;
  for (const p of model.problems) assert.ok(p.range.start.line < lines, `${p.code} is located in the text`);
}

describe('fuzz: template reader', () => {
  it('reads any YAML-ish text without throwing, into a model at most linear in it', async () => {
    await holds(fc.property(fc.oneof(yamlish, fc.string({ maxLength: 400, unit: 'binary' })), readsWithinBounds), 3000, 6000);
  });

  it('reads flow collections at any indentation, as SAM does or as strict YAML does, within its bound', async () => {
    await holds(fc.property(dedented, readsWithinBounds), 1000, 6000);
  });

  it('reads templates built to repeat values within its bound, saying where it stopped', async () => {
    await holds(fc.property(amplifying, readsWithinBounds), 300, 8000);
  });
});
