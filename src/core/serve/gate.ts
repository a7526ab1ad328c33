/**
 * A function's concurrency, as Lambda keeps it: at most `limit` invocations at once (each in a
 * container of its own); the rest wait in order, at most `maxWaiting` of them (then the caller
 * is throttled, as Lambda throttles past its limit). A waiter that gives up leaves the queue.
 */
export class Gate {
  private running = 0;
  private readonly waiting: { grant: () => void; gaveUp: boolean }[] = [];

  constructor(
    readonly limit: number,
    private readonly maxWaiting = 1000,
  ) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.filter((w) => !w.gaveUp).length;
  }

  /**
   * Resolves with a release function once a place is free; 'throttled' when too many wait. `abandon`
   * (a promise that settles when the caller stops waiting) takes the caller out of the queue.
   */
  acquire(abandon?: Promise<unknown>): Promise<(() => void) | 'throttled' | 'abandoned'> {
    if (this.running < this.limit && this.queued === 0) return Promise.resolve(this.take());
    if (this.queued >= this.maxWaiting) return Promise.resolve('throttled');
    return new Promise((resolve) => {
      const waiter = { grant: () => resolve(this.take()), gaveUp: false };
      this.waiting.push(waiter);
      void abandon?.then(
        () => {
          if (waiter.gaveUp || !this.waiting.includes(waiter)) return;
          waiter.gaveUp = true;
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          resolve('abandoned');
        },
        () => undefined,
      );
    });
  }

  private take(): () => void {
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const next = this.waiting.shift();
      next?.grant();
    };
  }
}
