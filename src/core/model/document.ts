import { type Document, isScalar, LineCounter, parseDocument, visit, type YAMLError, YAMLParseError } from 'yaml';
import { rangeAt } from './ranges';
import { CFN_TAGS, SHORT_FORM_TAGS } from './tags';
import type { TemplateProblem } from './types';

export interface YamlSource {
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
  problems: TemplateProblem[];
}

/**
 * Parses template text into a yaml Document. Never throws: syntax errors become located problems and
 * the Document still holds everything yaml could make sense of, so the valid parts load.
 */
export function readYaml(text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    customTags: CFN_TAGS,
    // `<<: *defaults` is common in templates (PyYAML, which SAM CLI uses, supports merge keys).
    merge: true,
    prettyErrors: false,
    // yaml looks for a duplicate by scanning every earlier key of the mapping, which is quadratic
    // in a mapping's size; duplicateKeyErrors does the same check with a hash.
    uniqueKeys: false,
  });
  const errors = [...doc.errors, ...duplicateKeyErrors(doc)].sort((a, b) => a.pos[0] - b.pos[0]);
  const problems = [...errors.map((e) => toProblem(e, lines, 'error')), ...doc.warnings.map((w) => toProblem(w, lines, 'warning'))];
  // One mistake often trips several of yaml's rules on the same line; the first says it best.
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.severity}:${p.range.start.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { text, doc, lines, problems: unique };
}

/** yaml's DUPLICATE_KEY errors, as its own check reports them: scalar keys with equal values (merge keys never). */
export function duplicateKeyErrors(doc: Document.Parsed): YAMLParseError[] {
  const found: YAMLParseError[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (!isScalar(key) || typeof key.value === 'symbol' || Number.isNaN(key.value)) continue;
        if (seen.has(key.value) && key.range) found.push(new YAMLParseError([key.range[0], key.range[0] + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
        seen.add(key.value);
      }
    },
  });
  return found;
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
