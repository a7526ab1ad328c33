import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { UserError } from '../../errors';
import type { BuildMetadata, FunctionSpec } from '../../model/types';

/** What esbuild reads of a function: a FunctionSpec, or a build unit made from one. */
export type EsbuildTarget = Pick<FunctionSpec, 'logicalId' | 'codeUri' | 'handler' | 'runtime'> & { build?: Pick<BuildMetadata, 'esbuild'> };
import { providedAwsSdk } from '../../model/runtimes';

/** Where esbuild would write; nothing is written there (write: false), the name only shapes output paths. */
export const VIRTUAL_OUTDIR = '.esbuild-out';

/** Extensions tried for an entry point written without one: SAM tries .ts then .js; the module variants follow. */
const ENTRY_EXTENSIONS = ['.ts', '.js', '.mts', '.mjs', '.cts', '.cjs'];

export interface BundleSettings {
  /** Source maps whatever BuildProperties say (local runs: stack traces and debuggers need them). */
  sourcemap?: boolean;
  /** Minify whatever BuildProperties say (local runs: unminified code keeps every statement a debugger can stop on). */
  minify?: boolean;
  /** Where the output goes, when it is written (local runs); source map paths are relative to it. */
  outdir?: string;
}

/**
 * The esbuild options SAM's esbuild build method uses for this function (bundle for node, outdir,
 * target es2020, format cjs and minify unless BuildProperties say otherwise), with the function's
 * BuildProperties applied, and the runtime-provided AWS SDK external.
 */
export function esbuildOptions(fn: EsbuildTarget, settings: BundleSettings = {}): BuildOptions & { entryPoints: string[]; absWorkingDir: string } {
  const codeUri = fn.codeUri;
  if (!codeUri) throw new UserError(`${fn.logicalId} has no local CodeUri to bundle.`, 'Set CodeUri to the folder with the function code.');
  const props = fn.build?.esbuild ?? {};
  const entryPoints = (props.entryPoints && props.entryPoints.length > 0 ? props.entryPoints : [handlerModule(fn)]).map((e) => resolveEntry(fn, codeUri, e));
  const external = [...(props.external ?? [])];
  // The runtime's own SDK v3 (nodejs18.x and later) is there anyway, and bundling it adds megabytes.
  if (providedAwsSdk(fn.runtime) === 'v3' && !external.includes('@aws-sdk/*')) external.push('@aws-sdk/*');
  return {
    absWorkingDir: codeUri,
    entryPoints,
    bundle: true,
    platform: 'node',
    outdir: settings.outdir ?? join(codeUri, VIRTUAL_OUTDIR),
    target: props.target ?? 'es2020',
    format: props.format ?? 'cjs',
    minify: settings.minify ?? props.minify ?? true,
    sourcemap: settings.sourcemap ?? props.sourcemap === true,
    external,
    ...(props.mainFields ? { mainFields: props.mainFields } : {}),
    ...(props.loader ? { loader: parseLoaders(fn, props.loader) } : {}),
    metafile: true,
    write: false,
    logLevel: 'silent',
  };
}

/** 'src/app.handler' -> 'src/app': SAM's default when BuildProperties name no EntryPoints. */
function handlerModule(fn: EsbuildTarget): string {
  const handler = fn.handler;
  if (!handler || !handler.includes('.')) {
    throw new UserError(`${fn.logicalId} uses BuildMethod esbuild but has no EntryPoints and no Handler to derive one from.`, 'Add Metadata.BuildProperties.EntryPoints (for example: [app.ts]).');
  }
  return handler.slice(0, handler.lastIndexOf('.'));
}

function resolveEntry(fn: EsbuildTarget, codeUri: string, entry: string): string {
  if (extname(entry) !== '' && existsSync(join(codeUri, entry))) return entry;
  for (const ext of ENTRY_EXTENSIONS) if (existsSync(join(codeUri, entry + ext))) return entry + ext;
  throw new UserError(`${fn.logicalId}: entry point '${entry}' was not found in ${codeUri}.`, 'Fix Metadata.BuildProperties.EntryPoints (paths are relative to CodeUri).');
}

/** SAM's Loader entries are '.ext=loader' strings. */
function parseLoaders(fn: EsbuildTarget, items: string[]): Record<string, NonNullable<BuildOptions['loader']>[string]> {
  const out: Record<string, NonNullable<BuildOptions['loader']>[string]> = {};
  for (const item of items) {
    const m = /^(\.[^=]+)=(\w+)$/.exec(item.trim());
    if (!m) throw new UserError(`${fn.logicalId}: Loader entry '${item}' is not of the form .ext=loader.`, "Write loaders like '.png=file'.");
    out[m[1]] = m[2] as NonNullable<BuildOptions['loader']>[string];
  }
  return out;
}
