import assert from 'node:assert/strict';
import { formatShare, tightestLimit } from '../../../src/core/size/headroom';

const zip = (zippedBytes: number | null, totalUnzippedBytes: number | null) => ({ packageType: 'Zip' as const, zippedBytes, totalUnzippedBytes, imageBytes: null });

describe('size: the limit that matters', () => {
  it('picks the limit the package is closest to, and says which', () => {
    assert.equal(formatShare(tightestLimit(zip(592, 671))!), '<1% of 50 MiB zipped');
    // 20 MiB zipped is 40% of 50 MiB; 240 MiB unzipped is 96% of 250 MiB: the unzipped limit is nearer.
    assert.equal(formatShare(tightestLimit(zip(20 * 1024 * 1024, 240 * 1024 * 1024))!), '96% of 250 MiB unzipped');
    assert.equal(formatShare(tightestLimit({ packageType: 'Image', zippedBytes: null, totalUnzippedBytes: null, imageBytes: 5 * 1024 ** 3 })!), '50% of 10 GiB image');
  });

  it('never rounds onto the limit from either side', () => {
    assert.equal(formatShare(tightestLimit(zip(52_428_799, null))!), '99% of 50 MiB zipped');
    assert.equal(formatShare(tightestLimit(zip(52_428_801, null))!), '101% of 50 MiB zipped');
    assert.equal(formatShare(tightestLimit(zip(52_428_800, null))!), '100% of 50 MiB zipped');
  });

  it('leaves out what is not known', () => {
    assert.equal(formatShare(tightestLimit(zip(null, 1_310_720))!), '<1% of 250 MiB unzipped');
    assert.equal(tightestLimit(zip(null, null)), undefined);
  });
});
