import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonValidationContributions, sampleEventDefinition, sampleEventTypeOfFile, validateJson } from '../../../src/core/events';

const ROOT = join(__dirname, '..', '..', '..', '..');

describe('sample events in the manifest and the sample project', () => {
  it('package.json contributes a JSON schema for every sample event type', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { jsonValidation: unknown[] } };
    assert.deepEqual(pkg.contributes.jsonValidation, jsonValidationContributions());
  });

  it('the saved events of examples/ are typed by name and valid against their schemas', () => {
    const dir = join(ROOT, 'examples', 'events');
    const files = readdirSync(dir).flatMap((fn) => readdirSync(join(dir, fn)).map((f) => join(dir, fn, f)));
    assert.ok(files.length >= 2);
    for (const file of files) {
      const type = sampleEventTypeOfFile(file);
      assert.ok(type, `${file} is named <name>.<type>.json`);
      const violations = validateJson(JSON.parse(readFileSync(file, 'utf8')), sampleEventDefinition(type).schema);
      assert.deepEqual(violations, [], file);
    }
  });
});
