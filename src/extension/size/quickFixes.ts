import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { FunctionSpec } from '../../core/model/types';
import { esbuildExternalEdits, useEsbuildEdits } from '../../core/scaffold/fixes';
import { editTemplate, type TemplateEdit } from '../../core/scaffold/template/edit';
import type { FixAction } from '../../core/size';
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
        for (const fix of finding.actions) {
          const action = toCodeAction(fn, fix);
          if (!action || seen.has(action.title)) continue;
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

function toCodeAction(fn: FunctionSpec, fix: FixAction): vscode.CodeAction | undefined {
  switch (fix.kind) {
    case 'use-esbuild': {
      // A function built another way keeps its build: switching builders takes a person.
      if (fn.build) return undefined;
      return templateEdit(fn, `Bundle ${fn.logicalId} with esbuild${fix.external.length ? ` (${fix.external.join(', ')} external)` : ''}`, useEsbuildEdits(fn.logicalId, fix.external));
    }
    case 'esbuild-external':
      return templateEdit(fn, `Keep ${fix.add.join(', ')} out of ${fn.logicalId}'s bundle (External)`, esbuildExternalEdits(fn.logicalId, fix.add));
    case 'exclude': {
      const a = new vscode.CodeAction(`Leave ${fix.patterns.join(', ')} out of ${fn.logicalId}'s package`, vscode.CodeActionKind.QuickFix);
      a.edit = appendLines(fix.ignoreFile, fix.patterns);
      return a;
    }
    case 'include': {
      const a = new vscode.CodeAction(`Include ${fix.path} in ${fn.logicalId}'s package anyway`, vscode.CodeActionKind.QuickFix);
      a.edit = appendLines(fix.ignoreFile, [fix.pattern]);
      return a;
    }
    case 'move-to-dev-dependencies': {
      const a = new vscode.CodeAction(`Move ${fix.packages.join(', ')} to devDependencies`, vscode.CodeActionKind.QuickFix);
      a.edit = moveToDevDependencies(fix.manifest, fix.packages);
      return a.edit ? a : undefined;
    }
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
  const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  a.edit = new vscode.WorkspaceEdit();
  a.edit.replace(vscode.Uri.file(fn.templatePath), new vscode.Range(positionAt(text, change.start), positionAt(text, change.end)), change.text);
  return a;
}

function positionAt(text: string, offset: number): vscode.Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return new vscode.Position(line, offset - (before.lastIndexOf('\n') + 1));
}

function appendLines(file: string, patterns: string[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  const uri = vscode.Uri.file(file);
  if (!existsSync(file)) {
    edit.createFile(uri, { ignoreIfExists: true });
    edit.insert(uri, new vscode.Position(0, 0), `# Left out of the Lambda package (same syntax as .gitignore).\n${patterns.join('\n')}\n`);
    return edit;
  }
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const last = lines.length - 1;
  edit.insert(uri, new vscode.Position(last, lines[last].length), `${text.endsWith('\n') || text === '' ? '' : '\n'}${patterns.join('\n')}\n`);
  return edit;
}

/** Rewrites package.json with the packages moved, keeping its indentation and key order otherwise. */
function moveToDevDependencies(manifest: string, packages: string[]): vscode.WorkspaceEdit | undefined {
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
  return edit;
}
