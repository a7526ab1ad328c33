import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { Workbench } from './workbench';

/** Runs a palette command by its title, as a person would: F1, type, Enter. */
async function palette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await input.press('Enter');
}

/**
 * Every tree item and every button in `scope` has a name a screen reader can say: an aria-label,
 * or text. Returns how many were checked, so a check that found nothing fails.
 */
async function assertNamed(scope: Locator, what: string): Promise<number> {
  const unnamed = await scope.locator('[role="treeitem"], [role="button"], a.monaco-button, .action-label, button, a').evaluateAll((els) =>
    els
      .filter((el) => (el as unknown as { offsetParent: unknown }).offsetParent !== null)
      .map((el) => ({ html: el.outerHTML.slice(0, 160), name: (el.getAttribute('aria-label') ?? el.getAttribute('title') ?? el.textContent ?? '').trim() }))
      .filter((e) => e.name === '')
      .map((e) => e.html),
  );
  assert.deepEqual(unnamed, [], `${what}: every tree item and button has an accessible name`);
  return scope.locator('[role="treeitem"], [role="button"], a.monaco-button, .action-label, button, a').count();
}

/**
 * The first hour of a new user, clicked through in the workbench: the walkthrough on first
 * activation, the Functions view at the sidebar's default width, the Cloud view without AWS set
 * up, size reports, a local run that works and ones that fail, New Function with Back. Each step
 * saves a screenshot (test-output/ui/first-hour-*.png); each view gets an accessibility check.
 */
describe('ui: the first hour', function () {
  let wb: Workbench;
  let page: Page;
  const quickInput = (): Locator => page.locator('.quick-input-widget');
  const toast = (text: string | RegExp): Locator => page.locator('.notifications-toasts .notification-list-item', { hasText: text });
  const row = (name: string): Locator => page.locator('.monaco-list-row', { hasText: new RegExp(`^${name}\\b`) }).first();
  /** Invoke Locally from the function's row, choosing the event `item` as a person does: by typing. */
  const invokeFromRow = async (name: string, item: string): Promise<void> => {
    const fn = row(name);
    await fn.hover();
    await fn.locator('.action-label[aria-label="Invoke Locally"]').click();
    const input = quickInput().locator('input');
    await input.fill(item);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: item }).first().waitFor();
    await input.press('Enter');
  };

  before(async () => {
    const image = process.env.LWB_TEST_IMAGE_NODE;
    assert.ok(image, 'the runner passes the test image');
    wb = await Workbench.open({ 'lambdaWorkbench.local.images': { 'nodejs22.x': image } }, { user: { 'workbench.welcomePage.walkthroughs.openOnInstall': true }, newAws: true });
    page = wb.page;
  });
  after(async () => wb?.close());
  // A failed step leaves a picture of what the person would have seen.
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    await wb.screenshot(`first-hour-failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
    console.log(`notifications: ${JSON.stringify(await page.locator('.notification-list-item-message').allInnerTexts())}`);
  });

  it('opens the walkthrough on first activation in a workspace with a template', async () => {
    const walkthrough = page.locator('.gettingStartedContainer', { hasText: 'Measure its package' });
    await walkthrough.waitFor({ timeout: 60_000 });
    for (const step of ['Invoke it locally', 'Debug it locally', 'Deploy it']) await walkthrough.getByText(step).first().waitFor();
    await walkthrough.getByText('Show Size Report').first().waitFor();
    await wb.screenshot('first-hour-01-walkthrough');
    await page.keyboard.press('Control+k');
    await page.keyboard.press('w');
  });

  it('shows each function with the share of its nearest limit, whole at the default width, and every figure in the hover', async () => {
    await page.getByRole('tab', { name: 'Lambda' }).click();
    const node = row('HelloNode');
    await node.locator('.label-description', { hasText: /^<1% of 50 MiB( \(est\.\))?$/ }).waitFor({ timeout: 60_000 });
    const clipped = await node.locator('.monaco-icon-label-container').evaluate((el) => el.scrollWidth > el.clientWidth);
    assert.equal(clipped, false, 'the row is not cut off');
    await wb.screenshot('first-hour-02-functions');
    await node.hover();
    const hover = page.locator('.workbench-hover, .monaco-hover', { hasText: 'Unzipped:' }).first();
    await hover.waitFor();
    assert.match(await hover.innerText(), /Zipped: \d+ bytes, of 50 MiB for a direct upload\.[\s\S]*of code and \d+ bytes in 1 layer[\s\S]*The zip is larger than its files/);
    await wb.screenshot('first-hour-03-hover');
    await page.mouse.move(900, 600);
    await assertNamed(page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Functions' }) }), 'Functions view');
  });

  it('explains in the Cloud view what to set up, with buttons, and the region picker says where it saves', async () => {
    const cloud = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Cloud' }) });
    const welcome = cloud.locator('.welcome-view-content');
    await welcome.getByText('No AWS region is set for these credentials').waitFor({ timeout: 30_000 });
    for (const name of ['Choose AWS Profile', 'Choose AWS Region', 'Use an AWS Endpoint']) await welcome.getByRole('button', { name }).waitFor();
    await wb.screenshot('first-hour-04-cloud-welcome');
    assert.ok((await assertNamed(cloud, 'Cloud view')) >= 3);
    await welcome.getByRole('button', { name: 'Choose AWS Region' }).click();
    await quickInput().locator('.quick-input-title', { hasText: 'AWS region for Lambda Workbench (saved in your user settings)' }).waitFor();
    assert.equal(await quickInput().locator('input').getAttribute('placeholder'), 'Now: none is set');
    await wb.screenshot('first-hour-05-region-picker');
    await page.keyboard.press('Escape');
  });

  it('reports the size of the function selected in the tree without asking, each function in its own tab', async () => {
    for (const name of ['HelloNode', 'HelloPython']) {
      await row(name).click();
      await palette(page, 'Lambda: Show Size Report');
      await page.locator('.tab', { hasText: `${name} size` }).waitFor({ timeout: 60_000 });
      assert.equal(await quickInput().isVisible(), false, 'no question: the selected function is the one');
    }
    assert.equal(await page.locator('.tab', { hasText: /Hello(Node|Python) size/ }).count(), 2, 'both reports are open');
    const report = page.frameLocator('iframe.webview.ready').first().frameLocator('iframe#active-frame');
    await report.getByText('Nearest limit: <1% of 50 MiB zipped.').waitFor();
    assert.equal(await report.getByText('with 0 layers').count(), 0);
    await wb.screenshot('first-hour-06-size-reports');
    await assertNamed(report.locator('body'), 'size report');
    assert.ok((await report.locator('th[scope]').count()) >= 8, 'its tables have header cells');
    await page.keyboard.press('Control+k');
    await page.keyboard.press('w');
  });

  it('invokes locally with a progress that names the function once and a result with the REPORT wrapped and the cost in dollars', async () => {
    await invokeFromRow('HelloNode', 'get-hello');
    const progress = toast('Local run');
    await progress.waitFor({ timeout: 30_000 });
    const said = await progress.innerText();
    assert.doesNotMatch(said, /HelloNode[\s\S]*HelloNode/, `the function is named once: ${said}`);
    await wb.screenshot('first-hour-07-invoke-progress');
    const result = page.locator('.monaco-editor .view-lines', { hasText: 'Cost of this invocation' });
    await result.waitFor({ timeout: 90_000 });
    // The editor draws spaces as no-break spaces.
    assert.match((await result.innerText()).replace(/\u00a0/g, ' '), /REPORT RequestId: [\s\S]*\n\/\/\s+Duration: [\s\S]*per million\) on x86_64/);
    await wb.screenshot('first-hour-08-invoke-result');
  });

  it('shows a failed run in the Local Runs output, and a run that cannot start as an error with the button that fixes it', async () => {
    await invokeFromRow('HelloNode', 'Type an event');
    const input = quickInput().locator('input');
    await quickInput().locator('.quick-input-title', { hasText: 'Event for HelloNode' }).waitFor();
    await input.fill('null');
    await input.press('Enter');
    const output = page.locator('.part.panel .view-lines');
    await output.getByText('--- HelloNode failed: TypeError:').waitFor({ timeout: 60_000 });
    await wb.screenshot('first-hour-09-run-failed');

    // HelloPython cannot run here: neither its dependency's wheel (no package index) nor Python's
    // image (no registry) can be had. The error names the setting that fixes it and offers to open it.
    await palette(page, 'Notifications: Clear All Notifications');
    await invokeFromRow('HelloPython', 'two-messages');
    await output.getByText('--- HelloPython could not run: ').waitFor({ timeout: 120_000 });
    const error = page.locator('.notifications-toasts .notification-list-item', { has: page.getByRole('button', { name: 'Open Setting' }) }).last();
    await error.waitFor();
    const message = await error.locator('.notification-list-item-message').innerText();
    assert.match(message, /^HelloPython|The image/);
    assert.match(message, /\(the lambdaWorkbench\.[\w.]+ setting\)\.$/);
    assert.doesNotMatch(message, /--[a-z]|command line/);
    await wb.screenshot('first-hour-10-run-error');
    await page.keyboard.press('Escape');

    // The log has the expected failure's words, not a stack through the bundle.
    await palette(page, 'Lambda: Show Log');
    await output.getByText('lambdaWorkbench.invokeLocally failed: ').first().waitFor();
    assert.doesNotMatch(await output.innerText(), /dist\/extension\.js/);
    await wb.screenshot('first-hour-11-log');
  });

  it('creates a function with a default name, the logical id shown, a step counter for its runtime, Back, and notes that show', async () => {
    await palette(page, 'Lambda: New Function');
    const input = quickInput().locator('input');
    const title = quickInput().locator('.quick-input-title');
    await title.getByText('New Lambda Function (1/6)').waitFor();
    assert.equal(await input.inputValue(), 'hello-function', 'a default Enter takes');
    await input.fill('orders-api');
    await quickInput().locator('.quick-input-message', { hasText: 'Adds OrdersApi to template.yaml, with its code in orders-api/.' }).waitFor();
    await wb.screenshot('first-hour-12-new-function-name');
    await input.press('Enter');
    await title.getByText('New Lambda Function (2/6)').waitFor();
    await input.fill('Python 3.13');
    await input.press('Enter');
    await title.getByText('New Lambda Function (3/5)').waitFor();
    await wb.screenshot('first-hour-13-new-function-counter');
    await quickInput().locator('.quick-input-left-action-bar .action-label').click();
    await title.getByText('New Lambda Function (2/5)').waitFor();
    assert.match(await quickInput().locator('.monaco-list-row.focused').innerText(), /Python 3\.13/, 'back with the answer kept');
    for (const step of ['2/5', '3/5', '4/5', '5/5']) {
      await title.getByText(`New Lambda Function (${step})`).waitFor();
      await input.press('Enter');
    }
    const done = toast('Created OrdersApi in template.yaml');
    await done.waitFor({ timeout: 30_000 });
    await done.getByRole('button', { name: 'Show Notes' }).click();
    const notes = page.locator('.monaco-dialog-box');
    await notes.getByText('OrdersApi: next steps').waitFor();
    assert.match(await notes.innerText(), /Run its test: /);
    await wb.screenshot('first-hour-14-new-function-notes');
    await page.keyboard.press('Escape');
  });
});
