import assert from 'node:assert/strict';
import { validateJson, type JsonSchema } from '../../../src/core/events';

describe('JSON Schema subset validator', () => {
  const schema: JsonSchema = {
    type: 'object',
    required: ['id', 'tags'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', pattern: '^[a-z]+$', minLength: 2 },
      count: { type: 'integer', minimum: 1 },
      kind: { enum: ['a', 'b'] },
      fixed: { const: 'x' },
      tags: { type: 'array', minItems: 1, items: { type: 'string' } },
      maybe: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      'a/b': { type: 'boolean' },
    },
  };

  it('accepts a conforming value', () => {
    assert.deepEqual(validateJson({ id: 'ab', count: 2, kind: 'a', fixed: 'x', tags: ['t'], maybe: null, 'a/b': true }, schema), []);
  });

  it('reports each kind of violation at its JSON pointer', () => {
    const problems = validateJson({ id: 'A', count: 1.5, kind: 'c', fixed: 'y', tags: [], maybe: 3, extra: 1, 'a/b': 'no' }, schema);
    const byPath = new Map<string, string>();
    for (const p of problems) byPath.set(p.path, [byPath.get(p.path), p.message].filter(Boolean).join('; '));
    assert.match(byPath.get('/id') ?? '', /does not match|shorter/);
    assert.match(byPath.get('/count') ?? '', /expected integer/);
    assert.match(byPath.get('/kind') ?? '', /one of "a", "b"/);
    assert.match(byPath.get('/fixed') ?? '', /expected "x"/);
    assert.match(byPath.get('/tags') ?? '', /fewer than 1/);
    assert.match(byPath.get('/maybe') ?? '', /none of the allowed shapes/);
    assert.match(byPath.get('/extra') ?? '', /unexpected property/);
    assert.match(byPath.get('/a~1b') ?? '', /expected boolean/);
    assert.deepEqual(
      validateJson({ tags: ['x', 2] }, schema).map((p) => `${p.path}: ${p.message}`),
      [": missing required property 'id'", '/tags/1: expected string, got number'],
    );
  });

  it('refuses schemas that use keywords it does not implement', () => {
    assert.throws(() => validateJson({}, { type: 'object', maxProperties: 1 } as unknown as JsonSchema), /outside the supported subset/);
  });
});
