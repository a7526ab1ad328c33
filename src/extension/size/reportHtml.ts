import { LIMITS } from '../../core/limits';
import type { Finding, FunctionSize } from '../../core/size';
import { formatExact, formatPercent } from '../../core/size/format';
import { formatShare, limitText, sharePercent, tightestLimit } from '../../core/size/headroom';
import { PACKAGE_RULES } from '../../core/size/rules';
import { statusWords } from './summary';

/** A link in the report that runs a command: a finding's fix, or a build. */
export interface ReportLink {
  title: string;
  command: string;
  args: unknown[];
}

/** What the report needs besides the figures: paths as the workspace names them, and the links. */
export interface ReportContext {
  relativePath(path: string): string;
  /** The fixes of the finding at this index of size.findings, as links that apply them. */
  fixLinks(index: number): ReportLink[];
  /** The link that builds the function, for an estimate. */
  buildLink: ReportLink;
}

/**
 * A function's size report as a page: the status in words that agree with the findings, each
 * figure once against its limit, the findings with links that apply their fixes, then layers,
 * largest contributors and what was left out, named in words rather than rule ids.
 */
export function renderReport(s: FunctionSize, ctx: ReportContext): string {
  const body = [
    `<h1>${esc(s.logicalId)}: package size</h1>`,
    `<p class="status status-${s.status}">${statusSentence(s)}</p>`,
    `<p>${measuredSentence(s, ctx)}</p>`,
    ...(s.build && !s.build.upToDate ? [`<p class="estimate">${estimateSentence(s, ctx)}</p>`] : []),
    figures(s),
    ...findings(s, ctx),
    ...layers(s),
    ...contributors(s),
    ...leftOut(s),
  ];
  return page(`${s.logicalId} size`, body.join('\n'));
}

/** The status in words that agree with the findings, and how many of them want a look. */
function statusSentence(s: FunctionSize): string {
  const worth = s.findings.filter((f) => f.severity !== 'info').length;
  const below = worth ? ` ${worth === 1 ? 'One finding below wants' : `${worth} findings below want`} a look.` : '';
  return `<strong>${esc(statusWords(s))}</strong>${below}`;
}

const SOURCES: Record<FunctionSize['source'], string> = {
  artifact: 'the built artifact',
  folder: 'the code folder',
  esbuild: "esbuild's bundle",
  archive: 'the archive',
  inline: 'the inline code',
  image: 'the image',
  none: 'nothing local',
};

function measuredSentence(s: FunctionSize, ctx: ReportContext): string {
  const where = s.codePath ? ` <code title="${esc(s.codePath)}">${esc(ctx.relativePath(s.codePath))}</code>` : '';
  const files = s.packageType === 'Zip' && s.source !== 'none' ? `, ${s.fileCount} file${s.fileCount === 1 ? '' : 's'}` : '';
  const builder = s.build?.upToDate ? ` (built by ${esc(s.build.builder)}: what the zip deploy uploads)` : '';
  return `Measured: ${SOURCES[s.source]}${where}${files}${builder}.`;
}

function estimateSentence(s: FunctionSize, ctx: ReportContext): string {
  const b = s.build as NonNullable<FunctionSize['build']>;
  const state = b.artifactDir ? 'its build is out of date' : 'it is not built yet';
  const left = b.uncounted.length ? ` Not counted: ${esc(b.uncounted.join(', '))}.` : '';
  const untrusted = b.untrusted ? ' Nothing is built in an untrusted workspace.' : ` ${link(ctx.buildLink)} for the artifact's figures.`;
  return `<strong>An estimate</strong>: ${state}, so these are the figures of its sources and of the dependencies that could be counted without building.${left}${untrusted}`;
}

/** Each figure once: the zip, the code unzipped, and the code with its layers only when it has layers. */
function figures(s: FunctionSize): string {
  const rows: string[] = [];
  const row = (what: string, bytes: number | null, limit?: number): void => {
    const share = limit !== undefined && bytes !== null ? esc(sharePercent(bytes / limit)) : '';
    rows.push(`<tr><th scope="row">${what}</th><td>${bytes === null ? 'unknown' : exactBytes(bytes)}</td><td>${limit === undefined ? '' : exactBytes(limit)}</td><td>${share}</td></tr>`);
  };
  if (s.packageType === 'Image') row(`Image${s.image?.estimated ? ' (estimate)' : ''}`, s.imageBytes, LIMITS.imageBytes);
  else {
    row('Zipped, for a direct upload', s.zippedBytes, LIMITS.zippedDirectUploadBytes);
    if (s.layerCount === 0) row('Unzipped (no layers)', s.unzippedBytes, LIMITS.unzippedWithLayersBytes);
    else {
      row('Unzipped, the code', s.unzippedBytes);
      row(`Unzipped, the code and its ${s.layerCount === 1 ? 'layer' : `${s.layerCount} layers`}`, s.totalUnzippedBytes, LIMITS.unzippedWithLayersBytes);
    }
    rows.push(`<tr><th scope="row">Layers</th><td>${s.layerCount}</td><td>${LIMITS.layersPerFunction}</td><td></td></tr>`);
  }
  const tightest = tightestLimit(s);
  const caption = tightest ? `Nearest limit: ${esc(formatShare(tightest))}.` : 'No figure against a limit is known.';
  return `<table><caption>${caption}</caption><thead><tr><th scope="col">What</th><th scope="col">Size</th><th scope="col">Limit</th><th scope="col">Used</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** "592 bytes"; "1.3 KiB (1,331 bytes)": the exact count only where the short form rounds. */
function exactBytes(n: number): string {
  const short = limitText(n);
  return short.endsWith('bytes') || short.endsWith('byte') ? short : `${short} (${formatExact(n)} bytes)`;
}

function findings(s: FunctionSize, ctx: ReportContext): string[] {
  if (s.findings.length === 0) return [];
  const items = s.findings.map((f: Finding, i) => {
    const links = ctx.fixLinks(i).map(link);
    const fixes = links.length ? `<div class="fixes">${links.join(' ')}</div>` : '';
    return `<li class="finding finding-${f.severity}"><span class="severity">${SEVERITY[f.severity] ?? f.severity}</span> ${esc(f.message)} ${esc(f.fix)}${fixes}</li>`;
  });
  return ['<h2>Findings</h2>', `<ul>${items.join('')}</ul>`];
}

const SEVERITY: Record<string, string> = { error: 'Problem:', warning: 'Warning:', info: 'Note:' };

function layers(s: FunctionSize): string[] {
  if (s.layers.length === 0) return [];
  const rows = s.layers.map((l) => `<tr><th scope="row">${esc(l.name)}</th><td>${l.unzippedBytes === null ? `unknown (${esc(l.detail)})` : exactBytes(l.unzippedBytes)}${l.estimate ? ' (estimate)' : ''}</td></tr>`);
  return ['<h2>Layers</h2>', `<table><thead><tr><th scope="col">Layer</th><th scope="col">Unzipped</th></tr></thead><tbody>${rows.join('')}</tbody></table>`];
}

function contributors(s: FunctionSize): string[] {
  if (s.topContributors.length === 0) return [];
  const rows = s.topContributors.map((c) => `<tr><th scope="row">${esc(c.name)}</th><td>${exactBytes(c.bytes)}</td><td>${formatPercent(c.share)}</td></tr>`);
  return ['<h2>Largest contributors</h2>', `<table><thead><tr><th scope="col">What</th><th scope="col">Unzipped</th><th scope="col">Share</th></tr></thead><tbody>${rows.join('')}</tbody></table>`];
}

/** Why each group was left out, in words; the rules' ids are the engine's, not the reader's. */
const LEFT_OUT: Record<string, string> = {
  ...Object.fromEntries(PACKAGE_RULES.map((r) => [r.id, r.why])),
  'dev-dependency': 'devDependencies, which Lambda does not need',
  'link-outside': 'links that lead out of the code folder',
};

function leftOut(s: FunctionSize): string[] {
  if (s.excluded.length === 0) return [];
  const items = s.excluded.map((x) => {
    // .lambdaignore's groups are "lambdaignore: PATTERN": one per line of the file.
    const line = /^lambdaignore: (.*)$/.exec(x.by)?.[1];
    const why = line !== undefined ? `the .lambdaignore line ${line}` : (LEFT_OUT[x.by] ?? x.by);
    const paths = x.examples.slice(0, 3).map((e) => `<code>${esc(e)}</code>`).join(', ');
    return `<li>${esc(why[0].toUpperCase() + why.slice(1))}: ${x.paths === 1 ? paths : `${x.paths} paths, such as ${paths}`}.</li>`;
  });
  return ['<h2>Left out of the package</h2>', `<ul>${items.join('')}</ul>`];
}

function link(l: ReportLink): string {
  return `<a class="action" href="command:${l.command}?${encodeURIComponent(JSON.stringify(l.args))}">${esc(l.title)}</a>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page around the body: the editor's colours and fonts, no scripts. */
function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<title>${esc(title)}</title>
<style>
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 20px 20px; line-height: 1.5; }
table { border-collapse: collapse; margin: 8px 0 16px; }
caption { text-align: left; padding-bottom: 4px; }
th, td { text-align: left; padding: 4px 16px 4px 0; border-bottom: 1px solid var(--vscode-widget-border, rgba(128,128,128,.35)); }
thead th { font-weight: 600; }
tbody th { font-weight: normal; }
code { font-family: var(--vscode-editor-font-family); }
.status-over strong { color: var(--vscode-errorForeground); }
.status-warn strong { color: var(--vscode-editorWarning-foreground); }
.finding { margin-bottom: 10px; }
.severity { font-weight: 600; }
.fixes { margin-top: 4px; }
a.action { display: inline-block; padding: 2px 10px; margin-right: 6px; color: var(--vscode-button-foreground); background: var(--vscode-button-background); text-decoration: none; border-radius: 2px; }
a.action:hover, a.action:focus { background: var(--vscode-button-hoverBackground); outline: 1px solid var(--vscode-focusBorder); }
</style></head>
<body>${body}</body></html>`;
}
