import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BuildEngine } from '../../../src/core/build';
import { loadTemplate } from '../../../src/core/model';
import type { LayerSpec } from '../../../src/core/model/types';
import { fileDigests, samBuild } from './sam';
import { offlineSettings, type Project, project } from './support';

// Parity with `sam build`: the same template built by AWS SAM CLI (in a copy of its own) and by our
// engine, from the same offline package folders; each artifact's files and their bytes compared.
//
// Python is 3.11 here. `sam build` without a container (no image can be pulled here) runs pip
// with an interpreter of exactly the function's version, found on PATH as python3.X (its
// validator asserts sys.version_info), and this machine's python3 is 3.11: python3.12 on PATH is
// a pyenv shim that refuses unless PYENV_VERSION selects 3.12, which a developer's machine need
// not have at all. 3.11 is also the version where SAM and we take wheels up to manylinux_2_17 only
// (Lambda's Python 3.11 runs on Amazon Linux 2). The layer is built with BuildMethod python3.11 for
// the same reason.
const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  PyX86:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: py/
      Handler: app.handler
      Runtime: python3.11
  PyArm:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: py/
      Handler: app.handler
      Runtime: python3.11
      Architectures: [arm64]
  PyLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: py/
      CompatibleRuntimes: [python3.11]
    Metadata:
      BuildMethod: python3.11
  NodeNative:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: node/
      Handler: app.handler
      Runtime: nodejs20.x
  GoFn:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: go1.x
      BuildProperties:
        TrimGoPath: true
    Properties:
      CodeUri: go/
      Handler: bootstrap
      Runtime: provided.al2023
`;
// Go writes the source folder's path into the binary unless it builds with -trimpath; the two
// copies live in different folders, so GoFn asks for it (SAM's TrimGoPath, which ours reads too).
const SAMPLES = { py: 'parity-python', node: 'parity-node', go: 'go' };

type Side = 'only in ours' | 'only in sam' | 'different bytes';

interface Justified {
  path: RegExp;
  side: Side;
}

/**
 * Where our artifact may differ from SAM's, and why. Anything else is a mismatch; so is a rule
 * that no file needs any more (the list says exactly how the two differ).
 */
const JUSTIFIED: Record<string, readonly Justified[]> = {
  python: [
    // We install with `pip install --target`, which marks what it installed (PEP 376's INSTALLER,
    // and REQUESTED for what requirements.txt names); SAM unzips the wheels itself. Nothing at run
    // time reads either file.
    { path: /^[^/]+\.dist-info\/INSTALLER$/, side: 'only in ours' },
    { path: /^[^/]+\.dist-info\/REQUESTED$/, side: 'only in ours' },
    // pip rewrites RECORD to list the files it installed (those two among them); SAM keeps the
    // wheel's own. Import does not read RECORD.
    { path: /^[^/]+\.dist-info\/RECORD$/, side: 'different bytes' },
  ],
  'python layer': [
    // The same as a function's, one folder down.
    { path: /^python\/[^/]+\.dist-info\/INSTALLER$/, side: 'only in ours' },
    { path: /^python\/[^/]+\.dist-info\/REQUESTED$/, side: 'only in ours' },
    { path: /^python\/[^/]+\.dist-info\/RECORD$/, side: 'different bytes' },
  ],
  node: [
    // SAM copies the lock file next to package.json to install with it and leaves it there; we
    // install in a folder of our own and ship the files `npm pack` lists (which never include a
    // lock file) plus node_modules. Node does not read a lock file at run time.
    { path: /^package-lock\.json$/, side: 'only in sam' },
  ],
  go: [],
};

function differences(sam: Map<string, string>, ours: Map<string, string>): { path: string; side: Side }[] {
  const out: { path: string; side: Side }[] = [];
  for (const [path, hash] of sam) {
    if (!ours.has(path)) out.push({ path, side: 'only in sam' });
    else if (ours.get(path) !== hash) out.push({ path, side: 'different bytes' });
  }
  for (const path of ours.keys()) if (!sam.has(path)) out.push({ path, side: 'only in ours' });
  return out;
}

/** The differences no rule justifies, and the rules no difference needed. */
function unjustified(diffs: { path: string; side: Side }[], rules: readonly Justified[]): { mismatches: string[]; unused: string[] } {
  const used = new Set<Justified>();
  const mismatches: string[] = [];
  for (const d of diffs) {
    const rule = rules.find((r) => r.side === d.side && r.path.test(d.path));
    if (rule) used.add(rule);
    else mismatches.push(`${d.side}: ${d.path}`);
  }
  return { mismatches, unused: rules.filter((r) => !used.has(r)).map((r) => `${r.side}: ${r.path}`) };
}

describe('build parity with sam build (AWS SAM CLI, offline from the same packages)', function () {
  this.timeout(300_000);
  let ours: Project;
  let theirs: Project;
  let engine: BuildEngine;
  let layers: Record<string, LayerSpec>;
  const samDir = (id: string): string => join(theirs.dir, '.aws-sam-parity', id);

  before(async () => {
    ours = project(TEMPLATE, SAMPLES);
    theirs = project(TEMPLATE, SAMPLES);
    engine = new BuildEngine({ cacheDir: ours.cacheDir, settings: offlineSettings() });
    layers = Object.fromEntries((await loadTemplate(ours.template)).layers.map((l) => [l.logicalId, l]));
    await samBuild(theirs.template, join(theirs.dir, '.aws-sam-parity'));
  });
  after(() => {
    ours?.cleanup();
    theirs?.cleanup();
  });

  const cases: { id: string; family: keyof typeof JUSTIFIED; sample: string }[] = [
    // numpy and pandas: compiled wheels for the function's CPU, and their pure-Python dependencies.
    { id: 'PyX86', family: 'python', sample: 'numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so' },
    { id: 'PyArm', family: 'python', sample: 'numpy/_core/_multiarray_umath.cpython-311-aarch64-linux-gnu.so' },
    // A layer: the sources and the same packages under python/, where Lambda's Python looks in /opt.
    { id: 'PyLayer', family: 'python layer', sample: 'python/numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so' },
    // sharp: its native addon and libvips come as per-platform npm packages (linux x64 here).
    { id: 'NodeNative', family: 'node', sample: 'node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node' },
    { id: 'GoFn', family: 'go', sample: 'bootstrap' },
  ];
  for (const c of cases) {
    it(`${c.id}: the same files with the same bytes as sam build's, but for the differences listed`, async () => {
      const fns = await ours.functions();
      const built = await engine.build(fns[c.id] ?? layers[c.id]);
      assert.equal(built.status, 'built');
      const sam = fileDigests(samDir(c.id));
      const mine = fileDigests(built.artifactDir!);
      assert.ok(sam.has(c.sample), `sam build's artifact holds ${c.sample}`);
      const { mismatches, unused } = unjustified(differences(sam, mine), JUSTIFIED[c.family]);
      assert.deepEqual(mismatches, [], `${c.id} differs from sam build's artifact (${sam.size} files there, ${mine.size} here)`);
      assert.deepEqual(unused, [], `justified differences ${c.id} no longer has: take them off the list`);
    });
  }
});
