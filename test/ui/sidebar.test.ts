import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { Workbench } from './workbench';

describe('ui: the Lambda sidebar', function () {
  let wb: Workbench | undefined;
  after(async () => wb?.close());

  it('opens from the activity bar and lists the sample functions with their sizes', async () => {
    wb = await Workbench.open();
    const { page } = wb;
    await page.getByRole('tab', { name: 'Lambda' }).click();
    const functions = page.locator('.pane-header', { hasText: 'Functions' });
    await functions.waitFor({ timeout: 30_000 });
    for (const name of ['HelloNode', 'HelloPython', 'SharedLayer']) {
      await page.locator('.monaco-list-row', { hasText: name }).first().waitFor({ timeout: 30_000 });
    }
    // The package size arrives once the function is measured: its share of the nearest limit.
    await page.locator('.monaco-list-row', { hasText: /HelloNode.*% of 50 MiB/ }).waitFor({ timeout: 30_000 });
    const shot = await wb.screenshot('sidebar');
    assert.ok(statSync(shot).size > 10_000, 'the screenshot has content');
  });
});
