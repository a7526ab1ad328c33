import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { BuildEngine } from '../../../src/core/build';
import { type Engine, openEngine } from '../../../src/core/docker';
import { LocalRunner } from '../../../src/core/local';
import { loadTemplate } from '../../../src/core/model';
import type { FunctionSpec } from '../../../src/core/model/types';
import { applyEdits, EVENT_SOURCES, planNewFunction, readProject, type ScaffoldPlan } from '../../../src/core/scaffold';
import { offlineSettings } from '../build/support';
import { pythonImages, runLabels } from '../env';
import { pythonTool, runInImage } from '../pythonTools';

// Every Python function New Function writes (each event source, zip and image, x86_64 and arm64)
// goes through the build stage, and its generated unit test runs under pytest on CPython in the
// Python test images: a python3.13 function on 3.13; a python3.12 function, since no CPython
// 3.12 can be had here, on 3.11 and on 3.13, the versions either side of it. python3.13 zip
// functions on x86_64 and the python3.13 image functions on x86_64 are also invoked in their
// image with their sample event (arm64 ones are not: the Python test images are x86_64 only; arm64
// runs under emulation are tested with Go, in local/arm64.test.ts).

const PYTEST = 'pytest==9.2.0';
const RUNS: Record<string, ('3.13' | '3.11')[]> = { 'python3.13': ['3.13'], 'python3.12': ['3.11', '3.13'] };

interface Generated {
  plan: ScaffoldPlan;
  source: string;
  packageType: 'zip' | 'image';
  architecture: 'x86_64' | 'arm64';
}

/** What each kind of handler answers its own sample event with. */
function assertAnswer(source: string, result: unknown): void {
  if (['http-api', 'rest-api', 'function-url', 'alb'].includes(source)) assert.equal((result as { statusCode: number }).statusCode, 200);
  else if (['sqs', 'dynamodb', 'kinesis'].includes(source)) assert.deepEqual(result, { batchItemFailures: [] });
  else assert.equal(result, null, 'asynchronous handlers return nothing');
}

for (const runtime of Object.keys(RUNS)) {
  describe(`generated ${runtime} functions: built, pytest on CPython ${RUNS[runtime].join(' and ')} (real pip, Docker, awslambdaric)`, function () {
    let root: string;
    let engine: Engine;
    let builds: BuildEngine;
    const generated: Generated[] = [];
    let specs: Record<string, FunctionSpec> = {};

    before(async () => {
      root = mkdtempSync(join(tmpdir(), 'lwb-scaffold-py-'));
      const templatePath = join(root, 'template.yaml');
      const short = runtime.replace('python3.', 'p');
      for (const source of EVENT_SOURCES) {
        for (const packageType of ['zip', 'image'] as const) {
          for (const architecture of ['x86_64', 'arm64'] as const) {
            const name = `${short}-${source.id}-${packageType}-${architecture === 'arm64' ? 'arm' : 'x86'}`;
            const plan = planNewFunction({ name, runtime, event: source.id, language: 'python', packageType, architecture }, await readProject(templatePath));
            await applyEdits(plan.edits);
            generated.push({ plan, source: source.id, packageType, architecture });
          }
        }
      }
      specs = Object.fromEntries((await loadTemplate(templatePath)).functions.map((f) => [f.logicalId, f]));
      engine = await openEngine();
      builds = new BuildEngine({ cacheDir: join(root, '.build-cache'), settings: offlineSettings() });
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it('every generated function goes through the build stage: zip ones are built by pip, image ones are left to their Dockerfile', async () => {
      assert.equal(generated.length, EVENT_SOURCES.length * 4);
      for (const g of generated) {
        const fn = specs[g.plan.function.logicalId];
        assert.ok(fn, g.plan.function.logicalId);
        assert.equal(fn.architecture, g.architecture);
        const b = await builds.build(fn);
        if (g.packageType === 'zip') {
          assert.deepEqual([b.status, b.builder], ['built', 'python-pip'], `${fn.logicalId}: ${b.reason ?? ''}`);
          assert.equal(readFileSync(join(b.artifactDir!, 'app.py'), 'utf8'), readFileSync(g.plan.handlerFile, 'utf8'));
        } else {
          assert.deepEqual([b.status, b.builder], ['skipped', 'image'], fn.logicalId);
        }
      }
    });

    for (const version of RUNS[runtime]) {
      it(`pytest passes for every generated function on CPython ${version}, and fails for a broken handler`, async () => {
        const image = pythonImages()[`python${version}` as 'python3.13' | 'python3.11'];
        const folders = generated.map((g) => relative(root, g.plan.codeDir));
        // A copy of one function with a broken handler, beside the others so its test finds the same sample event.
        const broken = generated.find((g) => g.source === 'sqs' && g.packageType === 'zip' && g.architecture === 'x86_64')!;
        const brokenDir = join(root, `broken-${version}`);
        cpSync(broken.plan.codeDir, brokenDir, { recursive: true });
        writeFileSync(join(brokenDir, 'app.py'), readFileSync(broken.plan.handlerFile, 'utf8').replace('failures.append(', 'len('));
        const all = [...folders, relative(root, brokenDir)];
        // Each folder in a pytest of its own (every one imports its own `app`), three at a time.
        writeFileSync(
          join(root, 'pytest-one.sh'),
          'cd "/generated/$1" && python3 -m pytest -q -p no:cacheprovider >"/tmp/$1.out" 2>&1\ncode=$?\n' +
            'echo "@@ $1 $code $(python3 -c \'import sys; print("%d.%d" % sys.version_info[:2])\') $(tail -n 1 "/tmp/$1.out")"\n',
        );
        const script = `printf '%s\\n' ${all.join(' ')} | xargs -P 3 -n 1 sh /generated/pytest-one.sh`;
        const r = await runInImage(engine.docker, image, script, {
          // pytest's folder is writable so its bytecode is compiled once per run, not once per function.
          binds: [`${root}:/generated:ro`, `${pythonTool(PYTEST, version)}:/opt/pytest`],
          env: ['PYTHONPATH=/opt/pytest'],
        });
        assert.equal(r.code, 0, r.output);
        const results = new Map(
          r.output
            .split('\n')
            .filter((l) => l.startsWith('@@ '))
            .map((l) => {
              const [, dir, code, ran, ...summary] = l.split(' ');
              return [dir, { code: Number(code), ran, summary: summary.join(' ') }] as const;
            }),
        );
        for (const dir of folders) {
          const res = results.get(dir);
          assert.ok(res, `${dir} ran: ${r.output}`);
          assert.equal(res.ran, version, 'the image\'s own CPython ran it');
          assert.equal(res.code, 0, `${dir}: ${res.summary}`);
          assert.match(res.summary, /^\d+ passed in /, dir);
        }
        const b = results.get(relative(root, brokenDir));
        assert.ok(b);
        assert.equal(b.code, 1, 'pytest notices the handler no longer reports the failed message');
        assert.match(b.summary, /1 failed/);
      });
    }

    if (runtime === 'python3.13') {
      it('x86_64 functions answer their sample events when invoked: zip ones from their artifact, image ones from their Dockerfile', async () => {
        const image = pythonImages()['python3.13'];
        // The generated Dockerfiles start FROM AWS's base image: here that name is the test image.
        await engine.docker.getImage(image).tag({ repo: 'public.ecr.aws/lambda/python', tag: '3.13' });
        const runner = await LocalRunner.create({ engine, cacheDir: join(root, '.local-cache'), images: { 'python3.13': image }, labels: runLabels(), builds, idleTimeoutMs: 0 });
        try {
          for (const g of generated.filter((x) => x.architecture === 'x86_64')) {
            const fn = specs[g.plan.function.logicalId];
            const event = JSON.parse(readFileSync(g.plan.sampleEventFile, 'utf8')) as unknown;
            const result = await runner.invoke(fn, { event });
            assert.equal(result.error, null, `${fn.logicalId}: ${JSON.stringify(result.error)}`);
            assertAnswer(g.source, result.payload);
          }
        } finally {
          await runner.dispose();
          await engine.docker.getImage('public.ecr.aws/lambda/python:3.13').remove().catch(() => undefined);
        }
      });
    }
  });
}
