import { performance } from 'node:perf_hooks';

export interface ClockTimer {
  dispose(): void;
}

/**
 * An invocation's clock: its timers (init phase, function timeout) stop while it is paused and go
 * on with the time they had left when it resumes. A debugger pauses it when it stops on a
 * breakpoint, so a person stepping through a handler is not cut off by the function's timeout —
 * the timeout still applies to the time the code actually runs.
 */
export class InvocationClock {
  private pausedSince: number | undefined;
  private pausedTotal = 0;
  private readonly timers = new Set<{ fn: () => void; remaining: number; startedAt: number; handle?: NodeJS.Timeout }>();

  get paused(): boolean {
    return this.pausedSince !== undefined;
  }

  /** Time spent paused so far, in ms. */
  get pausedMs(): number {
    return this.pausedTotal + (this.pausedSince === undefined ? 0 : performance.now() - this.pausedSince);
  }

  /** Calls `fn` after `ms` of running (not paused) time. */
  setTimeout(fn: () => void, ms: number): ClockTimer {
    const timer = { fn, remaining: ms, startedAt: performance.now(), handle: undefined as NodeJS.Timeout | undefined };
    this.timers.add(timer);
    if (!this.paused) this.arm(timer);
    return {
      dispose: () => {
        if (timer.handle) clearTimeout(timer.handle);
        this.timers.delete(timer);
      },
    };
  }

  pause(): void {
    if (this.paused) return;
    const now = performance.now();
    this.pausedSince = now;
    for (const t of this.timers) {
      if (t.handle) clearTimeout(t.handle);
      t.handle = undefined;
      t.remaining = Math.max(0, t.remaining - (now - t.startedAt));
    }
  }

  resume(): void {
    if (this.pausedSince === undefined) return;
    this.pausedTotal += performance.now() - this.pausedSince;
    this.pausedSince = undefined;
    for (const t of this.timers) this.arm(t);
  }

  private arm(t: { fn: () => void; remaining: number; startedAt: number; handle?: NodeJS.Timeout }): void {
    t.startedAt = performance.now();
    t.handle = setTimeout(() => {
      this.timers.delete(t);
      t.fn();
    }, t.remaining);
  }
}
