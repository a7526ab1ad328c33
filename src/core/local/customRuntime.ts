import { statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors';
import type { FunctionSpec } from '../model/types';

// The OS-only runtimes (provided, provided.al2, provided.al2023) have no language runtime: the
// function's own executable named bootstrap is the runtime. Lambda runs the one in the function's
// package (/var/task/bootstrap), else one a layer brings (/opt/bootstrap), with no arguments; the
// base image's entrypoint plays no part (the AWS provided images have no /var/runtime/bootstrap).
// So a local run picks it the same way, from the folders it mounts, and runs it directly.

/** The container's entrypoint for a custom runtime's zip function: the bootstrap Lambda would run. */
export function customRuntimeEntrypoint(fn: FunctionSpec, codeDir: string, layerFolders: readonly string[]): string[] {
  if (isFile(join(codeDir, 'bootstrap'))) return ['/var/task/bootstrap'];
  if (layerFolders.some((dir) => isFile(join(dir, 'bootstrap')))) return ['/opt/bootstrap'];
  throw new UserError(
    `${fn.logicalId} runs on ${fn.runtime}, whose runtime is the function's own executable named bootstrap, and there is none: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap] (as Lambda would say).`,
    'Build the function (Metadata.BuildMethod go1.x, rust-cargolambda or makefile names how), or put an executable named bootstrap at the top of its code folder or of a layer.',
    'bootstrap-missing',
  );
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
