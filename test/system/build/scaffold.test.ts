import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { BuildEngine, ELF_MACHINE, elfMachine } from '../../../src/core/build';
import { loadTemplate } from '../../../src/core/model';
import type { FunctionSpec } from '../../../src/core/model/types';
import { applyEdits, EVENT_SOURCES, planNewFunction, readProject, type ScaffoldPlan } from '../../../src/core/scaffold';
import { offlineSettings, rustArm64Settings } from './support';

/**
 * Every event source as a zip and as an image function of one language, in one template. Zip
 * functions take the architectures in turn.
 */
async function scaffoldAll(language: string, runtime: string, architectures: string[]): Promise<{ dir: string; plans: Map<string, ScaffoldPlan>; fns: Record<string, FunctionSpec> }> {
  const dir = mkdtempSync(join(tmpdir(), `lwb-scaffold-${language}-`));
  const templatePath = join(dir, 'template.yaml');
  const plans = new Map<string, ScaffoldPlan>();
  let i = 0;
  for (const source of EVENT_SOURCES) {
    for (const packageType of ['zip', 'image']) {
      const architecture = packageType === 'zip' ? architectures[i++ % architectures.length] : 'x86_64';
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

interface Language {
  language: string;
  label: string;
  builder: string;
  /** What the test runner prints when the generated tests pass. */
  passed: RegExp;
  /** Which architectures the zip functions take (alternating). */
  architectures: string[];
  /** Breaks the SQS handler's failure report, for the test that shows the generated test notices. */
  breakSqs: [string, string];
  failed: RegExp;
}

const LANGUAGES: Language[] = [
  {
    language: 'go',
    label: 'real go',
    builder: 'go-modules',
    passed: /^ok\s/m,
    architectures: ['x86_64', 'arm64'],
    breakSqs: ['BatchItemFailures: failures', 'BatchItemFailures: nil'],
    failed: /^--- FAIL/m,
  },
  {
    // x86_64 functions with cargo (this machine's CPU), arm64 ones with Cargo Lambda (rustArm64Settings).
    // One in six is arm64 (the SNS one): the generated code is the same for both CPUs, and each
    // cross-compile takes about 15 s here (Cargo Lambda's release build: thin LTO, one codegen unit).
    language: 'rust',
    label: 'real cargo',
    builder: 'rust-cargolambda',
    passed: /^test result: ok\. [1-9]\d* passed; 0 failed/m,
    architectures: ['x86_64', 'x86_64', 'x86_64', 'x86_64', 'x86_64', 'arm64'],
    breakSqs: ['response.batch_item_failures.push(failure);', 'drop(failure);'],
    failed: /^test result: FAILED/m,
  },
];

// The generated code of the compiled languages is checked by their compilers: each zip function
// goes through the build stage (a linux bootstrap for its architecture), and each generated unit
// test runs as generated (go test, cargo test), offline. Image functions' handlers are the same
// code (checked byte for byte); their Dockerfiles build FROM images this machine cannot pull.
for (const lang of LANGUAGES) {
  describe(`scaffold (${lang.label}): every generated ${lang.language} function builds and passes its own test`, function () {
    this.timeout(1_200_000);
    const settings = offlineSettings();
    const env = settings.env ?? {};
    let project: Awaited<ReturnType<typeof scaffoldAll>>;
    let engine: BuildEngine;
    /** Rust for arm64 is cross-compiled: Cargo Lambda and a rustc with the aarch64 standard library. */
    let crossEngine: BuildEngine;
    before(async function () {
      if (lang.language === 'rust' && (process.platform !== 'linux' || process.arch !== 'x64')) this.skip(); // built here as x86_64 natively, arm64 across
      project = await scaffoldAll(lang.language, 'provided.al2023', lang.architectures);
      engine = new BuildEngine({ cacheDir: join(project.dir, '.cache'), settings });
      crossEngine = lang.language === 'rust' ? new BuildEngine({ cacheDir: join(project.dir, '.cache'), settings: rustArm64Settings() }) : engine;
    });
    after(() => project && rmSync(project.dir, { recursive: true, force: true }));

    for (const source of EVENT_SOURCES) {
      it(`${source.id}: the zip function is built as a bootstrap and its test passes; the image function has the same code`, async () => {
        const plan = project.plans.get(`${source.id}/zip`)!;
        const fn = project.fns[plan.function.logicalId];
        const built = await (fn.architecture === 'arm64' ? crossEngine : engine).build(fn);
        assert.deepEqual([built.status, built.builder], ['built', lang.builder]);
        assert.equal(await elfMachine(join(built.artifactDir!, 'bootstrap')), ELF_MACHINE[fn.architecture]);
        const r = runTest(plan, env);
        assert.equal(r.status, 0, r.out);
        assert.match(r.out, lang.passed);
        // Compiling the image function's copy again would prove nothing more: its handler is the
        // same bytes, and its test differs only in its own sample event (path, and the route named
        // after the function).
        const image = project.plans.get(`${source.id}/image`)!;
        assert.equal(readFileSync(image.handlerFile, 'utf8'), readFileSync(plan.handlerFile, 'utf8'));
        const own = (p: ScaffoldPlan): string => {
          const event = relative(dirname(p.testFile), p.sampleEventFile).split(sep).join('/');
          return readFileSync(p.testFile, 'utf8').split(event).join('EVENT').split(p.function.logicalId).join('ID').split(p.function.name).join('NAME');
        };
        assert.equal(own(image), own(plan));
      });
    }

    it('a broken handler makes its generated test fail', () => {
      const plan = project.plans.get('sqs/zip')!;
      const original = readFileSync(plan.handlerFile, 'utf8');
      assert.ok(original.includes(lang.breakSqs[0]));
      writeFileSync(plan.handlerFile, original.replace(lang.breakSqs[0], lang.breakSqs[1]));
      try {
        const r = runTest(plan, env);
        assert.notEqual(r.status, 0, 'the test notices the missing failure report');
        assert.match(r.out, lang.failed);
      } finally {
        writeFileSync(plan.handlerFile, original);
      }
    });
  });
}
