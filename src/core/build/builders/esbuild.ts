// esbuild (BuildMethod esbuild): the function bundled the way SAM's esbuild build method bundles it
// (see ../esbuild/options.ts), written as the artifact. Its metafile is kept with the build's state,
// so size can say which source or package each byte of the bundle came from. The bundle is made
// from the code folder as it is, node_modules included. The key walks the sources without
// node_modules (often tens of thousands of files, and every warm invoke checks the key); what the
// bundle took from node_modules, or from outside the folder, is recorded as the build's reads and
// checked file by file (see readsFingerprint).
import { createRequire } from 'node:module';
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleFunction } from '../esbuild';
import { FileMemo } from '../fingerprint';
import type { Builder, BuildUnit } from '../types';

export const esbuildBuilder: Builder = {
  id: 'esbuild',
  manifests: ['package.json', 'package-lock.json'],
  excludes: ['node_modules'],
  // esbuild runs no code of the project's: in an untrusted workspace it is this tool's own copy
  // (the engine's loader never loads the project's there).
  runsProjectCode: false,
  quick: true,
  debugArtifact: true,
  options: (unit) => ({ properties: unit.esbuild ?? {}, debug: unit.debug === true }),
  // Which esbuild bundles: the project's own copy when it has one (its version changes the output).
  inputs: async (unit) => ({ esbuild: await projectEsbuildVersion(unit) }),
  async build(ctx) {
    const { unit } = ctx;
    const target = { logicalId: unit.logicalId, codeUri: unit.codeDir, handler: unit.handler, runtime: unit.runtime, build: { esbuild: unit.esbuild } };
    // Output paths (and a source map's paths to the sources) are relative to where the artifact
    // will be, not to the staging folder it is written in.
    const result = await bundleFunction(target, {
      token: ctx.token,
      loadEsbuild: ctx.loadEsbuild,
      outdir: ctx.artifact,
      // Debug Locally's artifact: every statement where the sources have it, and maps back to them.
      ...(unit.debug ? { sourcemap: true, minify: false } : {}),
    });
    for (const w of result.warnings) ctx.log(`esbuild: warning: ${w}`);
    for (const o of result.outputs) {
      const file = join(ctx.staging, ...o.path.split('/'));
      await fs.mkdir(dirname(file), { recursive: true });
      await fs.writeFile(file, o.contents);
    }
    ctx.log(`esbuild ${result.esbuildVersion}: ${result.outputs.map((o) => `${o.path} (${o.contents.length} bytes)`).join(', ')}`);
    return { metafile: result.metafile, reads: readsOutsideSources(Object.keys(result.metafile.inputs)) };
  },
};

/** esbuild's version by its package.json, read once per version of that file (every build check asks). */
const versions = new FileMemo((bytes) => (JSON.parse(bytes.toString('utf8')) as { version?: string }).version ?? null);

async function projectEsbuildVersion(unit: BuildUnit): Promise<string | null> {
  try {
    const manifest = createRequire(join(unit.codeDir, 'package.json')).resolve('esbuild/package.json');
    return (await versions.get(manifest)) ?? null;
  } catch {
    return null;
  }
}

/**
 * The metafile's inputs the source walk does not see: those in a node_modules folder or outside the
 * code folder (paths are relative to it, with /). Inputs of a namespace of esbuild's own
 * ("(disabled):fs", "data:...") are no files.
 */
export function readsOutsideSources(inputs: readonly string[]): string[] {
  return inputs.filter((p) => !/^\(|^[a-z][\w+.-]*:/i.test(p) && (p.startsWith('../') || p.split('/').includes('node_modules')));
}
