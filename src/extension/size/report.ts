import * as vscode from 'vscode';
import { LIMITS } from '../../core/limits';
import type { FunctionSize } from '../../core/size';
import { formatBytes, formatPercent } from '../../core/size/format';

export const REPORT_SCHEME = 'lambda-workbench-size-report';

/** A function's size report as a Markdown document: figures against each limit, findings, contributors. */
export class SizeReports implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly reports = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  uriFor(logicalId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${logicalId} size.md` });
  }

  update(size: FunctionSize): vscode.Uri {
    const uri = this.uriFor(size.logicalId);
    this.reports.set(uri.toString(), render(size));
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString()) ?? '# Not measured yet\n\nSave the template or the code to measure this function.\n';
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function render(s: FunctionSize): string {
  const row = (what: string, bytes: number | null, limit: number): string =>
    `| ${what} | ${bytes === null ? 'unknown' : `${formatBytes(bytes)} (${bytes.toLocaleString('en-US')} bytes)`} | ${formatBytes(limit)} | ${bytes === null ? '' : formatPercent(bytes / limit)} |`;
  const lines = [`# ${s.logicalId}: package size`, '', `Status: **${s.status}** (warning at ${formatPercent(s.warnAt)} of a limit). Measured: ${s.source}${s.codePath ? ` \`${s.codePath}\`` : ''}, ${s.fileCount} files.`, ''];
  if (s.build) lines.push(buildLine(s), '');
  lines.push('| | size | limit | used |', '|---|---|---|---|');
  if (s.packageType === 'Image') {
    lines.push(row(`image${s.image?.estimated ? ' (estimate)' : ''}`, s.imageBytes, LIMITS.imageBytes));
  } else {
    lines.push(row('zipped, direct upload', s.zippedBytes, LIMITS.zippedDirectUploadBytes));
    lines.push(row('unzipped, function', s.unzippedBytes, LIMITS.unzippedWithLayersBytes));
    lines.push(row(`unzipped, with ${s.layerCount} layer${s.layerCount === 1 ? '' : 's'}`, s.totalUnzippedBytes, LIMITS.unzippedWithLayersBytes));
  }
  lines.push(`| layers | ${s.layerCount} | ${LIMITS.layersPerFunction} | |`, '');
  if (s.findings.length) {
    lines.push('## Findings', '');
    for (const f of s.findings) lines.push(`- **${f.severity}** \`${f.code}\`: ${f.message} ${f.fix}`);
    lines.push('');
  }
  if (s.layers.length) {
    lines.push('## Layers', '', '| layer | unzipped |', '|---|---|');
    for (const l of s.layers) lines.push(`| ${l.name} | ${l.unzippedBytes === null ? `unknown (${l.detail})` : formatBytes(l.unzippedBytes)} |`);
    lines.push('');
  }
  if (s.topContributors.length) {
    lines.push('## Largest contributors', '', '| what | unzipped | share |', '|---|---|---|');
    for (const c of s.topContributors) lines.push(`| ${c.name} | ${formatBytes(c.bytes)} | ${formatPercent(c.share)} |`);
    lines.push('');
  }
  if (s.excluded.length) {
    lines.push('## Left out of the package', '');
    for (const x of s.excluded) lines.push(`- ${x.by}: ${x.paths} path${x.paths === 1 ? '' : 's'} (e.g. ${x.examples.slice(0, 3).map((e) => `\`${e}\``).join(', ')})`);
  }
  return `${lines.join('\n')}\n`;
}

/** How the figures relate to the build: of the artifact, or an estimate until it is built. */
function buildLine(s: FunctionSize): string {
  const b = s.build as NonNullable<FunctionSize['build']>;
  if (b.upToDate) return `Built by ${b.builder}: these are the artifact's figures (\`${b.artifactDir}\`), the zip deploy uploads.`;
  const state = b.artifactDir ? 'its build is out of date' : 'it has not been built';
  const untrusted = b.untrusted ? ' Nothing is built in an untrusted workspace.' : '';
  const left = b.uncounted.length > 0 ? ` Not counted: ${b.uncounted.join(', ')}.` : '';
  return `**Estimate**: ${state} (${b.builder}); the figures are of its sources and the dependencies that could be counted without building.${left}${untrusted} Run **Lambda: Build Function** for the artifact's figures.`;
}
