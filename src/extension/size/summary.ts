import type { FunctionSize } from '../../core/size';
import { formatBytes, formatPercent } from '../../core/size/format';
import { formatShare, limitShares, tightestLimit } from '../../core/size/headroom';

/**
 * The tree's and the status bar's short form: the share of the limit the package is closest to,
 * short enough for the sidebar's default width ("<1% of 50 MiB"; the limit's number says which);
 * "(est.)" while the artifact is not built. Every figure is in the hover (sizeTooltip) and the report.
 */
export function shortSize(s: FunctionSize): string {
  const tightest = tightestLimit(s);
  if (!tightest) return s.packageType === 'Image' ? 'image size unknown' : 'size unknown';
  return `${formatShare(tightest, { of: false })}${s.estimate ? ' (est.)' : ''}`;
}

/**
 * The status in words that agree with the findings: a warning is "near a limit" only when a figure
 * is; otherwise it is a finding's (a dependency not counted), and says so.
 */
export function statusWords(s: FunctionSize): string {
  switch (s.status) {
    case 'over':
      return 'Over a Lambda limit.';
    case 'unknown':
      return 'Part of the package could not be measured.';
    case 'warn':
      return limitShares(s).some((l) => l.share >= s.warnAt) ? `Near a Lambda limit (a warning from ${formatPercent(s.warnAt)} of one).` : 'Within the limits as far as counted, but not all of it is counted.';
    default:
      return "Within Lambda's limits.";
  }
}

/** The hover's lines about the package: each figure against its limit, and what each one counts. */
export function sizeTooltip(s: FunctionSize): string[] {
  const lines: string[] = [];
  if (s.packageType === 'Image') {
    lines.push(`Image: ${s.imageBytes === null ? 'size unknown' : formatBytes(s.imageBytes)}, of Lambda's 10 GiB limit.`);
  } else {
    lines.push(`Zipped: ${s.zippedBytes === null ? 'unknown' : formatBytes(s.zippedBytes)}, of 50 MiB for a direct upload.`);
    const code = s.unzippedBytes === null ? 'unknown' : formatBytes(s.unzippedBytes);
    if (s.layerCount === 0) lines.push(`Unzipped: ${code}, of 250 MiB for the code and its layers together.`);
    else {
      const layers = s.layersUnzippedBytes === null ? 'an unknown size' : formatBytes(s.layersUnzippedBytes);
      const total = s.totalUnzippedBytes === null ? 'unknown in total' : `${formatBytes(s.totalUnzippedBytes)} together`;
      lines.push(`Unzipped: ${code} of code and ${layers} in ${s.layerCount} layer${s.layerCount === 1 ? '' : 's'}, ${total}, of 250 MiB for the code and its layers.`);
    }
    if (s.zippedBytes !== null && s.unzippedBytes !== null && s.zippedBytes > s.unzippedBytes) {
      lines.push("The zip is larger than its files: a zip adds each file's name and headers, which outweighs the compression of a package this small.");
    }
  }
  if (s.status !== 'ok') lines.push(`${statusWords(s)} The size report says more.`);
  if (s.estimate && s.build) {
    const left = s.build.uncounted.length > 0 ? ` Not counted: ${s.build.uncounted.join(', ')}.` : '';
    lines.push(`An estimate: ${s.build.artifactDir ? 'the build is out of date' : 'not built yet'}.${left} Build it for the artifact's size.`);
  }
  return lines;
}
