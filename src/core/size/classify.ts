import type { SizeStatus } from './types';

/** Warn at 80% of a limit unless the user chose otherwise (setting lambdaWorkbench.size.warnAt, CLI --warn-at). */
export const DEFAULT_WARN_AT = 0.8;

/**
 * Where a value stands against a limit. Lambda's limits are inclusive maximums: a package of exactly
 * the limit is accepted, one byte more is not.
 */
export function classify(value: number, limit: number, warnAt = DEFAULT_WARN_AT): 'ok' | 'warn' | 'over' {
  if (value > limit) return 'over';
  if (value >= warnAt * limit) return 'warn';
  return 'ok';
}

/** Checks a warning fraction from settings or the command line. */
export function checkWarnAt(warnAt: number): number {
  if (!Number.isFinite(warnAt) || warnAt <= 0 || warnAt > 1) {
    throw new RangeError(`the warning threshold must be a fraction above 0 and at most 1 (such as 0.8), not ${warnAt}`);
  }
  return warnAt;
}

const RANK: Record<SizeStatus, number> = { ok: 0, warn: 1, unknown: 2, over: 3 };

/** The worse of two statuses: over beats unknown (a known part is already too big), unknown beats warn. */
export function worst(a: SizeStatus, b: SizeStatus): SizeStatus {
  return RANK[a] >= RANK[b] ? a : b;
}
