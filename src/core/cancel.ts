/**
 * Cancellation without VS Code: the extension passes its CancellationToken (which has this
 * shape), the CLI passes one driven by SIGINT, tests pass their own.
 */
export interface CancellationTokenLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export class CancelledError extends Error {
  constructor(what = 'the operation') {
    super(`Cancelled ${what}.`);
    this.name = 'CancelledError';
  }
}

export function throwIfCancelled(token: CancellationTokenLike | undefined, what?: string): void {
  if (token?.isCancellationRequested) throw new CancelledError(what);
}

/** A token and the switch that trips it, for core callers (CLI, tests). */
export function cancellationSource(): { token: CancellationTokenLike; cancel(): void } {
  let cancelled = false;
  const listeners = new Set<() => void>();
  return {
    token: {
      get isCancellationRequested() {
        return cancelled;
      },
      onCancellationRequested(listener) {
        if (cancelled) {
          queueMicrotask(listener);
          return { dispose: () => undefined };
        }
        listeners.add(listener);
        return { dispose: () => void listeners.delete(listener) };
      },
    },
    cancel() {
      if (cancelled) return;
      cancelled = true;
      for (const l of [...listeners]) l();
      listeners.clear();
    },
  };
}

export const NEVER_CANCELLED: CancellationTokenLike = {
  isCancellationRequested: false,
  onCancellationRequested: () => ({ dispose: () => undefined }),
};
