import assert from 'node:assert/strict';
import { planBuild } from '../../../src/core/build';
import { UserError } from '../../../src/core/errors';
import { functionsOf, samTemplate, tempProject } from './support';

describe('build: choosing the builder like sam build', () => {
  let project: ReturnType<typeof tempProject>;
  let fns: Awaited<ReturnType<typeof functionsOf>>;

  before(async () => {
    project = tempProject(
      samTemplate(
        {
          Python: 'Runtime: python3.12\nHandler: app.handler\nCodeUri: py/',
          Node: 'Runtime: nodejs22.x\nHandler: app.handler\nCodeUri: node/',
          Bundled: 'Runtime: nodejs22.x\nHandler: app.handler\nCodeUri: node/',
          MadePython: 'Runtime: python3.12\nHandler: app.handler\nCodeUri: py/',
          Go: 'Runtime: provided.al2023\nHandler: bootstrap\nCodeUri: go/',
          Provided: 'Runtime: provided.al2\nHandler: bootstrap\nCodeUri: made/',
          Prebuilt: 'Runtime: provided.al2023\nHandler: bootstrap\nCodeUri: prebuilt/',
          Named: 'Runtime: python3.13\nHandler: app.handler\nCodeUri: py/',
          Maven: 'Runtime: java21\nHandler: a.B::handle\nCodeUri: maven/',
          Gradle: 'Runtime: java17\nHandler: a.B::handle\nCodeUri: gradle/',
          NoJavaBuild: 'Runtime: java21\nHandler: a.B::handle\nCodeUri: py/',
          Rust: 'Runtime: provided.al2023\nHandler: bootstrap\nCodeUri: rust/',
          Ruby: 'Runtime: ruby3.3\nHandler: app.handler\nCodeUri: py/',
          Unknown: 'Runtime: python3.12\nHandler: app.handler\nCodeUri: py/',
          OldRuntime: 'Runtime: cobol1.x\nHandler: app.handler\nCodeUri: py/',
          Image: 'PackageType: Image',
          Inline: 'Runtime: python3.12\nHandler: index.handler\nInlineCode: "def handler(e, c): return 1"',
        },
        {
          Bundled: 'BuildMethod: esbuild',
          MadePython: 'BuildMethod: makefile',
          Go: 'BuildMethod: go1.x',
          Named: 'BuildMethod: python3.13',
          Rust: 'BuildMethod: rust-cargolambda',
          Unknown: 'BuildMethod: bazel',
          Image: 'Dockerfile: Dockerfile\nDockerContext: ./img',
        },
      ),
      { 'py/app.py': '', 'node/app.js': '', 'go/main.go': '', 'maven/pom.xml': '<project/>', 'gradle/build.gradle': '', 'gradle/pom.xml': '<project/>', 'rust/Cargo.toml': '', 'img/Dockerfile': '', 'made/Makefile': 'build-Provided:\n', 'prebuilt/bootstrap': '' },
    );
    fns = await functionsOf(project.template);
  });
  after(() => project.cleanup());

  const builderOf = (id: string): string => planBuild(fns[id]).builder;

  it('by runtime when there is no BuildMethod: pip for python, npm for nodejs, make for provided', () => {
    assert.equal(builderOf('Python'), 'python-pip');
    assert.equal(builderOf('Node'), 'nodejs-npm');
    assert.equal(builderOf('Provided'), 'makefile');
  });

  it('a custom runtime folder with no Makefile and no BuildMethod is used as it is: it holds its bootstrap', () => {
    const plan = planBuild(fns.Prebuilt);
    assert.ok(plan.kind === 'skip' && plan.builder === 'none' && /no Makefile/.test(plan.reason), JSON.stringify(plan));
  });

  it('BuildMethod first: makefile over the runtime, go1.x on provided.al2023, a runtime name, rust-cargolambda', () => {
    assert.equal(builderOf('MadePython'), 'makefile');
    assert.equal(builderOf('Go'), 'go-modules');
    assert.equal(builderOf('Named'), 'python-pip');
    assert.equal(builderOf('Rust'), 'rust-cargolambda');
  });

  it('the build unit carries what builders read: code folder, architecture, method and properties', () => {
    const plan = planBuild(fns.Go);
    assert.equal(plan.kind, 'build');
    if (plan.kind !== 'build') return;
    assert.equal(plan.unit.codeDir, `${project.dir}/go`);
    assert.equal(plan.unit.method, 'go1.x');
    assert.equal(plan.unit.architecture, 'x86_64');
    assert.deepEqual(plan.unit.properties, {});
  });

  it('Java by its manifest: Gradle before Maven, an error naming the files when there is neither', () => {
    assert.equal(builderOf('Maven'), 'java-maven');
    assert.equal(builderOf('Gradle'), 'java-gradle');
    assert.throws(() => planBuild(fns.NoJavaBuild), (err: unknown) => err instanceof UserError && /pom\.xml/.test(err.message) && /build\.gradle/.test(err.message));
  });

  it('esbuild is a builder; nothing to build for image and inline functions', () => {
    assert.deepEqual(
      ['Bundled', 'Image', 'Inline'].map((id) => planBuild(fns[id])).map((p) => [p.kind, p.builder]),
      [
        ['build', 'esbuild'],
        ['skip', 'image'],
        ['skip', 'none'],
      ],
    );
    const bundled = planBuild(fns.Bundled);
    assert.ok(bundled.kind === 'build' && bundled.unit.esbuild !== undefined, 'its BuildProperties reach the builder as esbuild reads them');
  });

  it("what SAM cannot build either is a UserError: an unknown BuildMethod (SAM's words), an unknown runtime", () => {
    assert.throws(() => planBuild(fns.Unknown), (err: unknown) => err instanceof UserError && /'bazel' does not have a supported builder/.test(err.message));
    assert.throws(() => planBuild(fns.OldRuntime), (err: unknown) => err instanceof UserError && /cobol1\.x/.test(err.message));
  });

  it('what SAM builds and this product does not yet says so and points to sam build', () => {
    assert.throws(() => planBuild(fns.Ruby), (err: unknown) => err instanceof UserError && /ruby3\.3/.test(err.message) && /sam build/.test(err.hint ?? ''));
  });
});
