import type { FunctionSpec, SourceRange } from '../../src/core/model/types';

/** A range at the top of a file, for specs built by hand (they were not parsed from a template). */
export const NO_RANGE: SourceRange = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

/**
 * A Zip Node.js function as the template model would give it, with Lambda's defaults; tests that
 * do not need a real template build their specs from this and change what they are about.
 */
export function testFunctionSpec(patch: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    logicalId: 'Fn',
    templatePath: '/nowhere/template.yaml',
    resourceType: 'AWS::Serverless::Function',
    runtime: 'nodejs22.x',
    handler: 'index.handler',
    architecture: 'x86_64',
    memorySize: 128,
    timeout: 3,
    environment: {},
    layers: [],
    packageType: 'Zip',
    events: [],
    conditional: [],
    ranges: { resource: NO_RANGE, logicalId: NO_RANGE, properties: {} },
    ...patch,
  };
}
