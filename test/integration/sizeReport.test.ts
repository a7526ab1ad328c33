import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { until, workbenchApi, workspaceRoot } from './api';
import { answering } from './dialogs';

/** Text of a page as a person reads it: characters for their entities. */
function unescape(html: string): string {
  return html.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
}

/** The links of a report page that run a command: [title, command, arguments]. */
function links(html: string): [string, string, unknown[]][] {
  return [...html.matchAll(/<a class="action" href="command:([^?"]+)\?([^"]*)">([^<]*)<\/a>/g)].map((m) => [unescape(m[3]), m[1], JSON.parse(decodeURIComponent(m[2])) as unknown[]]);
}

/** Lambda: Show Size Report, as a person meets it. */
describe('size report', function () {
  this.timeout(90_000);
  const root = (): string => workspaceRoot().fsPath;
  const template = (): string => join(root(), 'template.yaml');
  let original = '';

  before(async () => {
    original = readFileSync(template(), 'utf8');
    // A function with tests in its package and a .lambdaignore that leaves a file out.
    const dir = join(root(), 'reported');
    mkdirSync(join(dir, 'tests'), { recursive: true });
    writeFileSync(join(dir, 'app.mjs'), 'export const handler = async () => 1;\n');
    writeFileSync(join(dir, 'tests', 'app_test.mjs'), `// ${'x'.repeat(20_000)}\n`);
    writeFileSync(join(dir, 'notes.txt'), 'not for Lambda\n');
    writeFileSync(join(dir, '.lambdaignore'), 'notes.txt\n');
    // And one whose dependency is declared but installed nowhere: not counted until it is built.
    mkdirSync(join(root(), 'uncounted'), { recursive: true });
    writeFileSync(join(root(), 'uncounted', 'app.mjs'), 'export const handler = async () => 1;\n');
    writeFileSync(join(root(), 'uncounted', 'package.json'), '{\n  "name": "uncounted",\n  "dependencies": {\n    "lwb-missing": "^^^"\n  }\n}\n');
    const { model } = await workbenchApi();
    const fn = (id: string, dir: string): string => `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: app.handler\n      CodeUri: ${dir}/\n\n`;
    writeFileSync(template(), original.replace('  WorkQueue:\n', `${fn('Reported', 'reported')}${fn('Uncounted', 'uncounted')}  WorkQueue:\n`));
    await until('the new functions', model.onDidChange, () => (model.functions().some((f) => f.logicalId === 'Uncounted') ? true : undefined));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (original) writeFileSync(template(), original);
    for (const dir of ['reported', 'uncounted']) rmSync(join(root(), dir), { recursive: true, force: true });
  });

  it('reports the function under the cursor without asking which', async () => {
    const doc = await vscode.workspace.openTextDocument(template());
    const line = doc.getText().split('\n').indexOf('  Reported:') + 3;
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, 0, line, 0) });
    const { result: panel, asked } = await answering([], () => vscode.commands.executeCommand<vscode.WebviewPanel>('lambdaWorkbench.showSizeReport'));
    assert.deepEqual(asked, [], 'no question');
    assert.equal(panel.title, 'Reported size');
  });

  it('says each figure once, in words a newcomer reads, with links that apply the fixes', async () => {
    const { model } = await workbenchApi();
    const fn = model.functions().find((f) => f.logicalId === 'Reported')!;
    const panel = await vscode.commands.executeCommand<vscode.WebviewPanel>('lambdaWorkbench.showSizeReport', { templatePath: fn.templatePath, logicalId: fn.logicalId });
    const html = panel.webview.html;
    const text = unescape(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
    assert.match(text, /Within Lambda's limits\./, 'the status: no finding wants a look (the tests are a note)');
    assert.match(text, /Zipped, for a direct upload \d+ bytes 50 MiB \(52,428,800 bytes\) <1%/);
    assert.doesNotMatch(text, /(\d[\d,]* bytes) \(\1\)/, 'no number repeated in brackets');
    assert.match(text, /Unzipped \(no layers\) [\d.,]+ (bytes|KiB)/);
    assert.doesNotMatch(text, /with 0 layers/, 'no row that repeats the one above');
    assert.match(text, /Left out of the package /);
    assert.match(text, /This tool's own list of paths to leave out: \.lambdaignore \./);
    assert.match(text, /The \.lambdaignore line notes\.txt: notes\.txt \./);
    assert.doesNotMatch(text, /ignore-file|lambdaignore:/, 'no rule ids');

    // The tests' finding has its quick fix as a link; following it edits .lambdaignore and shows it.
    const [fix] = links(html).filter(([, command]) => command === 'lambdaWorkbench.applySizeFinding');
    assert.ok(fix, `a fix link (links: ${JSON.stringify(links(html))})`);
    assert.match(fix[0], /^Leave .*tests.* out of Reported's package$/);
    assert.equal(await vscode.commands.executeCommand(fix[1], ...fix[2]), true);
    const shown = vscode.window.activeTextEditor?.document;
    assert.equal(shown?.uri.fsPath, join(root(), 'reported', '.lambdaignore'), 'the changed file is shown');
    assert.ok(shown.getText().startsWith('notes.txt\n') && shown.getText().includes('\n**/tests/\n'), shown.getText());
    await shown.save();
  });

  it('says a warning that comes from a dependency not counted, not from nearness to a limit', async () => {
    const { model } = await workbenchApi();
    const fn = model.functions().find((f) => f.logicalId === 'Uncounted')!;
    // The report builds the function first; npm refuses the version at once, so the build fails
    // (an error message) and the report shows the estimate, which cannot count the dependency.
    const panel = await vscode.commands.executeCommand<vscode.WebviewPanel>('lambdaWorkbench.showSizeReport', { templatePath: fn.templatePath, logicalId: fn.logicalId });
    const { sizes } = await workbenchApi();
    assert.equal(sizes.get(fn)?.status, 'warn', 'a declared dependency counted nowhere: never ok');
    const text = unescape(panel.webview.html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
    assert.match(text, /Within the limits as far as counted, but not all of it is counted\. One finding below wants a look\./);
    assert.doesNotMatch(text, /Near a Lambda limit/);
  });

  it('opens the reports of two functions side by side, each in its own tab', async () => {
    const { model } = await workbenchApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const id of ['HelloNode', 'Reported']) {
      const fn = model.functions().find((f) => f.logicalId === id)!;
      await vscode.commands.executeCommand('lambdaWorkbench.showSizeReport', { templatePath: fn.templatePath, logicalId: fn.logicalId });
    }
    // The editor tells the extension host about tabs a moment later.
    const reports = (): string[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview).map((t) => t.label).sort();
    const open = await until('both reports', vscode.window.tabGroups.onDidChangeTabs, () => (reports().length === 2 ? reports() : undefined));
    assert.deepEqual(open, ['HelloNode size', 'Reported size']);
  });
});
