import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BuildEngine } from '../../../src/core/build';
import { UserError } from '../../../src/core/errors';
import type { FunctionSpec } from '../../../src/core/model/types';
import { functionsOf, NO_TOOLS, samTemplate, tempProject } from './support';

describe('build: a missing toolchain is named, with where to get it', () => {
  let project: ReturnType<typeof tempProject>;
  let fns: Record<string, FunctionSpec>;
  let engine: BuildEngine;

  before(async () => {
    project = tempProject(
      samTemplate(
        {
          Py: 'Runtime: python3.12\nHandler: app.handler\nCodeUri: py/',
          Node: 'Runtime: nodejs22.x\nHandler: app.handler\nCodeUri: node/',
          Go: 'Runtime: provided.al2023\nHandler: bootstrap\nCodeUri: go/',
          Made: 'Runtime: provided.al2023\nHandler: bootstrap\nCodeUri: made/',
          Maven: 'Runtime: java21\nHandler: a.B::handle\nCodeUri: maven/',
          Gradle: 'Runtime: java21\nHandler: a.B::handle\nCodeUri: gradle/',
          Rust: 'Runtime: provided.al2023\nHandler: bootstrap\nCodeUri: rust/',
        },
        { Go: 'BuildMethod: go1.x', Rust: 'BuildMethod: rust-cargolambda' },
      ),
      {
        'py/app.py': '',
        'py/requirements.txt': 'six\n',
        'node/package.json': '{"name":"n","version":"1.0.0","dependencies":{"ms":"2.1.3"}}',
        'go/main.go': '',
        'made/Makefile': 'build-Made:\n\ttrue\n',
        'maven/pom.xml': '<project/>',
        'gradle/build.gradle': '',
        'rust/Cargo.toml': '',
      },
    );
    fns = await functionsOf(project.template);
    // The builds' own PATH (a setting like any other environment variable) leads nowhere.
    const empty = join(project.dir, 'no-tools');
    mkdirSync(empty);
    engine = new BuildEngine({ cacheDir: join(project.dir, 'cache'), settings: { env: { PATH: empty } }, tools: NO_TOOLS });
  });
  after(() => project.cleanup());

  const cases: [string, RegExp, RegExp][] = [
    ['Py', /needs Python 3 with pip/, /python\.org/],
    ['Node', /needs npm/, /nodejs\.org/],
    ['Go', /needs Go/, /go\.dev\/dl/],
    ['Made', /needs make/, /apt-get install make/],
    ['Maven', /needs Apache Maven/, /maven\.apache\.org/],
    ['Gradle', /needs Gradle/, /gradle\.org\/install/],
    ['Rust', /needs Rust \(cargo\)/, /rustup\.rs/],
  ];
  for (const [id, message, hint] of cases) {
    it(`${id}: ${message.source.replace(/\\/g, '')}`, async () => {
      await assert.rejects(engine.build(fns[id]), (err: unknown) => {
        assert.ok(err instanceof UserError, String(err));
        assert.match(err.message, message);
        assert.match(err.message, new RegExp(`^Building ${id} `));
        assert.match(err.hint ?? '', hint);
        assert.equal(err.code, 'build-toolchain-missing');
        return true;
      });
    });
  }
});
