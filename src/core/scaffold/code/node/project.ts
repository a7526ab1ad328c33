import { packageNameFor } from '../../names';
import type { ResolvedFunction } from '../../request';
import { runtimeDockerfile } from '../dockerfile';
import type { CodeContext, CodeFile, CodeFolder, HandlerSource } from '../types';
import { nodeSqs, nodeStream } from './batches';
import { nodeNotification } from './notifications';
import type { NodeFlavour } from './syntax';
import { nodeWeb } from './web';

// A Node.js function folder: TypeScript bundled by esbuild (SAM's BuildMethod esbuild), or plain
// JavaScript ES modules that need no build and no install to test.

/** Versions written into generated package.json files. */
export const NODE_DEV_DEPENDENCIES = {
  '@types/aws-lambda': '^8.10.164',
  esbuild: '^0.28.2',
  typescript: '^5.9.3',
};

/** Tests are bundled into .test-build/, a sibling of tests/, so relative paths in them still hold. */
export const TS_TEST_BUILD =
  'esbuild tests/app.test.ts --bundle --platform=node --format=esm --packages=external --outfile=.test-build/app.test.mjs --log-level=warning';

export function nodeHandler(ctx: CodeContext, ts: boolean): HandlerSource {
  const f: NodeFlavour = { ts, types: [] };
  switch (ctx.source) {
    case 'http-api':
    case 'function-url':
    case 'rest-api':
    case 'alb':
      return nodeWeb(ctx.source, f, ctx);
    case 'sqs':
      return nodeSqs(f, ctx);
    case 'dynamodb':
    case 'kinesis':
      return nodeStream(ctx.source, f, ctx);
    case 'sns':
    case 's3':
    case 'eventbridge':
    case 'schedule':
      return nodeNotification(ctx.source, f, ctx);
  }
}

export function nodeFolder(fn: ResolvedFunction, ctx: CodeContext): CodeFolder {
  const ts = fn.language === 'ts';
  const code = nodeHandler(ctx, ts);
  const nodeMajor = fn.runtime.id.replace(/^nodejs(\d+)\.x$/, '$1');
  const handlerFile = ts ? 'app.ts' : 'app.mjs';
  const testFile = ts ? 'tests/app.test.ts' : 'tests/app.test.mjs';
  const files: CodeFile[] = [
    { path: handlerFile, content: code.handler },
    { path: testFile, content: code.test },
    { path: 'package.json', content: packageJson(fn, ts, nodeMajor) },
  ];
  if (ts) {
    files.push({ path: 'tsconfig.json', content: TSCONFIG });
    files.push({ path: '.gitignore', content: 'node_modules/\n.test-build/\n' });
  }
  if (fn.packageType === 'Image') {
    files.push({ path: 'Dockerfile', content: ts ? tsDockerfile(fn) : jsDockerfile(fn) });
    files.push({ path: '.dockerignore', content: 'node_modules\n.test-build\ntests\n' });
  }
  return {
    files,
    handlerFile,
    testFile,
    testDir: 'tests',
    test: ts ? { command: 'npm', args: ['test'], needsInstall: true } : { command: 'node', args: ['--test'], needsInstall: false },
  };
}

function packageJson(fn: ResolvedFunction, ts: boolean, nodeMajor: string): string {
  const pkg = {
    name: packageNameFor(fn.name),
    version: '1.0.0',
    private: true,
    type: 'module',
    scripts: ts ? { test: `${TS_TEST_BUILD} && node --test .test-build/app.test.mjs`, typecheck: 'tsc --noEmit' } : { test: 'node --test' },
    engines: { node: `>=${nodeMajor}` },
    devDependencies: ts
      ? { ...NODE_DEV_DEPENDENCIES, '@types/node': `^${nodeMajor}.0.0` }
      : // Only for editors: the JSDoc in app.mjs names these types.
        { '@types/aws-lambda': NODE_DEV_DEPENDENCIES['@types/aws-lambda'] },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2022'],
      types: ['node'],
      strict: true,
      noEmit: true,
      isolatedModules: true,
      skipLibCheck: true,
    },
    include: ['*.ts', 'tests/**/*.ts'],
  },
  null,
  2,
)}\n`;

function tsDockerfile(fn: ResolvedFunction): string {
  const base = fn.runtime.baseImage;
  return `# Bundles app.ts with esbuild, then puts the bundle on the Lambda base image.
FROM ${base} AS build
WORKDIR /build
COPY package.json ./
RUN npm install --no-audit --no-fund
COPY app.ts ./
RUN npx esbuild app.ts --bundle --platform=node --target=${fn.runtime.esbuildTarget ?? 'node22'} --format=esm --outfile=dist/app.mjs

FROM ${base}
COPY --from=build /build/dist/app.mjs \${LAMBDA_TASK_ROOT}/
# The base image's entrypoint starts the Node.js runtime with this handler: app.mjs, export handler.
CMD ["app.handler"]
`;
}

function jsDockerfile(fn: ResolvedFunction): string {
  return runtimeDockerfile({ family: 'node', baseImage: fn.runtime.baseImage, handler: 'app.handler', handlerMeans: 'app.mjs, export handler', manifest: 'package.json', code: ['app.mjs'] });
}
