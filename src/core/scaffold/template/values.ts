/**
 * Template content as plain data: CloudFormation short forms are Tagged values, so the resources a
 * scaffold adds can be built, compared and rendered without a YAML document at hand.
 */

export class Tagged {
  constructor(
    /** The short form: '!Ref', '!GetAtt', '!Sub'. */
    readonly tag: '!Ref' | '!GetAtt' | '!Sub',
    readonly value: string,
  ) {}
}

export const ref = (logicalId: string): Tagged => new Tagged('!Ref', logicalId);
export const getAtt = (logicalId: string, attribute: string): Tagged => new Tagged('!GetAtt', `${logicalId}.${attribute}`);
export const sub = (text: string): Tagged => new Tagged('!Sub', text);

/** The sections a scaffold adds to, in the order CloudFormation templates conventionally list them. */
export const SECTIONS = ['Parameters', 'Resources', 'Outputs'] as const;
export type Section = (typeof SECTIONS)[number];

export interface TemplateAdditions {
  /** New entries per section, in the order they are written. */
  entries: Record<Section, Record<string, unknown>>;
  /** Comments written above a key, addressed by its path from the top of the template. */
  comments: { path: string[]; text: string }[];
}

export function emptyAdditions(): TemplateAdditions {
  return { entries: { Parameters: {}, Resources: {}, Outputs: {} }, comments: [] };
}

/** The value a YAML reader without CloudFormation's tags sees: a tagged scalar reads as its text. */
export function plain(value: unknown): unknown {
  if (value instanceof Tagged) return value.value;
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
