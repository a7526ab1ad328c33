import { UserError } from '../errors';
import { LIMITS } from '../limits';

/** An error as Lambda returns it to the caller: what the runtime posted, or what Lambda itself says. */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  /** Node runtimes post `trace`, others `stackTrace`; kept as posted. */
  trace?: string[];
  stackTrace?: string[];
}

/** Lambda rejects a synchronous Invoke request body above 6 MiB. */
export const REQUEST_LIMIT_BYTES = LIMITS.syncPayloadBytes;
/** Lambda's response check is 100 bytes looser than its request check: 6 MiB + 100, as its own error says. */
export const RESPONSE_LIMIT_BYTES = LIMITS.syncPayloadBytes + 100;

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

/**
 * The error a runtime posted to /error or /init/error. Lambda uses the body when it is the
 * standard error JSON, and falls back to the Lambda-Runtime-Function-Error-Type header.
 */
export function parseRuntimeError(body: Buffer, headerType: string | undefined): LambdaError {
  const fallbackType = headerType?.trim() || 'Runtime.Unknown';
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    const text = body.toString('utf8').trim();
    return { errorType: fallbackType, errorMessage: text || 'The runtime reported an error without details.' };
  }
  if (typeof parsed !== 'object' || parsed === null) return { errorType: fallbackType, errorMessage: String(parsed) };
  const p = parsed as Record<string, unknown>;
  const error: LambdaError = {
    errorType: typeof p.errorType === 'string' && p.errorType ? p.errorType : fallbackType,
    errorMessage: typeof p.errorMessage === 'string' ? p.errorMessage : '',
  };
  if (Array.isArray(p.trace)) error.trace = p.trace.map(String);
  if (Array.isArray(p.stackTrace)) error.stackTrace = p.stackTrace.map(String);
  return error;
}
