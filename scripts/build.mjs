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

/**
 * Heavy dependencies live in their own bundles under dist/vendor/ and load on first use: the
 * product imports them with `await import(...)`, and this plugin points those imports at the
 * vendor file instead of inlining the package. Activation then never reads them.
 */
const VENDOR = {
  dockerode: ['docker', null],
  '@aws-sdk/client-lambda': ['aws', 'clientLambda'],
  '@aws-sdk/client-s3': ['aws', 'clientS3'],
  '@aws-sdk/client-ecr': ['aws', 'clientEcr'],
  '@aws-sdk/client-iam': ['aws', 'clientIam'],
  '@aws-sdk/client-sts': ['aws', 'clientSts'],
  '@aws-sdk/credential-providers': ['aws', 'credentialProviders'],
};
const vendorSplit = {
  name: 'vendor-split',
  setup(build) {
    const names = Object.keys(VENDOR).map((n) => n.replace(/[/\\-]/g, '\\$&'));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({ path: args.path, namespace: 'vendor' }));
    build.onResolve({ filter: /^\.\/vendor\// }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'vendor' }, (args) => {
      const [file, key] = VENDOR[args.path];
      const target = `require('./vendor/${file}.js')`;
      return { contents: `module.exports = ${key ? `${target}.${key}` : target};`, loader: 'js', resolveDir: '.' };
    });
  },
};

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
  { ...common, define, plugins: [vendorSplit], entryPoints: { extension: 'src/extension/main.ts' }, outdir: 'dist' },
  { ...common, define, plugins: [vendorSplit], entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: { 'vendor/aws': 'src/vendor/aws.ts', 'vendor/docker': 'src/vendor/docker.ts' }, outdir: 'dist' },
  {
    // test/fixtures holds users' sample code (templates and handlers), not tests.
    entryPoints: [...tsFiles('src'), ...tsFiles('test').filter((f) => !f.startsWith(join('test', 'fixtures')))],
    define,
    // Per-file CommonJS output: import() of a relative module must become require(), since Node's
    // ESM loader would not add the .js extension.
    supported: { 'dynamic-import': false },
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
