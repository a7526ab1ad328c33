import { UserError } from '../errors';
import { LIMITS } from '../limits';

/** An error as Lambda returns it to the caller: what the runtime posted, or what Lambda itself says. */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  /** Python's runtime posts the request id with its errors, and Lambda returns it to the caller. */
  requestId?: string;
  /** Node runtimes post `trace`, others `stackTrace`; kept as posted. */
  trace?: string[];
  stackTrace?: string[];
}

/** Lambda rejects a synchronous Invoke request body above 6 MiB. */
export const REQUEST_LIMIT_BYTES = LIMITS.syncPayloadBytes;
/** Lambda's response check is 100 bytes looser than its request check: 6 MiB + 100, as its own error says. */
export const RESPONSE_LIMIT_BYTES = LIMITS.syncPayloadBytes + 100;

/** A streamed response may be up to 200 MB (function URLs, InvokeWithResponseStream). */
export const STREAM_RESPONSE_LIMIT_BYTES = 200 * 1024 * 1024;

/** What the caller of a streaming function gets when its stream went past the limit. */
export function streamTooLarge(): LambdaError {
  return {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size exceeded maximum allowed payload size (${STREAM_RESPONSE_LIMIT_BYTES} bytes).`,
  };
}

/** What the Runtime API answers the runtime when its response is too large (HTTP 413). */
export const RUNTIME_PAYLOAD_TOO_LARGE = {
  errorMessage: `Exceeded maximum allowed payload size (${RESPONSE_LIMIT_BYTES} bytes).`,
  errorType: 'RequestEntityTooLarge',
} as const;

/** What the caller of Invoke gets when the function's response was over the limit. */
export function responseTooLarge(): LambdaError {
  return {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size exceeded maximum allowed payload size (${RESPONSE_LIMIT_BYTES} bytes).`,
  };
}

/** Invoke refuses an oversized event before anything runs, as Lambda's API does (RequestEntityTooLargeException). */
export function requestTooLarge(bytes: number): UserError {
  return new UserError(
    `Request must be smaller than ${REQUEST_LIMIT_BYTES} bytes for the InvokeFunction operation (this event is ${bytes} bytes).`,
    'Lambda refuses synchronous events over 6 MiB: pass large data through S3 and send its key in the event.',
    'RequestEntityTooLargeException',
  );
}

export function timedOut(requestId: string, timeoutSeconds: number): LambdaError {
  return { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds` };
}

/** The line Lambda writes to the function's log when it times out. */
export function timedOutLogLine(requestId: string, timeoutSeconds: number, at: Date): string {
  return `${at.toISOString()} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

const SIGNALS: Record<number, string> = {
  1: 'hangup',
  2: 'interrupt',
  3: 'quit',
  4: 'illegal instruction',
  6: 'aborted',
  7: 'bus error',
  8: 'floating point exception',
  9: 'killed',
  11: 'segmentation fault',
  13: 'broken pipe',
  15: 'terminated',
};

/** How Lambda (Go's os/exec) words a process end: "exit status 1", "signal: killed". */
export function exitDescription(exitCode: number): string {
  const signal = exitCode > 128 ? SIGNALS[exitCode - 128] : undefined;
  return signal ? `signal: ${signal}` : `exit status ${exitCode}`;
}

/** The runtime process ended during an invocation (crash, or killed for memory). */
export function runtimeExited(requestId: string, exitCode: number): LambdaError {
  return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${exitDescription(exitCode)}` };
}

/** The runtime ended during init without reporting why (no /init/error). */
export function runtimeExitedDuringInit(exitCode: number): LambdaError {
  return { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: ${exitDescription(exitCode)}` };
}

/** How much of a posted stack trace is kept: enough for any real trace, bounded for any body. */
const TRACE_LINES = 200;
const TRACE_LINE_CHARS = 4096;
const ERROR_TYPE_CHARS = 256;

/**
 * The error a runtime posted to /error or /init/error. Lambda uses the body when it is the
 * standard error JSON, and falls back to the Lambda-Runtime-Function-Error-Type header. Total:
 * whatever the body holds (objects in the trace, odd types, megabytes), this returns an error.
 */
export function parseRuntimeError(body: Buffer, headerType: string | undefined): LambdaError {
  const fallbackType = clip(headerType?.trim() || 'Runtime.Unknown', ERROR_TYPE_CHARS);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    const text = body.toString('utf8').trim();
    return { errorType: fallbackType, errorMessage: text || 'The runtime reported an error without details.' };
  }
  if (typeof parsed !== 'object' || parsed === null) return { errorType: fallbackType, errorMessage: JSON.stringify(parsed) };
  const p = parsed as Record<string, unknown>;
  const error: LambdaError = {
    errorType: typeof p.errorType === 'string' && p.errorType ? clip(p.errorType, ERROR_TYPE_CHARS) : fallbackType,
    errorMessage: typeof p.errorMessage === 'string' ? p.errorMessage : p.errorMessage === undefined ? '' : JSON.stringify(p.errorMessage),
  };
  if (typeof p.requestId === 'string') error.requestId = clip(p.requestId, ERROR_TYPE_CHARS);
  if (Array.isArray(p.trace)) error.trace = traceLines(p.trace);
  if (Array.isArray(p.stackTrace)) error.stackTrace = traceLines(p.stackTrace);
  return error;
}

/** Trace entries as lines: strings as they are, anything else as its JSON (String() can throw on objects). */
function traceLines(entries: unknown[]): string[] {
  const lines = entries.slice(0, TRACE_LINES).map((e) => clip(typeof e === 'string' ? e : (JSON.stringify(e) ?? String(e)), TRACE_LINE_CHARS));
  if (entries.length > TRACE_LINES) lines.push(`... ${entries.length - TRACE_LINES} more lines`);
  return lines;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

/**
 * The runtime's connection closed before its response (or error) was complete. Lambda has no
 * name of its own for this to copy; the caller gets an error saying what happened, never the
 * truncated bytes as if they were the whole response.
 */
export function responseAborted(requestId: string, kind: 'response' | 'error', bytes: number): LambdaError {
  return {
    errorType: 'Runtime.ResponseAborted',
    errorMessage: `RequestId: ${requestId} Error: the runtime's connection closed before its ${kind} was complete (${bytes} bytes received).`,
  };
}
