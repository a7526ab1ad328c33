import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isScalar } from 'yaml';
import type { TemplateContext } from './context';
import { readYaml } from './document';
import { EXPANSION_FACTOR } from './expansion';
import { isFunctionType, readFunction } from './functions';
import { readGlobalFunctionProps } from './globals';
import { globalApiResources, isHttpResourceType, readGlobalApiProps, readHttpResource } from './httpResources';
import { isLayerType, readLayer } from './layers';
import { NodeReader } from './nodes';
import { START_OF_FILE } from './ranges';
import { readParameterDefaults } from './resolve';
import { resourceEntries } from './resource';
import type { LayerSpec, Position, SourceRange, TemplateModel } from './types';

/**
 * The typed model of one template. Pure given `text` (reads the file only when it is not given), so
 * an editor can re-parse unsaved text on every change. Never throws: anything wrong with the file
 * is a located problem in the model, and every resource that can be read still is.
 */
export function parseTemplate(path: string, text?: string): TemplateModel {
  const absolute = resolve(path);
  const model: TemplateModel = { path: absolute, functions: [], layers: [], httpResources: [], problems: [] };
  if (text === undefined) {
    try {
      text = readFileSync(absolute, 'utf8');
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message;
      model.problems.push({ message: `Cannot read the template: ${reason}.`, range: START_OF_FILE, severity: 'error', code: 'template-unreadable' });
      return model;
    }
  }
  try {
    readInto(model, text);
  } catch (err) {
    // A bug here must not take the editor or a CI run down with it: say so where the user looks.
    model.problems.push({ message: `Lambda Workbench could not read this template: ${(err as Error).message}`, range: START_OF_FILE, severity: 'error', code: 'internal-error' });
  }
  return model;
}

function readInto(model: TemplateModel, text: string): void {
  const src = readYaml(text);
  model.problems.push(...src.problems);
  const reader = new NodeReader(src);
  try {
    readResources(model, reader);
    dropEchoesOfSyntaxErrors(model);
  } finally {
    const where = reader.budget.exceededAt;
    if (where) {
      model.problems.push({
        message:
          `Reading stopped here: with its YAML aliases, merge keys and Globals, this template repeats values to more than ${EXPANSION_FACTOR} times its own size. ` +
          'Values from here on were not read. Repeat fewer large values: give each function its own, or use fewer nested aliases.',
        range: where,
        severity: 'error',
        code: 'alias-limit',
      });
    }
  }
}

function readResources(model: TemplateModel, reader: NodeReader): void {
  const root = reader.resolve(reader.root);
  if (root === null || (isScalar(root) && root.value === null)) {
    model.problems.push({ message: 'The template is empty: add a Resources section.', range: START_OF_FILE, severity: 'warning', code: 'template-empty' });
    return;
  }
  if (!reader.isMap(root)) {
    model.problems.push({ message: 'A template must be a mapping with a Resources section.', range: reader.range(root), severity: 'error', code: 'template-not-a-map' });
    return;
  }
  const resourcesEntry = reader.get(root, 'Resources');
  if (!resourcesEntry) {
    const looksLikeCfn = reader.get(root, 'AWSTemplateFormatVersion') || reader.get(root, 'Transform');
    model.problems.push({
      message: looksLikeCfn ? 'The template has no Resources section: add one with your functions.' : 'This file does not look like a SAM template (it has no Resources section).',
      range: START_OF_FILE,
      severity: looksLikeCfn ? 'error' : 'warning',
      code: 'resources-missing',
    });
    return;
  }
  if (!reader.isMap(resourcesEntry.value)) {
    model.problems.push({ message: 'Resources must be a mapping of logical ids to resources.', range: reader.range(resourcesEntry.value ?? resourcesEntry.keyNode), severity: 'error', code: 'invalid-type' });
    return;
  }

  const parametersNode = reader.get(root, 'Parameters')?.value ?? null;
  const ctx: TemplateContext = {
    path: model.path,
    dir: dirname(model.path),
    reader,
    problems: model.problems,
    parameters: readParameterDefaults(reader, parametersNode),
    parameterNames: new Set(reader.entries(parametersNode).map((e) => e.key)),
    resourceTypes: new Map(),
  };
  const resources = resourceEntries(ctx, resourcesEntry.value);
  ctx.resourceTypes = new Map(resources.map((r) => [r.logicalId, r.type]));

  // Layers first, so a function's !Ref to one resolves wherever the layer stands in the file.
  const layers = new Map<string, LayerSpec>();
  for (const res of resources) {
    if (!isLayerType(res.type)) continue;
    const typed = { ...res, type: res.type };
    const layer = reader.reading(res.keyNode, res.node, () => readLayer(ctx, typed));
    layers.set(layer.logicalId, layer);
    model.layers.push(layer);
  }
  const globalsNode = reader.get(root, 'Globals')?.value ?? null;
  const globals = readGlobalFunctionProps(reader, globalsNode);
  const apiGlobals = readGlobalApiProps(reader, globalsNode);
  model.httpResources.push(...globalApiResources(ctx, apiGlobals));
  for (const res of resources) {
    if (isFunctionType(res.type)) {
      const typed = { ...res, type: res.type };
      model.functions.push(reader.reading(res.keyNode, res.node, () => readFunction(ctx, typed, globals, layers)));
    } else if (isHttpResourceType(res.type)) {
      model.httpResources.push(reader.reading(res.keyNode, res.node, () => readHttpResource(ctx, res, apiGlobals)));
    } else if (res.type === '' && reader.isMap(res.node)) {
      ctx.problems.push({ message: `Resource ${res.logicalId} has no Type.`, range: reader.range(res.keyNode), severity: 'error', code: 'resource-type-missing' });
    }
  }
}

/**
 * A resource broken by a YAML syntax error also reads as missing or mistyped properties; those
 * echoes would bury the real cause, so only the syntax error is kept for that resource.
 */
function dropEchoesOfSyntaxErrors(model: TemplateModel): void {
  const syntax = model.problems.filter((p) => p.code === 'yaml-syntax');
  if (syntax.length === 0) return;
  const broken = [...model.functions, ...model.layers]
    .map((r) => r.ranges.resource)
    .filter((range) => syntax.some((p) => contains(range, p.range.start)));
  const kept = model.problems.filter((p) => p.code.startsWith('yaml') || p.code === 'unknown-tag' || !broken.some((range) => contains(range, p.range.start)));
  model.problems.splice(0, model.problems.length, ...kept);
}

function contains(range: SourceRange, pos: Position): boolean {
  const after = pos.line > range.start.line || (pos.line === range.start.line && pos.column >= range.start.column);
  const before = pos.line < range.end.line || (pos.line === range.end.line && pos.column <= range.end.column);
  return after && before;
}
