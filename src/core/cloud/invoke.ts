import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { CancellationTokenLike } from '../cancel';
import { CancelledError } from '../cancel';
import { abortSignalFor } from '../deploy/retry';
import { UserError } from '../errors';
import { LIMITS } from '../limits';

export interface RemoteInvokeResult {
  functionName: string;
  statusCode: number;
  /** 'Unhandled' or 'Handled' when the function failed; the payload then holds the error. */
  functionError?: string;
  executedVersion?: string;
  /** The response parsed as JSON, or its text when it is not JSON. */
  payload: unknown;
  payloadText: string;
  payloadIsJson: boolean;
  /** The last 4 KB of the invocation's log, decoded; undefined when Lambda sent none. */
  logTail?: string;
  /** The REPORT line of the log tail (duration, billed duration, memory), when it is there. */
  report?: string;
  durationMs: number;
}

/**
 * A synchronous invoke in AWS with the log tail (LogType Tail). The payload must be JSON and fit
 * Lambda's 6 MiB synchronous request limit; that is checked before sending, so a mistake costs no
 * invocation. Cancelling stops the wait, not the function already running in AWS.
 */
export async function invokeRemote(
  lambda: Pick<LambdaClient, 'send'>,
  functionName: string,
  payloadJson: string,
  opts: { qualifier?: string; token?: CancellationTokenLike } = {},
): Promise<RemoteInvokeResult> {
  try {
    JSON.parse(payloadJson);
  } catch (err) {
    throw new UserError(`The event for ${functionName} is not JSON: ${(err as Error).message}.`, 'Fix the event, then invoke again.', 'invoke-payload');
  }
  const body = Buffer.from(payloadJson, 'utf8');
  if (body.length > LIMITS.syncPayloadBytes) {
    throw new UserError(
      `The event for ${functionName} is ${body.length} bytes: over Lambda's ${LIMITS.syncPayloadBytes}-byte limit for a synchronous invoke.`,
      'Send a smaller event, or pass large data through S3 and send its key.',
      'invoke-payload',
    );
  }
  const { InvokeCommand } = await import('@aws-sdk/client-lambda');
  const abort = abortSignalFor(opts.token);
  const started = Date.now();
  try {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: functionName, Payload: body, LogType: 'Tail', InvocationType: 'RequestResponse', ...(opts.qualifier ? { Qualifier: opts.qualifier } : {}) }),
      { abortSignal: abort.signal },
    );
    const payloadText = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
    const parsed = parseJson(payloadText);
    const logTail = out.LogResult ? Buffer.from(out.LogResult, 'base64').toString('utf8') : undefined;
    return {
      functionName,
      statusCode: out.StatusCode ?? 0,
      ...(out.FunctionError ? { functionError: out.FunctionError } : {}),
      ...(out.ExecutedVersion ? { executedVersion: out.ExecutedVersion } : {}),
      payload: parsed.ok ? parsed.value : payloadText,
      payloadText,
      payloadIsJson: parsed.ok,
      ...(logTail ? { logTail, report: reportLine(logTail) } : {}),
      durationMs: Date.now() - started,
    };
  } catch (err) {
    if (opts.token?.isCancellationRequested) throw new CancelledError(`waiting for ${functionName}`);
    throw err;
  } finally {
    abort.dispose();
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The REPORT line of a log tail, tabs as Lambda writes them turned into two spaces. */
export function reportLine(log: string): string | undefined {
  const line = log.split('\n').find((l) => l.startsWith('REPORT RequestId:'));
  return line?.trim().replace(/\t/g, '  ');
}
