import { type Architecture, invocationCostUsd } from '../limits';

/** The figures Lambda prints in its REPORT line, measured for one local invocation. */
export interface InvokeReport {
  cold: boolean;
  /** Container start to the runtime's first /next; null for a warm invocation. */
  initDurationMs: number | null;
  /** Event handed to the runtime to its response (or error). */
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Where the memory figure comes from: the peak resident memory of the container's processes during this invocation (or since the container started), the engine's stats, or the memory limit (out of memory). */
  maxMemorySource: 'rss-invocation' | 'rss-lifetime' | 'stats-peak' | 'stats-usage' | 'limit';
  costUsd: Record<Architecture, number>;
  /** Lambda's REPORT status: present on failures only, as Lambda prints it. */
  status: 'success' | 'error' | 'timeout';
  errorType?: string;
}

/** Milliseconds as Lambda prints them: two decimals. */
export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/**
 * Lambda bills every started millisecond, and (since August 2025, for every runtime) the
 * cold start's Init Duration too. Rounds the printed two-decimal figures, so the REPORT line
 * adds up: "Duration: 12.00 ms" bills 12 ms, never 13 from float noise.
 */
export function billedDurationMs(durationMs: number, initDurationMs: number | null): number {
  const total = roundMs(durationMs) + (initDurationMs === null ? 0 : roundMs(initDurationMs));
  return Math.max(1, Math.ceil(Math.round(total * 100) / 100));
}

/** Lambda prints whole MB (MiB); a peak of any size above a whole MB counts as the next one. */
export function bytesToMb(bytes: number): number {
  return Math.ceil(bytes / (1024 * 1024));
}

export function buildReport(figures: {
  cold: boolean;
  initDurationMs: number | null;
  durationMs: number;
  memorySizeMb: number;
  maxMemoryUsedBytes: number;
  maxMemorySource: InvokeReport['maxMemorySource'];
  status: InvokeReport['status'];
  errorType?: string;
}): InvokeReport {
  const durationMs = roundMs(figures.durationMs);
  const initDurationMs = figures.initDurationMs === null ? null : roundMs(figures.initDurationMs);
  const billed = billedDurationMs(durationMs, initDurationMs);
  const report: InvokeReport = {
    cold: figures.cold,
    initDurationMs,
    durationMs,
    billedDurationMs: billed,
    memorySizeMb: figures.memorySizeMb,
    maxMemoryUsedMb: Math.min(figures.memorySizeMb, bytesToMb(figures.maxMemoryUsedBytes)),
    maxMemorySource: figures.maxMemorySource,
    costUsd: {
      x86_64: invocationCostUsd(billed, figures.memorySizeMb, 'x86_64'),
      arm64: invocationCostUsd(billed, figures.memorySizeMb, 'arm64'),
    },
    status: figures.status,
  };
  if (figures.errorType) report.errorType = figures.errorType;
  return report;
}

/**
 * The REPORT line in Lambda's own format (tab-separated, as CloudWatch shows it):
 * REPORT RequestId: <id>\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB\tInit Duration: 210.55 ms
 * followed by "Status: timeout" or "Status: error\tError Type: ..." when the invocation failed.
 */
export function formatReportLine(requestId: string, r: InvokeReport): string {
  const fields = [
    `REPORT RequestId: ${requestId}`,
    `Duration: ${r.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${r.billedDurationMs} ms`,
    `Memory Size: ${r.memorySizeMb} MB`,
    `Max Memory Used: ${r.maxMemoryUsedMb} MB`,
  ];
  if (r.initDurationMs !== null) fields.push(`Init Duration: ${r.initDurationMs.toFixed(2)} ms`);
  if (r.status !== 'success') {
    fields.push(`Status: ${r.status}`);
    if (r.errorType && r.status === 'error') fields.push(`Error Type: ${r.errorType}`);
  }
  return fields.join('\t');
}

/**
 * Dollars as people read them: cents for a cent or more, else the first two significant digits
 * written out ($0.0000044), never an exponent.
 */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd) || usd <= 0) return '$0';
  if (usd >= 0.01) return `$${usd.toFixed(2)}`;
  const decimals = Math.min(20, Math.ceil(-Math.log10(usd)) + 1);
  return `$${usd.toFixed(decimals).replace(/0+$/, '')}`;
}

/** One invocation's cost, and a million of them: "$0.0000044 ($4.40 per million)". */
export function formatInvocationCost(usd: number): string {
  return `${formatUsd(usd)} (${formatUsd(usd * 1_000_000)} per million)`;
}
