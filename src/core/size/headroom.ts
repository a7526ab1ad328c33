import { LIMITS } from '../limits';
import { formatBytes } from './format';
import type { FunctionSize } from './types';

/** A package's share of one of Lambda's size limits. */
export interface LimitShare {
  /** bytes / limit. */
  share: number;
  bytes: number;
  limit: number;
  /** Which figure: the zip (direct upload), function and layers unzipped, or the image. */
  of: 'zipped' | 'unzipped' | 'image';
}

/** Every size limit the package is measured against, with its share; figures not known are left out. */
export function limitShares(s: Pick<FunctionSize, 'packageType' | 'zippedBytes' | 'totalUnzippedBytes' | 'imageBytes'>): LimitShare[] {
  const shares: LimitShare[] = [];
  const add = (bytes: number | null, limit: number, of: LimitShare['of']): void => {
    if (bytes !== null) shares.push({ share: bytes / limit, bytes, limit, of });
  };
  if (s.packageType === 'Image') add(s.imageBytes, LIMITS.imageBytes, 'image');
  else {
    add(s.zippedBytes, LIMITS.zippedDirectUploadBytes, 'zipped');
    add(s.totalUnzippedBytes, LIMITS.unzippedWithLayersBytes, 'unzipped');
  }
  return shares;
}

/** The limit the package is closest to: the one number that matters. */
export function tightestLimit(s: Parameters<typeof limitShares>[0]): LimitShare | undefined {
  return limitShares(s).sort((a, b) => b.share - a.share)[0];
}

/** "<1% of 50 MiB zipped", "37% of 250 MiB unzipped", "104% of 10 GiB image"; without `of`, "<1% of 50 MiB". */
export function formatShare(t: LimitShare, opts: { of?: boolean } = {}): string {
  return `${sharePercent(t.share)} of ${limitText(t.limit)}${opts.of === false ? '' : ` ${t.of}`}`;
}

/** A limit as Lambda's documentation names it: "50 MiB", "250 MiB", "10 GiB". */
export function limitText(limit: number): string {
  return formatBytes(limit).replace('.0 ', ' ');
}

/** "<1%", "37%": rounded toward the limit's side, so under it never shows 100%, and over it never does either. */
export function sharePercent(share: number): string {
  const percent = share * 100;
  if (percent > 0 && percent < 1) return '<1%';
  return `${share > 1 ? Math.ceil(percent) : Math.floor(percent)}%`;
}
