import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { LayerRef, LayerSpec } from '../../../src/core/model/types';
import { makeZip } from '../../unit/local/zipFixture';
import { functionSpec, type LocalFixture, localFixture, writeFiles } from './fixture';

const RANGE = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

function localLayer(root: string, logicalId: string, files: Record<string, string>): LayerRef {
  const contentUri = join(root, 'layers', logicalId);
  writeFiles(contentUri, files);
  const layer: LayerSpec = {
    logicalId,
    templatePath: join(root, 'template.yaml'),
    resourceType: 'AWS::Serverless::LayerVersion',
    contentUri,
    compatibleRuntimes: ['nodejs22.x'],
    compatibleArchitectures: ['x86_64'],
    ranges: { resource: RANGE, logicalId: RANGE, properties: {} },
  };
  return { kind: 'local', logicalId, layer };
}

const PROBE = `const fs = require('node:fs');
exports.handler = async () => {
  const tryWrite = (p) => { try { fs.writeFileSync(p, 'x'); return 'written'; } catch (e) { return e.code; } };
  const mods = {};
  for (const m of ['greeting', 'remote-greeting']) { try { mods[m] = require(m); } catch (e) { mods[m] = e.code; } }
  return {
    modules: mods,
    shared: fs.existsSync('/opt/shared.txt') ? fs.readFileSync('/opt/shared.txt', 'utf8') : null,
    tool: fs.existsSync('/opt/bin/tool'),
    opt: fs.readdirSync('/opt').sort(),
    writeOpt: tryWrite('/opt/new.txt'),
    writeTask: tryWrite('/var/task/new.txt'),
    writeRoot: tryWrite('/new.txt'),
    writeTmp: tryWrite('/tmp/new.txt'),
  };
};
`;

describe('local invoke: layers at /opt and Lambda\'s read-only file system (real Docker)', () => {
  let fx: LocalFixture;
  const ARN = 'arn:aws:lambda:us-east-1:123456789012:layer:remote-greeting:7';
  let downloads = 0;
  before(async () => {
    fx = await localFixture({
      layerDownloader: (arn) => {
        downloads++;
        assert.equal(arn, ARN);
        return Promise.resolve(makeZip([{ name: 'nodejs/node_modules/remote-greeting/index.js', data: "module.exports = 'hello from a published layer';" }]));
      },
    });
  });
  after(() => fx?.dispose());

  it('shows a layer folder at /opt, read-only, with /tmp the only writable place', async () => {
    const layer = localLayer(fx.root, 'Greeting', { 'nodejs/node_modules/greeting/index.js': "module.exports = 'hello from a layer';", 'shared.txt': 'A' });
    const fn = functionSpec(fx.root, 'OneLayer', { 'index.js': PROBE }, { layers: [layer] });
    const r = await fx.runner.invoke(fn, {});
    assert.equal(r.error, null, JSON.stringify(r.error));
    assert.deepEqual(r.payload, {
      modules: { greeting: 'hello from a layer', 'remote-greeting': 'MODULE_NOT_FOUND' },
      shared: 'A',
      tool: false,
      opt: ['nodejs', 'shared.txt'],
      writeOpt: 'EROFS',
      writeTask: 'EROFS',
      writeRoot: 'EROFS',
      writeTmp: 'written',
    });
  });

  it('merges several layers in template order, a later one winning, with a published one downloaded once', async () => {
    const a = localLayer(fx.root, 'LayerA', { 'nodejs/node_modules/greeting/index.js': "module.exports = 'hello from A';", 'shared.txt': 'A' });
    const b = localLayer(fx.root, 'LayerB', { 'shared.txt': 'B', 'bin/tool': '#!/bin/sh\necho tool\n' });
    const fn = functionSpec(fx.root, 'ThreeLayers', { 'index.js': PROBE }, { layers: [a, b, { kind: 'arn', arn: ARN }] });
    const r = await fx.runner.invoke(fn, {});
    assert.equal(r.error, null, JSON.stringify(r.error));
    const p = r.payload as { modules: Record<string, string>; shared: string; tool: boolean; opt: string[] };
    assert.deepEqual(p.modules, { greeting: 'hello from A', 'remote-greeting': 'hello from a published layer' });
    assert.equal(p.shared, 'B', 'the later layer wins');
    assert.equal(p.tool, true);
    assert.deepEqual(p.opt, ['bin', 'nodejs', 'shared.txt']);
    await fx.runner.removeContainers(fn);
    const again = await fx.runner.invoke(fn, {});
    assert.equal(again.report.cold, true);
    assert.equal(downloads, 1, 'the published layer came from the cache the second time');
  });

  it('warns about a layer it cannot resolve and runs without it', async () => {
    const fn = functionSpec(fx.root, 'Unresolved', { 'index.js': PROBE }, { layers: [{ kind: 'unresolved', expression: { fn: 'Ref', args: 'LayerParam' } }] });
    const r = await fx.runner.invoke(fn, {});
    assert.equal(r.error, null);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /LayerParam.*cannot be resolved locally/);
    assert.match(await r.settleLogs(), /WARNING The layer !Ref "LayerParam" of Unresolved cannot be resolved locally/);
  });
});
