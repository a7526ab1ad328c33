import assert from 'node:assert/strict';
import { invocationCostUsd, LIMITS } from '../../src/core/limits';

function near(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-15, `${actual} is ${expected}`);
}

describe('limits', () => {
  it('states the byte limits exactly (MiB, not MB)', () => {
    assert.equal(LIMITS.zippedDirectUploadBytes, 50 * 1024 * 1024);
    assert.equal(LIMITS.unzippedWithLayersBytes, 262_144_000);
    assert.equal(LIMITS.imageBytes, 10 * 1024 ** 3);
    assert.equal(LIMITS.directUploadRequestBytes, Math.ceil((LIMITS.zippedDirectUploadBytes * 4) / 3));
    assert.equal(LIMITS.layersPerFunction, 5);
  });

  it('prices an invocation per GB-second plus the request', () => {
    // 1 s at 1024 MB is one GB-second.
    near(invocationCostUsd(1000, 1024, 'x86_64'), 0.0000002 + 0.0000166667);
    near(invocationCostUsd(1000, 1024, 'arm64'), 0.0000002 + 0.0000133334);
    near(invocationCostUsd(1, 128, 'arm64'), 0.0000002 + 0.125 * 0.001 * 0.0000133334);
  });
});
