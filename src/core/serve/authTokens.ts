import { globMatch } from './glob';

// Tokens and policies, read the way API Gateway reads them. JWTs are decoded, never verified: a
// local front door has no business holding an identity provider's keys, and the responses of
// routes that use them say so in a header (see authorize.ts).

/** The claims of a JWT (`header.payload.signature`, base64url), or undefined when it is not one. */
export function decodeJwt(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    if (!isRecord(header) || !isRecord(claims)) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}

/** `Bearer <token>` or the token alone, as API Gateway's JWT authorizers accept it. */
export function bearer(value: string): string {
  return value.replace(/^Bearer\s+/i, '').trim();
}

/**
 * Why a token's time and audience claims refuse it, or undefined when they do not: expired
 * (`exp`), not yet valid (`nbf`), another issuer, or an audience (`aud`, else `client_id`) not
 * among those configured.
 */
export function claimsProblem(claims: Record<string, unknown>, nowSeconds: number, want: { issuer?: string; audience?: readonly string[] }): string | undefined {
  if (typeof claims.exp === 'number' && claims.exp <= nowSeconds) return 'the token has expired';
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds) return 'the token is not valid yet';
  if (want.issuer !== undefined && claims.iss !== want.issuer) return `the token's issuer is not ${want.issuer}`;
  if (want.audience && want.audience.length > 0) {
    const aud = Array.isArray(claims.aud) ? claims.aud : claims.aud !== undefined ? [claims.aud] : claims.client_id !== undefined ? [claims.client_id] : [];
    if (!aud.some((a) => want.audience!.includes(String(a)))) return "the token's audience is not one the authorizer accepts";
  }
  return undefined;
}

/** The scopes a token grants: `scope` (space-separated) or `scp` (a list or a string). */
export function tokenScopes(claims: Record<string, unknown>): string[] {
  const raw = claims.scope ?? claims.scp;
  if (Array.isArray(raw)) return raw.map(String);
  return typeof raw === 'string' ? raw.split(' ').filter(Boolean) : [];
}

/** Claim values as API Gateway passes them on: strings, lists as `[a b]`, objects as JSON. */
export function stringClaims(claims: Record<string, unknown>): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(claims)) {
    out[k] = typeof v === 'string' ? v : Array.isArray(v) ? `[${v.map(String).join(' ')}]` : v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

/**
 * An IAM policy's verdict on invoking `arn`: 'deny' when a statement denies it (an explicit deny
 * wins), 'allow' when one allows it, 'none' otherwise. Actions and resources match with `*` and `?`.
 */
export function policyVerdict(policy: unknown, arn: string): 'allow' | 'deny' | 'none' | 'malformed' {
  if (!isRecord(policy)) return 'malformed';
  const statements = Array.isArray(policy.Statement) ? policy.Statement : isRecord(policy.Statement) ? [policy.Statement] : undefined;
  if (!statements) return 'malformed';
  let allowed = false;
  for (const s of statements) {
    if (!isRecord(s) || (s.Effect !== 'Allow' && s.Effect !== 'Deny')) return 'malformed';
    const actions = list(s.Action);
    const resources = list(s.Resource);
    if (!actions.some((a) => globMatch(a, 'execute-api:Invoke', true)) || !resources.some((r) => globMatch(r, arn))) continue;
    if (s.Effect === 'Deny') return 'deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'none';
}

function list(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
