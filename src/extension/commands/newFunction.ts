import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import {
  ARCHITECTURES,
  applyEdits,
  DEFAULT_ARCHITECTURE,
  DEFAULT_PACKAGE_TYPE,
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
import { logicalIdFor } from '../../core/scaffold/names';
import { EDITOR_SOURCES } from '../../core/sources';
import type { ModelStore } from '../model/store';
import { BACK, type Prompts, type StepCounter } from '../prompts';
import type { Workbench } from '../workbench';

const TITLE = 'New Lambda Function';

/** What the flow has been told so far. */
interface Answers {
  templatePath?: string;
  project?: ProjectSnapshot;
  name?: string;
  runtime?: (typeof RUNTIMES)[number]['id'];
  language?: string;
  event?: string;
  packageType?: string;
  architecture?: string;
}

/** One question of the flow: whether it is asked (given the answers so far), and asking it. */
interface Step {
  asks(a: Answers): boolean;
  ask(a: Answers, at: StepCounter): Thenable<typeof BACK | undefined | Partial<Answers>>;
}

/**
 * Lambda: New Function. A linear flow of questions with a step counter that counts the questions
 * this function's runtime asks, Back on every step after the first, and defaults Enter accepts;
 * the template's logical id is shown while the name is typed. Nothing is written until every
 * answer is valid, and then everything is written or nothing.
 */
export async function newFunction(wb: Workbench, store: ModelStore, prompts: Prompts): Promise<ScaffoldPlan | undefined> {
  await store.ready();
  const templates = store.templates();
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (templates.length === 0 && !folder) throw new UserError('New Function needs a folder to put the function in.', 'Open a folder (File > Open Folder), then run it again.');
  const first: Answers = templates.length === 0 ? { templatePath: path.join(folder!.uri.fsPath, 'template.yaml') } : templates.length === 1 ? { templatePath: templates[0].path } : {};
  const answers = await runSteps(steps(store, prompts), first);
  if (!answers) return undefined;
  const { templatePath, project, name, runtime, language, event, packageType, architecture } = answers as Required<Answers>;
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === templatePath);
  if (open?.isDirty) throw new UserError(`${vscode.workspace.asRelativePath(templatePath)} has unsaved changes.`, 'Save it, then run New Function again.');

  const plan = planNewFunction({ name, runtime, language, event, packageType, architecture } as Parameters<typeof planNewFunction>[0], project, EDITOR_SOURCES);
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating ${plan.function.logicalId}` }, async () => {
    await applyEdits(plan.edits);
    await store.reload();
  });
  wb.log.info(`created ${plan.function.logicalId}: ${plan.edits.map((e) => vscode.workspace.asRelativePath(e.path)).join(', ')}`);
  await vscode.window.showTextDocument(vscode.Uri.file(plan.handlerFile));
  const notes = [...plan.notes, `Run its test: ${[plan.test.command, ...plan.test.args].join(' ')} (in ${vscode.workspace.asRelativePath(plan.test.cwd)}).`];
  for (const note of notes) wb.log.info(`${plan.function.logicalId}: ${note}`);
  const where = `${vscode.workspace.asRelativePath(plan.templatePath)}${plan.templateCreated ? ', a new template' : ''}`;
  void vscode.window.showInformationMessage(`Created ${plan.function.logicalId} in ${where}. Its notes say what to do next.`, 'Show Notes').then((a) => {
    if (a) void vscode.window.showInformationMessage(`${plan.function.logicalId}: next steps`, { modal: true, detail: notes.map((n) => `• ${n}`).join('\n') });
  });
  return plan;
}

/** Asks the steps in order; Back returns to the step asked before, whose answer stays as its default. */
async function runSteps(all: readonly Step[], start: Answers): Promise<Answers | undefined> {
  let answers = start;
  const answered: number[] = [];
  let i = 0;
  while (i < all.length) {
    if (!all[i].asks(answers)) {
      i++;
      continue;
    }
    // Counted again at each step: a runtime with one language asks one question less.
    const counted = all.filter((s) => s.asks(answers));
    const result = await all[i].ask(answers, { step: counted.indexOf(all[i]) + 1, totalSteps: counted.length });
    if (result === undefined) return undefined;
    if (result === BACK) {
      i = answered.pop() ?? i;
      continue;
    }
    answers = { ...answers, ...result };
    answered.push(i);
    i++;
  }
  return answers;
}

function steps(store: ModelStore, prompts: Prompts): Step[] {
  const title = TITLE;
  return [
    {
      // Only when there is more than one template to add to.
      asks: () => store.templates().length > 1,
      ask: async (a, at) => {
        const items = store.templates().map((t) => ({ label: vscode.workspace.asRelativePath(t.path), description: `${t.functions.length} functions`, path: t.path }));
        const chosen = await prompts.pickStep(items, { title, placeHolder: 'Add it to which template?', active: items.find((t) => t.path === a.templatePath) }, at);
        return chosen === BACK || chosen === undefined ? chosen : { templatePath: chosen.path };
      },
    },
    {
      asks: () => true,
      ask: async (a, at) => {
        const templatePath = a.templatePath as string;
        const project = a.project?.templatePath === templatePath ? a.project : await readProject(templatePath);
        const template = vscode.workspace.asRelativePath(templatePath);
        const name = await prompts.inputStep(
          {
            title,
            prompt: 'Function name: letters, digits, - and _ (up to 64). Enter takes the one shown.',
            value: a.name ?? freeName(project),
            validate: (v) => {
              const problem = v ? newFunctionNameProblem(v, project) : 'Enter a name.';
              if (problem) return { message: problem, severity: vscode.InputBoxValidationSeverity.Error };
              // What the name becomes, before anything is written.
              return { message: `Adds ${logicalIdFor(v)} to ${template}, with its code in ${v}/.`, severity: vscode.InputBoxValidationSeverity.Info };
            },
          },
          at,
        );
        return name === BACK || name === undefined ? name : { name, project };
      },
    },
    {
      asks: () => true,
      ask: async (a, at) => {
        const items = RUNTIMES.map((r) => ({ label: r.label, description: r.id, id: r.id }));
        const chosen = await prompts.pickStep(items, { title, placeHolder: 'Runtime', active: items.find((r) => r.id === a.runtime) }, at);
        return chosen === BACK || chosen === undefined ? chosen : { runtime: chosen.id, language: chosen.id === a.runtime ? a.language : undefined };
      },
    },
    {
      // Asked only where the runtime offers more than one language (before the runtime is chosen: the first runtime's).
      asks: (a) => languagesOf(a).length > 1,
      ask: async (a, at) => {
        const items = languagesOf(a).map((l) => ({ label: l.label, id: l.id }));
        const chosen = await prompts.pickStep(items, { title, placeHolder: 'Language', active: items.find((l) => l.id === a.language) }, at);
        return chosen === BACK || chosen === undefined ? chosen : { language: chosen.id };
      },
    },
    {
      asks: () => true,
      ask: async (a, at) => {
        const items = EVENT_SOURCES.map((e) => ({ label: e.label, detail: e.description, id: e.id }));
        const chosen = await prompts.pickStep(items, { title, placeHolder: 'What invokes the function?', matchOnDetail: true, active: items.find((e) => e.id === a.event) }, at);
        return chosen === BACK || chosen === undefined ? chosen : { event: chosen.id };
      },
    },
    {
      asks: () => true,
      ask: async (a, at) => {
        const items = PACKAGE_TYPES.map((p) => ({ label: p.label, description: p.id === DEFAULT_PACKAGE_TYPE ? 'default' : undefined, detail: p.description, id: p.id }));
        const chosen = await prompts.pickStep(items, { title, placeHolder: 'Package', active: items.find((p) => p.id === (a.packageType ?? DEFAULT_PACKAGE_TYPE)) }, at);
        return chosen === BACK || chosen === undefined ? chosen : { packageType: chosen.id };
      },
    },
    {
      asks: () => true,
      ask: async (a, at) => {
        const items = ARCHITECTURES.map((x) => ({ label: x.label, description: x.id === DEFAULT_ARCHITECTURE ? 'default' : undefined, detail: x.description, id: x.id }));
        const chosen = await prompts.pickStep(items, { title, placeHolder: 'Architecture', active: items.find((x) => x.id === (a.architecture ?? DEFAULT_ARCHITECTURE)) }, at);
        return chosen === BACK || chosen === undefined ? chosen : { architecture: chosen.id };
      },
    },
  ];
}

/** The languages offered for the chosen runtime (the first runtime's until one is chosen). */
function languagesOf(a: Answers): ReturnType<typeof languagesFor> {
  return languagesFor(a.runtime ?? RUNTIMES[0].id).filter((l) => !l.unavailable);
}

/** A name no resource or folder of the template has yet: what Enter takes on the name step. */
function freeName(project: ProjectSnapshot): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? 'hello-function' : `hello-function-${n}`;
    if (!newFunctionNameProblem(name, project)) return name;
  }
}
