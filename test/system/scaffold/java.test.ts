import assert from 'node:assert/strict';
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
import { filesUnder, offlineSettings } from '../build/support';
import { runLabels } from '../env';

// Every Java function New Function writes (each event source, zip and image, for java17 and
// java21). `mvn clean install`, which the build stage runs as SAM does, runs each function's
// generated JUnit test, so a build is also its test run. Maven builds take seconds each, so the
// java17 zip functions (one per event source) are built here on this machine's JDK 17 and invoked
// with their sample events in the java:21 test image, on AWS's runtime client; the java21 and image
// functions are checked to be the same code, and one java21 function is built the way the build
// stage builds java21 here: inside the runtime's build image (the java:21-build test image under
// AWS's name), its tests run there on JDK 21.

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

describe('generated Java functions: built with real Maven (JDK 17 here, JDK 21 in the build image), their tests run by the build, invoked on AWS\'s Java runtime client', function () {
  this.timeout(900_000);
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
    for (const runtime of RUNTIMES) {
      for (const [i, source] of EVENT_SOURCES.entries()) {
        for (const packageType of ['zip', 'image'] as const) {
          const architecture = packageType === 'image' || runtime === 'java17' || i % 2 === 0 ? 'x86_64' : 'arm64';
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

  /** The same code but for the package (named after the function), its names, and the test's sample event (whose path's length moves where a comment wraps). */
  const own = (p: ScaffoldPlan, file: string): string => {
    const event = relative(p.codeDir, p.sampleEventFile).split(sep).join('/');
    return readFileSync(file, 'utf8').split(event).join('EVENT').split(javaPackageFor(p.function.name)).join('PKG').split(p.function.logicalId).join('ID').split(p.function.name).join('NAME').replace(/\n\s*\*(?!\/)\s*/g, ' ');
  };

  /** Builds through the build stage; the log is kept for the assertions. */
  const build = async (g: Generated): Promise<{ dir: string; lines: string[] }> => {
    const fn = specs[g.plan.function.logicalId];
    const lines: string[] = [];
    logs.set(fn.logicalId, lines);
    const b = await builds.build(fn, { onLog: (l) => lines.push(l) });
    assert.deepEqual([b.status, b.builder], ['built', 'java-maven'], `${fn.logicalId}: ${b.reason ?? ''} ${b.hint ?? ''}`);
    const files = filesUnder(b.artifactDir!);
    assert.ok(files.includes(`${javaPackageFor(fn.functionName ?? '')}/Handler.class`), files.join(', '));
    const jars = files.filter((f) => f.startsWith('lib/'));
    for (const jar of ['aws-lambda-java-core', 'aws-lambda-java-events', 'jackson-databind']) assert.ok(jars.some((f) => f.includes(jar)), `${jar} in ${jars.join(', ')}`);
    assert.ok(!jars.some((f) => /junit|serialization/.test(f)), `no test-scope jar: ${jars.join(', ')}`);
    assert.ok(!files.some((f) => f.endsWith('HandlerTest.class')), 'no test classes');
    // mvn clean install ran the generated test.
    assert.ok(lines.some((l) => /Tests run: [1-9]\d*, Failures: 0, Errors: 0, Skipped: 0/.test(l)), lines.join('\n'));
    return { dir: b.artifactDir!, lines };
  };

  it('java17: every zip function is built as SAM lays it out (classes, runtime jars in lib/), its generated test passing in the build', async () => {
    for (const g of zips('java17')) {
      const { lines } = await build(g);
      assert.ok(!lines.some((l) => l.includes('inside ')), 'JDK 17 here builds java17');
    }
  });

  it('java21 and image functions are the same code as the java17 zip function of their event source', () => {
    for (const g of zips('java17')) {
      const twins = generated.filter((x) => x !== g && x.source === g.source);
      assert.equal(twins.length, 3);
      for (const t of twins) {
        assert.equal(own(t.plan, t.plan.handlerFile), own(g.plan, g.plan.handlerFile), `${t.plan.function.logicalId}'s handler`);
        assert.equal(own(t.plan, t.plan.testFile), own(g.plan, g.plan.testFile), `${t.plan.function.logicalId}'s test`);
      }
    }
    // The poms differ in the release they compile for and the names.
    const pom = (g: Generated): string => own(g.plan, join(g.plan.codeDir, 'pom.xml')).split(g.runtime).join('javaN').replace(/\b(JDK |release>)(17|21)\b/g, '$1N');
    const [j17, j21] = RUNTIMES.map((r) => zips(r).find((g) => g.source === 'sqs')!);
    assert.match(readFileSync(join(j21.plan.codeDir, 'pom.xml'), 'utf8'), /<maven\.compiler\.release>21</);
    assert.equal(pom(j21), pom(j17));
  });

  it('java21: built inside the build image (JDK 21), its generated test passing there, offline', async () => {
    const g = zips('java21').find((x) => x.architecture === 'x86_64' && x.source === 'sqs')!;
    const { lines } = await build(g);
    // This machine's Maven runs on Java 17: java21 is compiled by the build image's JDK 21.
    assert.ok(lines.some((l) => l.includes(`inside ${buildImageFor('java21')}`)), lines.filter((l) => l.startsWith('maven:')).join('\n'));
  });

  it('a broken handler fails its generated test, and so its build', async () => {
    const sqs = zips('java17').find((g) => g.source === 'sqs')!;
    const original = readFileSync(sqs.plan.handlerFile, 'utf8');
    assert.ok(original.includes('failures.add('));
    writeFileSync(sqs.plan.handlerFile, original.replace('failures.add(', 'List.of('));
    try {
      const lines: string[] = [];
      await assert.rejects(builds.build(specs[sqs.plan.function.logicalId], { onLog: (l) => lines.push(l) }), /mvn clean install/);
      assert.ok(lines.some((l) => /Tests run: 2, Failures: 1/.test(l)), lines.join('\n'));
    } finally {
      writeFileSync(sqs.plan.handlerFile, original);
    }
  });

  it('the built functions answer their sample events when invoked in the java:21 image', async () => {
    const image = process.env.LWB_TEST_IMAGE_JAVA!;
    const runner = await LocalRunner.create({ engine, cacheDir: join(root, '.local-cache'), images: { java21: image, java17: image }, labels: runLabels(), builds, idleTimeoutMs: 0 });
    const invoked = new Set<string>();
    try {
      for (const g of [...zips('java17'), zips('java21').find((x) => x.architecture === 'x86_64' && x.source === 'sqs')!]) {
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
