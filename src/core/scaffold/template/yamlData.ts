import { type Document, LineCounter, parseDocument, visit } from 'yaml';
import { UserError } from '../../errors';
import { duplicateKeyErrors } from '../../model/document';

/**
 * yaml's toJS refuses a document whose aliases repeat more than 100 values, but only after working
 * out each anchor's alias count by walking the whole document once per alias; past this many
 * aliases an edit is not checked that way at all.
 */
const MAX_ALIASES = 100;

/** parseDocument, with duplicate keys found by hash: yaml's own check is quadratic in a mapping's size. */
export function parseYaml(text: string): Document.Parsed {
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter: lines });
  for (const e of duplicateKeyErrors(doc)) {
    e.linePos = [lines.linePos(e.pos[0]), lines.linePos(e.pos[1])];
    doc.errors.push(e);
  }
  doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
  return doc;
}

/** A template's data, to check an edit against; refuses one whose aliases make that too costly. */
export function dataOf(doc: Document.Parsed, path: string): unknown {
  let aliases = 0;
  visit(doc, {
    Alias() {
      return ++aliases > MAX_ALIASES ? visit.BREAK : undefined;
    },
  });
  if (aliases > MAX_ALIASES) throw tooManyAliases(path);
  try {
    return doc.toJS();
  } catch (err) {
    if (err instanceof ReferenceError) throw tooManyAliases(path);
    throw err;
  }
}

function tooManyAliases(path: string): UserError {
  return new UserError(
    `${path} repeats values through YAML aliases too often for this change to be checked, so nothing was written.`,
    'Make this change by hand, or write the repeated values out.',
    'template-aliases',
  );
}
