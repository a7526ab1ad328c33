import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { freePort, startDaemon, stopDaemon, waitFor } from './proc';

/**
 * A real VS Code, offline: code-server (VS Code's server and web workbench) on loopback, driven by
 * Debian's chromium through playwright-core. scripts/setup.sh installs both.
 */
export const CODE_SERVER_VERSION = '4.100.3';

export function toolCache(): string {
  return process.env.LWB_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lambda-workbench-dev');
}

export function codeServerBin(): string {
  const bin = join(toolCache(), `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');
  if (!existsSync(bin)) throw new Error(`code-server is not installed at ${bin}: run scripts/setup.sh codeserver`);
  return bin;
}

export interface CodeServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The authority the workbench uses for files on the server. */
  authority: string;
  extensionsDir: string;
  stop(): Promise<void>;
}

/** User settings for every host we start: no welcome page or telemetry in the way. */
export const HOST_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  // The product's walkthrough opens by itself once; a test that wants it opens it.
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

/**
 * Starts code-server. Workspace trust is off unless `workspaceTrust` is set: then every folder it
 * opens stays in Restricted Mode (its user data is new, so no folder was ever trusted, and the
 * startup prompt that would ask is off).
 */
export async function startCodeServer(
  opts: { env?: Record<string, string>; port?: number; extensionsDir?: string; settings?: Record<string, unknown>; workspaceTrust?: boolean } = {},
): Promise<CodeServer> {
  const work = mkdtempSync(join(tmpdir(), 'lwb-code-server-'));
  mkdirSync(join(work, 'user-data', 'User'), { recursive: true });
  const trust = opts.workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
  writeFileSync(join(work, 'user-data', 'User', 'settings.json'), JSON.stringify({ ...HOST_SETTINGS, ...trust, ...opts.settings }, null, 2));
  const port = opts.port ?? (await freePort());
  const extensionsDir = opts.extensionsDir ?? join(work, 'extensions');
  const child = startDaemon(
    codeServerBin(),
    [
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--user-data-dir', join(work, 'user-data'),
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
    ],
    join(work, 'code-server.log'),
    { env: { ...process.env, ...opts.env, EXTENSIONS_GALLERY: '{}' } },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopDaemon(child);
    rmSync(work, { recursive: true, force: true });
  };
  try {
    await waitFor('code-server', async () => (await fetch(`${url}/healthz`)).ok, 60_000, child);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, authority: `127.0.0.1:${port}`, extensionsDir, stop };
}

export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.LWB_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

/** The workbench URL that opens `folder`, optionally loading an extension in development mode. */
export function workbenchUrl(server: CodeServer, folder: string, dev?: { extensionPath: string; testsPath?: string }): string {
  const q = new URLSearchParams({ folder });
  if (dev) {
    const payload: [string, string][] = [['extensionDevelopmentPath', `vscode-remote://${server.authority}${dev.extensionPath}`]];
    if (dev.testsPath) payload.push(['extensionTestsPath', `vscode-remote://${server.authority}${dev.testsPath}`]);
    q.set('payload', JSON.stringify(payload));
  }
  return `${server.url}/?${q.toString()}`;
}

/**
 * Runs extension tests in the workbench's extension host. The workbench reports the host's
 * console through codeAutomationLog and the tests' end through codeAutomationExit.
 */
export async function runExtensionTests(opts: {
  server: CodeServer;
  workspace: string;
  extensionPath: string;
  testsPath: string;
  timeoutMs: number;
  onLog: (line: string) => void;
}): Promise<number> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const exit = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      opts.onLog(format(...args));
    });
    await page.goto(workbenchUrl(opts.server, opts.workspace, { extensionPath: opts.extensionPath, testsPath: opts.testsPath }));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        opts.onLog(`extension tests did not finish within ${opts.timeoutMs} ms`);
        resolve(1);
      }, opts.timeoutMs);
    });
    const code = await Promise.race([exit, timeout]);
    clearTimeout(timer);
    return code;
  } finally {
    await browser.close();
  }
}

/** Waits until the workbench has rendered (its activity bar is up). */
export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.waitForSelector('.monaco-workbench .activitybar', { timeout: timeoutMs });
}
