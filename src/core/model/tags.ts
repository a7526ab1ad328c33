import type { CollectionTag, ScalarTag } from 'yaml';

/** CloudFormation's YAML short forms, each naming the intrinsic it stands for (`!GetAtt` -> Fn::GetAtt). */
export const SHORT_FORM_TAGS = [
  '!Ref',
  '!GetAtt',
  '!Sub',
  '!Join',
  '!If',
  '!Select',
  '!Split',
  '!FindInMap',
  '!ImportValue',
  '!Base64',
  '!GetAZs',
  '!Cidr',
  '!Equals',
  '!And',
  '!Or',
  '!Not',
  '!Condition',
  '!Transform',
] as const;

const KNOWN = new Set<string>(SHORT_FORM_TAGS);

export function isShortFormTag(tag: string | undefined): tag is (typeof SHORT_FORM_TAGS)[number] {
  return tag !== undefined && KNOWN.has(tag);
}

/** `!GetAtt` -> `GetAtt`: the name an Intrinsic carries. */
export function intrinsicName(tag: (typeof SHORT_FORM_TAGS)[number]): string {
  return tag.slice(1);
}

/**
 * The tags for yaml's parser. Each is registered for scalars, sequences and mappings (`!Sub str`,
 * `!Sub [str, vars]`, `!Transform {Name: ...}`) and resolves to the node unchanged: the template
 * reader turns tagged nodes into intrinsics itself, so it keeps their source ranges.
 */
export const CFN_TAGS: (ScalarTag | CollectionTag)[] = SHORT_FORM_TAGS.flatMap((tag) => [
  { tag, resolve: (value: string) => value } satisfies ScalarTag,
  { tag, collection: 'seq', resolve: (node) => node } satisfies CollectionTag,
  { tag, collection: 'map', resolve: (node) => node } satisfies CollectionTag,
]);
