import assert from 'node:assert/strict';
import { invocationCostUsd, LIMITS } from '../../src/core/limits';

function near(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-15, `${actual} is ${expected}`);
}

describe('limits', () => {
  it('states the byte limits exactly (MiB, not MB)', () => {
    // The figures as AWS publishes them, not recomputed from the constants under test.
    assert.equal(LIMITS.zippedDirectUploadBytes, 52_428_800);
    assert.equal(LIMITS.unzippedWithLayersBytes, 262_144_000);
    assert.equal(LIMITS.imageBytes, 10_737_418_240);
    // Lambda's own error text for an oversized direct upload: "Request must be smaller than 69905067 bytes".
    assert.equal(LIMITS.directUploadRequestBytes, 69_905_067);
    assert.equal(LIMITS.layersPerFunction, 5);
  });

  it('prices an invocation per GB-second plus the request', () => {
    // 1 s at 1024 MB is one GB-second.
    near(invocationCostUsd(1000, 1024, 'x86_64'), 0.0000002 + 0.0000166667);
    near(invocationCostUsd(1000, 1024, 'arm64'), 0.0000002 + 0.0000133334);
    near(invocationCostUsd(1, 128, 'arm64'), 0.0000002 + 0.125 * 0.001 * 0.0000133334);
  });
});
