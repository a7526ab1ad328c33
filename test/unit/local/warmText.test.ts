import assert from 'node:assert/strict';
import { type WarmState, warmText } from '../../../src/core/local';

const state = (over: Partial<WarmState>): WarmState => ({ logicalId: 'Fn', templatePath: '/p/template.yaml', target: 2, warm: 2, starting: false, ...over });

describe('local: the Functions view words for a warm pool', () => {
  it('says how many containers are warm, on the row and its child', () => {
    assert.deepEqual(warmText(state({})), { short: '2 warm', detail: '2 warm containers' });
    assert.deepEqual(warmText(state({ target: 1, warm: 1 })), { short: '1 warm', detail: '1 warm container' });
  });

  it('says when containers are starting or replaced after a save', () => {
    assert.deepEqual(warmText(state({ warm: 0, starting: true })), { short: '0/2 warm', detail: '0 warm containers of 2, starting…' });
    assert.deepEqual(warmText(state({ warm: 1, starting: false })), { short: '1 warm', detail: '1 warm container of 2' });
  });

  it('says why they could not start and when it tries again', () => {
    const text = warmText(state({ warm: 0, error: 'Fn could not start: Error: boom.', retryInMs: 4_000 }));
    assert.equal(text.short, '0/2 warm');
    assert.equal(text.detail, '0 warm containers of 2: could not start: Fn could not start: Error: boom.; trying again in 4 s');
    assert.match(warmText(state({ warm: 0, error: 'x', retryInMs: 300_000 })).detail, /trying again in 5 min$/);
  });

  it('shows nothing on the row when the setting keeps none', () => {
    assert.equal(warmText(state({ target: 0, warm: 0 })).short, '');
  });
});
