import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BuildEngine, type BuildEngineOptions } from '../../../src/core/build';
import type { AwsSession, AwsSessionOptions } from '../../../src/core/deploy/session';
import type { Engine, EngineOptions } from '../../../src/core/docker/engine';
import type { LocalRunner, LocalRunnerOptions } from '../../../src/core/local/runner';
import type { CoreDeps } from '../../../src/core/open';
import { SizeEngine, type SizeEngineOptions } from '../../../src/core/size';

/** What the core asked of the external systems, in order. */
export interface Recorded {
  sessions: AwsSessionOptions[];
  destroyedSessions: AwsSessionOptions[];
  engines: EngineOptions[];
  runners: LocalRunnerOptions[];
  disposedRunners: number;
  sizeEngines: SizeEngineOptions[];
  buildEngines: BuildEngineOptions[];
  lambdaCalls: { session: AwsSessionOptions; command: string; input: unknown }[];
}

export interface FakeOptions {
  /** Answers Lambda calls (by command name); a call nobody configured fails the test. */
  lambda?: (command: string, input: Record<string, unknown>, session: AwsSessionOptions) => unknown;
  /** How long a runner's dispose (its container removal) takes. */
  runnerDisposeMs?: number;
  /** How long the size engine's dispose (its workers' shutdown) takes; after it, `sizeEngineDisposed` is set. */
  sizeEngineDisposeMs?: number;
}

/**
 * Stand-ins for AWS, Docker and the runner that record what the core passes them. The size engine
 * is the real one, on the calling thread and without a cache folder; so is the build engine.
 */
export function fakeDeps(opts: FakeOptions = {}): { deps: CoreDeps; rec: Recorded; state: { sizeEngineDisposed: boolean } } {
  const rec: Recorded = { sessions: [], destroyedSessions: [], engines: [], runners: [], disposedRunners: 0, sizeEngines: [], buildEngines: [], lambdaCalls: [] };
  const state = { sizeEngineDisposed: false };
  const session = (o: AwsSessionOptions): AwsSession =>
    ({
      profile: o.profile,
      endpointUrl: o.endpointUrl,
      errorContext: { profile: o.profile, endpointUrl: o.endpointUrl },
      lambda: {
        send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
          const name = command.constructor.name;
          rec.lambdaCalls.push({ session: o, command: name, input: command.input });
          if (!opts.lambda) throw new Error(`no Lambda call expected, got ${name}`);
          return opts.lambda(name, command.input, o);
        },
        config: {
          credentials: async () => ({ accessKeyId: `key-of-${o.profile ?? 'default'}`, secretAccessKey: 'secret', sessionToken: 'token' }),
          region: async () => o.region,
        },
      },
      checkCredentials: async () => undefined,
      region: async () => o.region ?? 'us-east-1',
      destroy: () => void rec.destroyedSessions.push(o),
    }) as unknown as AwsSession;
  const deps: CoreDeps = {
    createSession: async (o) => {
      rec.sessions.push(o);
      return session(o);
    },
    openEngine: async (o) => {
      rec.engines.push(o);
      return { docker: {}, endpoint: { url: 'unix:///fake/docker.sock' }, info: { version: 'fake' } } as unknown as Engine;
    },
    createRunner: async (o) => {
      rec.runners.push(o);
      return {
        dispose: async () => {
          await new Promise((r) => setTimeout(r, opts.runnerDisposeMs ?? 0));
          rec.disposedRunners++;
        },
      } as unknown as LocalRunner;
    },
    createBuildEngine: async (o) => {
      rec.buildEngines.push(o);
      return new BuildEngine(o);
    },
    createSizeEngine: async (o) => {
      rec.sizeEngines.push(o);
      const engine = new SizeEngine({ ...o, cacheDir: undefined, workers: 0 });
      const dispose = engine.dispose.bind(engine);
      engine.dispose = async () => {
        await dispose();
        await new Promise((r) => setTimeout(r, opts.sizeEngineDisposeMs ?? 0));
        state.sizeEngineDisposed = true;
      };
      return engine;
    },
    connectImageEngine: () => Promise.reject(new Error('no image engine expected')),
  };
  return { deps, rec, state };
}

/** Serves one archive the way S3 serves a pre-signed URL: whole, or the byte range asked for. */
export async function serveArchive(body: Buffer): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (m) {
      const [start, end] = [Number(m[1]), Math.min(Number(m[2]), body.length - 1)];
      res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${body.length}` });
      res.end(body.subarray(start, end + 1));
    } else {
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/layer.zip`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
