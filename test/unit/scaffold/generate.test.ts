import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateJson, sampleEventDefinition } from '../../../src/core/events';
import { loadTemplate } from '../../../src/core/model';
import { applyEdits, EVENT_SOURCES, planNewFunction, readProject, RUNTIMES, type LanguageId } from '../../../src/core/scaffold';
import { listFiles, readTemplate, tempDir } from './support';

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

const EXPECTED_FILES: Record<LanguageId, string[]> = {
  ts: ['.gitignore', 'app.ts', 'package.json', 'tests/app.test.ts', 'tsconfig.json'],
  js: ['app.mjs', 'package.json', 'tests/app.test.mjs'],
  python: ['.gitignore', 'app.py', 'requirements.txt', 'tests/__init__.py', 'tests/test_app.py'],
  // And a copy of the sample event in src/test/resources.
  java: ['.gitignore', 'pom.xml', 'src/main/java/myfunc/Handler.java', 'src/test/java/myfunc/HandlerTest.java'],
  go: ['.gitignore', 'go.mod', 'go.sum', 'main.go', 'main_test.go'],
  rust: ['.gitignore', 'Cargo.toml', 'src/main.rs', 'src/tests.rs'],
};

const HANDLERS = { ts: 'app.handler', js: 'app.handler', python: 'app.lambda_handler', java: 'myfunc.Handler::handleRequest', go: 'bootstrap', rust: 'bootstrap' };

describe('scaffold: every runtime, package type and language', () => {
  const combos = RUNTIMES.flatMap((runtime) =>
    runtime.languages.flatMap((language) =>
      (['zip', 'image'] as const).flatMap((pkg) =>
        (['http-api', 'sqs', 's3'] as const).map((event) => ({ runtime, language, pkg, event })),
      ),
    ),
  );

  for (const { runtime, language, pkg, event } of combos) {
    it(`${runtime.id} ${language} ${pkg} ${event}`, async () => {
      const dir = tempDir('gen');
      try {
        const templatePath = join(dir.path, 'template.yaml');
        const arch = pkg === 'image' ? 'arm64' : 'x86_64';
        const plan = planNewFunction(
          { name: 'my-func', runtime: runtime.id, event, language, packageType: pkg, architecture: arch },
          await readProject(templatePath),
        );
        await applyEdits(plan.edits);

        const sampleType = EVENT_SOURCES.find((e) => e.id === event)?.sampleType ?? '';
        const samples = listFiles(join(dir.path, 'events', 'MyFunc'));
        const own = language === 'java' ? [`src/test/resources/${samples[0]}`] : [];
        const expected = [...EXPECTED_FILES[language], ...own, ...(pkg === 'image' ? ['.dockerignore', 'Dockerfile'] : [])].sort();
        assert.deepEqual(listFiles(join(dir.path, 'my-func')), expected);
        if (language === 'java') assert.equal(readFileSync(join(dir.path, 'my-func', own[0]), 'utf8'), readFileSync(join(dir.path, 'events', 'MyFunc', samples[0]), 'utf8'));
        assert.equal(samples.length, 1);
        assert.match(samples[0], new RegExp(`^[a-z-]+\\.${sampleType}\\.json$`));
        const sample: unknown = JSON.parse(readFileSync(join(dir.path, 'events', 'MyFunc', samples[0]), 'utf8'));
        assert.deepEqual(validateJson(sample, sampleEventDefinition(sampleType).schema), []);

        const template = readTemplate<{ Transform: string; Globals: unknown; Resources: Record<string, Resource> }>(readFileSync(templatePath, 'utf8'));
        assert.equal(template.Transform, 'AWS::Serverless-2016-10-31');
        assert.ok(template.Globals, 'a new template has Globals');
        const fn = template.Resources.MyFunc;
        assert.equal(fn.Type, 'AWS::Serverless::Function');
        assert.equal(fn.Properties.FunctionName, 'my-func');
        assert.deepEqual(fn.Properties.Architectures, [arch]);
        if (pkg === 'image') {
          assert.equal(fn.Properties.PackageType, 'Image');
          assert.equal(fn.Properties.Runtime, undefined);
          assert.deepEqual(fn.Metadata, { Dockerfile: 'Dockerfile', DockerContext: './my-func', DockerTag: `${runtime.id}-v1` });
          const dockerfile = readFileSync(join(dir.path, 'my-func', 'Dockerfile'), 'utf8');
          assert.match(dockerfile, new RegExp(`^FROM ${runtime.baseImage.replace(/[.]/g, '\\.')}$`, 'm'));
          if (language === 'go' || language === 'rust') {
            const stage = language === 'go' ? /^FROM .*golang:.* AS build$/m : /^FROM .*amazonlinux:2023 AS build$/m;
            assert.match(dockerfile, stage, 'compiled images build in a separate stage');
            assert.match(dockerfile, /^ENTRYPOINT \["\.\/bootstrap"\]$/m);
          } else {
            if (language === 'java') assert.match(dockerfile, new RegExp(`^FROM public\\.ecr\\.aws/sam/build-${runtime.id} AS build$`, 'm'), 'Maven builds in a separate stage');
            assert.match(dockerfile, new RegExp(`^CMD \\["${HANDLERS[language]}"\\]$`, 'm'));
          }
        } else {
          assert.equal(fn.Properties.Runtime, runtime.id);
          assert.equal(fn.Properties.Handler, HANDLERS[language]);
          assert.equal(fn.Properties.CodeUri, 'my-func/');
          if (language === 'ts') {
            assert.deepEqual(fn.Metadata, {
              BuildMethod: 'esbuild',
              BuildProperties: { Format: 'esm', OutExtension: ['.js=.mjs'], Target: runtime.esbuildTarget, Minify: true, EntryPoints: ['app.ts'] },
            });
          } else if (language === 'go') {
            assert.deepEqual(fn.Metadata, { BuildMethod: 'go1.x' });
          } else if (language === 'rust') {
            assert.deepEqual(fn.Metadata, { BuildMethod: 'rust-cargolambda' });
          } else {
            assert.equal(fn.Metadata, undefined);
          }
        }
        assert.ok(existsSync(plan.handlerFile) && existsSync(plan.testFile));
      } finally {
        dir.remove();
      }
    });
  }

  it('the template model reads every generated function, its handler found, without a problem', async () => {
    const dir = tempDir('model');
    try {
      const templatePath = join(dir.path, 'template.yaml');
      const expected = new Map<string, { runtime: string; language: string; pkg: string }>();
      let n = 0;
      for (const runtime of RUNTIMES) {
        for (const language of runtime.languages) {
          for (const pkg of ['zip', 'image']) {
            const event = EVENT_SOURCES[n++ % EVENT_SOURCES.length].id;
            const name = `m-${runtime.id.replace(/\./g, '')}-${language}-${pkg}`;
            const plan = planNewFunction({ name, runtime: runtime.id, event, language, packageType: pkg }, await readProject(templatePath));
            await applyEdits(plan.edits);
            expected.set(plan.function.logicalId, { runtime: runtime.id, language, pkg });
          }
        }
      }
      const model = await loadTemplate(templatePath);
      assert.deepEqual(model.problems.map((p) => `${p.code}: ${p.message}`), []);
      assert.deepEqual(model.functions.map((f) => f.logicalId).sort(), [...expected.keys()].sort());
      for (const f of model.functions) {
        const want = expected.get(f.logicalId);
        assert.ok(want);
        if (want.pkg === 'image') {
          assert.equal(f.packageType, 'Image');
          assert.equal(f.image?.dockerfile, join(f.image?.dockerContext ?? '', 'Dockerfile'));
          assert.ok(existsSync(f.image?.dockerfile ?? ''));
        } else {
          assert.equal(f.runtime, want.runtime);
          assert.ok(f.codeUri && existsSync(f.codeUri));
          const methods: Record<string, string> = { ts: 'esbuild', go: 'go1.x', rust: 'rust-cargolambda' };
          assert.equal(f.build?.method, methods[want.language]);
        }
      }
    } finally {
      dir.remove();
    }
  });

  it('wires each event source the way SAM documents it', async () => {
    const dir = tempDir('wire');
    try {
      const templatePath = join(dir.path, 'template.yaml');
      for (const source of EVENT_SOURCES) {
        const plan = planNewFunction({ name: `fn-${source.id}`, runtime: 'python3.12', event: source.id }, await readProject(templatePath));
        await applyEdits(plan.edits);
      }
      const t = readTemplate<{ Parameters: Record<string, unknown>; Resources: Record<string, Resource>; Outputs: Record<string, unknown> }>(readFileSync(templatePath, 'utf8'));
      const events = (id: string) => t.Resources[id].Properties.Events as Record<string, { Type: string; Properties: Record<string, unknown> }> | undefined;
      assert.deepEqual(events('FnHttpApi'), { HttpApiEvent: { Type: 'HttpApi', Properties: { Path: '/fn-http-api', Method: 'get' } } });
      assert.deepEqual(events('FnRestApi'), { ApiEvent: { Type: 'Api', Properties: { Path: '/fn-rest-api', Method: 'get' } } });
      assert.deepEqual(t.Resources.FnFunctionUrl.Properties.FunctionUrlConfig, { AuthType: 'NONE' });
      const sqs = events('FnSqs')?.SqsEvent;
      assert.equal(sqs?.Type, 'SQS');
      assert.deepEqual(sqs?.Properties.FunctionResponseTypes, ['ReportBatchItemFailures']);
      assert.equal(sqs?.Properties.Queue, 'FnSqsQueue.Arn', '!GetAtt FnSqsQueue.Arn');
      assert.equal(t.Resources.FnSqsQueue.Type, 'AWS::SQS::Queue');
      assert.equal(t.Resources.FnSqsQueue.Properties.VisibilityTimeout, 60, 'six times the 10 s Globals timeout');
      assert.equal(events('FnSns')?.SnsEvent.Properties.Topic, 'FnSnsTopic');
      assert.equal(t.Resources.FnSnsTopic.Type, 'AWS::SNS::Topic');
      assert.deepEqual(events('FnS3')?.S3Event, { Type: 'S3', Properties: { Bucket: 'FnS3Bucket', Events: 's3:ObjectCreated:*' } });
      assert.equal(t.Resources.FnS3Bucket.Type, 'AWS::S3::Bucket');
      assert.equal(events('FnEventbridge')?.RuleEvent.Type, 'EventBridgeRule');
      assert.ok(events('FnEventbridge')?.RuleEvent.Properties.Pattern);
      assert.equal(events('FnSchedule')?.ScheduleEvent.Properties.Schedule, 'rate(5 minutes)');
      const ddb = events('FnDynamodb')?.StreamEvent;
      assert.equal(ddb?.Type, 'DynamoDB');
      assert.equal(ddb?.Properties.Stream, 'FnDynamodbTable.StreamArn');
      assert.equal(ddb?.Properties.StartingPosition, 'TRIM_HORIZON');
      assert.deepEqual(t.Resources.FnDynamodbTable.Properties.StreamSpecification, { StreamViewType: 'NEW_AND_OLD_IMAGES' });
      const kinesis = events('FnKinesis')?.KinesisEvent;
      assert.equal(kinesis?.Type, 'Kinesis');
      assert.equal(kinesis?.Properties.Stream, 'FnKinesisStream.Arn');
      assert.equal(t.Resources.FnKinesisStream.Type, 'AWS::Kinesis::Stream');
      assert.equal(events('FnAlb'), undefined, 'SAM has no ALB event type');
      assert.equal(t.Resources.FnAlbTargetGroup.Properties.TargetType, 'lambda');
      assert.equal(t.Resources.FnAlbLoadBalancerPermission.Properties.Principal, 'elasticloadbalancing.amazonaws.com');
      assert.ok(t.Parameters.FnAlbSubnetIds && t.Parameters.FnAlbVpcId);
      assert.ok(t.Outputs.FnHttpApiEndpoint && t.Outputs.FnFunctionUrlFunctionUrl && t.Outputs.FnAlbLoadBalancerUrl);
      assert.match(readFileSync(templatePath, 'utf8'), /# NONE: anyone with the URL can call the function/);
    } finally {
      dir.remove();
    }
  });
});
