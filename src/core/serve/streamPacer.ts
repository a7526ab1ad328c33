import { performance } from 'node:perf_hooks';

/** Lambda streams the first 6 MB of a response uncapped, the rest at most 2 MB/s (its "Bandwidth limits for response streaming"). */
export const STREAM_BURST_BYTES = 6 * 1024 * 1024;
export const STREAM_RATE_BYTES_PER_SECOND = 2 * 1024 * 1024;

/**
 * Decides how long each chunk of a streamed response waits so that it flows as Lambda lets it:
 * the first 6 MB as fast as the function writes them, every byte after at 2 MB/s. Time a slow
 * function spends writing is not banked for later bursts: a chunk past the burst is due when the
 * previous one was, or now if later, plus its own time at the rate. The clock is injected so the
 * decision can be checked without waiting.
 */
export class StreamPacer {
  private sent = 0;
  private nextFree = 0;

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly burstBytes = STREAM_BURST_BYTES,
    private readonly bytesPerSecond = STREAM_RATE_BYTES_PER_SECOND,
  ) {}

  /** Milliseconds to hold a chunk of `bytes` (the next ones of the stream) before passing it on. */
  delayFor(bytes: number): number {
    const before = this.sent;
    this.sent += bytes;
    const capped = this.sent - Math.max(before, this.burstBytes);
    if (capped <= 0) return 0;
    const now = this.now();
    this.nextFree = Math.max(this.nextFree, now) + (capped / this.bytesPerSecond) * 1000;
    return this.nextFree - now;
  }
}
