/**
 * The integration tier on a machine that can download VS Code: @vscode/test-electron runs the same
 * test entry (test/integration/index.ts) in VS Code's desktop build, with the same services.
 *   npm run test:electron        (VS Code version: LWB_VSCODE_VERSION, default the engines minimum)
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { HOST_SETTINGS } from './support/codeServer';
import { startServices } from './support/services';

const ROOT = resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { vscode: string } }).engines.vscode;
  const version = process.env.LWB_VSCODE_VERSION ?? engines.replace(/^\^/, '');
  const workspace = mkdtempSync(join(tmpdir(), 'lwb-workspace-'));
  cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
  // The same user settings as the code-server host (no walkthrough opening by itself, no tips).
  const userData = mkdtempSync(join(tmpdir(), 'lwb-user-data-'));
  mkdirSync(join(userData, 'User'));
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(HOST_SETTINGS, null, 2));
  const services = await startServices({ root: ROOT, log: (l) => console.log(`[test] ${l}`) });
  try {
    await runTests({
      version,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: join(ROOT, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${userData}`],
      extensionTestsEnv: services.env,
    });
  } finally {
    await services.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(userData, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
