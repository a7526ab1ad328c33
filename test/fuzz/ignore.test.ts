import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import ignore from 'ignore';
import { isIgnored, parseIgnore } from '../../src/core/size';
import { holds } from './seed';

/** A glob segment from a small alphabet, so random patterns often match random paths. */
const atom = fc.constantFrom('a', 'b', '.', '*', '?', '[ab]', '[!a]', '[a-b]', '\\*');
const segment = fc.oneof({ weight: 1, arbitrary: fc.constant('**') }, { weight: 6, arbitrary: fc.array(atom, { minLength: 1, maxLength: 3 }).map((a) => a.join('')) });
const pattern = fc
  .record({ negate: fc.boolean(), leading: fc.boolean(), segments: fc.array(segment, { minLength: 1, maxLength: 3 }), dirOnly: fc.boolean() })
  .map(({ negate, leading, segments, dirOnly }) => `${negate ? '!' : ''}${leading ? '/' : ''}${segments.join('/')}${dirOnly ? '/' : ''}`);
const path = fc.array(fc.constantFrom('a', 'b', 'ab', 'ba', 'a.b', '.a', 'b.', '*', '[a]'), { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));

/** Left out of a package the way the size walk decides: a folder on the way is, or the file is. */
function excluded(patterns: ReturnType<typeof parseIgnore>, rel: string): boolean {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) if (isIgnored(patterns, parts.slice(0, i).join('/'), true)) return true;
  return isIgnored(patterns, rel, false) !== undefined;
}

describe('fuzz: .lambdaignore matching', () => {
  it('agrees with the ignore package (gitignore semantics) on random patterns and paths', async () => {
    await holds(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 5 }), fc.array(path, { minLength: 1, maxLength: 8 }), (patterns, paths) => {
        const ours = parseIgnore(patterns.join('\n'));
        const reference = ignore({ ignorecase: false }).add(patterns);
        for (const rel of paths) assert.equal(excluded(ours, rel), reference.ignores(rel), `${JSON.stringify(patterns)} on '${rel}'`);
      }),
      3000,
      5000,
    );
  });

  it('never throws and answers at once on any pattern, against long names', async () => {
    const anyPattern = fc.string({ maxLength: 60, unit: fc.constantFrom('*', '?', 'a', 'b', '/', '[', ']', '!', '\\', '-', ' ', '#', 'é', '\u0000') });
    const longName = fc.tuple(fc.constantFrom('a', 'ab', 'a/'), fc.integer({ min: 100, max: 3000 })).map(([unit, n]) => unit.repeat(n));
    await holds(
      fc.property(fc.array(anyPattern, { maxLength: 6 }), longName, fc.boolean(), (patterns, rel, isDir) => {
        const parsed = parseIgnore(patterns.join('\n'));
        const decided = isIgnored(parsed, rel, isDir);
        assert.ok(decided === undefined || parsed.includes(decided));
      }),
      400,
      4000,
    );
  });
});
