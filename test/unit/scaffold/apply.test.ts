import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../src/core/errors';
import { applyEdits, planNewFunction, readProject, type FileEdit } from '../../../src/core/scaffold';
import { listFiles, tempDir } from './support';

describe('applying scaffold edits', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('apply');
  });
  afterEach(() => dir.remove());

  it('writes every file and leaves no temporary file behind', async () => {
    const path = join(dir.path, 'template.yaml');
    const plan = planNewFunction({ name: 'jobs', runtime: 'python3.13', event: 'sqs' }, await readProject(path));
    const written = await applyEdits(plan.edits);
    assert.deepEqual(written, plan.edits.map((e) => e.path));
    for (const e of plan.edits) assert.equal(readFileSync(e.path, 'utf8'), e.content);
    assert.ok(listFiles(dir.path).every((f) => !f.includes('.lwb-tmp')));
  });

  it('never overwrites: one existing target means nothing is written at all', async () => {
    const path = join(dir.path, 'template.yaml');
    const plan = planNewFunction({ name: 'jobs', runtime: 'python3.13', event: 'sqs' }, await readProject(path));
    // Someone creates the sample event between planning and applying.
    const sample = plan.sampleEventFile;
    mkdirSync(join(sample, '..'), { recursive: true });
    writeFileSync(sample, 'theirs');
    await assert.rejects(applyEdits(plan.edits), (err: unknown) => err instanceof UserError && /already exists/.test(err.message));
    assert.equal(readFileSync(sample, 'utf8'), 'theirs');
    assert.deepEqual(listFiles(dir.path), ['events/Jobs/batch.sqs.json']);
  });

  it('rolls back the files it created when a later one cannot be created', async () => {
    const a = join(dir.path, 'new', 'deep', 'a.txt');
    const b = join(dir.path, 'b.txt');
    const edits: FileEdit[] = [
      { kind: 'create', path: a, content: 'a' },
      { kind: 'create', path: b, content: 'b' },
    ];
    // c belongs inside b.txt, which is a file by the time c is written: c fails, and a and b go away again.
    const failing = [...edits, { kind: 'create' as const, path: join(dir.path, 'b.txt', 'c.txt'), content: 'c' }];
    await assert.rejects(applyEdits(failing));
    assert.ok(!existsSync(a) && !existsSync(b));
    assert.ok(!existsSync(join(dir.path, 'new')), 'folders it made are removed');
  });

  it('moves folders into new places, and moves them back when a later move fails', async () => {
    writeFileSync(join(dir.path, 'keep.txt'), 'k');
    mkdirSync(join(dir.path, 'from', 'pkg'), { recursive: true });
    writeFileSync(join(dir.path, 'from', 'pkg', 'index.js'), 'x');
    writeFileSync(join(dir.path, 'from', 'single.py'), 'y');
    const moves: FileEdit[] = [
      { kind: 'move', from: join(dir.path, 'from', 'pkg'), path: join(dir.path, 'to', 'deep', 'pkg') },
      // keep.txt is a file: nothing can be moved into it, so this one fails after the first moved.
      { kind: 'move', from: join(dir.path, 'from', 'single.py'), path: join(dir.path, 'keep.txt', 'single.py') },
    ];
    await assert.rejects(applyEdits(moves));
    assert.deepEqual(listFiles(dir.path), ['from/pkg/index.js', 'from/single.py', 'keep.txt']);

    await applyEdits([moves[0], { kind: 'create', path: join(dir.path, 'to', 'deep', 'list.txt'), content: 'pkg' }]);
    assert.deepEqual(listFiles(dir.path), ['from/single.py', 'keep.txt', 'to/deep/list.txt', 'to/deep/pkg/index.js']);
    await assert.rejects(applyEdits([moves[0]]), (err: unknown) => err instanceof UserError && /already exists/.test(err.message));
  });

  it('refuses to update a template that changed since the plan', async () => {
    const path = join(dir.path, 'template.yaml');
    writeFileSync(path, 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n');
    const plan = planNewFunction({ name: 'jobs', runtime: 'python3.13', event: 'sns' }, await readProject(path));
    writeFileSync(path, 'Transform: AWS::Serverless-2016-10-31\nResources: {}\n');
    await assert.rejects(applyEdits(plan.edits), (err: unknown) => err instanceof UserError && /changed since/.test(err.message));
    assert.deepEqual(listFiles(dir.path), ['template.yaml']);
  });

  it("describes the template change as one text edit an editor can apply", async () => {
    const path = join(dir.path, 'template.yaml');
    const before = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n';
    writeFileSync(path, before);
    const plan = planNewFunction({ name: 'jobs', runtime: 'python3.13', event: 'schedule' }, await readProject(path));
    const update = plan.edits.find((e) => e.kind === 'update');
    assert.ok(update && update.kind === 'update');
    const { start, end, text } = update.change;
    assert.equal(before.slice(0, start) + text + before.slice(end), update.content);
  });
});
