import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cancellationSource, CancelledError } from '../../../src/core/cancel';
import { checkHandlers, parseTemplate } from '../../../src/core/model';
import { nodeExports, pythonDefines } from '../../../src/core/model/exports';
import { fixture, problemList } from './fixtures';

describe('model: handler checks', () => {
  it('reports missing files, missing exports and bad handlers at the Handler; missing folders at CodeUri', async () => {
    const model = parseTemplate(fixture('handlers', 'template.yaml'));
    assert.deepEqual(problemList(model), [], 'parsing alone touches no code');
    const found = await checkHandlers(model);
    assert.deepEqual(problemList(found), [
      'handler-not-found@33',
      'handler-export-missing@38',
      'handler-invalid@43',
      'handler-export-missing@64',
      'code-not-found@78',
      'handler-export-missing@101',
    ]);
    assert.deepEqual(model.problems, found, 'added to the model too');
    const [noFile, noExport, invalid, pyNoDef, noFolder] = found;
    assert.match(noFile.message, /Handler 'missing\.handler': no missing\.js, missing\.mjs or missing\.cjs in node\//);
    assert.match(noExport.message, /node\/esm\.mjs does not export 'nothere'/);
    assert.match(invalid.message, /must name a file and a function/);
    assert.match(pyNoDef.message, /py\/app\.py does not define 'missing'/);
    assert.match(noFolder.message, /does-not-exist\/ does not exist.*fix CodeUri/);
    assert.ok(found.every((p) => p.severity === 'error'));
    // Handler ranges cover the value, e.g. `esm.nothere`.
    assert.deepEqual(noExport.range, { start: { line: 37, column: 15 }, end: { line: 37, column: 26 } });
  });

  it('finds TypeScript sources of esbuild functions through EntryPoints, and says when a build is missing', async () => {
    const model = parseTemplate(fixture('esbuild', 'template.yaml'));
    const found = await checkHandlers(model);
    assert.deepEqual(problemList(found), ['handler-not-found@31', 'handler-export-missing@36']);
    assert.match(found[0].message, /There is other\.ts: TypeScript needs a build, so add Metadata with BuildMethod: esbuild/);
    assert.match(found[1].message, /src\/app\.ts does not export 'main'/);
  });

  it('passes every function of the fixtures that is written right', async () => {
    for (const name of ['globals', 'short-tags', 'conditions', 'anchors', 'json-flow', 'unknown-tags', 'nested-app', 'lambda-function', 'image']) {
      const model = parseTemplate(fixture(name, 'template.yaml'));
      assert.deepEqual(problemList(await checkHandlers(model)), [], name);
    }
  });

  it('re-checks after the code changes, replacing its earlier findings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-handlers-'));
    try {
      cpSync(fixture('handlers'), dir, { recursive: true });
      const model = parseTemplate(join(dir, 'template.yaml'));
      await checkHandlers(model);
      assert.ok(problemList(model).includes('handler-not-found@33'));
      writeFileSync(join(dir, 'node', 'missing.mjs'), 'export async function handler() {}\n');
      await checkHandlers(model);
      assert.ok(!problemList(model).includes('handler-not-found@33'));
      assert.equal(problemList(model).length, 5, 'the other findings once each');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops when cancelled', async () => {
    const model = parseTemplate(fixture('handlers', 'template.yaml'));
    const source = cancellationSource();
    source.cancel();
    await assert.rejects(checkHandlers(model, { token: source.token }), CancelledError);
  });
});

describe('model: reading exports from source text', () => {
  const yes = (src: string, name = 'handler') => assert.equal(nodeExports(src, name), 'yes', src);
  const no = (src: string, name = 'handler') => assert.equal(nodeExports(src, name), 'no', src);
  const unknown = (src: string, name = 'handler') => assert.equal(nodeExports(src, name), 'unknown', src);

  it('finds the ways Node modules export a function', () => {
    yes('export const handler = async () => {}');
    yes('export async function handler(event) {}');
    yes('export function* handler() {}');
    yes('export let handler;');
    yes('const h = 1;\nexport { h as handler };');
    yes('export { other, handler } from "./x.js";');
    yes('export const handler: Handler<APIGatewayProxyEventV2> = async () => ({})');
    yes('exports.handler = async () => {}');
    yes('module.exports.handler = function () {}');
    yes('exports["handler"] = x');
    yes('module.exports = { other, handler };');
    yes('module.exports = {\n  async handler(event) {}\n};');
    yes('module.exports = { "handler": fn };');
    yes('Object.defineProperty(exports, "handler", { enumerable: true, get: function () { return h; } });');
    yes('export default async () => {}', 'default');
  });

  it('says no only when sure', () => {
    no('export const handlers = 1;');
    no('export { handler as main };');
    no('// export const handler = 1;\nexport const other = 2;');
    no('const handler = () => {};');
    no('module.exports = { other };');
    unknown('export * from "./impl.js";');
    unknown('module.exports = require("./impl");');
    unknown('Object.assign(module.exports, require("./impl"));');
  });

  it('finds Python functions, assignments and imports', () => {
    assert.equal(pythonDefines('def handler(event, context):\n    pass', 'handler'), 'yes');
    assert.equal(pythonDefines('async def handler(event, context):\n    pass', 'handler'), 'yes');
    assert.equal(pythonDefines('handler = Mangum(app)', 'handler'), 'yes');
    assert.equal(pythonDefines('handler: Callable = make()', 'handler'), 'yes');
    assert.equal(pythonDefines('from .impl import handler', 'handler'), 'yes');
    assert.equal(pythonDefines('from .impl import (\n    other,\n    handler,\n)', 'handler'), 'yes');
    assert.equal(pythonDefines('import impl.main as handler', 'handler'), 'yes');
    assert.equal(pythonDefines('def handler_v2(event, context):\n    pass', 'handler'), 'no');
    assert.equal(pythonDefines('if handler == 1:\n    pass', 'handler'), 'no');
    assert.equal(pythonDefines('from .impl import *', 'handler'), 'unknown');
  });
});
