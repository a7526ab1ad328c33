import type { FunctionConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import { type CancellationTokenLike, CancelledError } from '../cancel';
import { UserError } from '../errors';
import { abortSignalFor } from './retry';

export type LambdaSend = Pick<LambdaClient, 'send'>;

/** How long to wait for Lambda to finish an update before giving up, in seconds. */
export const DEFAULT_MAX_WAIT_SECONDS = 600;

function failed(name: string, cfg: FunctionConfiguration, what: 'update' | 'activation'): UserError {
  const reason = what === 'update' ? cfg.LastUpdateStatusReason : cfg.StateReason;
  const code = what === 'update' ? cfg.LastUpdateStatusReasonCode : cfg.StateReasonCode;
  return new UserError(
    `Lambda could not complete the ${what} of function ${name}: ${reason ?? 'no reason given'}${code ? ` (${code})` : ''}.`,
    'Fix the cause above, then run the deploy again.',
    'lambda-update-failed',
  );
}

/**
 * Waits until the function is ready for the next change: its state is Active and its last update
 * finished. One direct read first, so the common case costs one call and a permission or network
 * error surfaces at once (the SDK waiters retry every error until they time out); only a function
 * still in progress is handed to the SDK's waiters and their backoff.
 */
export async function waitForFunctionReady(
  lambda: LambdaSend,
  functionName: string,
  token?: CancellationTokenLike,
  maxWaitSeconds = DEFAULT_MAX_WAIT_SECONDS,
): Promise<FunctionConfiguration> {
  const mod = await import('@aws-sdk/client-lambda');
  const read = (): Promise<FunctionConfiguration> => lambda.send(new mod.GetFunctionConfigurationCommand({ FunctionName: functionName }));
  let cfg = await read();
  if (cfg.State === 'Failed') throw failed(functionName, cfg, 'activation');
  if (cfg.LastUpdateStatus === 'Failed') throw failed(functionName, cfg, 'update');
  const pendingState = cfg.State === 'Pending';
  const pendingUpdate = cfg.LastUpdateStatus === 'InProgress';
  if (!pendingState && !pendingUpdate) return cfg;

  const abort = abortSignalFor(token);
  // The waiters only call send(); the narrow client is all they use.
  const params = { client: lambda as LambdaClient, maxWaitTime: maxWaitSeconds, abortSignal: abort.signal };
  try {
    if (pendingState) await mod.waitUntilFunctionActiveV2(params, { FunctionName: functionName });
    if (pendingUpdate || pendingState) await mod.waitUntilFunctionUpdatedV2(params, { FunctionName: functionName });
  } catch (err) {
    if (token?.isCancellationRequested) throw new CancelledError(`waiting for function ${functionName}`);
    cfg = await read();
    if (cfg.State === 'Failed') throw failed(functionName, cfg, 'activation');
    if (cfg.LastUpdateStatus === 'Failed') throw failed(functionName, cfg, 'update');
    if ((err as Error).name === 'TimeoutError') {
      throw new UserError(
        `Function ${functionName} was still updating after ${maxWaitSeconds} s (state ${cfg.State}, last update ${cfg.LastUpdateStatus}).`,
        'Check it in the Lambda console, then run the deploy again.',
        'lambda-wait-timeout',
      );
    }
    throw err;
  } finally {
    abort.dispose();
  }
  return read();
}
