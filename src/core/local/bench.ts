import { type CancellationTokenLike, throwIfCancelled } from '../cancel';
import type { Architecture } from '../limits';
import type { FunctionSpec } from '../model/types';
import type { InvokeOptions, InvokeResult, LocalRunner } from './runner';

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** One memory size's figures: what Lambda Power Tuning reports, measured locally. */
export interface BenchRun {
  memorySizeMb: number;
  concurrency: number;
  /** Warm invocations measured. */
  n: number;
  /** Cold starts: Init Duration + Duration, what the caller of a cold start waits inside Lambda. */
  cold: Percentiles;
  /** Warm invocations: Duration. */
  warm: Percentiles;
  /** Median Init Duration of the cold starts. */
  initDurationMs: number | null;
  maxMemoryUsedMb: number;
  /** Mean billed cost of a warm invocation, times a million. */
  costPerMillionUsd: Record<Architecture, number>;
  /** Invocations that ended in an error (they are measured too). */
  errors: number;
  coldStarts: number;
}

export interface BenchOptions extends Pick<InvokeOptions, 'payload' | 'event' | 'codeDir' | 'envFile' | 'timeoutSeconds'> {
  /** Warm invocations per memory size. */
  n: number;
  concurrency: number;
  memorySizes: number[];
  /** Cold starts measured per memory size. */
  coldStarts: number;
  token?: CancellationTokenLike;
  onProgress?: (message: string) => void;
  onResult?: (result: InvokeResult) => void;
}

/** Nearest-rank percentiles, rounded as Lambda rounds durations (two decimals). */
export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  const r = (v: number): number => Math.round(v * 100) / 100;
  return { p50: r(at(50)), p90: r(at(90)), p99: r(at(99)), max: r(sorted[sorted.length - 1]) };
}

function median(values: number[]): number | null {
  return values.length ? percentiles(values).p50 : null;
}

/**
 * Local power tuning: for each memory size, `coldStarts` cold starts (fresh containers, C at a
 * time), then `n` warm invocations at concurrency C over C warm containers.
 */
export async function runBench(runner: LocalRunner, fn: FunctionSpec, opts: BenchOptions): Promise<BenchRun[]> {
  const runs: BenchRun[] = [];
  const c = Math.max(1, Math.floor(opts.concurrency));
  for (const memoryMb of opts.memorySizes) {
    const base: InvokeOptions = { payload: opts.payload, event: opts.event, codeDir: opts.codeDir, envFile: opts.envFile, timeoutSeconds: opts.timeoutSeconds, memoryMb, token: opts.token };
    const invoke = async (extra: InvokeOptions = {}): Promise<InvokeResult> => {
      throwIfCancelled(opts.token, 'the benchmark');
      const r = await runner.invoke(fn, { ...base, ...extra });
      opts.onResult?.(r);
      return r;
    };
    await runner.removeContainers(fn);

    const cold: InvokeResult[] = [];
    let remaining = Math.max(0, opts.coldStarts);
    while (remaining > 0) {
      const wave = Math.min(c, remaining);
      opts.onProgress?.(`${memoryMb} MB: cold starts ${cold.length + 1}-${cold.length + wave} of ${opts.coldStarts}`);
      cold.push(...(await Promise.all(Array.from({ length: wave }, () => invoke({ forceCold: true })))));
      remaining -= wave;
      if (remaining > 0) await runner.removeContainers(fn);
    }

    // C warm containers before measuring warm invocations (unmeasured when they must be started).
    const missing = c - runner.containerCount(fn);
    if (missing > 0) {
      opts.onProgress?.(`${memoryMb} MB: warming ${c} containers`);
      await Promise.all(Array.from({ length: c }, () => invoke()));
    }

    const warm: InvokeResult[] = [];
    let next = 0;
    opts.onProgress?.(`${memoryMb} MB: ${opts.n} warm invocations at concurrency ${c}`);
    await Promise.all(
      Array.from({ length: c }, async () => {
        while (next < opts.n) {
          next++;
          warm.push(await invoke());
        }
      }),
    );

    const all = [...cold, ...warm];
    const warmOnly = warm.filter((r) => !r.report.cold);
    const coldOnly = [...cold, ...warm.filter((r) => r.report.cold)];
    const meanCost = (arch: Architecture): number => (warmOnly.length ? warmOnly.reduce((s, r) => s + r.report.costUsd[arch], 0) / warmOnly.length : 0);
    runs.push({
      memorySizeMb: memoryMb,
      concurrency: c,
      n: warm.length,
      cold: percentiles(coldOnly.map((r) => (r.report.initDurationMs ?? 0) + r.report.durationMs)),
      warm: percentiles(warmOnly.map((r) => r.report.durationMs)),
      initDurationMs: median(coldOnly.map((r) => r.report.initDurationMs ?? 0)),
      maxMemoryUsedMb: Math.max(0, ...all.map((r) => r.report.maxMemoryUsedMb)),
      costPerMillionUsd: { x86_64: meanCost('x86_64') * 1_000_000, arm64: meanCost('arm64') * 1_000_000 },
      errors: all.filter((r) => r.error).length,
      coldStarts: coldOnly.length,
    });
    await runner.removeContainers(fn);
  }
  return runs;
}
