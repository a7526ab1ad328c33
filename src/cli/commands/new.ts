import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describeError, UserError } from '../../core/errors';
import {
  applyEdits,
  ARCHITECTURES,
  EVENT_SOURCES,
  LANGUAGES,
  PACKAGE_TYPES,
  planNewFunction,
  readProject,
  RUNTIMES,
  ScaffoldInputError,
  type NewFunctionRequest,
  type ScaffoldPlan,
} from '../../core/scaffold';
import { UsageError, type Io } from '../io';
import { parseOptions, type CommonOptions, type OptionSpec, type ParsedOptions } from '../options';

/** `new`'s own options; --template, --root and --json are the common ones (options.ts). */
const NEW_OPTIONS = {
  name: { type: 'string' },
  runtime: { type: 'string' },
  event: { type: 'string' },
  language: { type: 'string' },
  package: { type: 'string' },
  arch: { type: 'string' },
  dir: { type: 'string' },
  list: { type: 'boolean' },
  help: { type: 'boolean' },
} as const satisfies OptionSpec;

const ids = (options: readonly { id: string; unavailable?: string }[]): string =>
  options
    .filter((o) => !o.unavailable)
    .map((o) => o.id)
    .join('|');

export const NEW_USAGE = `Usage: lambda-workbench new --name NAME --runtime RUNTIME --event EVENT [options]

Scaffolds a function into a SAM template (created when there is none): its handler, a unit test
that passes as generated, a sample event under events/<LogicalId>/, and its template resource.

Required:
  --name NAME          Lambda function name (letters, digits, - and _; up to 64)
  --runtime RUNTIME    ${ids(RUNTIMES)}
  --event EVENT        ${ids(EVENT_SOURCES)}

Options:
  --language LANG      ${ids(LANGUAGES)} (default: ts for Node.js, python, java, go for provided.al2023; rust there too)
  --package TYPE       ${ids(PACKAGE_TYPES)} (default: zip)
  --arch ARCH          ${ids(ARCHITECTURES)} (default: x86_64)
  --dir DIR            code folder, relative to the template's folder (default: the name)
  --template PATH      the template to add to (default: template.yaml or template.yml in --root)
  --root DIR           where to look for the template (default: the current directory)
  --list               print the choices above and exit
  --json               machine-readable output on stdout`;

/** `lambda-workbench new ...`: 0 when the function was written, 2 for bad arguments, 1 otherwise. */
export async function newCommand(args: string[], io: Io, cwd = process.cwd()): Promise<number> {
  let parsed: ParsedOptions;
  try {
    parsed = parseOptions(args, NEW_OPTIONS, { cwd });
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(io, `${err.message}.\n\n${NEW_USAGE}`);
    throw err;
  }
  const { common, values } = parsed;
  const text = (name: keyof typeof NEW_OPTIONS) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  if (values.help === true) {
    io.out(NEW_USAGE);
    return 0;
  }
  if (values.list === true) {
    printChoices(io, common.json);
    return 0;
  }
  const missing = (['name', 'runtime', 'event'] as const).filter((f) => text(f) === undefined);
  if (missing.length > 0) {
    return usageFailure(io, `missing ${missing.map((m) => `--${m}`).join(', ')}.\n\n${NEW_USAGE}`);
  }
  if (common.templates.length > 1) return usageFailure(io, 'new adds to one template: give --template once.');

  const request: NewFunctionRequest = {
    name: text('name') ?? '',
    runtime: text('runtime') ?? '',
    event: text('event') ?? '',
    language: text('language'),
    packageType: text('package'),
    architecture: text('arch'),
    dir: text('dir'),
  };

  let plan: ScaffoldPlan;
  try {
    plan = planNewFunction(request, await readProject(templatePathFor(common)));
  } catch (err) {
    if (err instanceof ScaffoldInputError) return usageFailure(io, describeError(err));
    return failure(io, err);
  }
  let written: string[];
  try {
    written = await applyEdits(plan.edits);
  } catch (err) {
    return failure(io, err);
  }

  if (common.json) {
    io.out(
      JSON.stringify({
        logicalId: plan.function.logicalId,
        files: written,
        template: plan.templatePath,
        templateCreated: plan.templateCreated,
        handler: plan.handlerFile,
        test: { file: plan.testFile, command: plan.test.command, args: plan.test.args, cwd: plan.test.cwd },
        sampleEvent: plan.sampleEventFile,
        notes: plan.notes,
      }),
    );
  } else {
    printSummary(io, plan, written, cwd);
  }
  return 0;
}

/** --template when given; else template.yaml or template.yml directly in --root; else a new root/template.yaml. */
function templatePathFor(common: CommonOptions): string {
  if (common.templates.length === 1) return common.templates[0];
  for (const name of ['template.yaml', 'template.yml']) {
    if (existsSync(join(common.root, name))) return join(common.root, name);
  }
  return join(common.root, 'template.yaml');
}

function usageFailure(io: Io, message: string): number {
  io.err(`lambda-workbench new: ${message}`);
  return 2;
}

function failure(io: Io, err: unknown): number {
  if (err instanceof UserError) {
    io.err(`lambda-workbench new: ${describeError(err)}`);
    return 1;
  }
  throw err;
}

function printChoices(io: Io, json: boolean): void {
  const choices = {
    runtimes: RUNTIMES.map((r) => ({ id: r.id, label: r.label, languages: r.languages })),
    events: EVENT_SOURCES.map((e) => ({ id: e.id, label: e.label, description: e.description })),
    languages: LANGUAGES.filter((l) => !l.unavailable).map((l) => ({ id: l.id, label: l.label })),
    packageTypes: PACKAGE_TYPES.map((p) => ({ id: p.id, label: p.label })),
    architectures: ARCHITECTURES.map((a) => ({ id: a.id, label: a.label })),
  };
  if (json) {
    io.out(JSON.stringify(choices));
    return;
  }
  const section = (title: string, rows: { id: string; label: string }[]) =>
    `${title}:\n${rows.map((r) => `  ${r.id.padEnd(16)} ${r.label}`).join('\n')}`;
  io.out(
    [
      section('Runtimes (--runtime)', choices.runtimes.map((r) => ({ id: r.id, label: `${r.label} [${r.languages.join(', ')}]` }))),
      section('Event sources (--event)', choices.events),
      section('Languages (--language)', choices.languages),
      section('Package types (--package)', choices.packageTypes),
      section('Architectures (--arch)', choices.architectures),
    ].join('\n\n'),
  );
}

function printSummary(io: Io, plan: ScaffoldPlan, written: string[], cwd: string): void {
  const fn = plan.function;
  const rel = (p: string) => relative(cwd, p) || '.';
  const lines = [
    `${plan.templateCreated ? 'Created' : 'Updated'} ${rel(plan.templatePath)}: ${fn.logicalId} (${fn.runtime.id}, ${fn.language}, ${fn.packageType}, ${fn.architecture}) triggered by ${fn.event.label}.`,
    ...written.filter((p) => p !== plan.templatePath).map((p) => `  + ${rel(p)}`),
    '',
    `Run its unit test: cd ${rel(plan.test.cwd)} && ${plan.test.needsInstall && plan.test.command === 'npm' ? 'npm install && ' : ''}${[plan.test.command, ...plan.test.args].join(' ')}`,
    ...plan.notes.map((n) => `Note: ${n}`),
  ];
  io.out(lines.join('\n'));
}
