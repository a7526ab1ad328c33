import { type CancellationTokenLike, CancelledError } from '../cancel';

/** Waits `ms`, or rejects with CancelledError as soon as the token trips. */
export function sleep(ms: number, token?: CancellationTokenLike): Promise<void> {
  return new Promise((resolve, reject) => {
    if (token?.isCancellationRequested) {
      reject(new CancelledError());
      return;
    }
    const sub = token?.onCancellationRequested(() => {
      clearTimeout(timer);
      reject(new CancelledError());
    });
    const timer = setTimeout(() => {
      sub?.dispose();
      resolve();
    }, ms);
  });
}

/** An AbortSignal that follows the token, for APIs that take one (SDK waiters, sends). */
export function abortSignalFor(token: CancellationTokenLike | undefined): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token?.isCancellationRequested) controller.abort();
  const sub = token?.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => sub?.dispose() };
}

export interface RetryPolicy {
  /** Whether this error is worth another attempt. */
  retryIf(err: unknown): boolean;
  /** Total attempts, the first one included. */
  attempts: number;
  /** Delay before attempt `n` (1 = the first retry). */
  delayMs(n: number): number;
  /** Runs before each retry instead of or after the delay (e.g. wait for an update to finish). */
  beforeRetry?(err: unknown): Promise<void>;
}

/** Runs `op` until it succeeds, fails with an error the policy does not retry, or runs out of attempts. */
export async function withRetry<T>(op: () => Promise<T>, policy: RetryPolicy, token?: CancellationTokenLike): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (attempt >= policy.attempts || !policy.retryIf(err)) throw err;
      await sleep(policy.delayMs(attempt), token);
      await policy.beforeRetry?.(err);
    }
  }
}
