import type { JsonSchema, JsonType } from './jsonSchema';

// Small builders so each event's schema reads like the event it describes.

export const str = (description?: string): JsonSchema => (description ? { type: 'string', description } : { type: 'string' });
export const int = (): JsonSchema => ({ type: 'integer' });
export const num = (): JsonSchema => ({ type: 'number' });
export const bool = (): JsonSchema => ({ type: 'boolean' });
export const constant = (value: string): JsonSchema => ({ const: value });
export const oneOfStrings = (...values: string[]): JsonSchema => ({ type: 'string', enum: values });
export const matching = (pattern: string, description?: string): JsonSchema => ({
  type: 'string',
  pattern,
  ...(description ? { description } : {}),
});
export const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
export const typed = (...types: JsonType[]): JsonSchema => ({ type: types });

export const BASE64 = matching('^[A-Za-z0-9+/]*={0,2}$', 'Base64-encoded bytes');
export const STRING_MAP: JsonSchema = { type: 'object', additionalProperties: { type: 'string' } };
export const STRING_LIST_MAP: JsonSchema = { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } };

export function arn(service: string): JsonSchema {
  return matching(`^arn:aws[a-z-]*:${service}:`, `ARN of the ${service} resource`);
}

/** An object with these properties; every one is required unless listed in `optional`. */
export function obj(properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
  };
}

export function list(items: JsonSchema, minItems?: number): JsonSchema {
  return minItems === undefined ? { type: 'array', items } : { type: 'array', items, minItems };
}

/** The top of a schema file: what VS Code shows when it validates a saved event. */
export function eventSchema(type: string, title: string, body: JsonSchema): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title,
    description: `A saved sample event of type ${type} (events/<LogicalId>/<name>.${type}.json).`,
    ...body,
  };
}
