import { randomBytes } from 'node:crypto';
import { UserError } from '../errors';
import { type LambdaError, REQUEST_LIMIT_BYTES, requestTooLarge } from './lambdaErrors';
import type { LogEntry } from './logs';
import type { InvokeReport } from './report';

// What one invocation gives its caller, and the small pieces that make it: the event as bytes,
// the trace header, the logs collected while it ran.

export interface InvokeResult {
  logicalId: string;
  requestId: string;
  /** The response parsed as JSON (its text when it is not JSON); null when the invocation failed or its response went to onResponseStream. */
  payload: unknown;
  /** The response exactly as the runtime sent it. */
  rawPayload: string | null;
  error: LambdaError | null;
  report: InvokeReport;
  /** The REPORT line in Lambda's format. */
  reportLine: string;
  warnings: string[];
  /** Log lines so far; lines the engine delivers late are appended. */
  logs: LogEntry[];
  /** START, the function's lines, END and REPORT, as Lambda's log shows them. */
  logText(): string;
  /** Waits until the function's output has been quiet for `quietMs` (at most `maxMs`), then gives logText(). */
  settleLogs(quietMs?: number, maxMs?: number): Promise<string>;
}

/** The log lines of one invocation as they arrive. */
export interface Collector {
  entries: LogEntry[];
  lastAt: number;
  onLog?: (entry: LogEntry) => void;
}

export function eventPayload(opts: { event?: unknown; payload?: string | Buffer }): Buffer {
  let payload: Buffer;
  if (opts.payload !== undefined) {
    payload = Buffer.isBuffer(opts.payload) ? opts.payload : Buffer.from(opts.payload, 'utf8');
    if (payload.length > REQUEST_LIMIT_BYTES) throw requestTooLarge(payload.length);
    try {
      JSON.parse(payload.toString('utf8'));
    } catch (err) {
      throw new UserError(`Could not parse request body into json: ${(err as Error).message}`, 'The event must be JSON.', 'InvalidRequestContentException');
    }
    return payload;
  }
  payload = Buffer.from(JSON.stringify(opts.event ?? {}), 'utf8');
  if (payload.length > REQUEST_LIMIT_BYTES) throw requestTooLarge(payload.length);
  return payload;
}

/** An X-Ray trace header as Lambda sends it: Root=1-<epoch hex>-<96 bits>;Parent=<64 bits>;Sampled=0. */
export function traceId(): string {
  return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

export function makeResult(
  logicalId: string,
  requestId: string,
  rawPayload: string | null,
  error: LambdaError | null,
  report: InvokeReport,
  reportLine: string,
  warnings: string[],
  collector: Collector,
): InvokeResult {
  let payload: unknown = null;
  if (rawPayload !== null) {
    try {
      payload = JSON.parse(rawPayload);
    } catch {
      payload = rawPayload;
    }
  }
  const logText = (): string => {
    const platform = collector.entries.filter((e) => e.stream === 'platform');
    const own = collector.entries.filter((e) => e.stream !== 'platform');
    const head = platform.filter((e) => !/^(END|REPORT) RequestId:/.test(e.line) && !e.line.includes('Task timed out after') && !e.line.startsWith(`RequestId: ${requestId} Error:`));
    const tail = platform.filter((e) => !head.includes(e));
    return [...head, ...own, ...tail].map((e) => e.line).join('\n');
  };
  return {
    logicalId,
    requestId,
    payload,
    rawPayload,
    error,
    report,
    reportLine,
    warnings,
    logs: collector.entries,
    logText,
    async settleLogs(quietMs = 50, maxMs = 1000) {
      const until = Date.now() + maxMs;
      while (Date.now() < until && Date.now() - collector.lastAt < quietMs) {
        await new Promise((r) => setTimeout(r, Math.min(quietMs, until - Date.now())));
      }
      return logText();
    },
  };
}
