import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTemplate, locateHandler } from '../../../src/core/model';

const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'examples');

describe('locateHandler', () => {
  it('finds the Node.js and Python handlers of the sample project at their definitions', async () => {
    const model = await loadTemplate(join(EXAMPLES, 'template.yaml'));
    const node = await locateHandler(model.functions.find((f) => f.logicalId === 'HelloNode')!);
    assert.deepEqual(node, { file: join(EXAMPLES, 'hello-node', 'app.mjs'), exportName: 'handler', line: 3 });
    const python = await locateHandler(model.functions.find((f) => f.logicalId === 'HelloPython')!);
    assert.deepEqual(python, { file: join(EXAMPLES, 'hello-python', 'app.py'), exportName: 'lambda_handler', line: 10 });
  });

  it('finds CommonJS exports, and says nothing for a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-locate-'));
    try {
      writeFileSync(join(dir, 'template.yaml'), 'Resources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: lib/main.run\n      CodeUri: .\n  B:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: nope.run\n      CodeUri: .\n');
      mkdirSync(join(dir, 'lib'));
      writeFileSync(join(dir, 'lib', 'main.cjs'), "'use strict';\n\nconst x = 1;\nexports.run = async () => x;\n");
      const model = await loadTemplate(join(dir, 'template.yaml'));
      assert.deepEqual(await locateHandler(model.functions[0]), { file: join(dir, 'lib', 'main.cjs'), exportName: 'run', line: 3 });
      assert.equal(await locateHandler(model.functions[1]), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
