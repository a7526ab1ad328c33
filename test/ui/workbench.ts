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

  /**
   * Opens the workbench on a copy of examples/, with `settings` as the workspace's settings and
   * `user` added to the user's. `newAws`: AWS as a new user has it, nothing set up (no shared
   * files, no profile, region or keys in the environment).
   */
  static async open(settings: Record<string, unknown> = {}, opts: { user?: Record<string, unknown>; newAws?: boolean } = {}): Promise<Workbench> {
    const workspace = mkdtempSync(join(tmpdir(), 'lwb-ui-'));
    cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
    mkdirSync(join(workspace, '.vscode'));
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
    const env = { ...process.env } as Record<string, string>;
    if (opts.newAws) {
      // Emptied rather than left out: the server's environment starts from this process's.
      for (const k of Object.keys(env)) if (k.startsWith('AWS_')) env[k] = '';
      Object.assign(env, { AWS_CONFIG_FILE: join(workspace, '.no-aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(workspace, '.no-aws-credentials'), AWS_EC2_METADATA_DISABLED: 'true' });
    }
    const server = await startCodeServer({ env, settings: opts.user });
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
