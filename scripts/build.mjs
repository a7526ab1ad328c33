// Builds the extension and the CLI into dist/ (bundled), and the tests into out/ (transpiled
// file by file, so mocha can load them). Type checking is its own step: `npm run typecheck`.
//   node scripts/build.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
/**
 * The names each vendor module exports, read from the package itself: an ES module chunk that
 * stands for a CommonJS vendor bundle must name its exports for `const { X } = await import(...)`.
 */
const vendorExports = (pkg) => Object.keys(createRequire(import.meta.url)(pkg)).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');

const vendorSplitFrom = (dir, esm = false) => ({
  name: 'vendor-split',
  setup(build) {
    const names = Object.keys(VENDOR).map((n) => n.replace(/[/\\-]/g, '\\$&'));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({ path: args.path, namespace: 'vendor' }));
    build.onResolve({ filter: /^\.\.?\/vendor\// }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'vendor' }, (args) => {
      const [file, key] = VENDOR[args.path];
      const target = `require('${dir}/vendor/${file}.js')`;
      const value = key ? `${target}.${key}` : target;
      if (!esm) return { contents: `module.exports = ${value};`, loader: 'js', resolveDir: '.' };
      const named = key ? vendorExports(args.path).map((n) => `export const ${n} = m.${n};`) : [];
      // A bundle of an ES module (dockerode's re-export) carries its default export under .default.
      return { contents: [`const m = ${value};`, 'export default m && m.__esModule ? m.default : m;', ...named].join('\n'), loader: 'js', resolveDir: '.' };
    });
  },
});
const vendorSplit = vendorSplitFrom('.');

/**
 * The parts of dockerode only some engines need, in bundles of their own that load on first use:
 * docker-modem's ssh:// transport (ssh2 and its crypto), dockerode's BuildKit session (gRPC and
 * protobuf) and its BuildKit progress reader (protobuf). Every command that talks to a local engine
 * used to read and compile them: more than two thirds of dist/vendor/docker.js.
 */
const DOCKER_DEFERRED = {
  'vendor/docker-ssh': 'node_modules/docker-modem/lib/ssh.js',
  'vendor/docker-session': 'node_modules/dockerode/lib/session.js',
  'vendor/docker-buildkit': 'node_modules/dockerode/lib/buildkit.js',
};
const deferDockerParts = {
  name: 'defer-docker-parts',
  setup(build) {
    const call = (file, name = '') => `function () { return require('./${file}.js')${name}.apply(this, arguments); }`;
    // session.js and ssh.js export a function; buildkit.js an object of one.
    const stub = (file) => ({ contents: file === 'docker-buildkit' ? `module.exports = { followProgress: ${call(file, '.followProgress')} };` : `module.exports = ${call(file)};`, loader: 'js' });
    build.onResolve({ filter: /^\.\/ssh$/ }, (args) => (/docker-modem[\\/]lib$/.test(args.resolveDir) ? { path: 'docker-ssh', namespace: 'deferred' } : undefined));
    build.onResolve({ filter: /^\.\/(session|buildkit)$/ }, (args) => (/dockerode[\\/]lib$/.test(args.resolveDir) ? { path: `docker-${args.path.slice(2)}`, namespace: 'deferred' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'deferred' }, (args) => stub(args.path));
    // docker-modem formats every request's options with util.inspect (hidden properties, no depth
    // limit) for a debug line that is off unless DEBUG=modem: its first call, on the path of every
    // new process's first engine request, costs about 15 ms. It is formatted only when that line is on.
    build.onLoad({ filter: /docker-modem[\\/]lib[\\/]modem\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const call = "debug('Sending: %s', util.inspect(options, {";
      if (!source.includes(call)) throw new Error(`docker-modem's request logging changed (${args.path}): review the defer-docker-parts plugin in scripts/build.mjs`);
      return { contents: source.replace(call, `if (debug.enabled) ${call}`), loader: 'js' };
    });
    // Beside dist/vendor/docker.js, read when first called.
    build.onResolve({ filter: /^\.\/docker-(ssh|session|buildkit)\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * The CLI starts fast: ES modules split into chunks, so `--version` and `--help` load only the
 * dispatcher and each command loads its own code (and what it shares with others) when it runs.
 * Bundled CommonJS packages call require(): each chunk gets one. dist/cli.js stays the bin: it
 * turns on Node's compile cache where Node has one and loads the entry chunk.
 */
const CLI_REQUIRE = "import { createRequire as __lwbRequire } from 'node:module'; const require = __lwbRequire(import.meta.url);";
const CLI_BIN = `#!/usr/bin/env node
// Generated by scripts/build.mjs: the bin of the command-line tool (its code is in cli/).
require('node:module').enableCompileCache?.();
import('./cli/cli.mjs').catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
`;

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
  {
    ...common,
    define,
    format: 'esm',
    splitting: true,
    plugins: [vendorSplitFrom('..', true)],
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist/cli',
    outExtension: { '.js': '.mjs' },
    chunkNames: '[name]-[hash]',
    banner: { js: CLI_REQUIRE },
  },
  { ...common, plugins: [deferDockerParts], entryPoints: { 'vendor/aws': 'src/vendor/aws.ts', 'vendor/docker': 'src/vendor/docker.ts' }, outdir: 'dist' },
  { ...common, entryPoints: DOCKER_DEFERRED, outdir: 'dist' },
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
  rmSync('dist/cli', { recursive: true, force: true });
  await Promise.all(configs.map((c) => esbuild.build(c)));
  mkdirSync('dist', { recursive: true });
  writeFileSync('dist/cli.js', CLI_BIN, { mode: 0o755 });
  rmSync('dist/cli.js.map', { force: true });
  console.log(`[build] dist/ and out/ in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
