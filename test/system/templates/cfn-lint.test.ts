import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTemplate } from '../../../src/core/model';
import type { FunctionSpec } from '../../../src/core/model/types';
import { applyEdits, EVENT_SOURCES, planNewFunction, readProject, RUNTIMES } from '../../../src/core/scaffold';
import { esbuildExternalEdits, planMoveToLayer, planSwitchToImage, useEsbuildEdits } from '../../../src/core/scaffold/fixes';
import { editTemplate, type TemplateEdit } from '../../../src/core/scaffold/template/edit';
import { pkgJson, tempDir, writeTree } from '../../unit/size/fixtures';
import { samTool } from '../build/sam';

// Every template the product writes or edits passes cfn-lint (from scripts/setup.sh's samcli
// venv): New Function's templates for each runtime, language, event source and package type, and
// the quick fixes that edit a template (move a dependency into a new layer, switch to a container
// image, bundle with esbuild, mark modules external). The S3 staging fix only opens a setting, and
// deploys write no template.

interface Match {
  Filename: string;
  Level: string;
  Message: string;
  Rule: { Id: string };
  Location: { Start: { LineNumber: number } };
}

/** cfn-lint's findings (errors, warnings and informational) for the templates, one run for all. */
async function cfnLint(templates: readonly string[]): Promise<Match[]> {
  // Exit 0 when nothing is found, else a bit per level found (2 errors, 4 warnings, 8 informational).
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(samTool('cfn-lint'), ['--format', 'json', '--', ...templates], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    ),
  );
  let matches: Match[];
  try {
    matches = JSON.parse(r.stdout) as Match[];
  } catch {
    assert.fail(`cfn-lint printed no findings list (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  assert.equal(r.code === 0, matches.length === 0, `cfn-lint's exit ${r.code} and its ${matches.length} findings disagree:\n${r.stdout}\n${r.stderr}`);
  return matches;
}

const show = (ms: readonly Match[]): string[] => ms.map((m) => `${m.Filename}:${m.Location.Start.LineNumber} ${m.Level} ${m.Rule.Id} ${m.Message}`);

/** New Function into one template per runtime, language and package type, a function for each event source. */
async function scaffoldAll(root: string): Promise<string[]> {
  const templates: string[] = [];
  for (const runtime of RUNTIMES) {
    for (const language of runtime.languages) {
      for (const packageType of ['zip', 'image'] as const) {
        const templatePath = join(root, `${runtime.id}-${language}-${packageType}`, 'template.yaml');
        mkdirSync(join(templatePath, '..'), { recursive: true });
        for (const [i, event] of EVENT_SOURCES.entries()) {
          const architecture = i % 2 === 0 ? 'x86_64' : 'arm64';
          const plan = planNewFunction({ name: `fn-${event.id}`, runtime: runtime.id, event: event.id, language, packageType, architecture }, await readProject(templatePath));
          await applyEdits(plan.edits);
        }
        templates.push(templatePath);
      }
    }
  }
  return templates;
}

const FIXES_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31

Globals:
  Function:
    Timeout: 10

Resources:
  NodeHeavy:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: app.handler
      CodeUri: node-heavy/
      Events:
        Tick:
          Type: Schedule
          Properties:
            Schedule: rate(1 hour)
  PyHeavy:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.lambda_handler
      CodeUri: py-heavy/
      Architectures: [arm64]
  NodeToImage:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: app.handler
      CodeUri: node-image/
  PyToImage:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.lambda_handler
      CodeUri: py-image/
      MemorySize: 512
  NodeBundled:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: app.handler
      CodeUri: node-bundled/
  NodeMinified:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: app.handler
      CodeUri: node-minified/
`;

/** The fixes applied one after another to one project, as a person would from the Problems panel. */
async function applyFixes(root: string): Promise<string> {
  const template = join(root, 'template.yaml');
  writeTree(root, {
    'template.yaml': FIXES_TEMPLATE,
    'node-heavy/app.js': "exports.handler = async () => require('heavy-lib').run();",
    'node-heavy/package.json': JSON.stringify({ name: 'node-heavy', dependencies: { 'heavy-lib': '^2.1.0' } }),
    'node-heavy/node_modules/heavy-lib/package.json': pkgJson('heavy-lib', {}, { version: '2.1.3' }),
    'node-heavy/node_modules/heavy-lib/index.js': 'exports.run = () => 1;',
    'py-heavy/app.py': 'import numpyish\n\ndef lambda_handler(event, context):\n    return 1\n',
    'py-heavy/requirements.txt': 'numpyish==1.0\n',
    'py-heavy/numpyish/__init__.py': '',
    'py-heavy/numpyish-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: numpyish\nVersion: 1.0\n',
    'py-heavy/numpyish-1.0.dist-info/RECORD': 'numpyish/__init__.py,,\nnumpyish-1.0.dist-info/METADATA,,\nnumpyish-1.0.dist-info/RECORD,,\n',
    'node-image/app.js': 'exports.handler = async () => 1;',
    'node-image/package.json': JSON.stringify({ name: 'node-image', dependencies: {} }),
    'py-image/app.py': 'def lambda_handler(event, context):\n    return 1\n',
    'py-image/requirements.txt': '',
    'node-bundled/app.js': 'exports.handler = async () => 1;',
    'node-minified/app.js': 'exports.handler = async () => 1;',
  });
  const fn = async (id: string): Promise<FunctionSpec> => {
    const model = await loadTemplate(template);
    return model.functions.find((f) => f.logicalId === id) as FunctionSpec;
  };
  const edit = (edits: TemplateEdit[]): void => writeFileSync(template, editTemplate(readFileSync(template, 'utf8'), edits, template).text);
  await applyEdits(planMoveToLayer(await fn('NodeHeavy'), ['heavy-lib']).edits);
  await applyEdits(planMoveToLayer(await fn('PyHeavy'), ['numpyish']).edits);
  await applyEdits(planSwitchToImage(await fn('NodeToImage')).edits);
  await applyEdits(planSwitchToImage(await fn('PyToImage')).edits);
  edit(useEsbuildEdits('NodeBundled', ['@aws-sdk/*']));
  edit(esbuildExternalEdits('NodeBundled', ['sharp']));
  edit(useEsbuildEdits('NodeMinified', []));
  return template;
}

describe('cfn-lint: every template the product writes or edits passes', function () {
  this.timeout(300_000);
  const dir = tempDir('lwb-cfn-lint-');
  let scaffolded: string[];
  let fixed: string;
  let broken: string;
  let matches: Match[];

  before(async () => {
    scaffolded = await scaffoldAll(join(dir.dir, 'scaffold'));
    fixed = await applyFixes(join(dir.dir, 'fixes'));
    // The control: a product-written template made invalid (less memory than Lambda's 128 MB).
    broken = join(dir.dir, 'broken.yaml');
    const text = readFileSync(scaffolded[0], 'utf8');
    assert.match(text, /MemorySize: \d+/);
    writeFileSync(broken, text.replace(/MemorySize: \d+/, 'MemorySize: 1'));
    matches = await cfnLint([...scaffolded, fixed, broken]);
  });
  after(() => dir.cleanup());

  const of = (file: string): Match[] => matches.filter((m) => m.Filename === file);

  it("New Function's templates: every runtime, language, event source, zip and image", () => {
    assert.equal(scaffolded.length, RUNTIMES.reduce((n, r) => n + r.languages.length * 2, 0));
    for (const t of scaffolded) assert.match(readFileSync(t, 'utf8'), new RegExp(`FnKinesis:`), `${t} holds a function per event source`);
    assert.deepEqual(show(scaffolded.flatMap(of)), []);
  });

  it('the quick fixes: a new layer (Node.js, Python), a container image (Node.js, Python), esbuild and External', () => {
    const text = readFileSync(fixed, 'utf8');
    for (const wanted of ['HeavyLibLayer', 'NumpyishLayer', 'PackageType: Image', 'BuildMethod: esbuild', 'sharp', 'Minify: false']) assert.ok(text.includes(wanted), `${wanted} in:\n${text}`);
    assert.deepEqual(show(of(fixed)), []);
  });

  it('an invalid template fails the check', () => {
    const found = of(broken);
    assert.ok(found.some((m) => m.Level === 'Error' && m.Rule.Id === 'E3034'), show(found).join('\n') || 'no findings for the broken template');
  });
});
