import * as vscode from 'vscode';
import type { FunctionSpec, LayerSpec, TemplateModel } from '../../core/model/types';
import { discoverTemplates, loadTemplate, SKIPPED_DIRS, TEMPLATE_NAMES, templatesAffectedBy } from '../../core/model';
import type { Workbench } from '../workbench';

const TEMPLATE_GLOB = '**/template.{yaml,yml}';
const REPARSE_DELAY_MS = 300;

/**
 * The workspace's templates, parsed, kept current: file watchers re-parse one template when it
 * (or anything under a function's code folder) changes on disk, and open template editors
 * re-parse as the user types. Each template has a generation counter so a slow parse never
 * overwrites a newer one.
 */
export class ModelStore implements vscode.Disposable {
  private readonly models = new Map<string, TemplateModel>();
  private readonly generations = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('lambda-workbench-template');
  private loaded: Promise<void> | undefined;
  private disposables: vscode.Disposable[] = [];

  private readonly codeChanged = new vscode.EventEmitter<{ model: TemplateModel; path: string; created: boolean }>();
  /**
   * A file or folder (`path`) under a function's or layer's code folder changed (sizes, handler
   * checks and warm containers are stale), as the file watcher reports it or as the editor saved it;
   * `created`: the watcher says it is new.
   */
  readonly onDidChangeCode = this.codeChanged.event;

  constructor(private readonly wb: Workbench) {
    const watcher = vscode.workspace.createFileSystemWatcher(TEMPLATE_GLOB);
    const code = vscode.workspace.createFileSystemWatcher('**/*');
    const onCode = (u: vscode.Uri, created = false): void => {
      if (u.scheme !== 'file' || this.isTemplate(u) || /[\\/]\.git[\\/]/.test(u.fsPath)) return;
      for (const m of templatesAffectedBy(this.templates(), u.fsPath)) {
        this.schedule(m.path);
        this.codeChanged.fire({ model: m, path: u.fsPath, created });
      }
    };
    this.disposables.push(
      this.codeChanged,
      code,
      code.onDidCreate((u) => onCode(u, true)),
      code.onDidChange((u) => onCode(u)),
      code.onDidDelete((u) => onCode(u)),
      // A save in the editor is reported even where the watcher sees nothing (see SizeService's createdFolders).
      vscode.workspace.onDidSaveTextDocument((d) => onCode(d.uri)),
      this.changed,
      this.diagnostics,
      watcher,
      watcher.onDidCreate((u) => this.isTemplate(u) && this.schedule(u.fsPath)),
      watcher.onDidChange((u) => this.isTemplate(u) && this.schedule(u.fsPath)),
      watcher.onDidDelete((u) => this.isTemplate(u) && this.remove(u.fsPath)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.isTemplate(e.document.uri) && e.contentChanges.length > 0) this.schedule(e.document.uri.fsPath);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reload()),
    );
  }

  /** Loads every template once; later calls wait for the same load. */
  ready(): Promise<void> {
    this.loaded ??= this.reload();
    return this.loaded;
  }

  async reload(): Promise<void> {
    const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const started = Date.now();
    const paths = await discoverTemplates(roots);
    const fresh = new Set(paths);
    for (const p of [...this.models.keys()]) if (!fresh.has(p)) this.remove(p, false);
    await Promise.all(paths.map((p) => this.parse(p)));
    this.wb.log.info(`loaded ${paths.length} template(s) in ${Date.now() - started} ms`);
    await this.publishContext();
    this.changed.fire();
  }

  templates(): TemplateModel[] {
    return [...this.models.values()].sort((a, b) => a.path.localeCompare(b.path));
  }

  functions(): FunctionSpec[] {
    return this.templates().flatMap((t) => t.functions);
  }

  layers(): LayerSpec[] {
    return this.templates().flatMap((t) => t.layers);
  }

  findFunction(templatePath: string, logicalId: string): FunctionSpec | undefined {
    return this.models.get(templatePath)?.functions.find((f) => f.logicalId === logicalId);
  }

  /** The same rule discovery applies: a template file name, outside skipped and hidden folders. */
  private isTemplate(uri: vscode.Uri): boolean {
    if (uri.scheme !== 'file') return false;
    const parts = uri.fsPath.split(/[\\/]/);
    const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath.split(/[\\/]/).length ?? 0;
    const dirs = parts.slice(root, -1);
    return TEMPLATE_NAMES.includes(parts[parts.length - 1]) && !dirs.some((d) => d.startsWith('.') || SKIPPED_DIRS.includes(d));
  }

  private schedule(path: string): void {
    clearTimeout(this.timers.get(path));
    this.timers.set(
      path,
      setTimeout(() => {
        this.timers.delete(path);
        void this.parse(path).then(async () => {
          await this.publishContext();
          this.changed.fire();
        });
      }, REPARSE_DELAY_MS),
    );
  }

  private async parse(path: string): Promise<void> {
    const generation = (this.generations.get(path) ?? 0) + 1;
    this.generations.set(path, generation);
    try {
      // Unsaved edits in an editor are the newest text; otherwise the disk is (a clean document
      // can lag behind a change made on disk).
      const dirty = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === path && d.isDirty);
      const text = dirty?.getText() ?? Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.file(path))).toString('utf8');
      const model = await loadTemplate(path, text);
      if (this.generations.get(path) !== generation) return;
      this.models.set(path, model);
      this.diagnostics.set(vscode.Uri.file(path), model.problems.map(toDiagnostic));
    } catch (err) {
      // A template that vanished between discovery and reading is simply gone.
      if ((err as { code?: string }).code === 'FileNotFound' || (err as { code?: string }).code === 'ENOENT') this.remove(path);
      else this.wb.log.error(`could not read ${path}: ${String(err)}`);
    }
  }

  private remove(path: string, notify = true): void {
    this.generations.set(path, (this.generations.get(path) ?? 0) + 1);
    this.models.delete(path);
    this.diagnostics.delete(vscode.Uri.file(path));
    if (notify) {
      void this.publishContext();
      this.changed.fire();
    }
  }

  private async publishContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'lambdaWorkbench.hasTemplates', this.models.size > 0);
    await vscode.commands.executeCommand('setContext', 'lambdaWorkbench.ready', true);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

function toDiagnostic(p: TemplateModel['problems'][number]): vscode.Diagnostic {
  const range = new vscode.Range(p.range.start.line, p.range.start.column, p.range.end.line, p.range.end.column);
  const d = new vscode.Diagnostic(range, p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = 'Lambda Workbench';
  d.code = p.code;
  return d;
}
