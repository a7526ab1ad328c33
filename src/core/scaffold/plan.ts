import { dirname, join, posix } from 'node:path';
import { UserError } from '../errors';
import { CLI_SOURCES, type SettingSources } from '../sources';
import { sampleEventFileName, sampleEventsFolder, serializeSampleEvent, buildSampleEvent } from '../events/catalog';
import { codeFolder, testDirFor } from './code';
import type { CodeContext } from './code/types';
import type { CreateFile, UpdateFile } from './edits';
import { existingNames, samGeneratedIds, type ExistingNames } from './existing';
import { functionNameProblem, logicalIdFor } from './names';
import { resolveRequest, ScaffoldInputError, type NewFunctionRequest, type ResolvedFunction } from './request';
import { sourceScaffold } from './sources';
import type { SourceWiring, WiringContext } from './sources/types';
import { LAMBDA_DEFAULT_TIMEOUT_SECONDS, newTemplateText } from './template/base';
import { functionResource } from './template/function';
import { insertIntoTemplate, parseTemplate } from './template/insert';
import { emptyAdditions, type TemplateAdditions } from './template/values';

/** The project as the planner sees it; reading it is the caller's business (see readProject). */
export interface ProjectSnapshot {
  /** Absolute path of the template the function goes into; created when it does not exist. */
  templatePath: string;
  /** The template's current text; undefined when there is no template yet. */
  templateText: string | undefined;
  /** Whether a file or folder exists at an absolute path. */
  exists(absPath: string): boolean;
}

export interface ScaffoldPlan {
  function: ResolvedFunction;
  templatePath: string;
  templateCreated: boolean;
  /** Absolute paths. */
  codeDir: string;
  handlerFile: string;
  testFile: string;
  sampleEventFile: string;
  /** Everything to write, in order; nothing has been written yet. */
  edits: (CreateFile | UpdateFile)[];
  /** How to run the generated unit test: in codeDir, after `npm install` / module download when needsInstall. */
  test: { command: string; args: string[]; cwd: string; needsInstall: boolean };
  /** What the person should know next (installs, deploy parameters, permissions). */
  notes: string[];
}

/**
 * Works out every file a new function needs and the template change, validating names first.
 * Pure: it reads nothing but `project`, and writes nothing (see applyEdits).
 */
export function planNewFunction(request: NewFunctionRequest, project: ProjectSnapshot, sources: Pick<SettingSources, 'anotherCodeFolder'> = CLI_SOURCES): ScaffoldPlan {
  const fn = resolveRequest(request);
  const templateDir = dirname(project.templatePath);
  const before = project.templateText;
  const doc = before === undefined ? undefined : parseTemplate(before, project.templatePath);
  const existing = existingNames(doc);

  const ctx: WiringContext = {
    logicalId: fn.logicalId,
    name: fn.name,
    timeoutSeconds: before === undefined ? 10 : (existing.globalsTimeout ?? LAMBDA_DEFAULT_TIMEOUT_SECONDS),
  };
  const source = sourceScaffold(fn.event.id);
  const wiring = source.wiring(ctx);
  const resource = functionResource(fn, wiring);
  checkNamesFree(fn, wiring, resource, existing, project.templatePath);

  const codeDirAbs = join(templateDir, ...fn.codeDir.split('/'));
  const usedBy = existing.codeDirs.get(fn.codeDir);
  if (usedBy) throw new ScaffoldInputError('dir', `Folder ${fn.codeDir} is already the code of ${usedBy}.`, sources.anotherCodeFolder);
  if (project.exists(codeDirAbs)) throw new ScaffoldInputError('dir', `Folder ${codeDirAbs} already exists.`, sources.anotherCodeFolder);

  const sample = source.sample(ctx);
  const sampleRel = `${sampleEventsFolder(fn.logicalId)}/${sampleEventFileName(sample.name, fn.event.sampleType)}`;
  const sampleAbs = join(templateDir, ...sampleRel.split('/'));
  if (project.exists(sampleAbs)) {
    throw new ScaffoldInputError('name', `Sample event ${sampleAbs} already exists.`, 'Choose another name, or move the old events folder away.');
  }

  const testDirRel = posix.join(fn.codeDir, testDirFor(fn));
  const codeCtx: CodeContext = {
    source: fn.event.id,
    name: fn.name,
    logicalId: fn.logicalId,
    eventFromTest: posix.relative(testDirRel, sampleRel),
    sample: sample.params,
    sampleEvent: serializeSampleEvent(buildSampleEvent(fn.event.sampleType, sample.params)),
  };
  const folder = codeFolder(fn, codeCtx);

  const additions = templateAdditions(fn, wiring, resource);
  const base = before ?? newTemplateText(`${fn.name}: an AWS Lambda function and its event source`);
  const inserted = insertIntoTemplate(base, additions, project.templatePath);

  const edits: (CreateFile | UpdateFile)[] = folder.files.map((f) => ({ kind: 'create', path: join(codeDirAbs, ...f.path.split('/')), content: f.content }));
  edits.push({ kind: 'create', path: sampleAbs, content: codeCtx.sampleEvent });
  edits.push(
    before === undefined
      ? { kind: 'create', path: project.templatePath, content: inserted.text }
      : { kind: 'update', path: project.templatePath, before, content: inserted.text, change: inserted.change },
  );

  return {
    function: fn,
    templatePath: project.templatePath,
    templateCreated: before === undefined,
    codeDir: codeDirAbs,
    handlerFile: join(codeDirAbs, ...folder.handlerFile.split('/')),
    testFile: join(codeDirAbs, ...folder.testFile.split('/')),
    sampleEventFile: sampleAbs,
    edits,
    test: { ...folder.test, cwd: codeDirAbs },
    notes: [...languageNotes(fn), ...(wiring.notes ?? [])],
  };
}

/**
 * Checks a name as it is typed (an input box's validateInput): Lambda's rule, the logical id not
 * taken in the template (by a resource or by an id SAM generates), and the default folder free.
 * The full check, which also knows the event source's companion resources, is planNewFunction.
 */
export function newFunctionNameProblem(name: string, project: ProjectSnapshot): string | undefined {
  const problem = functionNameProblem(name);
  if (problem) return problem;
  let existing: ExistingNames;
  try {
    existing = existingNames(project.templateText === undefined ? undefined : parseTemplate(project.templateText, project.templatePath));
  } catch (err) {
    if (err instanceof UserError) return err.message;
    throw err;
  }
  const id = logicalIdFor(name);
  if (existing.resources.has(id)) return `The template already has a resource ${id}.`;
  const generated = existing.generated.get(id);
  if (generated) return `${id} is ${generated}.`;
  if (project.exists(join(dirname(project.templatePath), name))) return `Folder ${name} already exists next to the template.`;
  return undefined;
}

function templateAdditions(fn: ResolvedFunction, wiring: SourceWiring, resource: Record<string, unknown>): TemplateAdditions {
  const additions = emptyAdditions();
  additions.entries.Resources = { [fn.logicalId]: resource, ...(wiring.resources ?? {}) };
  additions.entries.Parameters = { ...(wiring.parameters ?? {}) };
  additions.entries.Outputs = { ...(wiring.outputs ?? {}) };
  additions.comments = [...(wiring.comments ?? [])];
  return additions;
}

function checkNamesFree(
  fn: ResolvedFunction,
  wiring: SourceWiring,
  resource: Record<string, unknown>,
  existing: ExistingNames,
  templatePath: string,
): void {
  const taken = (id: string): string | undefined =>
    existing.resources.has(id) ? `a resource in ${templatePath}` : existing.generated.get(id);
  const own = taken(fn.logicalId);
  if (own) {
    throw new ScaffoldInputError('name', `Logical id ${fn.logicalId} (from '${fn.name}') is already ${own}.`, 'Choose another name.');
  }
  const props = (resource.Properties ?? {}) as Record<string, unknown>;
  const companions = [...Object.keys(wiring.resources ?? {}), ...samGeneratedIds(fn.logicalId, props)];
  for (const id of companions) {
    const by = taken(id);
    if (by) {
      throw new ScaffoldInputError('name', `The new function would add ${id}, which is already ${by}.`, 'Choose another name.');
    }
  }
  for (const [section, names] of [
    ['Parameters', existing.parameters],
    ['Outputs', existing.outputs],
  ] as const) {
    const entries = section === 'Parameters' ? wiring.parameters : wiring.outputs;
    for (const id of Object.keys(entries ?? {})) {
      if (names.has(id)) throw new ScaffoldInputError('name', `${section} already has ${id} in ${templatePath}.`, 'Choose another name.');
    }
  }
}

function languageNotes(fn: ResolvedFunction): string[] {
  const notes: string[] = [];
  if (fn.language === 'ts') notes.push(`Run npm install in ${fn.codeDir} before npm test or sam build (esbuild and the type packages).`);
  if (fn.language === 'java') notes.push(`Building needs Maven and a JDK ${fn.runtime.javaRelease} or later; mvn test in ${fn.codeDir} runs the unit tests.`);
  if (fn.language === 'go') notes.push(`Building needs Go 1.22 or later; go test ./... in ${fn.codeDir} runs the unit tests.`);
  if (fn.language === 'rust') notes.push(`Building needs Rust (cargo), and Cargo Lambda for the other architecture than this machine's; cargo test in ${fn.codeDir} runs the unit tests.`);
  if (fn.packageType === 'Image') notes.push('The image builds with Docker from the Dockerfile in the code folder.');
  return notes;
}
