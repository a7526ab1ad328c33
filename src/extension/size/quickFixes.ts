import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { FunctionSpec } from '../../core/model/types';
import { esbuildExternalEdits, useEsbuildEdits } from '../../core/scaffold/fixes';
import { editTemplate, type TemplateEdit } from '../../core/scaffold/template/edit';
import type { Finding, FixAction } from '../../core/size';
import { APPLY_SIZE_FIX, type SizeFixRequest } from './applyFix';
import type { SizeDiagnostics } from './diagnostics';

/** Quick fixes for package-size problems whose fix is mechanical. */
export class SizeQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: SizeDiagnostics) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const seen = new Set<string>();
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== 'Lambda Workbench') continue;
      for (const { fn, finding } of this.diagnostics.problemsAt(doc.uri, diagnostic)) {
        for (const action of sizeFixActions(fn, finding)) {
          if (seen.has(action.title)) continue;
          seen.add(action.title);
          action.diagnostics = [diagnostic];
          action.isPreferred = actions.length === 0;
          actions.push(action);
        }
      }
    }
    return actions;
  }
}

/** A finding's mechanical fixes as code actions, best first: the light bulb and the size report offer the same. */
export function sizeFixActions(fn: FunctionSpec, finding: Finding): vscode.CodeAction[] {
  return finding.actions.map((fix) => toCodeAction(fn, fix)).filter((a): a is vscode.CodeAction => a !== undefined);
}

function toCodeAction(fn: FunctionSpec, fix: FixAction): vscode.CodeAction | undefined {
  switch (fix.kind) {
    case 'use-esbuild': {
      // A function built another way keeps its build: switching builders takes a person.
      if (fn.build) return undefined;
      return templateEdit(fn, `Bundle ${fn.logicalId} with esbuild${fix.external.length ? ` (${fix.external.join(', ')} external)` : ''}`, useEsbuildEdits(fn.logicalId, fix.external));
    }
    case 'esbuild-external':
      return templateEdit(fn, `Keep ${fix.add.join(', ')} out of ${fn.logicalId}'s bundle (External)`, esbuildExternalEdits(fn.logicalId, fix.add));
    case 'exclude':
      return appendLines(`Leave ${fix.patterns.join(', ')} out of ${fn.logicalId}'s package`, fix.ignoreFile, fix.patterns);
    case 'include':
      return appendLines(`Include ${fix.path} in ${fn.logicalId}'s package anyway`, fix.ignoreFile, [fix.pattern]);
    case 'move-to-dev-dependencies':
      return moveToDevDependencies(`Move ${fix.packages.join(', ')} to devDependencies`, fix.manifest, fix.packages);
    case 'deploy-via-s3': {
      const a = new vscode.CodeAction('Set an S3 bucket for deploying large packages', vscode.CodeActionKind.QuickFix);
      a.command = { title: a.title, command: 'workbench.action.openSettings', arguments: ['lambdaWorkbench.deploy.s3Bucket'] };
      return a;
    }
    case 'move-to-layer':
      return confirmed(fn, fix, `Move ${fix.packages.join(', ')} into a new layer…`);
    case 'use-image':
      return confirmed(fn, fix, `Switch ${fn.logicalId} to a container image…`);
    default:
      return undefined;
  }
}

/** Fixes that move files and add resources run a command that shows what will change and asks first. */
function confirmed(fn: FunctionSpec, fix: SizeFixRequest['fix'], title: string): vscode.CodeAction {
  const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  const request: SizeFixRequest = { templatePath: fn.templatePath, logicalId: fn.logicalId, fix };
  a.command = { title, command: APPLY_SIZE_FIX, arguments: [request] };
  return a;
}

/** A change to the function's resource, made by the same template editor as every other template change. */
function templateEdit(fn: FunctionSpec, title: string, edits: TemplateEdit[]): vscode.CodeAction | undefined {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === fn.templatePath);
  const text = open?.getText() ?? readFileSync(fn.templatePath, 'utf8');
  let change: { start: number; end: number; text: string };
  try {
    change = editTemplate(text, edits, fn.templatePath).change;
  } catch {
    // A template the editor cannot change line by line (flow style, YAML errors) gets no quick fix.
    return undefined;
  }
  const edit = new vscode.WorkspaceEdit();
  const start = positionAt(text, change.start);
  edit.replace(vscode.Uri.file(fn.templatePath), new vscode.Range(start, positionAt(text, change.end)), change.text);
  return showing(title, edit, vscode.Uri.file(fn.templatePath), insertedRange(start, change.text));
}

/**
 * A fix that edits or creates a file, and then shows that file with the change selected: the
 * person sees what the fix did (and that the file is unsaved), also when it is not the one open.
 */
function showing(title: string, edit: vscode.WorkspaceEdit, uri: vscode.Uri, selection?: vscode.Range): vscode.CodeAction {
  const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  a.edit = edit;
  a.command = { title: 'Show the change', command: 'vscode.open', arguments: [uri, { preview: false, selection }] };
  return a;
}

/** Where `text`, put at `start`, ends up. */
function insertedRange(start: vscode.Position, text: string): vscode.Range {
  const lines = text.split('\n');
  const last = lines[lines.length - 1];
  return new vscode.Range(start, lines.length === 1 ? start.translate(0, last.length) : new vscode.Position(start.line + lines.length - 1, last.length));
}

function positionAt(text: string, offset: number): vscode.Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return new vscode.Position(line, offset - (before.lastIndexOf('\n') + 1));
}

function appendLines(title: string, file: string, patterns: string[]): vscode.CodeAction {
  const edit = new vscode.WorkspaceEdit();
  const uri = vscode.Uri.file(file);
  if (!existsSync(file)) {
    edit.createFile(uri, { ignoreIfExists: true });
    edit.insert(uri, new vscode.Position(0, 0), `# Left out of the Lambda package (same syntax as .gitignore).\n${patterns.join('\n')}\n`);
    return showing(title, edit, uri, new vscode.Range(1, 0, patterns.length, patterns[patterns.length - 1].length));
  }
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const last = lines.length - 1;
  const before = text.endsWith('\n') || text === '' ? '' : '\n';
  edit.insert(uri, new vscode.Position(last, lines[last].length), `${before}${patterns.join('\n')}\n`);
  const first = before ? last + 1 : last;
  return showing(title, edit, uri, new vscode.Range(first, 0, first + patterns.length - 1, patterns[patterns.length - 1].length));
}

/** Rewrites package.json with the packages moved, keeping its indentation and key order otherwise. */
function moveToDevDependencies(title: string, manifest: string, packages: string[]): vscode.CodeAction | undefined {
  let text: string;
  let pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  try {
    text = readFileSync(manifest, 'utf8');
    pkg = JSON.parse(text) as typeof pkg;
  } catch {
    return undefined;
  }
  const deps = { ...pkg.dependencies };
  const dev = { ...pkg.devDependencies };
  for (const p of packages) {
    if (deps[p] === undefined) continue;
    dev[p] = deps[p];
    delete deps[p];
  }
  const indent = /^[ \t]+/m.exec(text)?.[0] ?? '  ';
  const next = JSON.stringify({ ...pkg, dependencies: deps, devDependencies: Object.fromEntries(Object.entries(dev).sort(([a], [b]) => a.localeCompare(b))) }, null, indent);
  const edit = new vscode.WorkspaceEdit();
  const lines = text.split('\n');
  edit.replace(vscode.Uri.file(manifest), new vscode.Range(0, 0, lines.length - 1, lines[lines.length - 1].length), `${next}${text.endsWith('\n') ? '\n' : ''}`);
  return showing(title, edit, vscode.Uri.file(manifest));
}
