import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { sampleEventDefinition, sampleEventTypeOfFile, validateJson } from '../../src/core/events';
import { locateHandler } from '../../src/core/model';
import type { ScaffoldPlan } from '../../src/core/scaffold';
import { workbenchApi, workspaceRoot } from './api';
import { accept, type Answer, answering, back, dismiss, enter, pick } from './dialogs';

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

describe('New Function', function () {
  this.timeout(60_000);

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('creates a JavaScript SQS function in the existing template that is discovered, runs its test and has a valid event', async () => {
    const api = await workbenchApi();
    const template = vscode.Uri.joinPath(workspaceRoot(), 'template.yaml').fsPath;
    const before = readFileSync(template, 'utf8');

    // While the name is typed, the box says what it becomes in the template, before anything is written.
    let shown: unknown;
    const name: Answer = (q) => {
      shown = q.options.validateInput?.('orders-worker');
      return enter('orders-worker')(q);
    };
    const { result: plan, asked } = await answering([name, pick('nodejs22.x'), pick('js'), pick('sqs'), pick('zip'), pick('arm64')], () =>
      vscode.commands.executeCommand<ScaffoldPlan>('lambdaWorkbench.newFunction'),
    );
    assert.deepEqual(asked.map((q) => q.title), [1, 2, 3, 4, 5, 6].map((n) => `New Lambda Function (${n}/6)`));
    assert.deepEqual(shown, { message: 'Adds OrdersWorker to template.yaml, with its code in orders-worker/.', severity: vscode.InputBoxValidationSeverity.Info });
    assert.deepEqual(asked.map((q) => q.buttons), [[], ['Back'], ['Back'], ['Back'], ['Back'], ['Back']], 'Back from the second step on');
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
    const arg = { templatePath: fn.templatePath, logicalId: fn.logicalId };
    const { result: saved, asked } = await answering([pick((item) => (item as { type?: string }).type === 'sqs'), enter('three-messages')], () =>
      vscode.commands.executeCommand<string>('lambdaWorkbench.newSampleEvent', arg),
    );
    assert.equal((asked[0].items[0] as { type?: string }).type, 'sqs', 'the SQS function is offered an SQS event first');
    assert.match(saved, /events[\\/]HelloPython[\\/]three-messages\.sqs\.json$/);
    assert.deepEqual(validateJson(JSON.parse(readFileSync(saved, 'utf8')), sampleEventDefinition('sqs').schema), []);
  });

  it('writes nothing when a question is cancelled, and refuses a name already in the template', async () => {
    await workbenchApi();
    const root = workspaceRoot().fsPath;
    const files = listing(root);
    const cancelled = await answering([enter('billing'), pick('python3.13'), dismiss], () => vscode.commands.executeCommand('lambdaWorkbench.newFunction'));
    assert.equal(cancelled.result, undefined);
    assert.deepEqual(listing(root), files, 'no file was written');

    let refusal: unknown;
    await answering([(q) => void (refusal = q.options.validateInput?.('HelloNode'))], () => vscode.commands.executeCommand('lambdaWorkbench.newFunction'));
    assert.deepEqual(refusal, { message: 'The template already has a resource HelloNode.', severity: vscode.InputBoxValidationSeverity.Error });
    assert.deepEqual(listing(root), files);
  });

  it('offers a name Enter takes, counts the steps the chosen runtime asks, and Back returns with the answers kept', async () => {
    await workbenchApi();
    const root = workspaceRoot().fsPath;
    const files = listing(root);
    const { asked } = await answering(
      [accept, pick('nodejs22.x'), back, back, enter('billing'), pick('python3.13'), pick('sqs'), back, back, accept, pick('http-api'), accept, dismiss],
      () => vscode.commands.executeCommand('lambdaWorkbench.newFunction'),
    );
    const at = asked.map((q) => `${q.title.replace('New Lambda Function ', '')} ${q.kind === 'input' ? q.options.value : ((q.active as { id?: string } | undefined)?.id ?? '-')}`);
    assert.deepEqual(at, [
      // A free name is the default; Node.js asks its language: six steps.
      '(1/6) hello-function',
      '(2/6) -',
      // Back from the language step to the runtime, then to the name: each keeps its answer.
      '(3/6) -',
      '(2/6) nodejs22.x',
      '(1/6) hello-function',
      '(2/6) nodejs22.x',
      // Python has one language: five steps from here on; Back from the package and the event steps.
      '(3/5) -',
      '(4/5) zip',
      '(3/5) sqs',
      '(2/5) python3.13',
      '(3/5) sqs',
      '(4/5) zip',
      '(5/5) x86_64',
    ]);
    assert.deepEqual(listing(root), files, 'cancelled at the last step: nothing written');
  });
});
