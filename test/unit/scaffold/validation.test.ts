import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  functionNameProblem,
  logicalIdFor,
  newFunctionNameProblem,
  planNewFunction,
  readProject,
  resolveRequest,
  ScaffoldInputError,
  type NewFunctionRequest,
  type RequestField,
} from '../../../src/core/scaffold';
import { CLI_SOURCES, EDITOR_SOURCES } from '../../../src/core/sources';
import { listFiles, ROOT, tempDir } from './support';

// Everything is checked before anything is written: a refused request leaves the project as it was.

const OK: NewFunctionRequest = { name: 'orders', runtime: 'nodejs22.x', event: 'sqs' };

function refused(field: RequestField, pattern: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof ScaffoldInputError, `a ScaffoldInputError, got ${String(err)}`);
    assert.equal(err.field, field);
    assert.match(`${err.message} ${err.hint ?? ''}`, pattern);
    return true;
  };
}

describe('scaffold validation', () => {
  it("accepts Lambda's function names and derives alphanumeric logical ids", () => {
    for (const [name, id] of [
      ['orders', 'Orders'],
      ['orders-api_v2', 'OrdersApiV2'],
      ['A', 'A'],
      ['9lives', '9lives'],
      ['__private', 'Private'],
      ['x'.repeat(64), `X${'x'.repeat(63)}`],
    ]) {
      assert.equal(functionNameProblem(name), undefined, name);
      assert.equal(logicalIdFor(name), id);
      assert.match(logicalIdFor(name), /^[A-Za-z0-9]+$/);
    }
  });

  it('refuses names Lambda refuses, saying why', () => {
    const cases: [string, RegExp][] = [
      ['', /Give the function a name/],
      ['my function', /' '.*letters, digits, - and _/],
      ['héllo', /'é'/],
      ['a.b', /'\.'/],
      ['x'.repeat(65), /65 characters long; Lambda allows at most 64/],
      ['---', /no letter or digit/],
      ['arn:aws:lambda:x', /':'/],
    ];
    for (const [name, message] of cases) {
      assert.throws(() => resolveRequest({ ...OK, name }), refused('name', message), JSON.stringify(name));
    }
  });

  it('refuses choices it does not offer, listing the ones it does', () => {
    assert.throws(() => resolveRequest({ ...OK, runtime: 'java11' }), refused('runtime', /nodejs24\.x, nodejs22\.x, python3\.13, python3\.12, java21, java17, provided\.al2023/));
    assert.equal(resolveRequest({ ...OK, runtime: 'java21' }).language, 'java');
    assert.throws(() => resolveRequest({ ...OK, language: 'java', runtime: 'python3.13' }), refused('language', /python3\.13 functions cannot be written in Java \(Maven\).*choose: python/));
    assert.throws(() => resolveRequest({ ...OK, event: 'carrier-pigeon' }), refused('event', /http-api, rest-api, function-url, alb, sqs/));
    assert.throws(() => resolveRequest({ ...OK, language: 'rust' }), refused('language', /nodejs22\.x functions cannot be written in Rust.*ts, js/));
    assert.equal(resolveRequest({ ...OK, language: 'rust', runtime: 'provided.al2023' }).language, 'rust');
    assert.throws(() => resolveRequest({ ...OK, language: 'python' }), refused('language', /nodejs22\.x functions cannot be written in Python.*ts, js/));
    assert.throws(() => resolveRequest({ ...OK, language: 'go', runtime: 'python3.13' }), refused('language', /python3\.13.*choose: python/));
    assert.throws(() => resolveRequest({ ...OK, packageType: 'tar' }), refused('packageType', /zip, image/));
    assert.throws(() => resolveRequest({ ...OK, architecture: 'mips' }), refused('architecture', /x86_64, arm64/));
    for (const dir of ['../outside', '/abs/path', 'a//b', 'a/./b', 'with space']) {
      assert.throws(() => resolveRequest({ ...OK, dir }), refused('dir', /relative path|may hold only/), dir);
    }
    assert.equal(resolveRequest({ ...OK, dir: 'functions\\orders\\' }).codeDir, 'functions/orders');
  });

  describe('against examples/template.yaml', () => {
    let dir: ReturnType<typeof tempDir>;
    let path: string;
    let original: string;
    beforeEach(() => {
      dir = tempDir('valid');
      path = join(dir.path, 'template.yaml');
      copyFileSync(join(ROOT, 'examples', 'template.yaml'), path);
      original = readFileSync(path, 'utf8');
    });
    afterEach(() => dir.remove());

    async function assertRefused(request: NewFunctionRequest, field: RequestField, pattern: RegExp, before: string[] = ['template.yaml']) {
      const project = await readProject(path);
      assert.throws(() => planNewFunction(request, project), refused(field, pattern));
      assert.equal(readFileSync(path, 'utf8'), original, 'template untouched');
      assert.deepEqual(listFiles(dir.path), before, 'no file written');
    }

    it('refuses a logical id the template already has', async () => {
      await assertRefused({ ...OK, name: 'hello-node' }, 'name', /Logical id HelloNode .* already a resource/);
      await assertRefused({ ...OK, name: 'WorkQueue' }, 'name', /WorkQueue .* already a resource/);
    });

    it('refuses a name whose companion resources or SAM-generated ids are taken', async () => {
      await assertRefused({ ...OK, name: 'work', event: 'sqs' }, 'name', /would add WorkQueue, which is already a resource/);
      await assertRefused({ ...OK, name: 'hello-node-role' }, 'name', /HelloNodeRole .* generated by SAM for HelloNode/);
      await assertRefused({ ...OK, name: 'hello-python-queue', event: 'http-api' }, 'name', /HelloPythonQueue .* generated by SAM for HelloPython/);
    });

    it('refuses a code folder that exists or that another function uses', async () => {
      mkdirSync(join(dir.path, 'orders'));
      await assertRefused(OK, 'dir', /already exists/, ['template.yaml']);
      await assertRefused({ ...OK, name: 'other', dir: 'hello-python' }, 'dir', /already the code of HelloPython/, ['template.yaml']);
    });

    it("says what to change in each shell's words: the CLI's --dir, the editor's name (New Function has no folder step)", async () => {
      mkdirSync(join(dir.path, 'orders'));
      const project = await readProject(path);
      const hint = (request: NewFunctionRequest, sources?: typeof CLI_SOURCES): string | undefined => {
        try {
          planNewFunction(request, project, sources);
        } catch (err) {
          return (err as ScaffoldInputError).hint;
        }
        assert.fail('refused');
      };
      for (const request of [OK, { ...OK, name: 'other', dir: 'hello-python' }]) {
        assert.equal(hint(request), 'Choose another folder (--dir) or another name.');
        assert.equal(hint(request, CLI_SOURCES), 'Choose another folder (--dir) or another name.');
        const editor = hint(request, EDITOR_SOURCES) ?? '';
        assert.equal(editor, 'Choose another name: New Function puts the code in a folder named after the function.');
        assert.doesNotMatch(editor, /--/);
      }
    });

    it('refuses to replace a sample event already saved for that logical id', async () => {
      mkdirSync(join(dir.path, 'events', 'Orders'), { recursive: true });
      writeFileSync(join(dir.path, 'events', 'Orders', 'batch.sqs.json'), '{"mine": true}\n');
      await assertRefused(OK, 'name', /batch\.sqs\.json already exists/, ['events/Orders/batch.sqs.json', 'template.yaml']);
    });

    it('checks a name as it is typed, against the template and the folders', async () => {
      const project = await readProject(path);
      assert.equal(newFunctionNameProblem('orders', project), undefined);
      assert.match(newFunctionNameProblem('hello-node', project) ?? '', /already has a resource HelloNode/);
      assert.match(newFunctionNameProblem('hello-python-role', project) ?? '', /HelloPythonRole is generated by SAM for HelloPython/);
      assert.match(newFunctionNameProblem('bad name', project) ?? '', /letters, digits, - and _/);
      mkdirSync(join(dir.path, 'taken'));
      assert.match(newFunctionNameProblem('taken', project) ?? '', /Folder taken already exists/);
    });

    it('plans a valid request without writing anything', async () => {
      const plan = planNewFunction(OK, await readProject(path));
      assert.ok(plan.edits.length > 3);
      assert.deepEqual(listFiles(dir.path), ['template.yaml']);
      assert.equal(readFileSync(path, 'utf8'), original);
    });
  });
});
