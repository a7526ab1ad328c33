import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BuildEngine, ELF_MACHINE, elfMachine } from '../../../src/core/build';
import { UserError } from '../../../src/core/errors';
import { filesUnder, hasInterpreter, offlineSettings, type Project, project, recordingTools } from './support';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: provided.al2023
    Handler: bootstrap
Resources:
  GoX86:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: x86/
    Metadata:
      BuildMethod: go1.x
  GoArm:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: arm/
      Architectures: [arm64]
    Metadata:
      BuildMethod: go1.x
`;

describe('build (real go): Go functions become a Linux bootstrap for their architecture', function () {
  this.timeout(90_000);
  let p: Project;
  let recorder: ReturnType<typeof recordingTools>;
  let engine: BuildEngine;

  before(() => {
    p = project(TEMPLATE, { x86: 'go', arm: 'go' });
    recorder = recordingTools();
    engine = new BuildEngine({ cacheDir: p.cacheDir, settings: offlineSettings(), tools: recorder.tools });
  });
  after(() => p.cleanup());

  it('GOOS=linux, GOARCH from Architectures, cgo off: a static ELF named bootstrap, and nothing else', async () => {
    const fns = await p.functions();
    for (const [id, arch] of [['GoX86', 'x86_64'], ['GoArm', 'arm64']] as const) {
      const built = await engine.build(fns[id]);
      assert.deepEqual([built.status, built.builder], ['built', 'go-modules']);
      assert.deepEqual(filesUnder(built.artifactDir!), ['bootstrap']);
      const bootstrap = join(built.artifactDir!, 'bootstrap');
      assert.equal(await elfMachine(bootstrap), ELF_MACHINE[arch], id);
      assert.equal(hasInterpreter(bootstrap), false, 'statically linked: it needs nothing from the runtime');
      assert.ok((statSync(bootstrap).mode & 0o111) !== 0, 'executable');
    }
    assert.deepEqual(recorder.calls, ['go build -o', 'go build -o']);
  });

  it('unchanged: cached; a compile error: a UserError with the compiler message, and the previous binary stays', async () => {
    const fns = await p.functions();
    assert.equal((await engine.build(fns.GoArm)).status, 'cached');
    const bootstrap = join(p.dir, '.lambda-workbench', 'build', 'GoArm', 'bootstrap');
    const before = readFileSync(bootstrap);
    p.write('arm/main.go', `${readFileSync(join(p.dir, 'arm', 'main.go'), 'utf8')}\nfunc broken() { return 1 }\n`);
    await assert.rejects(engine.build(fns.GoArm), (err: unknown) => err instanceof UserError && /go build failed for GoArm/.test(err.message) && /main\.go/.test(err.message));
    assert.ok(readFileSync(bootstrap).equals(before));
  });
});
