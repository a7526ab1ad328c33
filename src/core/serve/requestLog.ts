import type { ListenerSpec } from './types';

/** One request, as the log line of `serve` shows it. */
export interface RequestLog {
  listener: ListenerSpec;
  method: string;
  path: string;
  status: number;
  logicalId?: string;
  ms: number;
  /** Why the front door answered instead of the function, when it did. */
  note?: string;
}

/** A request as one log line: `GET /hello 200 12 ms HelloFn (why the front door answered)`. */
export function formatRequest(r: RequestLog): string {
  return `${r.method} ${r.path} ${r.status} ${r.ms.toFixed(0)} ms${r.logicalId ? ` ${r.logicalId}` : ''}${r.note ? ` (${r.note})` : ''}`;
}
