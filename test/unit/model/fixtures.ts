import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FunctionSpec, LayerSpec, TemplateModel, TemplateProblem } from '../../../src/core/model/types';

/** The repository root, from out/test/unit/model. */
export const ROOT = join(__dirname, '..', '..', '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'templates');

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

export function fn(model: TemplateModel, logicalId: string): FunctionSpec {
  const found = model.functions.find((f) => f.logicalId === logicalId);
  assert.ok(found, `${logicalId} is among ${model.functions.map((f) => f.logicalId).join(', ')}`);
  return found;
}

export function layer(model: TemplateModel, logicalId: string): LayerSpec {
  const found = model.layers.find((l) => l.logicalId === logicalId);
  assert.ok(found, `${logicalId} is among ${model.layers.map((l) => l.logicalId).join(', ')}`);
  return found;
}

/** Problems as `code@line` (1-based, as a person reads the file), for compact exact assertions. */
export function problemList(model: TemplateModel | TemplateProblem[]): string[] {
  const problems = Array.isArray(model) ? model : model.problems;
  return problems.map((p) => `${p.code}@${p.range.start.line + 1}`);
}

/** Data without class identity (IntrinsicValue -> plain object), for deep-equality with literals. */
export function plain(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
