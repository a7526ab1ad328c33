/** What one tier ran. The runner adds these up into the closing `N passed, N failed` line. */
export interface TierResult {
  passed: number;
  failed: number;
  skipped: number;
  /** Each failed test's full title and the first line of its error, for the run's closing summary. */
  failures?: string[];
}

/** The line a test process prints so its parent can count it (the host's console is all we get back). */
export const RESULT_MARKER = 'LWB-RESULT ';

export function formatResult(r: TierResult): string {
  return `${RESULT_MARKER}${JSON.stringify(r)}`;
}

/** The counts from a line that is the marker and nothing else (a test's own output that merely contains it does not count). */
export function parseResult(line: string): TierResult | undefined {
  const m = /^LWB-RESULT (\{[^\n]*\})\r?$/.exec(line);
  if (!m) return undefined;
  try {
    const r = JSON.parse(m[1]) as TierResult;
    const count = (n: unknown): boolean => Number.isInteger(n) && (n as number) >= 0;
    if (r.failures !== undefined && !(Array.isArray(r.failures) && r.failures.every((f) => typeof f === 'string'))) return undefined;
    return count(r.passed) && count(r.failed) && count(r.skipped) ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Marks the lines the extension-host tests print, among everything else the workbench logs. */
export const HOST_LINE_PREFIX = 'LWB| ';

/**
 * A tier's count, checked against its exit code: a process that ended without its result line, or
 * whose exit code says otherwise than its count, is one more failure, so a crash is never green.
 */
export function agreed(result: TierResult | undefined, code: number | null, log: (why: string) => void): TierResult {
  if (!result) {
    log(`exited ${code} without a result line`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  if ((code === 0) !== (result.failed === 0)) {
    log(`exited ${code} but counted ${result.failed} failed`);
    return { ...result, failed: result.failed + 1 };
  }
  return result;
}
