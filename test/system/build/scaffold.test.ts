import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuildEngine, ELF_MACHINE, elfMachine } from '../../../src/core/build';
import { loadTemplate } from '../../../src/core/model';
import type { FunctionSpec } from '../../../src/core/model/types';
import { applyEdits, EVENT_SOURCES, planNewFunction, readProject, type ScaffoldPlan } from '../../../src/core/scaffold';
import { offlineSettings } from './support';

/**
 * Every event source as a zip and as an image function of one language, in one template. Zip
 * functions alternate between the two architectures.
 */
async function scaffoldAll(language: string, runtime: string): Promise<{ dir: string; plans: Map<string, ScaffoldPlan>; fns: Record<string, FunctionSpec> }> {
  const dir = mkdtempSync(join(tmpdir(), `lwb-scaffold-${language}-`));
  const templatePath = join(dir, 'template.yaml');
  const plans = new Map<string, ScaffoldPlan>();
  let i = 0;
  for (const source of EVENT_SOURCES) {
    for (const packageType of ['zip', 'image']) {
      const architecture = packageType === 'zip' && i++ % 2 === 1 ? 'arm64' : 'x86_64';
      const plan = planNewFunction({ name: `${language}-${source.id}-${packageType}`, runtime, event: source.id, language, packageType, architecture }, await readProject(templatePath));
      await applyEdits(plan.edits);
      plans.set(`${source.id}/${packageType}`, plan);
    }
  }
  const fns = Object.fromEntries((await loadTemplate(templatePath)).functions.map((f) => [f.logicalId, f]));
  return { dir, plans, fns };
}

/** The generated test command, run as generated, offline with the build tests' packages. */
function runTest(plan: ScaffoldPlan, env: Record<string, string>): { status: number | null; out: string } {
  const r = spawnSync(plan.test.command, plan.test.args, { cwd: plan.test.cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

// The generated Go code is checked by the Go compiler: each zip function goes through the build
// stage (go1.x: a linux bootstrap for its architecture), and each generated unit test runs with
// `go test`. Image functions' handlers are the same code, compiled by their `go test`; their
// Dockerfiles build FROM golang on Docker Hub, which this machine cannot pull.
describe('scaffold (real go): every generated Go function builds and passes its own test', function () {
  this.timeout(900_000);
  const settings = offlineSettings();
  const env = settings.env ?? {};
  let project: Awaited<ReturnType<typeof scaffoldAll>>;
  let engine: BuildEngine;
  before(async () => {
    project = await scaffoldAll('go', 'provided.al2023');
    engine = new BuildEngine({ cacheDir: join(project.dir, '.cache'), settings });
  });
  after(() => rmSync(project.dir, { recursive: true, force: true }));

  for (const source of EVENT_SOURCES) {
    for (const packageType of ['zip', 'image']) {
      it(`${source.id} (${packageType}): ${packageType === 'zip' ? 'built as a bootstrap, and ' : ''}go test passes`, async () => {
        const plan = project.plans.get(`${source.id}/${packageType}`)!;
        if (packageType === 'zip') {
          const fn = project.fns[plan.function.logicalId];
          const built = await engine.build(fn);
          assert.deepEqual([built.status, built.builder], ['built', 'go-modules']);
          assert.equal(await elfMachine(join(built.artifactDir!, 'bootstrap')), ELF_MACHINE[fn.architecture]);
        }
        const r = runTest(plan, env);
        assert.equal(r.status, 0, r.out);
        assert.match(r.out, /^ok\s/m);
      });
    }
  }

  it('a broken handler makes its generated test fail', () => {
    const plan = project.plans.get('sqs/zip')!;
    const original = readFileSync(plan.handlerFile, 'utf8');
    writeFileSync(plan.handlerFile, original.replace('BatchItemFailures: failures', 'BatchItemFailures: nil'));
    try {
      const r = runTest(plan, env);
      assert.notEqual(r.status, 0, 'the test notices the missing failure report');
      assert.match(r.out, /^--- FAIL/m);
    } finally {
      writeFileSync(plan.handlerFile, original);
    }
  });
});
