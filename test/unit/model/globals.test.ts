import assert from 'node:assert/strict';
import { mergeValues } from '../../../src/core/model/globals';
import { IntrinsicValue } from '../../../src/core/model/intrinsics';

describe('model: SAM Globals merge', () => {
  it('lets the resource win for scalars and on type mismatch', () => {
    assert.equal(mergeValues(10, 20), 20);
    assert.deepEqual(mergeValues('s3://b/k', { Bucket: 'b', Key: 'k' }), { Bucket: 'b', Key: 'k' });
    assert.deepEqual(mergeValues(['a'], 'b'), 'b');
  });

  it('treats an intrinsic as a scalar, as SAM does', () => {
    const local = new IntrinsicValue('If', ['C', { Variables: { A: '1' } }, { Variables: {} }]);
    assert.equal(mergeValues({ Variables: { B: '2' } }, local), local);
  });

  it('concatenates lists, Globals first, keeping duplicates', () => {
    assert.deepEqual(mergeValues(['g1', 'x'], ['x', 'l1']), ['g1', 'x', 'x', 'l1']);
  });

  it('merges maps recursively, the resource winning per key', () => {
    assert.deepEqual(
      mergeValues({ Variables: { A: 'g', B: 'g' }, Other: [1] }, { Variables: { B: 'l', C: 'l' }, Other: [2] }),
      { Variables: { A: 'g', B: 'l', C: 'l' }, Other: [1, 2] },
    );
  });

  it('copies: the Globals value is never changed by a merge', () => {
    const global = { Variables: { A: 'g' } };
    mergeValues(global, { Variables: { A: 'l' } });
    assert.deepEqual(global, { Variables: { A: 'g' } });
  });
});
