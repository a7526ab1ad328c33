import { globMatch } from './glob';
import { dict } from './request';
import type { ListenerSpec, RouteSpec } from './types';

/** The route a request goes to, with the path parameters its template captured. */
export interface RouteMatch {
  route: RouteSpec;
  /** Decoded values by name; undefined when the route has no parameters. */
  pathParameters?: Record<string, string>;
  /** The path without the stage prefix, as sent (percent-encoded). */
  path: string;
}

/**
 * Chooses the route as API Gateway does: the most specific path wins, segment by segment from the
 * left (a literal over `{param}` over `{proxy+}`), then a method of its own over ANY, then the
 * HTTP API's `$default` route. A named stage must begin the path. Load balancers take their
 * rules in priority order. Undefined when nothing matches.
 */
export function matchRoute(listener: ListenerSpec, method: string, rawPath: string): RouteMatch | undefined {
  const path = withoutStage(listener, rawPath);
  if (path === undefined) return undefined;
  if (listener.kind === 'alb') return matchAlb(listener, method, path);
  if (listener.kind === 'function-url') return { route: listener.routes[0], path };
  const segments = split(path);
  let best: { route: RouteSpec; params: Record<string, string>; rank: number[] } | undefined;
  for (const route of listener.routes) {
    if (route.path === '$default' || (route.method !== 'ANY' && route.method !== method)) continue;
    const params = capture(split(route.path), segments);
    if (!params) continue;
    const rank = [...split(route.path).map(kind), route.method === 'ANY' ? 1 : 0];
    if (!best || before(rank, best.rank)) best = { route, params, rank };
  }
  if (best) return { route: best.route, path, ...(Object.keys(best.params).length > 0 ? { pathParameters: best.params } : {}) };
  const fallback = listener.routes.find((r) => r.path === '$default');
  return fallback ? { route: fallback, path } : undefined;
}

/** The methods some route of this path has (a REST API's CORS preflight lists them). */
export function methodsOfPath(listener: ListenerSpec, rawPath: string): string[] {
  const path = withoutStage(listener, rawPath);
  if (path === undefined) return [];
  const segments = split(path);
  return listener.routes.filter((r) => r.path !== '$default' && capture(split(r.path), segments)).map((r) => r.method);
}

/** The path below the stage, or undefined when a named stage does not begin it. */
function withoutStage(listener: ListenerSpec, rawPath: string): string | undefined {
  if (listener.stage === '$default') return rawPath;
  const prefix = `/${listener.stage}`;
  if (rawPath === prefix) return '/';
  return rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : undefined;
}

function matchAlb(listener: ListenerSpec, method: string, path: string): RouteMatch | undefined {
  for (const route of listener.routes) {
    if (route.methods && !route.methods.includes(method)) continue;
    if (route.pathPatterns && !route.pathPatterns.some((p) => globMatch(p, path))) continue;
    return { route, path };
  }
  return undefined;
}

/** Path segments; a trailing slash names the same resource. */
function split(path: string): string[] {
  const parts = path.split('/').slice(1);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function kind(segment: string): number {
  if (/^\{[^{}]+\+\}$/.test(segment)) return 2;
  return /^\{[^{}]+\}$/.test(segment) ? 1 : 0;
}

function before(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i];
  return a.length > b.length;
}

/** The template's parameters captured from the request's segments, or undefined when it does not match. */
function capture(template: string[], segments: string[]): Record<string, string> | undefined {
  const params = dict<string>();
  for (let i = 0; i < template.length; i++) {
    const t = template[i];
    const k = kind(t);
    if (k === 2) {
      const rest = segments.slice(i);
      if (rest.length === 0) return undefined;
      params[t.slice(1, -2)] = rest.map(decode).join('/');
      return params;
    }
    if (i >= segments.length) return undefined;
    if (k === 1) {
      if (segments[i] === '') return undefined;
      params[t.slice(1, -1)] = decode(segments[i]);
    } else if (decode(segments[i]) !== t) {
      return undefined;
    }
  }
  return template.length === segments.length ? params : undefined;
}

/** Percent-decoding that keeps a malformed escape as it was sent. */
export function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
