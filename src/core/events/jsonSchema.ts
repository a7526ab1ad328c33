/**
 * The JSON Schema subset the sample-event schemas are written in, and a validator for exactly that
 * subset. VS Code reads the same schemas (contributes.jsonValidation), so they stay plain draft-07;
 * the validator refuses any keyword it does not implement, so a schema can never claim a check that
 * nothing performs.
 */

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export interface JsonSchema {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  anyOf?: JsonSchema[];
}

export interface SchemaViolation {
  /** JSON Pointer of the offending value ('' is the document itself). */
  path: string;
  message: string;
}

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description']);
const CHECKS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'enum',
  'const',
  'pattern',
  'minLength',
  'minimum',
  'anyOf',
]);

/** Every way `value` breaks `schema`; empty when it conforms. */
export function validateJson(value: unknown, schema: JsonSchema): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  check(value, schema, '', out);
  return out;
}

function check(value: unknown, schema: JsonSchema, path: string, out: SchemaViolation[]): void {
  for (const key of Object.keys(schema)) {
    if (!ANNOTATIONS.has(key) && !CHECKS.has(key)) {
      throw new Error(`Schema keyword '${key}' at '${path}' is outside the supported subset.`);
    }
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => hasType(value, t))) {
      out.push({ path, message: `expected ${types.join(' or ')}, got ${typeName(value)}` });
      return;
    }
  }
  if (schema.const !== undefined && !sameJson(value, schema.const)) {
    out.push({ path, message: `expected ${JSON.stringify(schema.const)}` });
  }
  if (schema.enum !== undefined && !schema.enum.some((e) => sameJson(value, e))) {
    out.push({ path, message: `expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}` });
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      out.push({ path, message: `shorter than ${schema.minLength} characters` });
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      out.push({ path, message: `does not match ${schema.pattern}` });
    }
  }
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum) {
    out.push({ path, message: `less than ${schema.minimum}` });
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      out.push({ path, message: `fewer than ${schema.minItems} items` });
    }
    if (schema.items) {
      const items = schema.items;
      value.forEach((item, i) => check(item, items, `${path}/${i}`, out));
    }
  }
  if (isObject(value)) checkObject(value, schema, path, out);
  if (schema.anyOf) {
    const branches = schema.anyOf.map((s) => validateJson(value, s));
    if (!branches.some((b) => b.length === 0)) {
      const closest = branches.reduce((a, b) => (b.length < a.length ? b : a));
      out.push({ path, message: 'matches none of the allowed shapes' }, ...closest.map((v) => ({ ...v, path: path + v.path })));
    }
  }
}

function checkObject(value: Record<string, unknown>, schema: JsonSchema, path: string, out: SchemaViolation[]): void {
  for (const name of schema.required ?? []) {
    if (!(name in value)) out.push({ path, message: `missing required property '${name}'` });
  }
  const props = schema.properties ?? {};
  for (const [name, v] of Object.entries(value)) {
    const child = `${path}/${escapePointer(name)}`;
    const own = props[name];
    if (own) {
      check(v, own, child, out);
    } else if (schema.additionalProperties === false) {
      out.push({ path: child, message: `unexpected property '${name}'` });
    } else if (typeof schema.additionalProperties === 'object') {
      check(v, schema.additionalProperties, child, out);
    }
  }
}

function hasType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}
