import assert from 'node:assert/strict';
import { isAlias, isScalar, type Node, parseDocument, visit } from 'yaml';
import { scanDocument } from '../../../src/core/model/scan';
import { CFN_TAGS } from '../../../src/core/model/tags';

const parse = (text: string) => parseDocument(text, { customTags: CFN_TAGS, merge: true, uniqueKeys: false });
const keyLines = (text: string) => {
  const at = (offset?: number) => (offset === undefined ? -1 : text.slice(0, offset).split('\n').length);
  return scanDocument(parse(text)).duplicates.map((d) => `${String(d.ignored.value)}:${at(d.ignored.range?.[0])}->${at(d.kept.range?.[0])}`);
};

describe('model: one walk finds duplicate keys and alias targets', () => {
  it('finds each key given again in small and large mappings, each at the nearest earlier one, in document order', () => {
    const large = Array.from({ length: 12 }, (_, i) => `  k${i}: ${i}`).join('\n');
    const text = `a: 1\nb: 2\na: 3\na: 4\nbig:\n${large}\n  k3: again\n  "1": string\n  1: number\n`;
    assert.deepEqual(keyLines(text), ['a:1->3', 'a:3->4', 'k3:9->18']);
  });

  it('leaves sequences of single pairs, merge keys and different scalar types alone', () => {
    assert.deepEqual(keyLines('s: [a: 1, a: 2]\nm:\n  <<: {x: 1}\n  <<: {y: 2}\nt:\n  1: a\n  "1": b\n  true: c\n  "true": d\n'), []);
  });

  it('resolves each alias to the last node before it with that anchor, and an unknown one to null', () => {
    const doc = parse('a: &x 1\nb: *x\nc: &x 2\nd: *x\ne: *nope\nf: &self [*self]\n');
    const { aliases } = scanDocument(doc);
    const seen: [string, unknown][] = [];
    visit(doc, {
      Alias(_k, alias) {
        const target = aliases.get(alias);
        seen.push([alias.source, target === null ? null : isScalar(target) ? target.value : 'collection']);
      },
    });
    assert.deepEqual(seen, [
      ['x', 1],
      ['x', 2],
      ['nope', null],
      ['self', 'collection'],
    ]);
    // The same targets yaml's own (quadratic) resolution finds.
    visit(doc, {
      Alias(_k, alias) {
        if (alias.source !== 'nope') assert.equal(aliases.get(alias), alias.resolve(doc) as Node);
      },
    });
    assert.ok([...aliases.keys()].every((a) => isAlias(a)));
  });

  it('walks a document nested far deeper than any template without overflowing the stack', () => {
    const depth = 2_000;
    const text = `${'- '.repeat(1)}${'['.repeat(depth)}a: 1${']'.repeat(depth)}\n`;
    const doc = parse(text);
    assert.doesNotThrow(() => scanDocument(doc));
  });
});
