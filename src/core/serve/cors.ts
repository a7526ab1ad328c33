import type { CorsConfig } from './types';

// CORS the way each front door does it. HTTP APIs and function URLs answer preflights themselves
// and add the CORS headers to every response. A REST API's Cors (SAM) only adds an OPTIONS method
// per path whose mock integration answers the preflight; the function's own responses carry
// whatever headers the function sets.

const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/** HttpApi CorsConfiguration: `true` (everything) or its object form. */
export function httpApiCors(value: unknown): CorsConfig | undefined {
  if (value === true) return { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'], exposeHeaders: [], allowCredentials: false };
  if (!isRecord(value)) return undefined;
  return {
    allowOrigins: strings(value.AllowOrigins),
    allowMethods: strings(value.AllowMethods).map((m) => m.toUpperCase()),
    allowHeaders: strings(value.AllowHeaders),
    exposeHeaders: strings(value.ExposeHeaders),
    ...(integer(value.MaxAge) !== undefined ? { maxAge: integer(value.MaxAge) } : {}),
    allowCredentials: value.AllowCredentials === true || value.AllowCredentials === 'true',
  };
}

/** FunctionUrlConfig.Cors: the same fields as an HTTP API's. */
export const functionUrlCors = httpApiCors;

/**
 * Api Cors (SAM): a quoted origin string (`"'*'"`) or an object of quoted strings, as SAM copies
 * them into the OPTIONS method's response parameters. Without AllowMethods, SAM lists the path's
 * own methods and OPTIONS (every method when the path has ANY).
 */
export function restApiCors(value: unknown): CorsConfig | undefined {
  if (typeof value === 'string') return { allowOrigins: [unquote(value)], allowMethods: [], allowHeaders: [], exposeHeaders: [], allowCredentials: false };
  if (!isRecord(value) || typeof value.AllowOrigin !== 'string') return undefined;
  const list = (v: unknown): string[] => (typeof v === 'string' ? [unquote(v)] : []);
  const maxAge = typeof value.MaxAge === 'string' ? integer(unquote(value.MaxAge)) : integer(value.MaxAge);
  return {
    allowOrigins: list(value.AllowOrigin),
    allowMethods: list(value.AllowMethods),
    allowHeaders: list(value.AllowHeaders),
    exposeHeaders: [],
    ...(maxAge !== undefined ? { maxAge } : {}),
    allowCredentials: value.AllowCredentials === true,
  };
}

/** A preflight: OPTIONS with Origin and Access-Control-Request-Method. */
export function isPreflight(method: string, header: (name: string) => string | undefined): boolean {
  return method === 'OPTIONS' && header('origin') !== undefined && header('access-control-request-method') !== undefined;
}

/**
 * An HTTP API's (or function URL's) answer to a preflight: 204 with the allowed origin, methods
 * and headers when the origin is allowed; 204 without them when it is not.
 */
export function preflightHeaders(cors: CorsConfig, header: (name: string) => string | undefined): [string, string][] {
  const origin = header('origin') ?? '';
  const allowed = allowedOrigin(cors, origin);
  if (!allowed) return [];
  const out: [string, string][] = [['access-control-allow-origin', allowed]];
  if (cors.allowCredentials) out.push(['access-control-allow-credentials', 'true']);
  const method = (header('access-control-request-method') ?? '').toUpperCase();
  const methods = cors.allowMethods.includes('*') ? [method] : cors.allowMethods;
  if (methods.length > 0) out.push(['access-control-allow-methods', methods.join(',')]);
  const requested = header('access-control-request-headers');
  if (requested && cors.allowHeaders.length > 0) {
    out.push(['access-control-allow-headers', cors.allowHeaders.includes('*') ? requested : cors.allowHeaders.join(',')]);
  }
  if (cors.maxAge !== undefined) out.push(['access-control-max-age', String(cors.maxAge)]);
  return out;
}

/** The CORS headers an HTTP API or function URL adds to a response (they replace the function's own). */
export function responseCorsHeaders(cors: CorsConfig, origin: string | undefined): [string, string][] {
  if (origin === undefined) return [];
  const allowed = allowedOrigin(cors, origin);
  if (!allowed) return [];
  const out: [string, string][] = [['access-control-allow-origin', allowed]];
  if (cors.allowCredentials) out.push(['access-control-allow-credentials', 'true']);
  if (cors.exposeHeaders.length > 0) out.push(['access-control-expose-headers', cors.exposeHeaders.join(',')]);
  return out;
}

/** A REST API's OPTIONS mock: 200 with the headers SAM's Cors puts on it, whatever the origin. */
export function restPreflightHeaders(cors: CorsConfig, pathMethods: string[]): [string, string][] {
  const methods = cors.allowMethods.length > 0 ? cors.allowMethods.join(',') : pathMethods.includes('ANY') ? ALL_METHODS.join(',') : [...new Set([...pathMethods, 'OPTIONS'])].sort().join(',');
  const out: [string, string][] = [['Access-Control-Allow-Origin', cors.allowOrigins[0] ?? '*'], ['Access-Control-Allow-Methods', methods]];
  if (cors.allowHeaders.length > 0) out.push(['Access-Control-Allow-Headers', cors.allowHeaders.join(',')]);
  if (cors.maxAge !== undefined) out.push(['Access-Control-Max-Age', String(cors.maxAge)]);
  if (cors.allowCredentials) out.push(['Access-Control-Allow-Credentials', 'true']);
  return out;
}

/** The Access-Control-Allow-Origin value for this origin: `*`, the origin itself, or undefined when it is not allowed. */
function allowedOrigin(cors: CorsConfig, origin: string): string | undefined {
  if (cors.allowOrigins.includes('*')) return cors.allowCredentials ? origin : '*';
  return cors.allowOrigins.some((o) => o.toLowerCase() === origin.toLowerCase()) ? origin : undefined;
}

/** SAM's REST Cors values are quoted the way API Gateway's response parameters are: `"'*'"`. */
function unquote(v: string): string {
  return v.replace(/^'(.*)'$/s, '$1');
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

function integer(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
