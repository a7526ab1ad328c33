import type { NodeReader } from './nodes';
import type { SourceRange, TemplateProblem } from './types';

/** What every resource reader needs to know about the template it is in. */
export interface TemplateContext {
  /** Absolute path of the template. */
  path: string;
  /** Its folder: relative paths in the template resolve against it. */
  dir: string;
  reader: NodeReader;
  problems: TemplateProblem[];
  /** Parameters with a Default, as the value a !Ref to them gives. */
  parameters: ReadonlyMap<string, unknown>;
  /** Every Parameter's name, with or without a Default. */
  parameterNames: ReadonlySet<string>;
  /** Every resource's logical id and Type, for checking what a !Ref points at. */
  resourceTypes: ReadonlyMap<string, string>;
}

export function report(
  ctx: TemplateContext,
  severity: TemplateProblem['severity'],
  code: string,
  message: string,
  range: SourceRange,
): void {
  ctx.problems.push({ message, range, severity, code });
}
