import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { discoverTemplates, loadTemplate } from '../core/model';
import type { TemplateModel } from '../core/model/types';
import { type Io, UsageError } from './io';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** The options every command takes (CLI.md): where the templates are, and machine output. */
export const COMMON_OPTIONS = {
  template: { type: 'string', multiple: true },
  root: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies OptionSpec;

export interface CommonOptions {
  /** --template values, absolute; empty means discover under root. */
  templates: string[];
  /** --root, absolute; the current directory by default. */
  root: string;
  json: boolean;
}

export interface ParsedOptions {
  common: CommonOptions;
  /** Every option's value, the command's own included, by long name. */
  values: OptionValues;
  positionals: string[];
}

/**
 * Parses a command's arguments: the common options plus `extra`. Anything unknown or malformed is a
 * UsageError (exit 2), named the way the user typed it.
 */
export function parseOptions(args: string[], extra: OptionSpec = {}, opts: { positionals?: boolean; cwd?: string } = {}): ParsedOptions {
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: { ...COMMON_OPTIONS, ...extra }, strict: true, allowPositionals: opts.positionals ?? false }) as typeof parsed;
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
  const cwd = opts.cwd ?? process.cwd();
  const { values } = parsed;
  const templates = (values.template as string[] | undefined) ?? [];
  return {
    common: {
      templates: templates.map((t) => resolve(cwd, t)),
      root: resolve(cwd, typeof values.root === 'string' ? values.root : '.'),
      json: values.json === true,
    },
    values,
    positionals: parsed.positionals,
  };
}

/** The templates a command works on: the --template paths as given, else those discovered under --root. */
export async function templatePaths(common: CommonOptions): Promise<string[]> {
  if (common.templates.length > 0) return common.templates;
  const stat = await fs.stat(common.root).catch(() => undefined);
  if (!stat?.isDirectory()) throw new UsageError(`--root ${common.root} is not a folder`);
  return discoverTemplates([common.root]);
}

/**
 * The templates the common options select, loaded, with their errors on stderr, and the warnings
 * about how their YAML was read (a duplicate key SAM ignores, a flow collection only SAM accepts):
 * what a run reads from the template there differs from what other YAML tools would.
 */
export async function loadTemplates(common: CommonOptions, io: Io): Promise<TemplateModel[]> {
  const models = await Promise.all((await templatePaths(common)).map((p) => loadTemplate(p)));
  for (const m of models) {
    for (const p of m.problems) {
      const where = `${m.path}:${p.range.start.line + 1}:${p.range.start.column + 1}`;
      if (p.severity === 'error') io.err(`${where}: ${p.message}`);
      else if (p.code.startsWith('yaml-')) io.err(`${where}: warning: ${p.message}`);
    }
  }
  return models;
}
