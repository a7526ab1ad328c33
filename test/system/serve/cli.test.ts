import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openEngine } from '../../../src/core/docker';
import { runLabels, testEnv } from '../env';
import { writeFiles } from '../local/fixture';
import { call, until } from './fixture';

// The CLI's contract (CLI.md): `serve` prints a ROUTE line per route and READY on stdout, serves
// until SIGINT or SIGTERM, then removes its containers and exits 0; 1 when it cannot start.

const CLI = resolve(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs22.x
    CodeUri: fn/
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Events:
        Get: { Type: HttpApi, Properties: { Path: '/hello/{name}', Method: get } }
        Any: { Type: Api, Properties: { Path: /any, Method: any } }
      FunctionUrlConfig: { AuthType: NONE }
`;

interface Served {
  child: ChildProcess;
  stdout: string[];
  stderr: string;
  exited: Promise<number | null>;
}

function serve(cwd: string, args: string[]): Served {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const served: Served = { child, stdout: [], stderr: '', exited: new Promise((r) => child.on('exit', (code) => r(code))) };
  let pending = '';
  child.stdout!.on('data', (c: Buffer) => {
    pending += c.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    served.stdout.push(...lines);
  });
  child.stderr!.on('data', (c: Buffer) => (served.stderr += c.toString()));
  return served;
}

describe('cli: serve (real Docker)', function () {
  this.timeout(120_000);
  let root: string;
  let common: string[];
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'lwb-cli-serve-'));
    writeFiles(root, {
      'template.yaml': TEMPLATE,
      'fn/app.mjs': 'export const handler = async (e) => ({ statusCode: 200, body: `hello ${e.pathParameters?.name ?? e.rawPath ?? e.path}` });\n',
      'empty/template.yaml': 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Quiet:\n    Type: AWS::Serverless::Function\n    Properties: { Runtime: nodejs22.x, Handler: a.b, CodeUri: . }\n',
    });
    common = ['--image', testEnv().image, '--label', `lambda-workbench.test-run=${testEnv().runId}`];
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('prints a ROUTE line per route, then READY; serves them; SIGTERM removes its containers and exits 0', async () => {
    const s = serve(root, ['--port', '0', ...common]);
    try {
      await until(() => s.stdout.includes('READY') || s.child.exitCode !== null, 'READY');
      assert.equal(s.stdout[s.stdout.length - 1], 'READY', s.stderr);
      const routes = s.stdout.slice(0, -1).map((l) => l.split(' '));
      assert.ok(routes.every((r) => r.length === 4 && r[0] === 'ROUTE'), s.stdout.join('\n'));
      const [http, rest, url] = routes;
      assert.deepEqual([http[1], http[2]], ['Hello', 'GET']);
      assert.match(http[3], /^http:\/\/127\.0\.0\.1:\d+\/hello\/\{name\}$/);
      assert.deepEqual([rest[1], rest[2]], ['Hello', 'ANY']);
      assert.match(rest[3], /^http:\/\/127\.0\.0\.1:\d+\/Prod\/any$/, 'the implicit REST API serves under its Prod stage');
      assert.deepEqual([url[1], url[2]], ['Hello', 'ANY']);
      assert.match(url[3], /^http:\/\/127\.0\.0\.1:\d+\/$/, "a function URL's line has its base URL");
      assert.equal(new Set(routes.map((r) => new URL(r[3]).port)).size, 3, '--port 0 picked a free port for each listener');
      const reply = await call(http[3].replace('{name}', 'ada'));
      assert.deepEqual([reply.status, reply.text], [200, 'hello ada']);
      await until(() => /GET \/hello\/ada 200 \d+ ms Hello/.test(s.stderr), 'the request logged on stderr');
      writeFiles(root, { 'template.yaml': TEMPLATE.replace("        Any:", "        Bye: { Type: HttpApi, Properties: { Path: /bye, Method: post } }\n        Any:") });
      await until(() => /RELOAD .*\n/.test(s.stderr), 'the template reload line');
      assert.match(s.stderr, /^RELOAD template\.yaml reloaded: added POST http:\/\/127\.0\.0\.1:\d+\/bye \(Hello\)$/m, 'one stderr line says what the saved template changed');
      assert.equal((await call(`${new URL(http[3]).origin}/bye`, { method: 'POST' })).text, 'hello /bye');
      const engine = await openEngine();
      const mine = async (): Promise<number> => (await engine.docker.listContainers({ all: true, filters: { label: Object.entries(runLabels()).map(([k, v]) => `${k}=${v}`).concat('lambda-workbench.function=Hello') } })).length;
      assert.ok((await mine()) >= 1);
      s.child.kill('SIGTERM');
      assert.equal(await s.exited, 0, s.stderr);
      // It exits once their runtimes have ended; the engine finishes removing them.
      await until(async () => (await mine()) === 0, 'its containers gone', 10_000);
    } finally {
      s.child.kill('SIGKILL');
    }
  });

  it('exits 1 with what to do when nothing can be served, or its port is taken', async () => {
    const nothing = serve(join(root, 'empty'), ['--port', '0', ...common]);
    assert.equal(await nothing.exited, 1);
    assert.match(nothing.stderr, /Nothing to serve/);
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (blocker.address() as { port: number }).port;
      const taken = serve(root, ['--port', String(port), ...common]);
      assert.equal(await taken.exited, 1);
      assert.match(taken.stderr, new RegExp(`127\\.0\\.0\\.1:${port}: the port is in use`));
      assert.deepEqual(taken.stdout, [], 'no ROUTE or READY line when it could not start');
    } finally {
      blocker.close();
    }
  });

  it('refuses --json and arguments it does not take (exit 2)', async () => {
    const json = serve(root, ['--json']);
    assert.equal(await json.exited, 2);
    assert.match(json.stderr, /no --json output/);
    const bad = serve(root, ['--port', 'abc']);
    assert.equal(await bad.exited, 2);
  });
});
