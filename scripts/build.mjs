// Builds the extension and the CLI into dist/ (bundled), and the tests into out/ (transpiled
// file by file, so mocha can load them). Type checking is its own step: `npm run typecheck`.
//   node scripts/build.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

function filesUnder(dir, ext) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return filesUnder(p, ext);
    return p.endsWith(ext) && !p.endsWith('.d.ts') ? [p] : [];
  });
}
const tsFiles = (dir) => filesUnder(dir, '.ts');

/** Removes compiled files whose source is gone, without emptying out/ under a concurrent run. */
function pruneOut() {
  for (const js of filesUnder('out', '.js')) {
    if (!existsSync(js.slice('out/'.length).replace(/\.js$/, '.ts'))) rmSync(js);
  }
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // ssh2 (under dockerode) has an optional native binding; its pure-JS fallback is used instead.
  external: ['vscode', 'cpu-features', '*.node'],
};

const define = { LWB_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) };

const configs = [
  { ...common, define, entryPoints: { extension: 'src/extension/main.ts' }, outdir: 'dist' },
  { ...common, define, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  {
    entryPoints: [...tsFiles('src'), ...tsFiles('test')],
    define,
    outbase: '.',
    outdir: 'out',
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
  },
];

if (watch) {
  for (const c of configs) await (await esbuild.context(c)).watch();
} else {
  pruneOut();
  if (production) rmSync('dist', { recursive: true, force: true });
  const started = Date.now();
  await Promise.all(configs.map((c) => esbuild.build(c)));
  console.log(`[build] dist/ and out/ in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
