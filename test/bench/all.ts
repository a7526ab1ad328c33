/** `npm run bench`: every benchmark in turn, each in its own process (each prints its own ratios). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHES = ['model', 'size', 'invoke', 'debug', 'deploy', 'functions', 'cloud', 'api'];
let failed = 0;
for (const name of BENCHES) {
  console.log(`\n=== bench:${name}`);
  const r = spawnSync(process.execPath, [join(__dirname, `${name}.js`)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
