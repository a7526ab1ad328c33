import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonValidationContributions, SAMPLE_EVENTS } from '../../../src/core/events';

// schemas/events/*.schema.json are what VS Code validates saved samples with (contributes.
// jsonValidation); the TypeScript catalog is their source. Regenerate the files after changing a
// schema with: LWB_WRITE_SCHEMAS=1 node out/test/support/mocha.js out/test/unit/events/schemaFiles.test.js

const ROOT = join(__dirname, '..', '..', '..', '..');
const DIR = join(ROOT, 'schemas', 'events');

const fileText = (schema: unknown) => `${JSON.stringify(schema, null, 2)}\n`;

describe('schema files for saved sample events', () => {
  before(() => {
    if (process.env.LWB_WRITE_SCHEMAS !== '1') return;
    mkdirSync(DIR, { recursive: true });
    for (const def of SAMPLE_EVENTS) writeFileSync(join(DIR, `${def.type}.schema.json`), fileText(def.schema));
  });

  it('holds exactly one schema per sample type, identical to the catalog', () => {
    const files = readdirSync(DIR).sort();
    assert.deepEqual(files, SAMPLE_EVENTS.map((d) => `${d.type}.schema.json`).sort());
    for (const def of SAMPLE_EVENTS) {
      const text = readFileSync(join(DIR, `${def.type}.schema.json`), 'utf8');
      assert.equal(text, fileText(def.schema), `${def.type}.schema.json is out of date; regenerate it (see the top of this test)`);
    }
  });

  it('every jsonValidation url names one of those files', () => {
    for (const entry of jsonValidationContributions()) {
      const text = readFileSync(join(ROOT, entry.url), 'utf8');
      assert.equal((JSON.parse(text) as { $schema: string }).$schema, 'http://json-schema.org/draft-07/schema#');
    }
  });
});
