import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTemplate, locateHandler } from '../../../src/core/model';

const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'examples');

describe('locateHandler', () => {
  it('finds the Node.js and Python handlers of the sample project at their definitions', async () => {
    const model = await loadTemplate(join(EXAMPLES, 'template.yaml'));
    const node = await locateHandler(model.functions.find((f) => f.logicalId === 'HelloNode')!);
    assert.deepEqual(node, { file: join(EXAMPLES, 'hello-node', 'app.mjs'), exportName: 'handler', line: 3 });
    const python = await locateHandler(model.functions.find((f) => f.logicalId === 'HelloPython')!);
    assert.deepEqual(python, { file: join(EXAMPLES, 'hello-python', 'app.py'), exportName: 'lambda_handler', line: 10 });
  });

  it('finds CommonJS exports, and says nothing for a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-locate-'));
    try {
      writeFileSync(join(dir, 'template.yaml'), 'Resources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: lib/main.run\n      CodeUri: .\n  B:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: nope.run\n      CodeUri: .\n');
      mkdirSync(join(dir, 'lib'));
      writeFileSync(join(dir, 'lib', 'main.cjs'), "'use strict';\n\nconst x = 1;\nexports.run = async () => x;\n");
      const model = await loadTemplate(join(dir, 'template.yaml'));
      assert.deepEqual(await locateHandler(model.functions[0]), { file: join(dir, 'lib', 'main.cjs'), exportName: 'run', line: 3 });
      assert.equal(await locateHandler(model.functions[1]), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('locateHandler: Java and Go', () => {
  const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'build');
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-locate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const template = (props: string, metadata = ''): string => `Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n${props}${metadata}`;
  const lineOf = (file: string, text: string): number => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));

  it("Java: Class::method in Maven's source folder, at its declaration (not a call of it)", async () => {
    const code = join(FIXTURES, 'java-outcomes');
    writeFileSync(join(dir, 'template.yaml'), template(`      Runtime: java21\n      Handler: example.Outcomes::handleRequest\n      CodeUri: ${code}\n`));
    const [fn] = (await loadTemplate(join(dir, 'template.yaml'))).functions;
    const file = join(code, 'src', 'main', 'java', 'example', 'Outcomes.java');
    assert.deepEqual(await locateHandler(fn), { file, exportName: 'handleRequest', line: lineOf(file, 'public Map<String, Object> handleRequest(') });
    const own = join(dir, 'src', 'main', 'java', 'a', 'b');
    mkdirSync(own, { recursive: true });
    writeFileSync(join(own, 'H.java'), 'package a.b;\n\nclass H {\n  Object run(Object e) {\n    return run2(e);\n  }\n  static Object run2(Object e) { return e; }\n  static class Inner {\n    public java.util.List<String> handleRequest(String in, Object ctx) { return null; }\n  }\n}\n');
    const at = async (handler: string) => locateHandler({ ...fn, handler, codeUri: dir });
    assert.deepEqual(await at('a.b.H::run2'), { file: join(own, 'H.java'), exportName: 'run2', line: 6 }, 'the declaration, not the call on line 5');
    assert.deepEqual(await at('a.b.H$Inner'), { file: join(own, 'H.java'), exportName: 'handleRequest', line: 8 }, "an inner class is in its outer class's file; the method defaults to handleRequest");
    assert.equal(await at('a.b.Missing::run'), undefined);
    assert.equal(await at('a.b.H::x(y'), undefined, 'a handler that is no Java name finds nothing');
  });

  it('Go: the function main hands to lambda.Start, wherever it is defined in the package; else the Start call', async () => {
    const code = join(FIXTURES, 'go-outcomes');
    writeFileSync(join(dir, 'template.yaml'), template(`      Runtime: provided.al2023\n      Handler: bootstrap\n      CodeUri: ${code}\n`, '    Metadata:\n      BuildMethod: go1.x\n'));
    const [fn] = (await loadTemplate(join(dir, 'template.yaml'))).functions;
    const file = join(code, 'main.go');
    assert.deepEqual(await locateHandler(fn), { file, exportName: 'handle', line: lineOf(file, 'func handle(') });
    writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc main() {\n\tlambda.StartWithOptions(serve, lambda.WithContext(ctx))\n}\n');
    writeFileSync(join(dir, 'serve.go'), 'package main\n\n// serve answers.\nfunc serve(ctx context.Context) error {\n\treturn nil\n}\n');
    writeFileSync(join(dir, 'serve_test.go'), 'package main\n\nfunc serve() {}\n');
    assert.deepEqual(await locateHandler({ ...fn, codeUri: dir }), { file: join(dir, 'serve.go'), exportName: 'serve', line: 3 });
    writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc main() {\n\th := &Handler{}\n\tlambda.Start(h.Handle)\n}\n');
    assert.deepEqual(await locateHandler({ ...fn, codeUri: dir }), { file: join(dir, 'main.go'), exportName: 'h.Handle', line: 4 }, 'a method value: the Start call');
    assert.equal(await locateHandler({ ...fn, build: undefined }), undefined, 'a custom runtime built another way is not known to be Go');
  });
});
