import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildEngine } from '../../../src/core/build';
import { UserError } from '../../../src/core/errors';
import { filesUnder, type Project, project } from './support';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  MadeFn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: provided.al2023
      Handler: bootstrap
      CodeUri: made/
    Metadata:
      BuildMethod: makefile
  NoTarget:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: provided.al2023
      Handler: bootstrap
      CodeUri: made/
`;

describe('build (real make): BuildMethod makefile runs build-<LogicalId> as SAM does', function () {
  this.timeout(30_000);
  let p: Project;
  let engine: BuildEngine;
  before(() => {
    p = project(TEMPLATE, { made: 'makefile' });
    engine = new BuildEngine({ cacheDir: p.cacheDir });
  });
  after(() => p.cleanup());

  it('the target fills ARTIFACTS_DIR, working in a copy of the code folder', async () => {
    const fns = await p.functions();
    const built = await engine.build(fns.MadeFn);
    assert.deepEqual([built.status, built.builder], ['built', 'makefile']);
    assert.deepEqual(filesUnder(built.artifactDir!), ['bootstrap', 'workdir.txt']);
    assert.notEqual(readFileSync(join(built.artifactDir!, 'workdir.txt'), 'utf8').trim(), join(p.dir, 'made'));
    assert.ok(!existsSync(join(p.dir, 'made', 'made-here.txt')), 'the code folder is left as it was');
    assert.equal((await engine.build(fns.MadeFn)).status, 'cached');
  });

  it('a provided runtime without BuildMethod is a make build too; a missing target is named', async () => {
    const fns = await p.functions();
    await assert.rejects(engine.build(fns.NoTarget), (err: unknown) => err instanceof UserError && /no build-NoTarget target/.test(err.message));
  });
});
