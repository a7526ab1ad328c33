import { resolve } from 'node:path';
import { type DebugOptions, InvocationClock, type InvokeResult, type LogEntry } from '../../core/local';
import { formatInvocationCost } from '../../core/local/report';
import { BUILD_ARG_USAGE } from '../core';
import { type Io, UsageError } from '../io';
import { parseOptions } from '../options';
import { findFunction, LOCAL_OPTIONS, openRunner, readEvent } from './localRun';
import { reportFailure } from '../failures';

export const INVOKE_USAGE = `Usage: lambda-workbench invoke LOGICAL_ID [--event FILE|-] [--image IMAGE] [--env-file F] [options]

Runs the function once in a local container the way Lambda runs it and prints its result,
its logs and the REPORT figures (Init Duration, Duration, Billed Duration, Max Memory Used, cost).
Exit 0 when it ran (a handler error is part of the result), 1 when it could not run.

Options:
  --event FILE|-         the event (JSON); '-' reads stdin; default {}
  --image IMAGE          run in IMAGE instead of the runtime's Lambda base image
  --env-file F           environment overrides: NAME=value lines or SAM's JSON ({"Fn": {...}})
  --pass-credentials     give the function your AWS credentials (--profile P, --region R)
  --region R             AWS_REGION in the container (default: the profile's region, then AWS_REGION)
  --endpoint-url URL     download layers given by ARN from this endpoint (an emulator)
  --docker-host URL      the Docker engine (default: DOCKER_HOST, the docker context, the default socket)
  --runtime-api-address A  the address of this machine the engine's containers reach it at
                         (default: chosen automatically; also LAMBDA_WORKBENCH_RUNTIME_API_ADDRESS)
  --network bridge|host  the container's network (default bridge)
  --debug                start the runtime waiting for a debugger on 127.0.0.1 (Node inspector, JDWP,
                         Delve, or debugpy when the image has it), print where, and send the event once one
                         attaches and lets it run; the function's timeout is off while debugging
  --label KEY=VALUE      an extra label on the container (repeatable)
${BUILD_ARG_USAGE}
  --json                 machine output on stdout

A function a builder makes (pip, npm, go, make, maven) runs as its built artifact, like deploy
uploads it: built first when it is missing or out of date, with the build's output on stderr.`;

/** `invoke LOGICAL_ID`: one local invocation, printed as CLI.md describes. */
export async function invokeCommand(args: string[], io: Io, cwd = process.cwd(), stdin?: () => string): Promise<number> {
  const { common, values, positionals } = parseOptions(args, { ...LOCAL_OPTIONS, event: { type: 'string' }, debug: { type: 'boolean' } }, { positionals: true, cwd });
  if (positionals.length > 1) throw new UsageError(`invoke takes one function, not ${positionals.length}`);
  const fn = await findFunction(common, positionals[0]);
  let session: Awaited<ReturnType<typeof openRunner>> | undefined;
  try {
    const payload = readEvent(typeof values.event === 'string' ? values.event : undefined, cwd, stdin);
    session = await openRunner(fn, values, {}, common.json ? undefined : io);
    const live = (e: LogEntry): void => {
      // Human mode streams the function's output as it comes; REPORT is printed with the result.
      if (!common.json && e.stream !== 'platform') io.err(e.line);
    };
    const result = await session.runner.invoke(fn, {
      payload,
      envFile: typeof values['env-file'] === 'string' ? resolve(cwd, values['env-file']) : undefined,
      token: session.token,
      onLog: live,
      onProgress: common.json ? undefined : (p) => io.err(`... ${p.message}`),
      debug: values.debug === true ? terminalDebug(io) : undefined,
    });
    // Removing the container ends its output stream, so every line it printed is in by then:
    // no wait for the output to go quiet, and the container's removal is the last step.
    const closing = session;
    session = undefined;
    await closing.close();
    const logs = await result.settleLogs(0);
    if (common.json) io.out(JSON.stringify(invokeJson(result, logs), null, 2));
    else printHuman(result, io);
    return 0;
  } catch (err) {
    return reportFailure(err, io, 'invoke');
  } finally {
    await session?.close();
  }
}

/**
 * Debugging from a terminal: say where the debugger waits (on stderr, so --json stays clean). No
 * pause signal reaches us from an outside debugger, so the timeout is off, as SAM CLI does.
 */
function terminalDebug(io: Io): DebugOptions {
  const clock = new InvocationClock();
  clock.pause();
  return {
    clock,
    attach: async (t) => {
      const how = {
        node: `Node inspector at ${t.host}:${t.port}: attach with chrome://inspect, or VS Code's Node "attach" (port ${t.port}, localRoot ${t.localRoot}, remoteRoot ${t.remoteRoot})`,
        python: `debugpy at ${t.host}:${t.port}: attach with a debugpy "attach" (pathMappings ${t.localRoot} -> ${t.remoteRoot})`,
        java: `JDWP at ${t.host}:${t.port}: attach with \`jdb -attach ${t.host}:${t.port}\`, or VS Code's Java "attach" (hostName ${t.host}, port ${t.port})`,
        go: `Delve at ${t.host}:${t.port}: attach with \`dlv connect ${t.host}:${t.port}\`, or VS Code's Go "attach" (mode remote, port ${t.port})`,
      }[t.language];
      io.err(`Debugger waiting: ${how}. The runtime starts, and the event is sent, once it attaches.`);
    },
  };
}

export function invokeJson(r: InvokeResult, logs: string) {
  return {
    logicalId: r.logicalId,
    requestId: r.requestId,
    payload: r.payload,
    error: r.error ? { errorType: r.error.errorType, errorMessage: r.error.errorMessage, trace: r.error.trace ?? r.error.stackTrace ?? [] } : null,
    logs,
    report: {
      cold: r.report.cold,
      initDurationMs: r.report.initDurationMs,
      durationMs: r.report.durationMs,
      billedDurationMs: r.report.billedDurationMs,
      memorySizeMb: r.report.memorySizeMb,
      maxMemoryUsedMb: r.report.maxMemoryUsedMb,
      costUsd: r.report.costUsd,
      status: r.report.status,
      maxMemorySource: r.report.maxMemorySource,
    },
    reportLine: r.reportLine,
    warnings: r.warnings,
  };
}

function printHuman(r: InvokeResult, io: Io): void {
  if (r.error) {
    io.out(JSON.stringify({ errorType: r.error.errorType, errorMessage: r.error.errorMessage }, null, 2));
  } else {
    io.out(r.rawPayload === null ? 'null' : typeof r.payload === 'string' ? r.payload : JSON.stringify(r.payload, null, 2));
  }
  const cost = `cost ${formatInvocationCost(r.report.costUsd.x86_64)} on x86_64, ${formatInvocationCost(r.report.costUsd.arm64)} on arm64`;
  io.err(`${r.reportLine.replace(/\t/g, '  ')}\n${r.report.cold ? 'cold start' : 'warm'}, ${cost}`);
}
