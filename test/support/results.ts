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

export function parseResult(line: string): TierResult | undefined {
  const at = line.indexOf(RESULT_MARKER);
  if (at < 0) return undefined;
  try {
    const r = JSON.parse(line.slice(at + RESULT_MARKER.length)) as TierResult;
    return typeof r.passed === 'number' && typeof r.failed === 'number' ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Marks the lines the extension-host tests print, among everything else the workbench logs. */
export const HOST_LINE_PREFIX = 'LWB| ';
