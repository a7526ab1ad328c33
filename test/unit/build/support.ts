import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ToolRunner } from '../../../src/core/build';
import { loadTemplate } from '../../../src/core/model';
import type { FunctionSpec } from '../../../src/core/model/types';
import { writeTree } from '../size/fixtures';

/** A SAM project in a temporary folder: template.yaml plus the given files. */
export function tempProject(template: string, files: Record<string, string> = {}): { dir: string; template: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'lwb-build-'));
  writeTree(dir, { 'template.yaml': template, ...files });
  return { dir, template: join(dir, 'template.yaml'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The template's functions by logical id, as the model reads them. */
export async function functionsOf(templatePath: string): Promise<Record<string, FunctionSpec>> {
  const model = await loadTemplate(templatePath);
  return Object.fromEntries(model.functions.map((f) => [f.logicalId, f]));
}

/** A toolchain runner for builds that must run none: any call fails the test. */
export const NO_TOOLS: ToolRunner = (run) => Promise.reject(new Error(`unexpected toolchain call: ${run.command} ${run.args.join(' ')}`));

/** A template with one function per entry: logicalId -> properties (YAML lines under Properties). */
export function samTemplate(functions: Record<string, string>, metadata: Record<string, string> = {}): string {
  const resources = Object.entries(functions).map(([id, props]) => {
    const meta = metadata[id] ? `\n    Metadata:\n${indent(metadata[id], 6)}` : '';
    return `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties:\n${indent(props, 6)}${meta}`;
  });
  return `AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n${resources.join('\n')}\n`;
}

/** Re-indents a block written with any common indentation, keeping its nesting. */
function indent(text: string, n: number): string {
  const lines = text.replace(/^\n+|\s+$/g, '').split('\n');
  const common = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => ' '.repeat(n) + l.slice(common)).join('\n');
}
