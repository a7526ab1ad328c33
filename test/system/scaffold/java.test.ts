import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { BuildEngine } from '../../../src/core/build';
import { buildImageFor } from '../../../src/core/build/builders/mavenImage';
import { type Engine, openEngine } from '../../../src/core/docker';
import { LocalRunner } from '../../../src/core/local';
import { loadTemplate } from '../../../src/core/model';
import type { FunctionSpec } from '../../../src/core/model/types';
import { javaPackageFor } from '../../../src/core/scaffold/names';
import { applyEdits, EVENT_SOURCES, planNewFunction, readProject, type ScaffoldPlan } from '../../../src/core/scaffold';
import { buildDeps, filesUnder, offlineSettings } from '../build/support';
import { runLabels } from '../env';
import { runInImage } from '../pythonTools';

// Every Java function New Function writes (each event source, zip and image, for java17 and
// java21) goes through the build stage, and its generated JUnit test runs with `mvn test`, offline
// from the Maven repository setup fills. This machine's JDK is 17: java17 functions build and test
// here; java21 ones the build stage builds inside the runtime's build image (the java:21-build
// test image under AWS's name), and their tests run there too. Zip functions take x86_64 and arm64
// in turn (the two runtimes starting apart, so each event source has an x86_64 one), and the
// x86_64 ones are invoked with their sample event in the java:21 test image, on AWS's runtime client.

const RUNTIMES = ['java17', 'java21'] as const;

interface Generated {
  plan: ScaffoldPlan;
  runtime: (typeof RUNTIMES)[number];
  source: string;
  packageType: 'zip' | 'image';
  architecture: 'x86_64' | 'arm64';
}

/** What each kind of handler answers its own sample event with. */
function assertAnswer(source: string, result: unknown, id: string): void {
  if (['http-api', 'rest-api', 'function-url', 'alb'].includes(source)) assert.equal((result as { statusCode: number }).statusCode, 200, id);
  else if (['sqs', 'dynamodb', 'kinesis'].includes(source)) assert.deepEqual(result, { batchItemFailures: [] }, id);
  else assert.equal(result, null, `${id}: asynchronous handlers return nothing`);
}

/** The test as generated, plus the offline repository (what a user's settings.xml would say). */
function mvnTest(dir: string): { status: number | null; out: string } {
  const r = spawnSync('mvn', ['--batch-mode', 'test', ...(offlineSettings().mavenArgs ?? [])], { cwd: dir, encoding: 'utf8', timeout: 600_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe('generated Java functions: built (real Maven; JDK 17 here, JDK 21 in the build image), mvn test offline, invoked on AWS\'s Java runtime client', function () {
  this.timeout(2_400_000);
  let root: string;
  let engine: Engine;
  let builds: BuildEngine;
  const logs = new Map<string, string[]>();
  const generated: Generated[] = [];
  let specs: Record<string, FunctionSpec> = {};
  const zips = (runtime: string): Generated[] => generated.filter((g) => g.runtime === runtime && g.packageType === 'zip');

  before(async () => {
    const runImage = process.env.LWB_TEST_IMAGE_JAVA;
    const buildImage = process.env.LWB_TEST_IMAGE_JAVA_BUILD;
    assert.ok(runImage && buildImage, 'the runner imports the java:21 and java:21-build test images (test/support/services.ts)');
    root = mkdtempSync(join(tmpdir(), 'lwb-scaffold-java-'));
    const templatePath = join(root, 'template.yaml');
    for (const [r, runtime] of RUNTIMES.entries()) {
      for (const [i, source] of EVENT_SOURCES.entries()) {
        for (const packageType of ['zip', 'image'] as const) {
          const architecture = packageType === 'image' || (i + r) % 2 === 0 ? 'x86_64' : 'arm64';
          const plan = planNewFunction({ name: `${runtime}-${source.id}-${packageType}`, runtime, event: source.id, packageType, architecture }, await readProject(templatePath));
          await applyEdits(plan.edits);
          generated.push({ plan, runtime, source: source.id, packageType, architecture });
        }
      }
    }
    specs = Object.fromEntries((await loadTemplate(templatePath)).functions.map((f) => [f.logicalId, f]));
    engine = await openEngine();
    // AWS's build image is what the build stage builds java21 functions in here: that name is the test image.
    const [repo, tag] = buildImageFor('java21').split(/:(?=[^/]+$)/);
    await engine.docker.getImage(buildImage).tag({ repo, tag: tag ?? 'latest' });
    builds = new BuildEngine({ cacheDir: join(root, '.build-cache'), settings: offlineSettings() });
  });
  after(async () => {
    await engine?.docker.getImage(buildImageFor('java21')).remove().catch(() => undefined);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  for (const runtime of RUNTIMES) {
    it(`${runtime}: every zip function is built as SAM lays it out (classes, runtime jars in lib/); image functions have the same code`, async () => {
      for (const g of zips(runtime)) {
        const fn = specs[g.plan.function.logicalId];
        const lines: string[] = [];
        logs.set(fn.logicalId, lines);
        const b = await builds.build(fn, { onLog: (l) => lines.push(l) });
        assert.deepEqual([b.status, b.builder], ['built', 'java-maven'], `${fn.logicalId}: ${b.reason ?? ''} ${b.hint ?? ''}`);
        const files = filesUnder(b.artifactDir!);
        const pkg = javaPackageFor(fn.functionName ?? '');
        assert.ok(files.includes(`${pkg}/Handler.class`), files.join(', '));
        const jars = files.filter((f) => f.startsWith('lib/'));
        for (const jar of ['aws-lambda-java-core', 'aws-lambda-java-events', 'jackson-databind']) assert.ok(jars.some((f) => f.includes(jar)), `${jar} in ${jars.join(', ')}`);
        assert.ok(!jars.some((f) => /junit|serialization/.test(f)), `no test-scope jar: ${jars.join(', ')}`);
        assert.ok(!files.some((f) => f.endsWith('HandlerTest.class')), 'no test classes');
        const inImage = lines.some((l) => l.includes(`inside ${buildImageFor(runtime)}`));
        // This machine's Maven runs on Java 17: java21 is compiled by the build image's JDK 21.
        assert.equal(inImage, runtime === 'java21', lines.filter((l) => l.startsWith('maven:')).join('\n'));

        const image = generated.find((x) => x.runtime === runtime && x.source === g.source && x.packageType === 'image')!;
        // The same code but for the package (named after the function) and the test's sample event
        // (whose path's length moves where a comment wraps).
        const own = (p: ScaffoldPlan, file: string): string => {
          const event = relative(p.codeDir, p.sampleEventFile).split(sep).join('/');
          return readFileSync(file, 'utf8').split(event).join('EVENT').split(javaPackageFor(p.function.name)).join('PKG').split(p.function.logicalId).join('ID').split(p.function.name).join('NAME').replace(/\n\s*\*(?!\/)\s*/g, ' ');
        };
        assert.equal(own(image.plan, image.plan.handlerFile), own(g.plan, g.plan.handlerFile));
        assert.equal(own(image.plan, image.plan.testFile), own(g.plan, g.plan.testFile));
      }
    });
  }

  it('java17: mvn test passes for every generated function on this machine, and fails for a broken handler', () => {
    for (const g of zips('java17')) {
      const r = mvnTest(g.plan.codeDir);
      assert.equal(r.status, 0, r.out);
      assert.match(r.out, /Tests run: [1-9]\d*, Failures: 0, Errors: 0, Skipped: 0/);
    }
    const sqs = zips('java17').find((g) => g.source === 'sqs')!;
    const original = readFileSync(sqs.plan.handlerFile, 'utf8');
    assert.ok(original.includes('failures.add('));
    writeFileSync(sqs.plan.handlerFile, original.replace('failures.add(', 'List.of('));
    try {
      const r = mvnTest(sqs.plan.codeDir);
      assert.notEqual(r.status, 0, 'the test notices the missing failure report');
      assert.match(r.out, /Tests run: 2, Failures: 1/);
    } finally {
      writeFileSync(sqs.plan.handlerFile, original);
    }
  });

  it('java21: mvn test passes for every generated function inside the build image (JDK 21), offline', async () => {
    const folders = zips('java21').map((g) => relative(root, g.plan.codeDir));
    const script = `for d in ${folders.join(' ')}; do (cd "/generated/$d" && mvn --batch-mode --offline -Dstyle.color=never -Dmaven.repo.local=/m2 test >"/tmp/$d.out" 2>&1; echo "@@ $d $? $(grep -h 'Tests run:' "/tmp/$d.out" | tail -n 1)"); done; javac -version`;
    const r = await runInImage(engine.docker, process.env.LWB_TEST_IMAGE_JAVA_BUILD!, script, { binds: [`${root}:/generated`, `${join(buildDeps(), 'm2')}:/m2`] });
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /^javac 21\./m);
    for (const d of folders) {
      const line = r.output.split('\n').find((l) => l.startsWith(`@@ ${d} `));
      assert.ok(line, `${d} ran: ${r.output}`);
      assert.match(line, new RegExp(`^@@ ${d} 0 .*Tests run: [1-9]\\d*, Failures: 0, Errors: 0, Skipped: 0`), line);
    }
  });

  it('x86_64 functions answer their sample events when invoked in the java:21 image', async () => {
    const image = process.env.LWB_TEST_IMAGE_JAVA!;
    const runner = await LocalRunner.create({ engine, cacheDir: join(root, '.local-cache'), images: { java21: image, java17: image }, labels: runLabels(), builds, idleTimeoutMs: 0 });
    const invoked = new Set<string>();
    try {
      for (const g of generated.filter((x) => x.packageType === 'zip' && x.architecture === 'x86_64')) {
        const fn = specs[g.plan.function.logicalId];
        const event = JSON.parse(readFileSync(g.plan.sampleEventFile, 'utf8')) as unknown;
        const result = await runner.invoke(fn, { event });
        assert.equal(result.error, null, `${fn.logicalId}: ${JSON.stringify(result.error)}`);
        assertAnswer(g.source, result.payload, fn.logicalId);
        invoked.add(g.source);
      }
    } finally {
      await runner.dispose();
    }
    assert.deepEqual([...invoked].sort(), EVENT_SOURCES.map((e) => e.id).sort(), 'one function at least per event source');
  });
});
