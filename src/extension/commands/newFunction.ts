import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import {
  ARCHITECTURES,
  applyEdits,
  EVENT_SOURCES,
  languagesFor,
  newFunctionNameProblem,
  PACKAGE_TYPES,
  planNewFunction,
  type ProjectSnapshot,
  readProject,
  RUNTIMES,
  type ScaffoldPlan,
} from '../../core/scaffold';
import type { ModelStore } from '../model/store';
import type { Prompts } from '../prompts';
import type { Workbench } from '../workbench';

/**
 * Lambda: New Function. A linear flow of questions that returns early when any is cancelled;
 * nothing is written until every answer is valid, and then everything is written or nothing.
 */
export async function newFunction(wb: Workbench, store: ModelStore, prompts: Prompts): Promise<ScaffoldPlan | undefined> {
  const templatePath = await chooseTemplate(store, prompts);
  if (!templatePath) return undefined;
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === templatePath);
  if (open?.isDirty) {
    throw new UserError(`${vscode.workspace.asRelativePath(templatePath)} has unsaved changes.`, 'Save it, then run New Function again.');
  }
  const project: ProjectSnapshot = await readProject(templatePath);
  const title = (step: number): string => `New Lambda Function (${step}/6)`;

  const name = await prompts.input({
    title: title(1),
    prompt: 'Function name (letters, digits, - and _; up to 64)',
    placeHolder: 'orders-api',
    validateInput: (v) => (v ? newFunctionNameProblem(v, project) : 'Enter a name.'),
  });
  if (!name) return undefined;
  const runtime = await prompts.pick(
    RUNTIMES.map((r) => ({ label: r.label, description: r.id, id: r.id })),
    { title: title(2), placeHolder: 'Runtime' },
  );
  if (!runtime) return undefined;
  const languages = languagesFor(runtime.id).filter((l) => !l.unavailable);
  const language = languages.length === 1 ? { id: languages[0].id } : await prompts.pick(languages.map((l) => ({ label: l.label, id: l.id })), { title: title(3), placeHolder: 'Language' });
  if (!language) return undefined;
  const event = await prompts.pick(
    EVENT_SOURCES.map((e) => ({ label: e.label, detail: e.description, id: e.id })),
    { title: title(4), placeHolder: 'What invokes the function?', matchOnDetail: true },
  );
  if (!event) return undefined;
  const packageType = await prompts.pick(PACKAGE_TYPES.map((p) => ({ label: p.label, detail: p.description, id: p.id })), { title: title(5), placeHolder: 'Package' });
  if (!packageType) return undefined;
  const arch = await prompts.pick(ARCHITECTURES.map((a) => ({ label: a.label, detail: a.description, id: a.id })), { title: title(6), placeHolder: 'Architecture' });
  if (!arch) return undefined;

  const plan = planNewFunction(
    { name, runtime: runtime.id, language: language.id, event: event.id, packageType: packageType.id, architecture: arch.id },
    project,
  );
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating ${plan.function.logicalId}` }, async () => {
    await applyEdits(plan.edits);
    await store.reload();
  });
  wb.log.info(`created ${plan.function.logicalId}: ${plan.edits.map((e) => vscode.workspace.asRelativePath(e.path)).join(', ')}`);
  for (const note of plan.notes) wb.log.info(`${plan.function.logicalId}: ${note}`);
  await vscode.window.showTextDocument(vscode.Uri.file(plan.handlerFile));
  const testHint = `Run its test: ${[plan.test.command, ...plan.test.args].join(' ')} (in ${vscode.workspace.asRelativePath(plan.test.cwd)})`;
  void vscode.window.showInformationMessage(`Created ${plan.function.logicalId}${plan.templateCreated ? ' and template.yaml' : ''}. ${testHint}.`, 'Show Notes').then((a) => a && wb.log.show());
  return plan;
}

/** The template to add to: the only one, the one picked, or a new template.yaml in the first folder. */
async function chooseTemplate(store: ModelStore, prompts: Prompts): Promise<string | undefined> {
  await store.ready();
  const templates = store.templates();
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (templates.length === 0) {
    if (!folder) throw new UserError('New Function needs a folder to put the function in.', 'Open a folder (File > Open Folder), then run it again.');
    return path.join(folder.uri.fsPath, 'template.yaml');
  }
  if (templates.length === 1) return templates[0].path;
  const picked = await prompts.pick(
    templates.map((t) => ({ label: vscode.workspace.asRelativePath(t.path), description: `${t.functions.length} functions`, path: t.path })),
    { title: 'New Lambda Function', placeHolder: 'Add it to which template?' },
  );
  return picked?.path;
}
