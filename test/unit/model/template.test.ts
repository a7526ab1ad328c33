import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isIntrinsic, parseTemplate } from '../../../src/core/model';
import { fixture, fn, layer, plain, problemList, ROOT } from './fixtures';

function parse(...parts: string[]) {
  return parseTemplate(fixture(...parts, 'template.yaml'));
}

describe('model: parseTemplate', () => {
  it('reads the example project: two functions and the layer they share', () => {
    const path = join(ROOT, 'examples', 'template.yaml');
    const model = parseTemplate(path);
    assert.deepEqual(model.problems, []);
    assert.deepEqual(model.functions.map((f) => f.logicalId), ['HelloNode', 'HelloPython']);
    assert.deepEqual(model.layers.map((l) => l.logicalId), ['SharedLayer']);

    const node = fn(model, 'HelloNode');
    assert.equal(node.functionName, 'hello-node');
    assert.equal(node.runtime, 'nodejs22.x');
    assert.equal(node.handler, 'app.handler');
    assert.equal(node.codeUri, join(ROOT, 'examples', 'hello-node'));
    assert.equal(node.memorySize, 256, 'from Globals');
    assert.equal(node.timeout, 10, 'from Globals');
    assert.deepEqual(node.environment, { GREETING: 'Hello' });
    assert.equal(node.layers.length, 1);
    const ref = node.layers[0];
    assert.equal(ref.kind, 'local');
    assert.equal(ref.kind === 'local' && ref.layer, layer(model, 'SharedLayer'), 'the !Ref resolves to the LayerSpec itself');
    assert.deepEqual(node.events, [{ name: 'Api', type: 'HttpApi', properties: { Path: '/hello', Method: 'get' } }]);

    const py = fn(model, 'HelloPython');
    assert.equal(py.functionName, undefined);
    assert.equal(py.runtime, 'python3.13');
    assert.equal(py.events[0].type, 'SQS');
    const queue = py.events[0].properties.Queue;
    assert.ok(isIntrinsic(queue));
    assert.deepEqual([queue.fn, queue.args], ['GetAtt', ['WorkQueue', 'Arn']]);

    const shared = layer(model, 'SharedLayer');
    assert.equal(shared.layerName, 'shared');
    assert.equal(shared.contentUri, join(ROOT, 'examples', 'layers', 'shared'));
    assert.deepEqual(shared.compatibleRuntimes, ['nodejs22.x']);
  });

  it('keeps source ranges (0-based) for the resource, its id and each property', () => {
    const text = readFileSync(join(ROOT, 'examples', 'template.yaml'), 'utf8');
    const lines = text.split('\n');
    const node = fn(parseTemplate(join(ROOT, 'examples', 'template.yaml'), text), 'HelloNode');
    const at = (r: { start: { line: number; column: number }; end: { line: number; column: number } }) =>
      lines[r.start.line].slice(r.start.column, r.start.line === r.end.line ? r.end.column : undefined);
    assert.equal(at(node.ranges.logicalId), 'HelloNode');
    assert.equal(at(node.ranges.properties.Handler), 'app.handler');
    assert.equal(at(node.ranges.properties.Runtime), 'nodejs22.x');
    assert.equal(at(node.ranges.properties['Environment.Variables.GREETING']), 'Hello');
    assert.equal(at(node.ranges.properties['Layers.0']), 'SharedLayer');
    assert.equal(at(node.ranges.properties.Timeout), '10', 'a property from Globals points at Globals');
    assert.match(lines[node.ranges.properties.Timeout.start.line], /^\s+Timeout: 10$/);
    assert.equal(node.ranges.resource.start.line, node.ranges.logicalId.start.line);
    assert.equal(lines[node.ranges.resource.end.line].trim(), 'Method: get', 'the resource ends at its last line, not the next one');
  });

  it('merges Globals.Function the way SAM does', () => {
    const model = parse('globals');
    assert.deepEqual(problemList(model), []);
    const inherits = fn(model, 'Inherits');
    assert.equal(inherits.runtime, 'nodejs22.x');
    assert.equal(inherits.handler, 'app.handler');
    assert.equal(inherits.codeUri, fixture('globals', 'src'));
    assert.equal(inherits.timeout, 15);
    assert.equal(inherits.memorySize, 512);
    assert.equal(inherits.architecture, 'arm64');
    assert.deepEqual(inherits.environment, { STAGE: 'dev', LOG_LEVEL: 'info' }, 'STAGE is the parameter default');
    assert.deepEqual(Object.keys(inherits.environmentExpressions ?? {}), ['TABLE']);
    assert.deepEqual(inherits.fromParameterDefaults, ['Environment']);

    const overrides = fn(model, 'Overrides');
    assert.equal(overrides.runtime, 'python3.12', 'a resource scalar wins');
    assert.equal(overrides.timeout, 30);
    assert.equal(overrides.memorySize, 512, 'unset on the resource: from Globals');
    assert.equal(overrides.architecture, 'x86_64', 'Architectures is replaced, not concatenated');
    assert.deepEqual(
      overrides.layers.map((l) => (l.kind === 'arn' ? l.arn : l.kind)),
      ['arn:aws:lambda:us-east-1:123456789012:layer:observability:12', 'arn:aws:lambda:us-east-1:123456789012:layer:shared:4'],
      'lists concatenate, Globals first',
    );
    assert.deepEqual(overrides.environment, { STAGE: 'dev', LOG_LEVEL: 'debug', EXTRA: '1' }, 'maps merge, the resource wins per key');
    assert.equal(overrides.ranges.properties.Timeout.start.line, 41, 'its own Timeout');
    assert.equal(overrides.ranges.properties.MemorySize.start.line, 18, 'Globals MemorySize');

    const ignores = fn(model, 'Ignores');
    assert.deepEqual(ignores.layers, [], 'IgnoreGlobals: Layers');
    assert.deepEqual(ignores.environment, {}, 'IgnoreGlobals: Environment');
    assert.equal(ignores.runtime, 'nodejs22.x', 'other Globals still apply');
    assert.equal(ignores.memorySize, 1024);

    const lambda = fn(model, 'PlainLambda');
    assert.equal(lambda.resourceType, 'AWS::Lambda::Function');
    assert.equal(lambda.timeout, 3, "Globals never apply to AWS::Lambda::Function: Lambda's default");
    assert.equal(lambda.memorySize, 128);
    assert.equal(lambda.architecture, 'x86_64');
    assert.match(lambda.inlineCode ?? '', /exports\.handler/);
    assert.ok(isIntrinsic(lambda.role));
    assert.deepEqual(plain(lambda.role), { fn: 'GetAtt', args: ['PlainRole', 'Arn'] });
  });

  it('resolves !If to its first branch and marks those properties conditional', () => {
    const model = parse('conditions');
    assert.deepEqual(problemList(model), []);
    const worker = fn(model, 'Worker');
    assert.equal(worker.condition, 'IsProd');
    assert.equal(worker.memorySize, 2048);
    assert.equal(worker.timeout, 60, 'the long form Fn::If too');
    assert.deepEqual(
      worker.layers.map((l) => l.kind === 'arn' && l.arn),
      ['arn:aws:lambda:us-east-1:123456789012:layer:tracing:3'],
    );
    assert.deepEqual(worker.environment, { MODE: 'live', FIXED: 'constant' });
    assert.deepEqual(worker.conditional, ['MemorySize', 'Timeout', 'Layers', 'Environment', 'ReservedConcurrentExecutions']);
    assert.equal(worker.ranges.properties.ReservedConcurrentExecutions, undefined, 'a first branch of AWS::NoValue removes the property');
    const api = fn(model, 'Api');
    assert.equal(api.functionName, 'api-prod');
    assert.equal(api.functionNameExpression, undefined);
    assert.deepEqual(api.conditional, ['Tracing', 'FunctionName']);
    assert.equal(api.fromParameterDefaults, undefined, 'Stage has no Default: nothing substituted');
  });

  it('resolves layers: !Ref to a local layer, ARNs, and everything else kept as written', () => {
    const model = parse('layers');
    const deps = layer(model, 'Deps');
    assert.equal(deps.resourceType, 'AWS::Serverless::LayerVersion');
    assert.equal(deps.layerName, 'deps');
    assert.equal(deps.contentUri, fixture('layers', 'layers', 'deps'));
    assert.deepEqual(deps.compatibleRuntimes, ['nodejs22.x', 'nodejs20.x']);
    assert.deepEqual(deps.compatibleArchitectures, ['x86_64', 'arm64']);
    assert.deepEqual(deps.build, { method: 'nodejs22.x' });
    const raw = layer(model, 'Raw');
    assert.equal(raw.resourceType, 'AWS::Lambda::LayerVersion');
    assert.deepEqual(raw.s3Content, { bucket: 'my-artifacts', key: 'layers/raw.zip', version: '3' });
    assert.equal(raw.contentUri, undefined);
    assert.deepEqual(layer(model, 'FromS3Uri').s3Content, { bucket: 'my-artifacts', key: 'layers/tools.zip' });

    const app = fn(model, 'App');
    assert.deepEqual(
      app.layers.map((l) => l.kind),
      ['local', 'local', 'arn', 'unresolved', 'unresolved'],
    );
    const [first, second, , sub, param] = app.layers;
    assert.ok(first.kind === 'local' && first.layer === deps);
    assert.ok(second.kind === 'local' && second.layer === raw);
    assert.ok(sub.kind === 'unresolved' && isIntrinsic(sub.expression) && sub.expression.fn === 'Sub');
    assert.ok(param.kind === 'unresolved' && isIntrinsic(param.expression) && param.expression.args === 'ExtraLayer');

    assert.deepEqual(problemList(model), ['layer-not-found@53', 'layer-not-a-layer@54', 'layer-arn-invalid@55', 'too-many-layers@53']);
    const [missing, notLayer, badArn, tooMany] = model.problems;
    assert.match(missing.message, /!Ref Missing names nothing in this template/);
    assert.match(notLayer.message, /App is not a layer/);
    assert.equal(badArn.severity, 'warning');
    assert.match(tooMany.message, /6 layers; Lambda allows 5/);
  });

  it('reads image functions: PackageType Image, Docker metadata as absolute paths, ImageUri', () => {
    const model = parse('image');
    const built = fn(model, 'Built');
    assert.equal(built.packageType, 'Image');
    assert.equal(built.runtime, undefined);
    assert.equal(built.codeUri, undefined, 'no code folder for an image');
    assert.deepEqual(built.image, {
      dockerContext: fixture('image', 'service'),
      dockerfile: fixture('image', 'service', 'docker', 'Dockerfile'),
      dockerTag: 'python3.13-v1',
      buildArgs: { PIP_INDEX: 'https://pypi.org/simple', VERSION: '2' },
    });
    assert.equal(built.architecture, 'arm64');
    assert.equal(built.timeout, 20);
    assert.equal(fn(model, 'Pulled').imageUri, '123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:latest');
    assert.equal(fn(model, 'LambdaImage').imageUri, '123456789012.dkr.ecr.us-east-1.amazonaws.com/other@sha256:0123abcd');
    assert.equal(fn(model, 'LambdaImage').packageType, 'Image');
    assert.deepEqual(problemList(model), ['image-source-missing@29'], 'image functions need no Runtime or Handler');
  });

  it('reads esbuild build metadata', () => {
    const typed = fn(parse('esbuild'), 'Typed');
    assert.deepEqual(typed.build, {
      method: 'esbuild',
      esbuild: {
        entryPoints: ['src/app.ts'],
        external: ['@aws-sdk/*'],
        minify: true,
        target: 'es2022',
        sourcemap: true,
        format: 'esm',
        mainFields: ['module', 'main'],
      },
      properties: typed.build?.properties,
    });
    assert.deepEqual(Object.keys(typed.build?.properties ?? {}), ['Minify', 'Target', 'Sourcemap', 'Format', 'External', 'EntryPoints', 'MainFields'], 'BuildProperties as written, for every builder');
    assert.equal(typed.codeUri, fixture('esbuild'));
  });

  it('reads AWS::Lambda::Function code: inline, S3, a local folder; and SAM S3 CodeUri forms', () => {
    const model = parse('lambda-function');
    const inline = fn(model, 'Inline');
    assert.equal(inline.functionName, 'inline-fn');
    assert.match(inline.inlineCode ?? '', /^def handler\(event, context\):/);
    assert.equal(inline.codeUri, undefined);
    assert.equal(inline.role, 'arn:aws:iam::123456789012:role/lambda');
    assert.deepEqual([inline.memorySize, inline.timeout, inline.architecture], [256, 30, 'arm64']);
    assert.deepEqual(fn(model, 'FromS3').s3Code, { bucket: 'my-bucket', key: 'functions/from-s3.zip', version: 'abc123' });
    assert.equal(fn(model, 'LocalCode').codeUri, fixture('lambda-function', 'local'));
    assert.deepEqual(fn(model, 'SamS3').s3Code, { bucket: 'my-bucket', key: 'functions/sam.zip' });
    assert.deepEqual(fn(model, 'SamS3Map').s3Code, { bucket: 'my-bucket', key: 'functions/map.zip', version: '7' });
    assert.deepEqual(problemList(model), ['code-missing@38']);
  });

  it('skips nested applications without complaint and keeps a !GetAtt of their outputs as written', () => {
    const model = parse('nested-app');
    assert.deepEqual(problemList(model), []);
    assert.deepEqual(model.functions.map((f) => f.logicalId), ['Consumer']);
    const [ref] = fn(model, 'Consumer').layers;
    assert.ok(ref.kind === 'unresolved' && isIntrinsic(ref.expression));
    assert.deepEqual(plain(ref.expression), { fn: 'GetAtt', args: ['Shared', 'Outputs.LayerArn'] });
  });

  it('reports bad values at the property, with what Lambda accepts', () => {
    const model = parse('invalid');
    assert.deepEqual(problemList(model), [
      'invalid-architecture@15',
      'invalid-type@11',
      'out-of-range@12',
      'out-of-range@14',
      'out-of-range@23',
      'out-of-range@24',
      'runtime-missing@35',
      'handler-missing@35',
      'invalid-package-type@43',
    ]);
    const byCode = (code: string, line: number) => model.problems.find((p) => p.code === code && p.range.start.line + 1 === line)!;
    assert.match(byCode('invalid-type', 11).message, /MemorySize must be a whole number of MB from 128 to 10240; got big/);
    assert.match(byCode('out-of-range', 12).message, /Timeout 1000 .* from 1 to 900/);
    assert.match(byCode('out-of-range', 14).message, /EphemeralStorage.Size 100 .* from 512 to 10240/);
    assert.match(byCode('runtime-missing', 35).message, /NoRuntime has no Runtime.*Globals\.Function/);
    assert.equal(byCode('out-of-range', 23).range.start.column, 18, 'at the value: MemorySize: 64');
    const quoted = fn(model, 'Quoted');
    assert.deepEqual([quoted.memorySize, quoted.timeout], [1024, 60], 'quoted numbers count, as CloudFormation takes them');
    assert.ok(model.problems.every((p) => p.severity === 'error'));
  });

  it('loads the valid parts of a template with broken indentation, reporting only the syntax error', () => {
    const model = parse('broken-indent');
    assert.deepEqual(problemList(model), ['yaml-syntax@15']);
    assert.match(model.problems[0].message, /indentation/);
    const good = fn(model, 'Good');
    assert.deepEqual([good.runtime, good.handler, good.codeUri], ['nodejs22.x', 'index.handler', fixture('broken-indent', 'good')]);
    const after = fn(model, 'AfterTheBreak');
    assert.deepEqual([after.runtime, after.handler], ['nodejs22.x', 'index.handler']);
  });

  it('parses JSON templates (flow style) with long-form intrinsics', () => {
    const model = parse('json-flow');
    assert.deepEqual(problemList(model), []);
    const f = fn(model, 'JsonFunction');
    assert.deepEqual([f.runtime, f.handler, f.codeUri], ['nodejs20.x', 'handler.main', fixture('json-flow', 'fn')]);
    assert.equal(f.memorySize, 1024);
    assert.deepEqual(f.conditional, ['MemorySize']);
    assert.deepEqual(plain(f.role), { fn: 'GetAtt', args: ['Role', 'Arn'] });
    assert.equal(f.functionName, undefined);
    assert.deepEqual(plain(f.functionNameExpression), { fn: 'Sub', args: '${AWS::StackName}-json' });
    assert.deepEqual(f.environment, { PORT: '8080' });
    assert.deepEqual(plain(f.environmentExpressions), { BUCKET: { fn: 'Ref', args: 'Bucket' } });
    assert.deepEqual(f.events, [{ name: 'Get', type: 'Api', properties: { Path: '/items/{id}', Method: 'get' } }]);
    assert.equal(f.ranges.properties.Handler.start.line, 10);
  });

  it('follows anchors, aliases and merge keys, ignoring comments', () => {
    const model = parse('anchors');
    assert.deepEqual(problemList(model), []);
    const second = fn(model, 'Second');
    assert.deepEqual([second.runtime, second.handler, second.memorySize], ['python3.12', 'app.other', 2048], 'explicit keys win over merged ones');
    assert.equal(second.codeUri, fixture('anchors', 'src'));
    for (const f of model.functions) {
      assert.deepEqual(f.environment, { REGION_NAME: 'eu-west-1', RETRIES: '3' }, f.logicalId);
      assert.deepEqual(f.layers, [{ kind: 'arn', arn: 'arn:aws:lambda:eu-west-1:123456789012:layer:common:1' }], f.logicalId);
    }
  });

  it('warns about unknown tags where they stand and still loads the function', () => {
    const model = parse('unknown-tags');
    assert.deepEqual(problemList(model), ['unknown-tag@11', 'unknown-tag@14', 'unknown-tag@15']);
    assert.ok(model.problems.every((p) => p.severity === 'warning'));
    assert.match(model.problems[0].message, /Unknown tag !Custom/);
    assert.match(model.problems[1].message, /Did you mean !Ref\?/);
    assert.equal(model.problems[1].range.start.column, 13);
    const f = fn(model, 'Fn');
    assert.equal(f.environment.A, 'Typo', 'an unknown tag reads as plain data');
    assert.deepEqual(plain(f.environmentExpressions), { C: { fn: 'Ref', args: 'Bucket' } });
  });

  it('is pure given text: parses unsaved text without touching the disk', () => {
    const model = parseTemplate('/nowhere/at/all/template.yaml', 'Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: a.b\n');
    assert.equal(model.path, '/nowhere/at/all/template.yaml');
    assert.deepEqual(problemList(model), []);
    assert.equal(fn(model, 'F').codeUri, '/nowhere/at/all', "SAM's default CodeUri: the template's folder");
  });

  it('turns an unreadable, empty or foreign file into a problem instead of throwing', () => {
    assert.deepEqual(problemList(parseTemplate(fixture('no-such-dir', 'template.yaml'))), ['template-unreadable@1']);
    assert.deepEqual(problemList(parseTemplate('/x/template.yaml', '')), ['template-empty@1']);
    assert.deepEqual(problemList(parseTemplate('/x/template.yaml', '# only a comment\n')), ['template-empty@1']);
    assert.deepEqual(problemList(parseTemplate('/x/template.yaml', '- a\n- b\n')), ['template-not-a-map@1']);
    const foreign = parseTemplate('/x/template.yaml', 'name: my-chart\nversion: 1.0.0\n');
    assert.deepEqual(problemList(foreign), ['resources-missing@1']);
    assert.equal(foreign.problems[0].severity, 'warning', 'a file that is not a SAM template is not an error');
    assert.equal(parseTemplate('/x/template.yaml', 'Transform: AWS::Serverless-2016-10-31\n').problems[0].severity, 'error');
  });

  it('never throws, whatever the text: every prefix of every fixture', () => {
    for (const name of ['globals', 'short-tags', 'conditions', 'layers', 'json-flow', 'anchors', 'image']) {
      const text = readFileSync(fixture(name, 'template.yaml'), 'utf8');
      for (let end = 0; end <= text.length; end += 13) {
        const model = parseTemplate(fixture(name, 'template.yaml'), text.slice(0, end));
        assert.ok(Array.isArray(model.functions));
        assert.ok(
          model.problems.every((p) => p.code !== 'internal-error'),
          `${name} cut at ${end}: ${model.problems.map((p) => p.message).join('; ')}`,
        );
      }
    }
  });

  it('stops expanding an alias bomb instead of hanging', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) levels.push(`${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(10).fill(`*${'abcdefghij'[i - 1]}`).join(',')}]`);
    const text = `Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: a.b\n      Tags:\n${levels.map((l) => `        ${l}`).join('\n')}\n`;
    const model = parseTemplate('/x/template.yaml', text);
    const limit = model.problems.find((p) => p.code === 'alias-limit');
    assert.ok(limit, problemList(model).join(' '));
    assert.match(text.split('\n')[limit.range.start.line], /^ {8}[a-i]: &[a-i] \[\*[a-h]/, 'located at the alias that crossed the line');
    assert.equal(fn(model, 'F').runtime, 'nodejs22.x');
  });
});
