import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SizeEngine } from '../../src/core/size';
import { until, workbenchApi, workspaceRoot } from './api';

/** Sizes kept current as files are saved: the size service re-measures from the watcher's changed paths. */
describe('size after an edit', function () {
  this.timeout(90_000);
  const root = (): string => workspaceRoot().fsPath;
  const template = (): string => join(root(), 'template.yaml');
  const dir = (): string => join(root(), 'edited');
  let original = '';

  before(async () => {
    original = readFileSync(template(), 'utf8');
    for (let i = 0; i < 30; i++) {
      mkdirSync(join(dir(), `lib${i % 3}`), { recursive: true });
      writeFileSync(join(dir(), `lib${i % 3}`, `m${i}.mjs`), `export const v${i} = ${JSON.stringify('value '.repeat(10 + i))};\n`);
    }
    writeFileSync(join(dir(), 'app.mjs'), 'export const handler = async () => 1;\n');
    const { model } = await workbenchApi();
    writeFileSync(template(), original.replace('  WorkQueue:\n', '  Edited:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: app.handler\n      CodeUri: edited/\n\n  WorkQueue:\n'));
    await until('the new function', model.onDidChange, () => (model.functions().some((f) => f.logicalId === 'Edited') ? true : undefined));
  });

  after(() => {
    if (original) writeFileSync(template(), original);
    rmSync(dir(), { recursive: true, force: true });
  });

  it('re-measures each saved edit, with the figures a new measurement of the folder gives', async () => {
    const { model, sizes } = await workbenchApi();
    const fn = model.functions().find((f) => f.logicalId === 'Edited');
    assert.ok(fn);
    await sizes.flush();
    let last: number | null | undefined = sizes.get(fn)?.zippedBytes;
    assert.equal(typeof last, 'number');
    for (const [i, file] of ['app.mjs', 'lib1/m4.mjs', 'lib2/m5.mjs'].entries()) {
      appendFileSync(join(dir(), file), `// edit ${i}: ${'more '.repeat(200 + i)}\n`);
      const before = last;
      // Generous: the other tiers run beside this one, and each save also re-reads the template.
      const now = await until(
        `the size after editing ${file}`,
        sizes.onDidMeasure,
        (): number | null | undefined => {
          const z: number | null | undefined = sizes.get(fn)?.zippedBytes;
          return z !== before ? z : undefined;
        },
        30_000,
      );
      const fresh = new SizeEngine({ workers: 0 });
      try {
        const whole = await fresh.measure(fn);
        assert.equal(now, whole.zippedBytes, `after editing ${file}`);
        assert.equal(sizes.get(fn)?.unzippedBytes, whole.unzippedBytes);
      } finally {
        await fresh.dispose();
      }
      last = now;
    }
  });

  it('sees an edit deep in a folder tree moved in at once, where the file watcher does not watch', async () => {
    const { model, sizes } = await workbenchApi();
    const fn = model.functions().find((f) => f.logicalId === 'Edited');
    assert.ok(fn);
    await sizes.flush();
    const measured = (): number | null | undefined => sizes.get(fn)?.zippedBytes;
    const before = measured();
    // Built beside the workspace (same file system), then renamed in: the watcher is told of the
    // top folder only, and on Linux never watches the folders inside it.
    const outside = mkdtempSync(join(dirname(root()), 'lwb-moved-'));
    const deep = join(outside, 'tree', 'a', 'b', 'c', 'deep.mjs');
    mkdirSync(dirname(deep), { recursive: true });
    writeFileSync(deep, `export const deep = ${JSON.stringify('deep '.repeat(40))};\n`);
    renameSync(join(outside, 'tree'), join(dir(), 'moved'));
    rmSync(outside, { recursive: true, force: true });
    let measurements = 0;
    const counting = sizes.onDidMeasure(() => measurements++);
    let withTree: number | null | undefined;
    try {
      withTree = await until('the size with the moved tree', sizes.onDidMeasure, () => (measured() !== before ? measured() : undefined), 30_000);
      // The check of every file that follows a re-measure from the watcher's paths: after it, only
      // the check of functions holding a created folder can see the edit below.
      const seen = measurements;
      await until('the check of every file after the move', sizes.onDidMeasure, () => (measurements > seen ? true : undefined), 30_000);
    } finally {
      counting.dispose();
    }
    appendFileSync(join(dir(), 'moved', 'a', 'b', 'c', 'deep.mjs'), `// ${'edited deep '.repeat(300)}\n`);
    const now = await until('the size after editing the deep file', sizes.onDidMeasure, () => (measured() !== withTree ? measured() : undefined), 30_000);
    const fresh = new SizeEngine({ workers: 0 });
    try {
      assert.equal(now, (await fresh.measure(fn)).zippedBytes);
    } finally {
      await fresh.dispose();
    }
  });
});
