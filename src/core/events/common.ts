import { createHash } from 'node:crypto';
import type { SampleParams } from './types';

/**
 * Shared pieces of the sample builders. Samples are deterministic (ids are hashes of what they
 * describe, times are fixed) so a saved sample does not change when it is generated again.
 */

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT = '123456789012';

/** 2024-01-15T12:00:00Z, the moment every sample happens. */
export const SAMPLE_EPOCH_MS = Date.UTC(2024, 0, 15, 12, 0, 0);

export function region(p: SampleParams): string {
  return p.region ?? DEFAULT_REGION;
}

export function account(p: SampleParams): string {
  return p.accountId ?? DEFAULT_ACCOUNT;
}

export function recordCount(p: SampleParams, fallback: number): number {
  return p.recordCount ?? fallback;
}

export function isoTime(offsetMs = 0): string {
  return new Date(SAMPLE_EPOCH_MS + offsetMs).toISOString();
}

/** ISO time without milliseconds, as EventBridge writes it. */
export function isoSeconds(offsetMs = 0): string {
  return isoTime(offsetMs).replace(/\.\d{3}Z$/, 'Z');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's request time: 15/Jan/2024:12:00:00 +0000. */
export function clfTime(offsetMs = 0): string {
  return clfDate(new Date(SAMPLE_EPOCH_MS + offsetMs));
}

/** A moment the way API Gateway writes request times: 12/Mar/2020:19:03:58 +0000. */
export function clfDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

function digest(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** A version-4-shaped UUID derived from `seed`. */
export function uuidFrom(seed: string): string {
  const h = digest(seed);
  const variant = '89ab'[parseInt(h[16], 16) % 4];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function hexFrom(seed: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += digest(`${seed}#${i}`);
  return out.slice(0, length);
}

/** A decimal string of `length` digits (Kinesis sequence numbers, CloudWatch Logs event ids). */
export function digitsFrom(seed: string, length: number): string {
  const hex = hexFrom(seed, length);
  let out = '';
  for (const c of hex) out += String(parseInt(c, 16) % 10);
  return out[0] === '0' ? `4${out.slice(1)}` : out;
}

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * S3 notifications carry keys URL-encoded the way HTML forms encode them (a space becomes '+',
 * parentheses and quotes are escaped too), with '/' left as is.
 */
export function s3EncodedKey(key: string): string {
  return key
    .split('/')
    .map((part) =>
      encodeURIComponent(part)
        .replace(/[!'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

export function queryString(query: Record<string, string> | undefined): string {
  if (!query) return '';
  return Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

/** Lower-cased header names, as HTTP APIs, function URLs and ALB deliver them. */
export function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Builds the message text of record `i` when the person gave none. */
export function messageFor(p: SampleParams, i: number, fallback: (i: number) => string): string {
  return p.message ?? fallback(i);
}
