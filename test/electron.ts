/**
 * The integration tier on a machine that can download VS Code: @vscode/test-electron runs the same
 * test entry (test/integration/index.ts) in VS Code's desktop build, with the same services.
 *   npm run test:electron        (VS Code version: LWB_VSCODE_VERSION, default the engines minimum)
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { startServices } from './support/services';

const ROOT = resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { vscode: string } }).engines.vscode;
  const version = process.env.LWB_VSCODE_VERSION ?? engines.replace(/^\^/, '');
  const workspace = mkdtempSync(join(tmpdir(), 'lwb-workspace-'));
  cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
  const services = await startServices({ root: ROOT, log: (l) => console.log(`[test] ${l}`) });
  try {
    await runTests({
      version,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: join(ROOT, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: services.env,
    });
  } finally {
    await services.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
