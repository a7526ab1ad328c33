/** Results kept at most, per API: an authorizer called with ever new tokens must not grow memory without end. */
const MAX_ENTRIES = 10_000;

/**
 * Lambda authorizer results, cached the way API Gateway caches them: per API, by the authorizer and
 * the values of its identity sources (the token, for a REST TOKEN authorizer), for the authorizer's
 * TTL. What is kept is the authorizer's answer (its policy or isAuthorized, principal and context),
 * so a cached policy is evaluated again against each request's method ARN, as API Gateway does.
 */
export class AuthorizerCache {
  private readonly entries = new Map<string, { result: Record<string, unknown>; expires: number }>();

  constructor(
    /** Milliseconds; the front door passes Date.now, tests a clock of their own. */
    private readonly now: () => number = Date.now,
  ) {}

  get(authorizer: string, identity: readonly string[]): Record<string, unknown> | undefined {
    const key = cacheKey(authorizer, identity);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires > this.now()) return entry.result;
    this.entries.delete(key);
    return undefined;
  }

  set(authorizer: string, identity: readonly string[], result: Record<string, unknown>, ttlSeconds: number): void {
    if (ttlSeconds <= 0) return;
    const key = cacheKey(authorizer, identity);
    this.entries.delete(key);
    // Maps iterate in insertion order: the first key is the oldest entry.
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { result, expires: this.now() + ttlSeconds * 1000 });
  }

  clear(): void {
    this.entries.clear();
  }
}

function cacheKey(authorizer: string, identity: readonly string[]): string {
  return JSON.stringify([authorizer, ...identity]);
}
