import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { sampleEventDefinition, sampleEventTypeOfFile, validateJson } from '../../src/core/events';
import { locateHandler } from '../../src/core/model';
import type { ScaffoldPlan } from '../../src/core/scaffold';
import type { Prompts } from '../../src/extension/prompts';
import { workbenchApi, workspaceRoot } from './api';

/** Answers the flow's questions in order; each answer names the item id to pick or the text to type. */
function scripted(answers: (string | undefined)[], asked: string[]): Prompts {
  let i = 0;
  return {
    pick: async <T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions) => {
      asked.push(options.placeHolder ?? options.title ?? '?');
      const answer = answers[i++];
      if (answer === undefined) return undefined;
      const item = items.find((it) => (it as T & { id?: string }).id === answer);
      assert.ok(item, `'${answer}' is offered for ${options.placeHolder}`);
      return item;
    },
    input: async (options: vscode.InputBoxOptions) => {
      asked.push(options.prompt ?? '?');
      const answer = answers[i++];
      if (answer === undefined) return undefined;
      // The real input box refuses what validateInput rejects.
      const problem = await options.validateInput?.(answer);
      assert.equal(problem ?? undefined, undefined, `'${answer}' is accepted`);
      return answer;
    },
    confirm: () => Promise.reject(new Error('no confirmation expected')),
  };
}

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

describe('New Function', function () {
  this.timeout(60_000);
  let restore: Prompts | undefined;

  afterEach(async () => {
    if (restore) (await workbenchApi()).setPrompts(restore);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('creates a JavaScript SQS function in the existing template that is discovered, runs its test and has a valid event', async () => {
    const api = await workbenchApi();
    const asked: string[] = [];
    restore = api.setPrompts(scripted(['orders-worker', 'nodejs22.x', 'js', 'sqs', 'zip', 'arm64'], asked));
    const template = vscode.Uri.joinPath(workspaceRoot(), 'template.yaml').fsPath;
    const before = readFileSync(template, 'utf8');

    const plan = (await vscode.commands.executeCommand('lambdaWorkbench.newFunction')) as ScaffoldPlan;
    assert.equal(asked.length, 6, `asked: ${asked.join(' / ')}`);
    assert.equal(plan.templatePath, template);

    // The template kept every existing line (comments included) and gained the function.
    const after = readFileSync(template, 'utf8');
    for (const line of before.split('\n')) assert.ok(after.includes(line), `kept: ${line}`);
    const fn = api.model.functions().find((f) => f.logicalId === plan.function.logicalId);
    assert.ok(fn, `${plan.function.logicalId} is discovered`);
    assert.equal(fn.runtime, 'nodejs22.x');
    assert.equal(fn.architecture, 'arm64');
    assert.ok(fn.events.some((e) => e.type === 'SQS'));
    assert.deepEqual(api.model.templates()[0].problems, [], 'the template has no problems');

    const handler = await locateHandler(fn);
    assert.equal(handler?.file, plan.handlerFile);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, plan.handlerFile, 'the handler is opened');

    const test = spawnSync(plan.test.command, plan.test.args, { cwd: plan.test.cwd, encoding: 'utf8' });
    assert.equal(test.status, 0, `the generated test passes:\n${test.stdout}\n${test.stderr}`);

    const type = sampleEventTypeOfFile(plan.sampleEventFile);
    assert.equal(type, 'sqs');
    assert.deepEqual(validateJson(JSON.parse(readFileSync(plan.sampleEventFile, 'utf8')), sampleEventDefinition(type).schema), []);
  });

  it('New Sample Event saves a catalog event for a function, offering its own event source first', async () => {
    const api = await workbenchApi();
    const fn = api.model.functions().find((f) => f.logicalId === 'HelloPython')!;
    let first: string | undefined;
    restore = api.setPrompts({
      pick: async <T extends vscode.QuickPickItem>(items: readonly T[]) => {
        first = (items[0] as T & { type?: string }).type;
        return items[0];
      },
      input: async (o) => (o.validateInput && (await o.validateInput('three-messages'))) ? undefined : 'three-messages',
      confirm: () => Promise.reject(new Error('no confirmation expected')),
    });
    const saved = (await vscode.commands.executeCommand('lambdaWorkbench.newSampleEvent', { templatePath: fn.templatePath, logicalId: fn.logicalId })) as string;
    assert.equal(first, 'sqs', 'the SQS function is offered an SQS event first');
    assert.match(saved, /events[\\/]HelloPython[\\/]three-messages\.sqs\.json$/);
    assert.deepEqual(validateJson(JSON.parse(readFileSync(saved, 'utf8')), sampleEventDefinition('sqs').schema), []);
  });

  it('writes nothing when a question is cancelled, and refuses a name already in the template', async () => {
    const api = await workbenchApi();
    const root = workspaceRoot().fsPath;
    const files = listing(root);
    restore = api.setPrompts(scripted(['billing', 'python3.13', undefined], []));
    assert.equal(await vscode.commands.executeCommand('lambdaWorkbench.newFunction'), undefined);
    assert.deepEqual(listing(root), files, 'no file was written');

    let problem: unknown;
    api.setPrompts({
      pick: async () => undefined,
      input: async (o) => {
        problem = await o.validateInput?.('HelloNode');
        return undefined;
      },
      confirm: () => Promise.reject(new Error('no confirmation expected')),
    });
    await vscode.commands.executeCommand('lambdaWorkbench.newFunction');
    assert.match(String(problem), /already has a resource HelloNode/);
    assert.deepEqual(listing(root), files);
  });
});
