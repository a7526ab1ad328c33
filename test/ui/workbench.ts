import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type CodeServer, launchChromium, startCodeServer, waitForWorkbench, workbenchUrl } from '../support/codeServer';

export const ROOT = join(__dirname, '..', '..', '..');
export const SCREENSHOTS = join(ROOT, 'test-output', 'ui');

/** The product as a person sees it: the workbench in chromium with the extension on a copy of examples/. */
export class Workbench {
  private constructor(
    readonly page: Page,
    private readonly browser: Browser,
    private readonly server: CodeServer,
    readonly workspace: string,
  ) {}

  /** Opens the workbench on a copy of examples/, with `settings` as the workspace's settings. */
  static async open(settings: Record<string, unknown> = {}): Promise<Workbench> {
    const workspace = mkdtempSync(join(tmpdir(), 'lwb-ui-'));
    cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
    mkdirSync(join(workspace, '.vscode'));
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
    const server = await startCodeServer({ env: process.env as Record<string, string> });
    const browser = await launchChromium().catch(async (err: unknown) => {
      await server.stop();
      throw err;
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(workbenchUrl(server, workspace, { extensionPath: ROOT }));
    await waitForWorkbench(page);
    return new Workbench(page, browser, server, workspace);
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const path = join(SCREENSHOTS, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.stop();
    rmSync(this.workspace, { recursive: true, force: true });
  }
}
