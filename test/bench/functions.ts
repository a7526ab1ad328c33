/**
 * Functions view benchmark: `npm run bench:functions`. Opens a generated workspace of 50 templates /
 * 500 functions in a real VS Code host (code-server, as the integration tests run) and prints the
 * time until the view's first level is ready, next to a bare YAML parse of the same templates in the
 * same host (the floor), and their ratio. Medians of LWB_BENCH_RUNS runs (default 9).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runExtensionTests, startCodeServer } from '../support/codeServer';
import { median, ratio } from './instrument';
import { FUNCTIONS_PER_TEMPLATE, generate, TEMPLATES } from './workspace';

const ROOT = resolve(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  const workspace = mkdtempSync(join(tmpdir(), 'lwb-bench-functions-'));
  generate(workspace);
  const server = await startCodeServer();
  let result: { firstMs: number; rows: number; functions: number; viewMs: number[]; floorMs: number[] } | undefined;
  try {
    const code = await runExtensionTests({
      server,
      workspace,
      extensionPath: ROOT,
      testsPath: join(ROOT, 'out', 'test', 'bench', 'host', 'functionsView.js'),
      timeoutMs: 5 * 60_000,
      onLog: (line) => {
        const m = /LWB-BENCH (\{.*\})/.exec(line);
        if (m) result = JSON.parse(m[1]) as typeof result;
      },
    });
    if (code !== 0 || !result) throw new Error(`the host part failed (exit ${code})`);
  } finally {
    await server.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
  if (result.functions !== TEMPLATES * FUNCTIONS_PER_TEMPLATE) throw new Error(`the view loaded ${result.functions} functions, not ${TEMPLATES * FUNCTIONS_PER_TEMPLATE}`);
  const view = median(result.viewMs);
  const floor = median(result.floorMs);
  console.log(`Functions view, ${TEMPLATES} templates / ${result.functions} functions (${result.rows} rows at the first level)`);
  console.log(`  first level ready (discover + read + parse + check + tree)  ${view.toFixed(1)} ms median  (first: ${result.firstMs.toFixed(1)} ms)`);
  console.log(`  floor: bare yaml parse of the same templates, same host    ${floor.toFixed(1)} ms median`);
  ratio({ bench: 'functions', name: 'view ready / yaml parse', measured: `Functions view's first level ready in the host: discover, read, parse, check, tree (median ${view.toFixed(1)} ms)`, reference: `bare yaml parse of the same templates in the same host (median ${floor.toFixed(1)} ms)`, value: view / floor });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
