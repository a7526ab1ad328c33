import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BuildEngine } from '../../../src/core/build';
import { QUICK_MAVEN_JVM } from '../../../src/core/build/builders/mavenImage';
import { UserError } from '../../../src/core/errors';
import { filesUnder, offlineSettings, type Project, project, recordingTools } from './support';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Java:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: java17
      Handler: example.Handler::handleRequest
      CodeUri: java/
`;

describe('build (real maven): Java functions are their classes plus runtime dependency jars in lib/', function () {
  this.timeout(60_000);
  let p: Project;
  let recorder: ReturnType<typeof recordingTools>;
  let engine: BuildEngine;
  before(() => {
    p = project(TEMPLATE, { java: 'java-maven' });
    recorder = recordingTools();
    engine = new BuildEngine({ cacheDir: p.cacheDir, settings: offlineSettings(), tools: recorder.tools });
  });
  after(() => p.cleanup());

  it('mvn clean install, then the runtime-scope dependencies, in one Maven run: no test-scope jar, nothing from target/ but classes', async () => {
    const fns = await p.functions();
    const built = await engine.build(fns.Java);
    assert.deepEqual([built.status, built.builder], ['built', 'java-maven']);
    assert.deepEqual(filesUnder(built.artifactDir!), ['example/Handler.class', 'lib/com.amazonaws.aws-lambda-java-core-1.2.3.jar']);
    assert.deepEqual(recorder.calls, ['mvn --batch-mode -Dstyle.color=never'], 'one Maven run: install, then the runtime-scope dependencies copied out');
    // Maven's JVM ran without the optimising compiler, unless the user says otherwise.
    assert.equal(recorder.envs[0].MAVEN_OPTS, process.env.MAVEN_OPTS ?? QUICK_MAVEN_JVM);
    assert.equal((await engine.build(fns.Java)).status, 'cached');
  });

  it("the user's MAVEN_OPTS is Maven's, whatever the build would choose", async () => {
    const own = recordingTools();
    const settings = offlineSettings();
    const engine2 = new BuildEngine({ cacheDir: join(p.dir, '.own-opts-cache'), settings: { ...settings, env: { ...settings.env, MAVEN_OPTS: '-Xmx384m' } }, tools: own.tools });
    const built = await engine2.build((await p.functions()).Java, { force: true });
    assert.equal(built.status, 'built');
    assert.equal(own.envs[0].MAVEN_OPTS, '-Xmx384m');
  });

  it('a compile error is a UserError with the compiler message; the previous artifact stays', async () => {
    const fns = await p.functions();
    const before = filesUnder(join(p.dir, '.lambda-workbench', 'build', 'Java'));
    p.write('java/src/main/java/example/Broken.java', 'package example; class Broken { int x = "no"; }\n');
    await assert.rejects(engine.build(fns.Java), (err: unknown) => err instanceof UserError && /mvn clean install failed for Java/.test(err.message) && /Broken\.java/.test(err.message));
    assert.deepEqual(filesUnder(join(p.dir, '.lambda-workbench', 'build', 'Java')), before);
  });
});
