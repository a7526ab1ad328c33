/**
 * `npm run bench`: every benchmark in turn, each in its own process (each prints its own ratios),
 * then one table of every ratio against its goal.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Ratio, ratioTable } from './instrument';

const BENCHES = ['cli', 'model', 'size', 'invoke', 'debug', 'deploy', 'functions', 'cloud', 'build', 'api', 'warm'];
const dir = mkdtempSync(join(tmpdir(), 'lwb-bench-'));
const file = join(dir, 'ratios.jsonl');
let failed = 0;
for (const name of BENCHES) {
  console.log(`\n=== bench:${name}`);
  const r = spawnSync(process.execPath, [join(__dirname, `${name}.js`)], { stdio: 'inherit', env: { ...process.env, LWB_BENCH_RATIOS: file } });
  if (r.status !== 0) {
    failed++;
    console.log(`bench:${name} failed (exit ${r.status ?? r.signal})`);
  }
}
const ratios = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Ratio) : [];
rmSync(dir, { recursive: true, force: true });
console.log(`\n=== every ratio against its goal${failed ? ` (${failed} bench${failed === 1 ? '' : 'es'} failed)` : ''}`);
console.log(ratioTable(ratios));
process.exitCode = failed ? 1 : 0;
