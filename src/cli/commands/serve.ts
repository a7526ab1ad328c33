import { resolve } from 'node:path';
import { CancelledError } from '../../core/cancel';
import { type LogEntry, MAX_MIN_WARM } from '../../core/local';
import { DEFAULT_CONCURRENCY, DEFAULT_SERVE_PORT, describeTemplateReload, formatRequest, LocalApi, type ReloadEvent } from '../../core/serve';
import { BUILD_ARG_USAGE } from '../core';
import { reportFailure } from '../failures';
import { type Io, UsageError } from '../io';
import { parseOptions } from '../options';
import { loadModels, positiveInt } from './awsSetup';
import { LOCAL_OPTIONS, openRunner } from './localRun';

export const SERVE_USAGE = `Usage: lambda-workbench serve [--port P] [--image IMAGE] [--warm N] [--min-warm N] [options]

Serves the templates' functions over HTTP on 127.0.0.1, called the way AWS calls them: the routes
of each HttpApi and Api (payload format 2.0 or 1.0, path parameters, {proxy+}, ANY, the stage and
its variables, authorizers, CORS) on one port per API, each FunctionUrlConfig (RESPONSE_STREAM
streams) and each load balancer listener on a port of its own. Each concurrent request runs in a
container of its own, up to the function's ReservedConcurrentExecutions (else --concurrency);
more wait. A save to a function's code or dependency manifest rebuilds it; the next request runs
the new code. A save to a template re-reads its routes (one stderr line says what changed; a
template that cannot be read keeps the old routes). Serves until SIGINT or SIGTERM, then removes
its containers and exits 0.

Prints on stdout, for each route, one line
  ROUTE <LogicalId> <METHOD or ANY> <url>
(a function URL's url is its base URL), then one line READY. Requests, function logs and
rebuilds go to stderr. Exit 1 when it could not start.

Options:
  --port P               the first port; the next listeners take the ports after it (default
                         ${DEFAULT_SERVE_PORT}); 0 picks free ports
  --warm N               start N containers per function (through their init) before READY
  --min-warm N           keep N containers per function started while serving (at most
                         ${MAX_MIN_WARM}; each holds its memory): started before READY, replaced with
                         ones on the new code after a rebuild, replaced when one dies, never
                         removed for being idle; a function whose containers cannot start
                         is tried again after a wait that doubles, with a stderr line
  --concurrency N        concurrent requests per function without ReservedConcurrentExecutions
                         (default ${DEFAULT_CONCURRENCY})
  --no-watch             do not rebuild or re-read templates on save
  --image IMAGE          run every function in IMAGE instead of its runtime's Lambda base image
  --env-file F, --docker-host URL, --runtime-api-address A, --network bridge|host,
  --label KEY=VALUE, --pass-credentials, --profile P, --region R, --endpoint-url URL
                         as for invoke
${BUILD_ARG_USAGE}`;

/** `serve`: the local HTTP front door, printed as CLI.md describes. */
export async function serveCommand(args: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const { common, values, positionals } = parseOptions(
    args,
    { ...LOCAL_OPTIONS, port: { type: 'string' }, warm: { type: 'string' }, 'min-warm': { type: 'string' }, concurrency: { type: 'string' }, 'no-watch': { type: 'boolean' } },
    { positionals: true, cwd },
  );
  if (positionals.length > 0) throw new UsageError(`serve takes no functions (it serves every HTTP route of the templates), not '${positionals[0]}'`);
  if (common.json) throw new UsageError('serve has no --json output: its ROUTE and READY lines are the machine format');
  const port = positiveInt(values, 'port', DEFAULT_SERVE_PORT, 0);
  if (port > 65_535) throw new UsageError(`--port is a port number up to 65535, not '${port}'`);
  const warm = positiveInt(values, 'warm', 0, 0);
  const minWarm = positiveInt(values, 'min-warm', 0, 0);
  if (minWarm > MAX_MIN_WARM) throw new UsageError(`--min-warm is at most ${MAX_MIN_WARM} containers per function, not '${minWarm}'`);
  const concurrency = positiveInt(values, 'concurrency', DEFAULT_CONCURRENCY, 1);
  const models = await loadModels(common, io);
  if (models.length === 0) throw new UsageError(`no template.yaml or template.yml under ${common.root}; pass --template`);
  const functions = models.flatMap((m) => m.functions);

  // Stops on the first SIGINT or SIGTERM, however far the start got.
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let session: Awaited<ReturnType<typeof openRunner>> | undefined;
  let api: LocalApi | undefined;
  try {
    const onLog = (e: LogEntry): void => {
      if (e.stream !== 'platform' || /^(REPORT|WARNING) /.test(e.line)) io.err(`[${e.logicalId}] ${e.line}`);
    };
    session = await openRunner(functions, values, { onLog }, io);
    const starting = LocalApi.start({
      runner: session.runner,
      models,
      port,
      warm,
      minWarm,
      onWarmError: (logicalId, error) => io.err(`WARM ${logicalId} could not start its warm containers: ${error}`),
      concurrency,
      watch: values['no-watch'] !== true,
      envFile: typeof values['env-file'] === 'string' ? resolve(cwd, values['env-file']) : undefined,
      token: session.token,
      onProgress: (m) => io.err(`... ${m}`),
      onRequest: (r) => io.err(formatRequest(r)),
      onReload: (e) => {
        if (e.phase !== 'rebuilding') io.err(reloadLine(e));
      },
      onTemplateReload: (e) => io.err(`RELOAD ${describeTemplateReload(e)}`),
    });
    api = await Promise.race([starting, stopped.then(() => undefined)]);
    if (!api) {
      void starting.then((a) => a.stop(), () => undefined);
      return 0;
    }
    for (const w of api.warnings) io.err(`warning: ${w}`);
    for (const r of api.routes) io.out(`ROUTE ${r.logicalId} ${r.method} ${r.url}`);
    io.out('READY');
    await stopped;
    return 0;
  } catch (err) {
    if (err instanceof CancelledError) return 0;
    return reportFailure(err, io, 'serve');
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await api?.stop();
    await session?.close();
  }
}

function reloadLine(e: ReloadEvent): string {
  return e.phase === 'rebuilt' ? `RELOAD ${e.logicalId} ${e.durationMs.toFixed(0)} ms (${e.changed})` : `RELOAD ${e.logicalId} failed after ${e.durationMs.toFixed(0)} ms: ${e.error}; the previous code keeps serving`;
}
