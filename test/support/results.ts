/** What one tier ran. The runner adds these up into the closing `N passed, N failed` line. */
export interface TierResult {
  passed: number;
  failed: number;
  skipped: number;
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
    return count(r.passed) && count(r.failed) && count(r.skipped) ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Marks the lines the extension-host tests print, among everything else the workbench logs. */
export const HOST_LINE_PREFIX = 'LWB| ';
