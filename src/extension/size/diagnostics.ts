import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FunctionSpec } from '../../core/model/types';
import type { Finding, FunctionSize } from '../../core/size';
import type { ModelStore } from '../model/store';
import type { SizeService } from './service';

/** A diagnostic's finding and function, for the quick fixes. */
export interface SizeProblem {
  fn: FunctionSpec;
  finding: Finding;
}

const SEVERITY: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Findings that are themselves about the build not having run: they need no estimate note. */
const ABOUT_THE_BUILD = new Set(['dependencies-not-counted', 'artifact-not-built']);

/**
 * Package-size findings as problems: on the function in its template (CodeUri, else Handler), and
 * once on the dependency lines a finding is about in package.json or requirements.txt: on the
 * first, with the others (and the template) as related locations, so a finding about three
 * packages is one problem, not the same words three times. Replaced as a whole whenever sizes
 * change, so a fixed problem disappears.
 */
export class SizeDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('lambda-workbench-size');
  private readonly problems = new Map<string, SizeProblem[]>();
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly store: ModelStore,
    private readonly sizes: SizeService,
  ) {
    this.sub = sizes.onDidMeasure(() => this.publish());
  }

  /** The findings behind a diagnostic at this place (quick fixes look them up). */
  problemsAt(uri: vscode.Uri, diagnostic: vscode.Diagnostic): SizeProblem[] {
    return this.problems.get(problemKey(uri, diagnostic.range.start.line, String(diagnostic.code))) ?? [];
  }

  publish(): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    this.problems.clear();
    const add = (file: string, range: vscode.Range, problem: SizeProblem, estimate: boolean, related: vscode.DiagnosticRelatedInformation[]): void => {
      const f = problem.finding;
      // Figures of an artifact not built yet say so, wherever they are shown.
      const note = estimate && !ABOUT_THE_BUILD.has(f.code) ? ' (Estimated: the function is not built.)' : '';
      const d = new vscode.Diagnostic(range, `${problem.fn.logicalId}: ${f.message} ${f.fix}${note}`.trim(), SEVERITY[f.severity] ?? vscode.DiagnosticSeverity.Information);
      d.source = 'Lambda Workbench';
      d.code = f.code;
      if (related.length) d.relatedInformation = related;
      const list = byFile.get(file) ?? [];
      list.push(d);
      byFile.set(file, list);
      const k = problemKey(vscode.Uri.file(file), range.start.line, f.code);
      this.problems.set(k, [...(this.problems.get(k) ?? []), problem]);
    };
    for (const fn of this.store.functions()) {
      const size = this.sizes.get(fn);
      if (!size) continue;
      const estimate = size.estimate && size.packageType === 'Zip';
      for (const finding of size.findings) {
        const places = dependencyPlaces(fn, size, finding);
        const onTemplate = new vscode.Location(vscode.Uri.file(fn.templatePath), templateRange(fn));
        const lines = places.map((p) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(p.file), p.range), p.text));
        add(fn.templatePath, onTemplate.range, { fn, finding }, estimate, lines);
        const [first, ...others] = lines;
        if (first) add(first.location.uri.fsPath, first.location.range, { fn, finding }, estimate, [...others, new vscode.DiagnosticRelatedInformation(onTemplate, `${fn.logicalId} in the template`)]);
      }
    }
    this.collection.clear();
    for (const [file, list] of byFile) this.collection.set(vscode.Uri.file(file), list);
  }

  dispose(): void {
    this.sub.dispose();
    this.collection.dispose();
  }
}

function problemKey(uri: vscode.Uri, line: number, code: string): string {
  return `${uri.fsPath}|${line}|${code}`;
}

function templateRange(fn: FunctionSpec): vscode.Range {
  const r = fn.ranges.properties.CodeUri ?? fn.ranges.properties.Handler ?? fn.ranges.properties.ImageUri ?? fn.ranges.logicalId;
  return new vscode.Range(r.start.line, r.start.column, r.end.line, r.end.column);
}

/**
 * The lines of package.json / requirements.txt that name the packages a finding is about: the
 * package's own line, else the line of the requirement that brings it in (numpy under pandas).
 */
function dependencyPlaces(fn: FunctionSpec, size: FunctionSize, finding: Finding): { file: string; range: vscode.Range; text: string }[] {
  const subjects = finding.subjects.filter((s) => s.package);
  const root = fn.codeUri ?? size.codePath;
  if (subjects.length === 0 || !root) return [];
  const node = fn.runtime?.startsWith('nodejs') ?? true;
  const file = path.join(root, node ? 'package.json' : 'requirements.txt');
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch {
    return [];
  }
  const lineOf = (pkg: string): number => {
    const pattern = node
      ? new RegExp(`^\\s*"${escape(pkg)}"\\s*:`)
      : new RegExp(`^\\s*${escape(pkg).replace(/[-_.]/g, '[-_.]')}\\s*($|[\\[<>=!~;# ])`, 'i');
    return lines.findIndex((l) => pattern.test(l));
  };
  const found = new Set<number>();
  for (const s of subjects) {
    const own = lineOf(s.package as string);
    const line = own >= 0 || !s.requiredBy ? own : lineOf(s.requiredBy);
    if (line >= 0) found.add(line);
  }
  // In file order: the first line carries the problem, the others are its related locations.
  return [...found]
    .sort((a, b) => a - b)
    .map((line) => ({ file, text: lines[line].trim(), range: new vscode.Range(line, lines[line].length - lines[line].trimStart().length, line, lines[line].length) }));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
