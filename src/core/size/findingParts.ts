import type { Finding, FindingCode } from './types';

/** A finding with no bytes, limit, actions or subjects unless given. */
export function finding(code: FindingCode, severity: Finding['severity'], message: string, fix: string, extra: Partial<Finding> = {}): Finding {
  return { code, severity, message, fix, bytes: null, limit: null, actions: [], subjects: [], ...extra };
}

/** Up to `max` items, then how many more. */
export function list(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
