import { CancelledError } from '../../cancel';
import { missingToolchain, type Toolchain } from '../toolchains';
import { findOnPath, ToolNotFoundError, type ToolResult, type ToolRun } from '../tools';
import type { BuildContext } from '../types';

/**
 * Runs one toolchain command of a build with its output going to the build log, in the settings'
 * environment plus the builder's own variables (which win). A missing command
 * becomes the toolchain's "how to get it" error, a cancelled one a CancelledError; the exit code is
 * the caller's to judge.
 */
export async function runStep(ctx: BuildContext, toolchain: Toolchain, run: Omit<ToolRun, 'env'> & { env?: Record<string, string> }): Promise<ToolResult & { code: number }> {
  let result: ToolResult;
  try {
    result = await ctx.tools({ ...run, env: { ...ctx.settings.env, ...run.env } }, { token: ctx.token, onLine: ctx.log });
  } catch (err) {
    if (err instanceof ToolNotFoundError) throw missingToolchain(toolchain, ctx.unit, `no ${err.command} on PATH`);
    throw err;
  }
  if (result.code === null) throw new CancelledError('the build');
  return result as ToolResult & { code: number };
}

/** A command on the PATH the build runs with (its own environment's PATH when it sets one). */
export function findTool(ctx: BuildContext, ...names: string[]): string | undefined {
  const env = { ...process.env, ...ctx.settings.env };
  for (const name of names) {
    const found = findOnPath(name, env);
    if (found) return found;
  }
  return undefined;
}
