import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import { runMocha } from '../support/mocha';
import { formatResult, HOST_LINE_PREFIX } from '../support/results';

/**
 * The extension-host test entry. The same run() serves the offline code-server host (npm test)
 * and @vscode/test-electron on machines that can download VS Code (npm run test:electron).
 */
export async function run(): Promise<void> {
  // The runner starts one host per suite (see runIntegration): untrusted/ runs in Restricted Mode, the rest trusted.
  const untrusted = process.env.LWB_INTEGRATION_SUITE === 'untrusted';
  const files = (readdirSync(__dirname, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js') && f.startsWith(`untrusted${sep}`) === untrusted)
    .sort()
    .map((f) => join(__dirname, f));
  // The workbench forwards all of its console to the runner; a prefix tells the tests' lines apart.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(HOST_LINE_PREFIX + format(...args).split('\n').join(`\n${HOST_LINE_PREFIX}`));
  const result = await runMocha(files, { timeoutMs: 60_000, grep: process.env.LWB_TEST_GREP, color: false });
  console.log(HOST_LINE_PREFIX + formatResult(result));
  if (result.failed > 0) throw new Error(`${result.failed} integration test(s) failed`);
}
