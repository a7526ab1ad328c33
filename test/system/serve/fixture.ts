import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BuildEngine } from '../../../src/core/build';
import { type Engine, openEngine } from '../../../src/core/docker';
import { LocalRunner, type LogEntry } from '../../../src/core/local';
import { loadTemplate } from '../../../src/core/model';
import type { FunctionSpec, TemplateModel } from '../../../src/core/model/types';
import { LocalApi, type LocalApiOptions, type ReloadEvent, type RequestLog } from '../../../src/core/serve';
import { runLabels, testEnv } from '../env';

/** A project on disk (template and code folders), served by a LocalApi over a real runner and engine. */
export interface ServeFixture {
  dir: string;
  engine: Engine;
  runner: LocalRunner;
  api: LocalApi;
  model: TemplateModel;
  logs: LogEntry[];
  requests: RequestLog[];
  reloads: ReloadEvent[];
  fn(logicalId: string): FunctionSpec;
  /** The base URL of a route's listener (an API's, a function URL's, a load balancer's). */
  base(logicalId: string, kind?: string): string;
  write(rel: string, text: string): void;
  /** Containers of this run's label for the function. */
  containers(logicalId: string): Promise<number>;
  dispose(): Promise<void>;
}

export async function serveFixture(template: string, files: Record<string, string>, opts: Partial<LocalApiOptions> = {}): Promise<ServeFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'lwb-serve-'));
  const write = (rel: string, text: string): void => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  write('template.yaml', template);
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  const engine = await openEngine();
  const logs: LogEntry[] = [];
  const runner = await LocalRunner.create({
    engine,
    cacheDir: join(dir, '.cache'),
    images: { 'nodejs22.x': testEnv().image },
    labels: runLabels(),
    idleTimeoutMs: 120_000,
    onLog: (e) => logs.push(e),
    builds: new BuildEngine({ cacheDir: join(dir, '.cache', 'build') }),
  });
  const model = await loadTemplate(join(dir, 'template.yaml'));
  const requests: RequestLog[] = [];
  const reloads: ReloadEvent[] = [];
  let api: LocalApi;
  try {
    api = await LocalApi.start({ runner, models: [model], port: 0, watch: false, onRequest: (r) => requests.push(r), onReload: (e) => reloads.push(e), ...opts });
  } catch (err) {
    await runner.dispose();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    dir,
    engine,
    runner,
    api,
    model,
    logs,
    requests,
    reloads,
    fn: (id) => model.functions.find((f) => f.logicalId === id)!,
    base(id, kind) {
      const route = api.routes.find((r) => r.logicalId === id && (!kind || r.kind === kind));
      if (!route) throw new Error(`no route of ${id}`);
      return new URL(route.url).origin;
    },
    write,
    async containers(id) {
      const list = await engine.docker.listContainers({ all: true, filters: { label: [`lambda-workbench.test-run=${testEnv().runId}`, `lambda-workbench.function=${id}`] } });
      return list.length;
    },
    async dispose() {
      await api.stop();
      await runner.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Every header line as received. */
  raw: [string, string][];
  body: Buffer;
  text: string;
  json(): unknown;
}

/** One HTTP request with node:http (headers exactly as given, repeated ones included). */
export function call(url: string, opts: { method?: string; headers?: [string, string][]; body?: Buffer | string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // Headers as a list are sent as they are: Host too must be in it.
    const headers = opts.headers ?? [];
    const all = headers.some(([k]) => k.toLowerCase() === 'host') ? [...headers] : [['Host', new URL(url).host], ...headers];
    if (opts.body !== undefined && !headers.some(([k]) => /^(content-length|transfer-encoding)$/i.test(k))) all.push(['Content-Length', String(Buffer.byteLength(opts.body))]);
    const req = request(url, { method: opts.method ?? 'GET', headers: all.flat(), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const raw: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) raw.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, body, text: body.toString('utf8'), json: () => JSON.parse(body.toString('utf8')) as unknown });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Polls `check` until it holds (every 25 ms, at most `maxMs`); throws with `what` when it never does. */
export async function until(check: () => boolean | Promise<boolean>, what: string, maxMs = 30_000): Promise<void> {
  const end = Date.now() + maxMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
