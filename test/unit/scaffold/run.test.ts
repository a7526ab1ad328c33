import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { applyEdits, EVENT_SOURCES, planNewFunction, readProject, type ScaffoldPlan } from '../../../src/core/scaffold';
import { ESBUILD_BIN, output, pythonFor, pythonLabel, readTemplate, run, tempDir } from './support';

// The generated unit tests run as generated: JavaScript with node --test (no install), Python with
// unittest (standard library only), TypeScript through its own npm test script with the real esbuild.
// Go (and the compiled runtimes) are checked by their real compilers in the system tier
// (test/system/build/scaffold.test.ts), offline from the build tests' package cache.

interface Project {
  dir: { path: string; remove(): void };
  plans: Map<string, ScaffoldPlan>;
}

/** One template holding a function per event source, all in one language. */
async function projectWith(language: string, runtime: string, packageType = 'zip'): Promise<Project> {
  const dir = tempDir(`run-${language}`);
  const templatePath = join(dir.path, 'template.yaml');
  const plans = new Map<string, ScaffoldPlan>();
  for (const source of EVENT_SOURCES) {
    const plan = planNewFunction({ name: `${language}-${source.id}`, runtime, event: source.id, language, packageType }, await readProject(templatePath));
    await applyEdits(plan.edits);
    plans.set(source.id, plan);
  }
  return { dir, plans };
}

const RESULT_MARK = '@@handler-result@@';

/** What each kind of handler answers its own sample event with. */
function assertAnswer(source: string, result: unknown): void {
  if (['http-api', 'rest-api', 'function-url', 'alb'].includes(source)) {
    assert.equal((result as { statusCode: number }).statusCode, 200);
  } else if (['sqs', 'dynamodb', 'kinesis'].includes(source)) {
    assert.deepEqual(result, { batchItemFailures: [] });
  } else {
    assert.equal(result, null, 'asynchronous handlers return nothing');
  }
}

/** Runs a bundled or plain ES module handler with the function's saved sample event. */
function invoke(modulePath: string, eventFile: string): unknown {
  const script = `import { readFileSync } from 'node:fs';
const { handler } = await import(${JSON.stringify(pathToFileURL(modulePath).href)});
const result = await handler(JSON.parse(readFileSync(${JSON.stringify(eventFile)}, 'utf8')));
process.stdout.write('\\n' + ${JSON.stringify(RESULT_MARK)} + JSON.stringify(result ?? null));`;
  const r = run(process.execPath, ['--input-type=module', '-e', script], join(modulePath, '..'));
  assert.equal(r.status, 0, output(r));
  // The handler's own logs come first on stdout.
  return JSON.parse(r.stdout.slice(r.stdout.lastIndexOf(RESULT_MARK) + RESULT_MARK.length)) as unknown;
}

describe('generated JavaScript functions', function () {
  this.timeout(60_000);
  let project: Project;
  before(async () => {
    project = await projectWith('js', 'nodejs22.x');
  });
  after(() => project.dir.remove());

  for (const source of EVENT_SOURCES) {
    it(`${source.id}: node --test passes, and the handler answers its sample event`, () => {
      const plan = project.plans.get(source.id);
      assert.ok(plan);
      const r = run(plan.test.command, plan.test.args, plan.test.cwd);
      assert.equal(r.status, 0, output(r));
      assert.match(r.stdout, /^# pass [1-9]/m);
      assert.match(r.stdout, /^# fail 0$/m);
      assertAnswer(source.id, invoke(plan.handlerFile, plan.sampleEventFile));
    });
  }

  it('a broken handler makes its generated test fail', () => {
    const plan = project.plans.get('http-api');
    assert.ok(plan);
    const original = readFileSync(plan.handlerFile, 'utf8');
    writeFileSync(plan.handlerFile, original.replace('statusCode: 200', 'statusCode: 500'));
    try {
      const r = run(plan.test.command, plan.test.args, plan.test.cwd);
      assert.notEqual(r.status, 0, 'the test notices the wrong status code');
      assert.match(r.stdout, /^# fail [1-9]/m);
    } finally {
      writeFileSync(plan.handlerFile, original);
    }
  });
});

describe('generated TypeScript functions', function () {
  this.timeout(60_000);
  let project: Project;
  before(async () => {
    project = await projectWith('ts', 'nodejs24.x');
  });
  after(() => project.dir.remove());

  // The generated package.json runs `esbuild ... && node --test ...`; esbuild comes from this
  // repository's node_modules instead of an npm install in the generated folder.
  const env = { PATH: `${ESBUILD_BIN}${delimiter}${process.env.PATH ?? ''}` };

  for (const source of EVENT_SOURCES) {
    it(`${source.id}: npm test's script passes, and the SAM esbuild bundle answers its sample event`, () => {
      const plan = project.plans.get(source.id);
      assert.ok(plan);
      const script = (JSON.parse(readFileSync(join(plan.codeDir, 'package.json'), 'utf8')) as { scripts: { test: string } }).scripts.test;
      const r = run('sh', ['-c', script], plan.codeDir, env);
      assert.equal(r.status, 0, output(r));
      assert.match(r.stdout, /^# fail 0$/m);
      assert.match(r.stdout, /^# pass [1-9]/m);

      // Bundle the handler the way `sam build` does from the resource's Metadata.BuildProperties.
      const template = readTemplate<{ Resources: Record<string, { Metadata: { BuildProperties: Record<string, unknown> } }> }>(
        readFileSync(plan.templatePath, 'utf8'),
      );
      const props = template.Resources[plan.function.logicalId].Metadata.BuildProperties;
      const outExtension = (props.OutExtension as string[])[0].split('=');
      const outdir = join(plan.codeDir, '.aws-sam-build');
      buildSync({
        entryPoints: (props.EntryPoints as string[]).map((e) => join(plan.codeDir, e)),
        bundle: true,
        platform: 'node',
        format: props.Format as 'esm',
        target: props.Target as string,
        minify: props.Minify as boolean,
        outdir,
        outExtension: { [outExtension[0]]: outExtension[1] },
        logLevel: 'silent',
      });
      assertAnswer(source.id, invoke(join(outdir, 'app.mjs'), plan.sampleEventFile));
    });
  }
});

// On this machine's own python3, whatever its version: the runtimes' own versions run these tests
// under pytest in the Python test images (test/system/scaffold/python.test.ts).
describe('generated Python functions', function () {
  this.timeout(60_000);
  for (const runtime of ['python3.13', 'python3.12']) {
    describe(`${runtime} function, unittest on this machine's ${pythonLabel(runtime)}`, () => {
      let project: Project;
      before(async () => {
        project = await projectWith('python', runtime);
      });
      after(() => project.dir.remove());

      for (const source of EVENT_SOURCES) {
        it(`${source.id}: python -m unittest passes`, function () {
          const python = pythonFor(runtime);
          if (!python) this.skip(); // no Python on this machine: reported as skipped, not passed
          const plan = project.plans.get(source.id);
          assert.ok(plan);
          const r = run(python, plan.test.args, plan.test.cwd, { PYTHONDONTWRITEBYTECODE: '1' });
          assert.equal(r.status, 0, output(r));
          assert.match(r.stderr, /^Ran [1-9]\d* tests? in/m);
          assert.match(r.stderr, /^OK$/m);
        });
      }

      it('a broken handler makes its generated test fail', function () {
        const python = pythonFor(runtime);
        if (!python) this.skip();
        const plan = project.plans.get('sqs');
        assert.ok(plan);
        const original = readFileSync(plan.handlerFile, 'utf8');
        writeFileSync(plan.handlerFile, original.replace('failures.append(', 'len('));
        try {
          const r = run(python, plan.test.args, plan.test.cwd, { PYTHONDONTWRITEBYTECODE: '1' });
          assert.notEqual(r.status, 0, 'the test notices the missing failure report');
          assert.match(r.stderr, /FAILED/);
        } finally {
          writeFileSync(plan.handlerFile, original);
        }
      });
    });
  }
});
