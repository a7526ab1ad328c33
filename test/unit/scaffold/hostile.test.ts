import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { UserError } from '../../../src/core/errors';
import { insertIntoTemplate } from '../../../src/core/scaffold/template/insert';
import type { TemplateAdditions } from '../../../src/core/scaffold/template/values';

/** Inserting into templates built to make yaml's own checks slow: it finishes, or refuses in words. */
const ADD: TemplateAdditions = {
  entries: { Parameters: {}, Resources: { Added: { Type: 'AWS::Serverless::Function', Properties: { Handler: 'app.handler' } } }, Outputs: {} },
  comments: [],
};
const HEAD = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n';

describe('scaffold: hostile templates', () => {
  it('inserts into a template with a mapping of many keys (duplicates found by hash, not by scanning)', () => {
    const tags = Array.from({ length: 40_000 }, (_, i) => `        K${i}: v\n`).join('');
    const { text } = insertIntoTemplate(`${HEAD}      Tags:\n${tags}`, ADD);
    const data = parseDocument(text, { uniqueKeys: false }).toJS() as { Resources: Record<string, { Properties: { Tags?: Record<string, string> } }> };
    assert.equal(data.Resources.Added.Properties.Tags, undefined);
    assert.equal(Object.keys(data.Resources.F.Properties.Tags ?? {}).length, 40_000);
  });

  it('still refuses a template with a duplicate key, naming where', () => {
    assert.throws(
      () => insertIntoTemplate(`${HEAD}      Runtime: nodejs22.x\n      Runtime: python3.13\n`, ADD),
      (err: unknown) => err instanceof UserError && /line 7, column 7: Map keys must be unique/.test(err.message),
    );
  });

  it('refuses, in words, a template whose aliases yaml would not expand', () => {
    const chain = Array.from({ length: 3000 }, (_, i) => `  A${i + 1}: &a${i + 1} [*a${i}]\n`).join('');
    const text = `Transform: AWS::Serverless-2016-10-31\nMetadata:\n  A0: &a0 [x]\n${chain}Resources:\n  F:\n    Type: AWS::Serverless::Function\n`;
    assert.throws(
      () => insertIntoTemplate(text, ADD),
      (err: unknown) => err instanceof UserError && err.code === 'template-aliases' && /Make this change by hand/.test(err.hint ?? ''),
    );
  });
});
