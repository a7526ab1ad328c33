import assert from 'node:assert/strict';
import { describeError, sentences, UserError } from '../../src/core/errors';

describe('errors for people', () => {
  it('ends a message that has no stop before its hint, and never doubles one', () => {
    const pull = new UserError('The image x is not on this engine and pulling it failed: no such host', 'Pull it where its registry is reachable.');
    assert.equal(describeError(pull), 'The image x is not on this engine and pulling it failed: no such host. Pull it where its registry is reachable.');
    assert.equal(describeError(new UserError('Docker is not running.', 'Start it.')), 'Docker is not running. Start it.');
    assert.equal(sentences('Docker 27 at unix:///var/run/docker.sock', 'AWS: No region is set.'), 'Docker 27 at unix:///var/run/docker.sock. AWS: No region is set.');
    assert.equal(sentences('Is it running?', '', undefined, 'Try again'), 'Is it running? Try again.');
  });
});
