/**
 * Debug Locally benchmark: `npm run bench:debug`. In a real VS Code host (code-server) on a copy of
 * examples/, against the real Docker engine and the Node test image, prints the time from the
 * command to the debugger stopping on a breakpoint on HelloNode's first line: the first session of
 * the window (cold: engine check, runner, container) and later ones (warm image and engine), next to
 * a cold Invoke Locally of the same function in the same host up to its handler's start (its wall
 * time less the REPORT's Duration: the same container start and init, without a debugger), and their ratio. Medians of
 * LWB_BENCH_RUNS runs (default 7).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runExtensionTests, startCodeServer } from '../support/codeServer';
import { ensureDocker, TEST_IMAGE } from '../support/services';
import { median, ratio } from './instrument';

const ROOT = resolve(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  const docker = await ensureDocker((l) => console.log(l));
  const image = process.env.LWB_TEST_IMAGE_NODE ?? TEST_IMAGE;
  const built = spawnSync('bash', [join(ROOT, 'scripts/test-image.sh'), image], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('building the test image failed');
  process.env.LWB_TEST_IMAGE_NODE = image;

  const workspace = mkdtempSync(join(tmpdir(), 'lwb-bench-debug-'));
  cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
  const server = await startCodeServer();
  let result: { firstMs: number; warmMs: number[]; referenceMs: number[] } | undefined;
  const lines: string[] = [];
  try {
    const code = await runExtensionTests({
      server,
      workspace,
      extensionPath: ROOT,
      testsPath: join(ROOT, 'out', 'test', 'bench', 'host', 'debugSession.js'),
      timeoutMs: 5 * 60_000,
      onLog: (line) => {
        lines.push(line);
        const m = /LWB-BENCH (\{.*\})/.exec(line);
        if (m) result = JSON.parse(m[1]) as typeof result;
      },
    });
    if (code !== 0 || !result) throw new Error(`the host part failed (exit ${code}):\n${lines.slice(-20).join('\n')}`);
  } finally {
    await server.stop();
    rmSync(workspace, { recursive: true, force: true });
    await docker?.stop();
  }
  const warm = median(result.warmMs);
  const reference = median(result.referenceMs);
  console.log('Debug Locally, HelloNode (examples/), breakpoint on the handler\'s first line');
  console.log(`  command -> stopped at the breakpoint, first in the window (cold)   ${result.firstMs.toFixed(0)} ms`);
  console.log(`  command -> stopped at the breakpoint, later (warm image, engine)    ${warm.toFixed(0)} ms median of ${result.warmMs.length}`);
  console.log(`  reference: cold Invoke Locally to its handler's start, same host    ${reference.toFixed(0)} ms median`);
  ratio({ bench: 'debug', name: 'debug to breakpoint / cold invoke to handler', measured: `Debug Locally from the command to the stop on the handler's first line, warm image and engine (median ${warm.toFixed(0)} ms)`, reference: `a cold Invoke Locally of the same function up to its handler's start: wall time less the REPORT's Duration (median ${reference.toFixed(0)} ms)`, value: warm / reference });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
