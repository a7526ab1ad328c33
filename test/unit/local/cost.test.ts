import assert from 'node:assert/strict';
import { formatInvocationCost, formatUsd } from '../../../src/core/local/report';
import { invocationCostUsd } from '../../../src/core/limits';

describe('invocation cost as people read it', () => {
  it('writes small amounts out to two significant digits, never as an exponent', () => {
    assert.equal(formatUsd(4.4e-6), '$0.0000044');
    assert.equal(formatUsd(2.8125e-6), '$0.0000028');
    assert.equal(formatUsd(5.083e-7), '$0.00000051');
    assert.equal(formatUsd(1e-6), '$0.000001');
    assert.equal(formatUsd(0.004), '$0.004');
    assert.equal(formatUsd(0), '$0');
  });

  it('writes a cent or more in cents', () => {
    assert.equal(formatUsd(4.4), '$4.40');
    assert.equal(formatUsd(0.0123), '$0.01');
    assert.equal(formatUsd(1234.5), '$1234.50');
  });

  it('says what a million such invocations cost', () => {
    assert.equal(formatInvocationCost(4.4e-6), '$0.0000044 ($4.40 per million)');
    // A real figure: 256 MB for 100 ms on x86_64, with the request charge.
    assert.equal(formatInvocationCost(invocationCostUsd(100, 256, 'x86_64')), '$0.00000062 ($0.62 per million)');
  });
});
