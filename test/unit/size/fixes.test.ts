import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../src/core/errors';
import { loadTemplate } from '../../../src/core/model';
import type { FunctionSpec } from '../../../src/core/model/types';
import { applyEdits } from '../../../src/core/scaffold';
import { planMoveToLayer, planSwitchToImage } from '../../../src/core/scaffold/fixes';
import { type FixAction, type FunctionSize, SizeEngine } from '../../../src/core/size';
import { lineDiff, listFiles } from '../scaffold/support';
import { pkgJson, tempDir, writeTree } from './fixtures';

// The two fixes that move files: planned from real folders and template text, applied, then
// measured again. The template must read back as intended and the finding must be gone.

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31

Globals:
  Function:
    Timeout: 10

Resources:
  # The function under test.
  Heavy:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: RUNTIME
      Handler: HANDLER
      CodeUri: heavy/
      MemorySize: 512 # tuned
      Events:
        Tick:
          Type: Schedule
          Properties:
            Schedule: rate(1 hour)

  Queue:
    Type: AWS::SQS::Queue
`;

function template(runtime: string, handler: string, extra = ''): string {
  return TEMPLATE.replace('RUNTIME', runtime).replace('HANDLER', handler).replace('      MemorySize: 512 # tuned\n', `      MemorySize: 512 # tuned\n${extra}`);
}

describe('size fixes that move files: a layer, a container image', () => {
  let t: ReturnType<typeof tempDir>;
  let engine: SizeEngine;
  beforeEach(() => {
    t = tempDir('lwb-fixes-');
    engine = new SizeEngine({ workers: 0 });
  });
  afterEach(async () => {
    await engine.dispose();
    t.cleanup();
  });

  async function heavy(): Promise<FunctionSpec> {
    const model = await loadTemplate(join(t.dir, 'template.yaml'));
    assert.deepEqual(model.problems.filter((p) => p.severity === 'error'), []);
    return model.functions.find((f) => f.logicalId === 'Heavy') as FunctionSpec;
  }

  const actionsOf = (s: FunctionSize, code: string): FixAction[] | undefined => s.findings.find((f) => f.code === code)?.actions;

  it('moves a dominant npm package with what it depends on into a new layer, and the finding clears', async () => {
    writeTree(t.dir, {
      'template.yaml': template('nodejs22.x', 'app.handler'),
      'heavy/app.js': "exports.handler = async () => require('heavy-lib').run();",
      'heavy/package.json': '{\n    "name": "heavy",\n    "dependencies": {\n        "heavy-lib": "^2.1.0",\n        "small": "^1.0.0"\n    }\n}\n',
      'heavy/package-lock.json': '{}',
      'heavy/node_modules/heavy-lib/package.json': pkgJson('heavy-lib', { 'heavy-dep': '*' }, { version: '2.1.3' }),
      'heavy/node_modules/heavy-lib/model.bin': randomBytes(1_500_000),
      'heavy/node_modules/heavy-lib/node_modules/pinned/package.json': pkgJson('pinned'),
      'heavy/node_modules/heavy-dep/package.json': pkgJson('heavy-dep'),
      'heavy/node_modules/heavy-dep/index.js': 'module.exports = 1;',
      'heavy/node_modules/small/package.json': pkgJson('small', { 'heavy-dep': '*' }),
      'heavy/node_modules/small/index.js': 'module.exports = 2;',
    });
    const fn = await heavy();
    const before = await engine.measure(fn);
    assert.deepEqual(actionsOf(before, 'dominant-package'), [{ kind: 'move-to-layer', manifest: join(t.dir, 'heavy', 'package.json'), packages: ['heavy-lib'] }]);

    const files = listFiles(t.dir);
    const plan = planMoveToLayer(fn, ['heavy-lib']);
    assert.deepEqual(listFiles(t.dir), files, 'planning writes nothing');
    assert.equal(plan.title, 'Move heavy-lib into a new layer, HeavyLibLayer');
    assert.match(plan.changes.join('\n'), /Move heavy-lib and 1 package it depends on from heavy\/node_modules to layers\/heavy-lib\/nodejs\/node_modules/);
    assert.match(plan.notes.join('\n'), /other dependencies use heavy-dep too/);
    assert.match(plan.notes.join('\n'), /npm install in heavy to update its package-lock\.json/);
    await applyEdits(plan.edits);

    assert.deepEqual(listFiles(join(t.dir, 'layers')), [
      'heavy-lib/nodejs/node_modules/heavy-dep/index.js',
      'heavy-lib/nodejs/node_modules/heavy-dep/package.json',
      'heavy-lib/nodejs/node_modules/heavy-lib/model.bin',
      'heavy-lib/nodejs/node_modules/heavy-lib/node_modules/pinned/package.json',
      'heavy-lib/nodejs/node_modules/heavy-lib/package.json',
      'heavy-lib/nodejs/package.json',
    ]);
    assert.deepEqual(JSON.parse(readFileSync(join(t.dir, 'layers/heavy-lib/nodejs/package.json'), 'utf8')).dependencies, { 'heavy-lib': '^2.1.0' });
    // The function's manifest keeps its own indentation and its other dependency.
    assert.equal(readFileSync(join(t.dir, 'heavy/package.json'), 'utf8'), '{\n    "name": "heavy",\n    "dependencies": {\n        "small": "^1.0.0"\n    }\n}\n');
    assert.ok(existsSync(join(t.dir, 'heavy/node_modules/small/index.js')));

    const text = readFileSync(join(t.dir, 'template.yaml'), 'utf8');
    assert.deepEqual(lineDiff(template('nodejs22.x', 'app.handler'), text).removed, [], 'no line of the template is changed or removed');
    const after = await heavy();
    const layer = after.layers[0];
    assert.ok(layer.kind === 'local');
    assert.equal(layer.logicalId, 'HeavyLibLayer');
    assert.equal(layer.layer.contentUri, join(t.dir, 'layers', 'heavy-lib'));
    assert.deepEqual(layer.layer.compatibleRuntimes, ['nodejs22.x']);

    const measured = await engine.measure(after);
    assert.equal(actionsOf(measured, 'dominant-package'), undefined, 'the finding is gone');
    assert.ok((measured.unzippedBytes as number) < 10_000, `the function is small now: ${measured.unzippedBytes}`);
    assert.ok((measured.layersUnzippedBytes as number) > 1_500_000, 'the layer holds the package, measured');
  });

  it('moves a Python distribution (its RECORD says which files) into python/ of a new layer', async () => {
    writeTree(t.dir, {
      'template.yaml': template('python3.13', 'app.lambda_handler'),
      'layers/numpyish/keep.txt': 'an older folder of that name',
      'heavy/app.py': 'import numpyish\n\ndef lambda_handler(event, context):\n    return 1\n',
      'heavy/requirements.txt': '# pinned\nNumpyish==1.0 ; python_version >= "3.9"\nrequests>=2\n',
      'heavy/numpyish/__init__.py': '',
      'heavy/numpyish/core.so': randomBytes(1_500_000),
      'heavy/numpyish.libs/libz.so': randomBytes(1000),
      'heavy/numpyish-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: numpyish\nVersion: 1.0\n',
      'heavy/numpyish-1.0.dist-info/RECORD':
        'numpyish/__init__.py,sha256=x,0\nnumpyish/core.so,sha256=y,1500000\nnumpyish.libs/libz.so,,\nnumpyish-1.0.dist-info/METADATA,,\n"numpyish-1.0.dist-info/RECORD",,\n../../bin/numpyish-cli,,\n',
      'heavy/requests/__init__.py': 'x',
      'heavy/requests-2.0.dist-info/METADATA': 'Name: requests\nVersion: 2.0\n',
      'heavy/requests-2.0.dist-info/RECORD': 'requests/__init__.py,,\n',
    });
    const fn = await heavy();
    const before = await engine.measure(fn);
    assert.deepEqual(actionsOf(before, 'dominant-package'), [{ kind: 'move-to-layer', manifest: join(t.dir, 'heavy', 'requirements.txt'), packages: ['numpyish'] }]);

    const plan = planMoveToLayer(fn, ['numpyish']);
    assert.equal(plan.title, 'Move numpyish into a new layer, Numpyish2Layer', 'the folder name that is taken is not reused');
    await applyEdits(plan.edits);
    assert.deepEqual(listFiles(join(t.dir, 'layers', 'numpyish2')), [
      'python/numpyish-1.0.dist-info/METADATA',
      'python/numpyish-1.0.dist-info/RECORD',
      'python/numpyish.libs/libz.so',
      'python/numpyish/__init__.py',
      'python/numpyish/core.so',
      'python/requirements.txt',
    ]);
    assert.match(readFileSync(join(t.dir, 'layers/numpyish2/python/requirements.txt'), 'utf8'), /\nNumpyish==1\.0 ; python_version >= "3\.9"\n$/);
    assert.equal(readFileSync(join(t.dir, 'heavy/requirements.txt'), 'utf8'), '# pinned\nrequests>=2\n');
    assert.deepEqual(listFiles(join(t.dir, 'heavy')), ['app.py', 'requests-2.0.dist-info/METADATA', 'requests-2.0.dist-info/RECORD', 'requests/__init__.py', 'requirements.txt']);

    const after = await heavy();
    assert.deepEqual(after.layers.map((l) => (l.kind === 'local' ? l.layer.contentUri : undefined)), [join(t.dir, 'layers', 'numpyish2')]);
    const measured = await engine.measure(after);
    assert.equal(actionsOf(measured, 'dominant-package'), undefined);
    assert.ok((measured.layersUnzippedBytes as number) > 1_500_000);
  });

  it('refuses what it cannot move cleanly, and writes nothing', async () => {
    writeTree(t.dir, {
      'template.yaml': template('python3.13', 'app.lambda_handler'),
      'heavy/app.py': 'def lambda_handler(event, context):\n    return 1\n',
      'heavy/google/api/__init__.py': '',
      'heavy/google/protobuf/__init__.py': '',
      'heavy/api_core-1.0.dist-info/RECORD': 'google/api/__init__.py,,\n',
      'heavy/protobuf-4.0.dist-info/RECORD': 'google/protobuf/__init__.py,,\n',
    });
    const files = listFiles(t.dir);
    const fn = await heavy();
    assert.throws(() => planMoveToLayer(fn, ['api_core']), (err: unknown) => err instanceof UserError && /api_core and protobuf are installed into the same folder \(google\)/.test(err.message));
    assert.throws(() => planMoveToLayer(fn, ['pandas']), (err: unknown) => err instanceof UserError && /No installed distribution provides pandas/.test(err.message));
    const five = { ...fn, layers: Array.from({ length: 5 }, (_, i) => ({ kind: 'arn' as const, arn: `arn:aws:lambda:us-east-1:123456789012:layer:l${i}:1` })) };
    assert.throws(() => planMoveToLayer(five, ['api_core']), (err: unknown) => err instanceof UserError && /already has 5 layers/.test(err.message));
    assert.deepEqual(listFiles(t.dir), files);
  });

  it('switches a Python function to a container image; the zip finding turns into the image estimate', async () => {
    writeTree(t.dir, {
      'template.yaml': template('python3.13', 'app.lambda_handler', '      Architectures:\n        - arm64\n'),
      'heavy/app.py': 'def lambda_handler(event, context):\n    return 1\n',
      'heavy/requirements.txt': '',
      'heavy/model.bin': randomBytes(200_000),
    });
    const fn = await heavy();
    const before = await engine.measure(fn, { warnAt: 0.001 });
    assert.deepEqual(actionsOf(before, 'zip-near-direct-upload'), [{ kind: 'use-image' }]);

    const plan = planSwitchToImage(fn);
    assert.equal(plan.title, 'Switch Heavy to a container image');
    await applyEdits(plan.edits);
    assert.equal(
      readFileSync(join(t.dir, 'heavy/Dockerfile'), 'utf8'),
      'FROM public.ecr.aws/lambda/python:3.13\nCOPY requirements.txt ${LAMBDA_TASK_ROOT}/\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . ${LAMBDA_TASK_ROOT}/\n# The base image\'s entrypoint starts the Python runtime with this handler.\nCMD ["app.lambda_handler"]\n',
    );
    assert.equal(readFileSync(join(t.dir, 'heavy/.dockerignore'), 'utf8'), '__pycache__\n*.pyc\n.aws-sam\n');
    const text = readFileSync(join(t.dir, 'template.yaml'), 'utf8');
    const diff = lineDiff(template('python3.13', 'app.lambda_handler', '      Architectures:\n        - arm64\n'), text);
    assert.deepEqual(diff.removed, ['      Runtime: python3.13', '      Handler: app.lambda_handler', '      CodeUri: heavy/']);
    assert.deepEqual(diff.added, ['      PackageType: Image', '    Metadata:', '      Dockerfile: Dockerfile', '      DockerContext: ./heavy', '      DockerTag: python3.13-v1']);

    const after = await heavy();
    assert.equal(after.packageType, 'Image');
    assert.equal(after.architecture, 'arm64');
    assert.deepEqual(after.image, { dockerfile: join(t.dir, 'heavy', 'Dockerfile'), dockerContext: join(t.dir, 'heavy'), dockerTag: 'python3.13-v1' });
    const measured = await engine.measure(after, { warnAt: 0.001 });
    assert.equal(measured.source, 'image');
    assert.deepEqual(measured.findings.map((f) => f.code), ['image-size-estimated']);
    assert.match(measured.findings[0].message, /build context alone is 19\d KiB/);
  });

  it('writes a Node.js Dockerfile that installs from package.json, and keeps a Dockerfile that is there', async () => {
    writeTree(t.dir, {
      'template.yaml': template('nodejs20.x', 'src/app.handler'),
      'heavy/src/app.js': 'exports.handler = async () => 1;',
      'heavy/package.json': '{}',
    });
    const plan = planSwitchToImage(await heavy());
    const dockerfile = plan.edits.find((e) => e.path.endsWith('Dockerfile'));
    assert.ok(dockerfile?.kind === 'create');
    assert.equal(
      dockerfile.content,
      'FROM public.ecr.aws/lambda/nodejs:20\nCOPY package*.json ${LAMBDA_TASK_ROOT}/\nRUN npm install --omit=dev --no-audit --no-fund\nCOPY . ${LAMBDA_TASK_ROOT}/\n# The base image\'s entrypoint starts the Node.js runtime with this handler.\nCMD ["src/app.handler"]\n',
    );
    assert.deepEqual(plan.edits.find((e) => e.path.endsWith('.dockerignore')), { kind: 'create', path: join(t.dir, 'heavy', '.dockerignore'), content: 'node_modules\n.aws-sam\n' });

    writeTree(t.dir, { 'heavy/Dockerfile': 'FROM mine\n' });
    const again = planSwitchToImage(await heavy());
    assert.equal(again.edits.some((e) => e.path.endsWith('Dockerfile')), false);
    assert.match(again.changes[0], /Dockerfile already in heavy/);
  });

  it('refuses to switch a function with layers, or one whose Runtime comes from Globals', async () => {
    writeTree(t.dir, { 'heavy/app.py': 'def lambda_handler(event, context):\n    return 1\n' });
    writeTree(t.dir, { 'template.yaml': template('python3.13', 'app.lambda_handler', '      Layers:\n        - arn:aws:lambda:us-east-1:123456789012:layer:x:1\n') });
    const withLayer = await heavy();
    assert.throws(() => planSwitchToImage(withLayer), (err: unknown) => err instanceof UserError && /uses a layer, and Lambda does not attach layers/.test(err.message));
    writeTree(t.dir, { 'template.yaml': template('python3.13', 'app.lambda_handler').replace('    Timeout: 10\n', '    Timeout: 10\n    Runtime: python3.13\n') });
    const globalRuntime = await heavy();
    assert.throws(() => planSwitchToImage(globalRuntime), (err: unknown) => err instanceof UserError && /takes Runtime from Globals\.Function/.test(err.message));
    assert.deepEqual(listFiles(t.dir), ['heavy/app.py', 'template.yaml']);
  });
});
