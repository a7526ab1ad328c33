import assert from 'node:assert/strict';
import { Workbench } from './workbench';

describe('ui: Invoke Locally from the sidebar', function () {
  let wb: Workbench | undefined;
  after(async () => wb?.close());

  it('runs HelloNode from its row\'s inline action with a saved event and shows the result with the REPORT', async () => {
    const image = process.env.LWB_TEST_IMAGE_NODE;
    assert.ok(image, 'the runner passes the test image');
    wb = await Workbench.open({ 'lambdaWorkbench.local.images': { 'nodejs22.x': image } });
    const { page } = wb;
    await page.getByRole('tab', { name: 'Lambda' }).click();
    const row = page.locator('.monaco-list-row', { hasText: /HelloNode.*% of 50 MiB/ }).first();
    await row.waitFor({ timeout: 30_000 });
    await row.hover();
    await row.locator('.action-label[aria-label="Invoke Locally"]').click();

    // The event picker: the saved event comes first; pick it as a person would, by typing.
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill('get-hello');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'get-hello' }).first().waitFor();
    await input.press('Enter');

    const editor = page.locator('.monaco-editor .view-lines', { hasText: 'Hello, Lambda!' });
    await editor.waitFor({ timeout: 60_000 });
    await page.locator('.tab', { hasText: 'HelloNode result' }).waitFor();
    await wb.screenshot('invoke-result');
    assert.match(await editor.innerText(), /REPORT\sRequestId:\s/);
    await wb.screenshot('invoke-result');

    // The row's "Last run" child shows the REPORT's figures.
    await row.locator('.monaco-tl-twistie').click();
    await page.locator('.monaco-list-row', { hasText: /Last run.*ok · .* MB · cold/ }).waitFor({ timeout: 15_000 });
    await wb.screenshot('invoke-tree');
  });
});
