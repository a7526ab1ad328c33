import { dirname, isAbsolute, relative } from 'node:path';
import { describeValue, loadTemplate, toCfnJson } from '../../core/model';
import type { FunctionSpec, LayerRef, LayerSpec, TemplateModel, TemplateProblem } from '../../core/model/types';
import type { Io } from '../io';
import { parseOptions, templatePaths } from '../options';
import { formatTable } from '../table';

export const FUNCTIONS_USAGE = `Usage: lambda-workbench functions [--root DIR] [--template PATH]... [--json]

Lists the functions and layers in your SAM templates. Exits 1 if any template has errors.`;

/**
 * `functions`: the functions and layers of every template, with the template's problems.
 * Exit 1 when any template has an error, so CI fails on a broken template.
 */
export async function functionsCommand(args: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const { common } = parseOptions(args, {}, { cwd });
  const paths = await templatePaths(common);
  const models = await Promise.all(paths.map((p) => loadTemplate(p)));
  const failed = models.some((m) => m.problems.some((p) => p.severity === 'error'));
  if (common.json) io.out(JSON.stringify({ templates: models.map(templateJson) }, null, 2));
  else printHuman(models, io, cwd, common.root);
  return failed ? 1 : 0;
}

function templateJson(m: TemplateModel) {
  const located = (severity: TemplateProblem['severity']) =>
    m.problems
      .filter((p) => p.severity === severity)
      .map((p) => ({ message: p.message, line: p.range.start.line + 1, column: p.range.start.column + 1, code: p.code }));
  return {
    path: m.path,
    functions: m.functions.map(functionJson),
    layers: m.layers.map(layerJson),
    errors: located('error'),
    warnings: located('warning'),
  };
}

function functionJson(f: FunctionSpec) {
  return {
    logicalId: f.logicalId,
    functionName: f.functionName ?? null,
    runtime: f.runtime ?? null,
    handler: f.handler ?? null,
    codeUri: f.codeUri ?? null,
    architecture: f.architecture,
    memorySize: f.memorySize,
    timeout: f.timeout,
    packageType: f.packageType,
    layers: f.layers.map(layerRefJson),
    events: f.events.map((e) => ({ name: e.name, type: e.type, properties: toCfnJson(e.properties) })),
    resourceType: f.resourceType,
    functionNameExpression: f.functionNameExpression ? toCfnJson(f.functionNameExpression) : null,
    imageUri: f.imageUri ?? null,
    conditional: f.conditional,
  };
}

function layerRefJson(ref: LayerRef) {
  if (ref.kind === 'local') return { kind: ref.kind, logicalId: ref.logicalId, contentUri: ref.layer.contentUri ?? null };
  if (ref.kind === 'arn') return { kind: ref.kind, arn: ref.arn };
  return { kind: ref.kind, expression: toCfnJson(ref.expression) };
}

function layerJson(l: LayerSpec) {
  return {
    logicalId: l.logicalId,
    contentUri: l.contentUri ?? null,
    layerName: l.layerName ?? null,
    resourceType: l.resourceType,
    compatibleRuntimes: l.compatibleRuntimes,
    compatibleArchitectures: l.compatibleArchitectures,
  };
}

function printHuman(models: TemplateModel[], io: Io, cwd: string, root: string): void {
  const shown = (p: string, from = cwd): string => {
    const rel = relative(from, p);
    return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? p : rel;
  };
  if (models.length === 0) {
    io.out(`No template.yaml or template.yml under ${shown(root)}.`);
    return;
  }
  const blocks: string[] = [];
  for (const m of models) {
    // Code folders read best from the template that names them, as they are written there.
    const local = (p: string): string => shown(p, dirname(m.path));
    const lines = [shown(m.path)];
    if (m.functions.length > 0) {
      const rows = m.functions.map((f) => [
        f.logicalId,
        f.packageType === 'Image' ? 'image' : (f.runtime ?? '-'),
        f.handler ?? '-',
        `${f.memorySize} MB`,
        `${f.timeout} s`,
        f.architecture,
        f.packageType === 'Image' ? (f.image ? local(f.image.dockerfile) : (f.imageUri ?? '-')) : code(f, local),
        f.layers.map(layerRefText).join(', ') || '-',
        f.events.map((e) => `${e.name} (${e.type})`).join(', ') || '-',
      ]);
      lines.push(formatTable(['FUNCTION', 'RUNTIME', 'HANDLER', 'MEMORY', 'TIMEOUT', 'ARCH', 'CODE', 'LAYERS', 'EVENTS'], rows, '  '));
    }
    if (m.layers.length > 0) {
      const rows = m.layers.map((l) => [l.logicalId, l.layerName ?? '-', l.contentUri ? local(l.contentUri) : l.s3Content ? `s3://${l.s3Content.bucket}/${l.s3Content.key}` : '-', l.compatibleRuntimes.join(', ') || '-']);
      lines.push(formatTable(['LAYER', 'NAME', 'CONTENT', 'RUNTIMES'], rows, '  '));
    }
    if (m.functions.length === 0 && m.layers.length === 0) lines.push('  no functions or layers');
    blocks.push(lines.join('\n'));
    for (const p of m.problems) {
      io.err(`${shown(m.path)}:${p.range.start.line + 1}:${p.range.start.column + 1}: ${p.severity}: ${p.message}`);
    }
  }
  const functions = models.reduce((n, m) => n + m.functions.length, 0);
  const layers = models.reduce((n, m) => n + m.layers.length, 0);
  blocks.push(`${plural(functions, 'function')} and ${plural(layers, 'layer')} in ${plural(models.length, 'template')}.`);
  io.out(blocks.join('\n\n'));
}

function code(f: FunctionSpec, shown: (p: string) => string): string {
  if (f.inlineCode !== undefined) return 'inline';
  if (f.codeUri !== undefined) return shown(f.codeUri);
  if (f.s3Code) return `s3://${f.s3Code.bucket}/${f.s3Code.key}`;
  return '-';
}

function layerRefText(ref: LayerRef): string {
  if (ref.kind === 'local') return ref.logicalId;
  if (ref.kind === 'arn') return ref.arn;
  return describeValue(ref.expression);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
