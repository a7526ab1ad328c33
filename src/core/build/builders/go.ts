// Go (BuildMethod go1.x): `go build` for Linux on the function's CPU, cgo off so the binary needs
// nothing from the runtime's libc, named bootstrap on the provided runtimes (the custom runtime's
// entry point) and after the Handler on the old go1.x runtime, as SAM names it.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Architecture } from '../../model/types';
import { missingToolchain, toolFailed } from '../toolchains';
import type { Builder, BuildContext } from '../types';
import { findTool, runStep } from './step';

const GOARCH: Readonly<Record<Architecture, string>> = { x86_64: 'amd64', arm64: 'arm64' };

export const goBuilder: Builder = {
  id: 'go-modules',
  manifests: ['go.mod', 'go.sum'],
  excludes: [],
  // Debug Locally's artifact: optimisations and inlining off, and the sources' own paths kept, so
  // Delve's breakpoints bind to the files on this machine.
  debugArtifact: true,
  options: (unit) => ({ trimGoPath: unit.properties.TrimGoPath === true || unit.properties.TrimGoPath === 'true', debug: unit.debug === true }),
  async build(ctx) {
    const { unit } = ctx;
    const go = findTool(ctx, 'go');
    if (!go) throw missingToolchain('go', unit, 'no go on PATH');
    const output = join(ctx.staging, binaryName(ctx));
    const opts = goBuilder.options(unit, ctx.settings) as { trimGoPath: boolean; debug: boolean };
    const flags = opts.debug ? ['-gcflags=all=-N -l'] : opts.trimGoPath ? ['-trimpath'] : [];
    const args = ['build', ...flags, '-o', output];
    const env = { GOOS: 'linux', GOARCH: GOARCH[unit.architecture], CGO_ENABLED: ctx.settings.env?.CGO_ENABLED ?? '0' };
    ctx.log(`go: building for linux/${env.GOARCH} (CGO_ENABLED=${env.CGO_ENABLED})${opts.debug ? ' for the debugger' : ''}`);
    let result = await runStep(ctx, 'go', { command: go, args: [...args, '.'], cwd: unit.codeDir, env });
    // SAM's second try: the package in the folder the Handler names, when the code folder has none.
    const handlerDir = unit.handler ? join(unit.codeDir, unit.handler) : undefined;
    if (result.code !== 0 && handlerDir && existsSync(handlerDir) && statSync(handlerDir).isDirectory()) {
      ctx.log(`go: no package in the code folder; building ./${unit.handler}`);
      result = await runStep(ctx, 'go', { command: go, args: [...args, `./${unit.handler}`], cwd: unit.codeDir, env });
    }
    if (result.code !== 0) throw toolFailed(unit, 'go build', result.tail, 'Fix the error above, then build again.');
  },
};

function binaryName(ctx: BuildContext): string {
  const { unit } = ctx;
  return unit.runtime === 'go1.x' && unit.handler ? unit.handler : 'bootstrap';
}
