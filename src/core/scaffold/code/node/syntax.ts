/**
 * One source for both Node flavours: TypeScript gets type annotations, JavaScript gets the same
 * types as JSDoc (so editors still know the event's shape) and no build step.
 */

export interface NodeFlavour {
  ts: boolean;
  /** Types used from @types/aws-lambda. */
  types: string[];
}

/** `import type { A, B } from 'aws-lambda';` for TypeScript, nothing for JavaScript. */
export function awsLambdaImport(f: NodeFlavour): string {
  return f.ts ? `import type { ${[...f.types].sort().join(', ')} } from 'aws-lambda';\n\n` : '';
}

function jsType(type: string): string {
  return type.replace(/\b([A-Z][A-Za-z0-9]*)\b/g, (name: string) => (name === 'Promise' || name === 'Record' ? name : `import('aws-lambda').${name}`));
}

/** The exported handler's first line (with its JSDoc in JavaScript). */
export function handlerSignature(f: NodeFlavour, eventType: string, resultType: string): string {
  if (f.ts) return `export const handler = async (event: ${eventType}): Promise<${resultType}> => {`;
  return [
    '/**',
    ` * @param {${jsType(eventType)}} event`,
    ` * @returns {Promise<${jsType(resultType)}>}`,
    ' */',
    'export const handler = async (event) => {',
  ].join('\n');
}

/** A helper function's first line: `function name(param: Type): Ret {`. */
export function functionSignature(f: NodeFlavour, name: string, param: string, paramType: string, resultType: string): string {
  if (f.ts) return `function ${name}(${param}: ${paramType}): ${resultType} {`;
  return [`/** @param {${jsType(paramType)}} ${param} */`, `function ${name}(${param}) {`].join('\n');
}

/** The first lines every generated test shares: imports and the saved sample event. */
export function testPreamble(f: NodeFlavour, eventType: string, eventFromTest: string): string {
  const importName = eventType.replace(/<.*$/, '');
  const lines = [
    "import assert from 'node:assert/strict';",
    "import { readFileSync } from 'node:fs';",
    "import { test } from 'node:test';",
  ];
  if (f.ts) lines.push(`import type { ${importName} } from 'aws-lambda';`);
  lines.push(`import { handler } from '${f.ts ? '../app' : '../app.mjs'}';`, '');
  lines.push('// The sample event saved for this function; local invokes use the same file.');
  lines.push(`const event${f.ts ? `: ${eventType}` : ''} = JSON.parse(readFileSync(new URL('${eventFromTest}', import.meta.url), 'utf8'));`);
  lines.push('');
  return lines.join('\n');
}

/** A deep copy of the sample to modify in one test. */
export function copyOfEvent(f: NodeFlavour, eventType: string): string {
  return f.ts ? `const changed: ${eventType} = structuredClone(event);` : 'const changed = structuredClone(event);';
}

/** A JavaScript literal for plain data (single-quoted strings, bare keys), for expectations in tests. */
export function lit(value: unknown): string {
  if (typeof value === 'string') return `'${JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(lit).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : lit(k)}: ${lit(v)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}
