import { type Alias, type Document, LineCounter, type Node, parseDocument, type ScalarTag, Schema, type Tags, type YAMLError, YAMLParseError } from 'yaml';
import { isFlowIndentError, parseFlowLenient } from './lenient';
import { type DuplicateKey, scanDocument } from './scan';
import { rangeAt } from './ranges';
import { CFN_TAGS, SHORT_FORM_TAGS } from './tags';
import type { TemplateProblem } from './types';

export interface YamlSource {
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
  problems: TemplateProblem[];
  /** Each alias's anchor (see scanDocument), found in the same walk as duplicate keys. */
  aliases: Map<Alias, Node | null>;
}

/**
 * yaml's merge key and string tags, as its schemas hold them. yaml finds a plain (untagged)
 * scalar's type by trying the schema's tags in turn for one whose test matches, and falls back to
 * its string tag when none does. The CloudFormation tags (54: each short form for scalars, sequences
 * and mappings) come after yaml's own and never match, as they apply only where written; so every
 * string value and key was tried against all of them, about a tenth of the whole parse. A copy of
 * the string tag that matches anything, standing after yaml's own tags and the merge key and before
 * the CloudFormation ones, ends that search where it ended before (at a string) without walking past
 * them. Tags written out (`!Ref x`, `!!str 1`) are looked up by name, as before.
 */
const { CORE_TAGS, MERGE_TAG, STRING_TAG, WORD_TAG } = (() => {
  const core = new Schema({}).tags;
  const merge = new Schema({ merge: true }).tags.find((tag) => tag.tag === 'tag:yaml.org,2002:merge');
  const string = core.find((tag): tag is ScalarTag => tag.tag === 'tag:yaml.org,2002:str' && tag.default === true && !tag.collection);
  if (!merge || !string) throw new Error('yaml: no merge key or string tag in the core schema');
  return {
    CORE_TAGS: core,
    MERGE_TAG: merge,
    STRING_TAG: { ...string, test: /(?:)/ } satisfies ScalarTag,
    // The same for most keys and values, before the core schema's own tests (null, bool, three
    // ints, three floats: eight regular expressions). A plain scalar that starts with a letter is
    // a string in the core schema unless it is one of these nine words: its null and bool tests
    // match nothing else that starts with a letter, and its numbers start with a digit, a sign or a dot.
    WORD_TAG: { ...string, test: /^(?![Nn]ull$|NULL$|[Tt]rue$|TRUE$|[Ff]alse$|FALSE$)[A-Za-z]/ } satisfies ScalarTag,
  };
})();

/** How templates are parsed: CloudFormation's tags, and PyYAML's merge keys (SAM CLI reads with PyYAML). */
const OPTIONS = {
  // The schema's own tags (core, or 1.1 under a %YAML 1.1 directive), then as said above; yaml
  // leaves out a tag the list already has, so the merge key stands once, where it first stands.
  // WORD_TAG goes first for the core schema only (1.1 reads `yes`, `on` and more as booleans).
  customTags: (tags: Tags): Tags => {
    const core = tags.length === CORE_TAGS.length && tags.every((tag, i) => tag === CORE_TAGS[i]);
    return [...(core ? [WORD_TAG] : []), ...tags, MERGE_TAG, STRING_TAG, ...CFN_TAGS];
  },
  // `<<: *defaults` is common in templates (PyYAML, which SAM CLI uses, supports merge keys).
  merge: true,
  prettyErrors: false,
  // yaml looks for a duplicate by scanning every earlier key of the mapping, which is quadratic
  // in a mapping's size; scanDocument does the same check with a hash.
  uniqueKeys: false,
} as const;

/**
 * Parses template text into a yaml Document. Never throws: syntax errors become located problems and
 * the Document still holds everything yaml could make sense of, so the valid parts load. What SAM
 * CLI reads and YAML 1.2 does not (see lenient.ts) is read as SAM reads it, with a warning where it stands.
 */
export function readYaml(text: string): YamlSource {
  let lines = new LineCounter();
  let doc: Document.Parsed = parseDocument(text, { ...OPTIONS, lineCounter: lines });
  const flowIndents = doc.errors.filter(isFlowIndentError);
  const lenientWarnings: TemplateProblem[] = [];
  if (flowIndents.length > 0) {
    // Read again without indentation inside [...] and {...}. An unclosed bracket also trips the
    // strict check, and there the strict reading recovers better (the rest of the file is not swallowed
    // into the collection): the reading with fewer errors is kept. A second parse keeps this linear.
    const lenientLines = new LineCounter();
    const lenient = parseFlowLenient(text, lenientLines, OPTIONS);
    if (lenient.doc.errors.length < doc.errors.length) {
      [doc, lines] = [lenient.doc, lenientLines];
      lenientWarnings.push(...lenient.underIndented.map((at) => flowIndentWarning(rangeAt(lenientLines, at, at + 1))));
    }
  }
  // An alias is written `*name`: text without a `*` has none, and the scan can skip anchors.
  const scan = scanDocument(doc, text.includes('*'));
  const duplicates = scan.duplicates.map((d) => duplicateKeyWarning(d, lines));
  const errors = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0]);
  const problems = [...errors.map((e) => toProblem(e, lines, 'error')), ...doc.warnings.map((w) => toProblem(w, lines, 'warning'))];
  // One mistake often trips several of yaml's rules on the same line; the first says it best.
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.severity}:${p.range.start.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { text, doc, lines, problems: [...unique, ...lenientWarnings, ...duplicates], aliases: scan.aliases };
}

/** yaml's DUPLICATE_KEY errors, as its own check reports them (at the later key): for edits, where a duplicate is ambiguous. */
export function duplicateKeyErrors(doc: Document.Parsed): YAMLParseError[] {
  return scanDocument(doc, false).duplicates.flatMap(({ kept }) => (kept.range ? [new YAMLParseError([kept.range[0], kept.range[0] + 1], 'DUPLICATE_KEY', 'Map keys must be unique')] : []));
}

function duplicateKeyWarning({ ignored, kept }: DuplicateKey, lines: LineCounter): TemplateProblem {
  const at = rangeAt(lines, ignored.range?.[0] ?? 0, ignored.range?.[1] ?? 0);
  const again = lines.linePos(kept.range?.[0] ?? 0).line;
  return {
    message: `${String(ignored.value)} is given again on line ${again} of this mapping; SAM uses the last one, so this one has no effect. Remove one of them (YAML 1.2 tools reject duplicate keys).`,
    range: at,
    severity: 'warning',
    code: 'yaml-duplicate-key',
  };
}

function flowIndentWarning(range: TemplateProblem['range']): TemplateProblem {
  return {
    message:
      'This line of a [...] or {...} collection stands left of the key it belongs to. SAM reads it (and so does Lambda Workbench), but YAML 1.2 tools reject it: indent the collection\'s lines, closing bracket included, past its key.',
    range,
    severity: 'warning',
    code: 'yaml-flow-indent',
  };
}

function toProblem(e: YAMLError, lines: LineCounter, severity: 'error' | 'warning'): TemplateProblem {
  const range = rangeAt(lines, e.pos[0], e.pos[1]);
  const unresolved = /^Unresolved tag: (.+)$/.exec(e.message);
  if (e.code === 'TAG_RESOLVE_FAILED' && unresolved) {
    const tag = unresolved[1];
    const near = closestTag(tag);
    return {
      message:
        `Unknown tag ${tag}: it is not a CloudFormation intrinsic, so its value is read as plain data. ` +
        (near ? `Did you mean ${near}?` : 'Use a CloudFormation tag such as !Ref, !GetAtt, !Sub or !If, or remove it.'),
      range,
      severity: 'warning',
      code: 'unknown-tag',
    };
  }
  const hint = LAYOUT_ERRORS.has(e.code) ? ' Check the indentation here: keys of one mapping line up under each other.' : '';
  return { message: `YAML: ${e.message.replace(/\.$/, '')}.${hint}`, range, severity, code: severity === 'error' ? 'yaml-syntax' : 'yaml-warning' };
}

const LAYOUT_ERRORS = new Set<YAMLError['code']>(['BAD_INDENT', 'BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY', 'TAB_AS_INDENT', 'UNEXPECTED_TOKEN']);

/** The short-form tag a typo most likely meant (`!Reff` -> `!Ref`), if any is within two edits. */
function closestTag(tag: string): string | undefined {
  let best: { tag: string; distance: number } | undefined;
  for (const known of SHORT_FORM_TAGS) {
    const distance = editDistance(tag.toLowerCase(), known.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { tag: known, distance };
  }
  return best?.tag;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
