import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BuildEngine, ELF_MACHINE } from '../../../src/core/build';
import { loadTemplate } from '../../../src/core/model';
import type { FunctionSpec, LayerSpec } from '../../../src/core/model/types';
import { SizeEngine } from '../../../src/core/size';
import { type LocalFixture, localFixture } from '../local/fixture';
import { filesUnder, machinesOf, offlineSettings, type Project, project, recordingTools } from './support';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  PyDeps:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: pylayer/
      CompatibleRuntimes: [python3.12]
      CompatibleArchitectures: [arm64]
    Metadata:
      BuildMethod: python3.12
      BuildArchitecture: arm64
  NodeDeps:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: nodelayer/
      CompatibleRuntimes: [nodejs22.x]
    Metadata:
      BuildMethod: nodejs22.x
  Made:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: madelayer/
    Metadata:
      BuildMethod: makefile
  WrongCpu:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: pylayer/
      CompatibleArchitectures: [arm64]
    Metadata:
      BuildMethod: python3.12
  Plain:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: madelayer/
  UsesNode:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      CodeUri: fn/
      Layers: [!Ref NodeDeps]
`;

const MAKEFILE = `build-Made:
\tmkdir -p $(ARTIFACTS_DIR)/bin
\tcp tool.sh $(ARTIFACTS_DIR)/bin/tool
\tchmod +x $(ARTIFACTS_DIR)/bin/tool
`;

describe('build (real pip, npm, make): layers with a BuildMethod, as sam build lays them out', function () {
  this.timeout(120_000);
  let p: Project;
  let engine: BuildEngine;
  let layers: Record<string, LayerSpec>;
  let fns: Record<string, FunctionSpec>;

  before(async () => {
    p = project(TEMPLATE, { pylayer: 'python', nodelayer: 'node' });
    mkdirSync(join(p.dir, 'madelayer'));
    mkdirSync(join(p.dir, 'fn'));
    p.write('madelayer/Makefile', MAKEFILE);
    p.write('madelayer/tool.sh', '#!/bin/sh\necho tool\n');
    p.write('fn/index.js', "exports.handler = async () => ({ debug: typeof require('debug') });\n");
    engine = new BuildEngine({ cacheDir: p.cacheDir, settings: offlineSettings(), tools: recordingTools().tools });
    const model = await loadTemplate(p.template);
    assert.deepEqual(model.problems.filter((x) => x.severity === 'error'), []);
    layers = Object.fromEntries(model.layers.map((l) => [l.logicalId, l]));
    fns = Object.fromEntries(model.functions.map((f) => [f.logicalId, f]));
  });
  after(() => p.cleanup());

  it('python3.12: sources and requirements under python/, wheels for the BuildArchitecture (aarch64)', async () => {
    const built = await engine.build(layers.PyDeps);
    assert.deepEqual([built.status, built.builder, built.kind], ['built', 'python-pip', 'layer']);
    const files = filesUnder(built.artifactDir!);
    assert.ok(files.every((f) => f.startsWith('python/')), files.join(', '));
    assert.ok(files.includes('python/six.py') && files.includes('python/app.py'), files.join(', '));
    const machines = Object.values(await machinesOf(built.artifactDir!, '.so'));
    assert.ok(machines.length > 0 && machines.every((m) => m === ELF_MACHINE.arm64), JSON.stringify(machines));
  });

  it('nodejs22.x: the package and its production dependencies under nodejs/ (nodejs/node_modules is where Node looks in /opt)', async () => {
    const built = await engine.build(layers.NodeDeps);
    assert.deepEqual([built.status, built.builder], ['built', 'nodejs-npm']);
    const files = filesUnder(built.artifactDir!);
    assert.ok(files.every((f) => f.startsWith('nodejs/')), files.join(', '));
    assert.ok(files.includes('nodejs/package.json') && files.includes('nodejs/node_modules/debug/package.json'), files.join(', '));
    assert.ok(!files.some((f) => f.startsWith('nodejs/node_modules/is-number/')), 'no devDependencies');
  });

  it('makefile: make build-<LayerId> lays the whole layer out in ARTIFACTS_DIR', async () => {
    const built = await engine.build(layers.Made);
    assert.deepEqual([built.status, built.builder], ['built', 'makefile']);
    assert.deepEqual(filesUnder(built.artifactDir!), ['bin/tool']);
    assert.ok((statSync(join(built.artifactDir!, 'bin', 'tool')).mode & 0o111) !== 0, 'executable');
  });

  it('a layer without a BuildMethod is not built; one built for a CPU it does not list is refused with the fix', async () => {
    const [plain, wrong] = await engine.buildAll([layers.Plain, layers.WrongCpu]);
    assert.deepEqual([plain.status, plain.builder, plain.artifactDir], ['skipped', 'none', null]);
    assert.deepEqual([wrong.status, wrong.kind], ['failed', 'layer'], 'a failed layer is still reported as a layer');
    assert.match(wrong.reason ?? '', /WrongCpu is built for x86_64 \(the default when Metadata\.BuildArchitecture is not set\), which its CompatibleArchitectures \(arm64\) does not list/);
    assert.match(wrong.hint ?? '', /BuildArchitecture/);
  });

  it('sizes: a function counts its layer as an estimate until the layer is built, then the artifact, byte for byte', async () => {
    const fresh = project(TEMPLATE, { pylayer: 'python', nodelayer: 'node' });
    mkdirSync(join(fresh.dir, 'fn'));
    fresh.write('fn/index.js', 'exports.handler = async () => 1;\n');
    try {
      const builds = new BuildEngine({ cacheDir: fresh.cacheDir, settings: offlineSettings() });
      const sizes = new SizeEngine({ workers: 0, builds });
      const model = await loadTemplate(fresh.template);
      const fn = model.functions.find((f) => f.logicalId === 'UsesNode')!;
      const layer = model.layers.find((l) => l.logicalId === 'NodeDeps')!;
      const before = await sizes.measure(fn);
      assert.equal(before.layers[0].estimate, true, before.layers[0].detail);
      assert.equal(before.estimate, true, 'the size with layers is an estimate');
      assert.match(before.layers[0].detail, /not built yet/);
      // Its declared dependency is in no cache and no node_modules: named, and the function is not "ok".
      assert.deepEqual(before.layers[0].uncounted, ['debug']);
      assert.notEqual(before.status, 'ok');
      assert.ok(before.findings.some((f) => f.code === 'dependencies-not-counted' && /Layer NodeDeps/.test(f.message)), JSON.stringify(before.findings));

      const built = await builds.build(layer);
      const after = await sizes.measure(fn);
      assert.equal(after.layers[0].estimate, undefined);
      assert.match(after.layers[0].detail, /built artifact/);
      const bytes = filesUnder(built.artifactDir!).reduce((n, f) => n + statSync(join(built.artifactDir!, f)).size, 0);
      assert.equal(after.layers[0].unzippedBytes, bytes);
      const inputs = await sizes.collectInputs({ kind: 'layer', spec: layer });
      assert.ok(inputs.every((i) => i.name.startsWith('nodejs/')), inputs.map((i) => i.name).join(', '));
      await sizes.dispose();
    } finally {
      fresh.cleanup();
    }
  });

  describe('local runs (real Docker)', () => {
    let fx: LocalFixture;
    before(async () => {
      fx = await localFixture({ builds: engine });
    });
    after(() => fx?.dispose());

    it("mount the layer's artifact at /opt: the function requires a package only the layer's build installed", async () => {
      const r = await fx.runner.invoke(fns.UsesNode, {});
      assert.equal(r.error, null, JSON.stringify(r.error));
      assert.deepEqual(r.payload, { debug: 'function' });
    });
  });
});
