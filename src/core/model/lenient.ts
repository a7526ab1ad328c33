import { Composer, type CST, type Document, Lexer, type LineCounter, type ParseOptions, Parser, type YAMLError } from 'yaml';

/**
 * What SAM CLI's reader (PyYAML) accepts and YAML 1.2 does not, read the way SAM reads it. Each
 * place is a warning at its line: the template loads as it does for `sam build` and `sam deploy`,
 * and the user learns which lines other YAML tools will reject.
 */

/** yaml's error when a line inside `[...]` or `{...}` stands left of the key that holds it. */
export function isFlowIndentError(e: YAMLError): boolean {
  return e.code === 'BAD_INDENT' && / in block collection must be sufficiently indented/.test(e.message);
}

/**
 * Parses `text` as yaml's parseDocument does, except that inside flow collections indentation is
 * not checked: PyYAML (SAM CLI's reader) reads `Policies: [` ... `]` with the `]`, or any line of
 * the content, left of the key, and so do the templates written for it. yaml has no option for
 * this; its lexer ends a flow collection at the first such line. The lexer's own flow state is
 * run with its minimum indentation at 0, which is what PyYAML does in flow context, so the rest of
 * the lexer (quotes, comments, document markers) stays yaml's. Linear, like yaml's parse. Also
 * says where each line that strict YAML would have refused starts.
 */
export function parseFlowLenient(text: string, lines: LineCounter, options: ParseOptions): { doc: Document.Parsed; underIndented: number[] } {
  const parser = new Parser(lines.addNewLine);
  const composer = new Composer(options);
  const where: LexState = { offset: () => parser.offset, underIndented: [] };
  const lexer = lenientLexer(where);
  lines.addNewLine(0);
  function* tokens(): Generator<CST.Token> {
    for (const lexeme of lexer.lex(text)) yield* parser.next(lexeme);
    yield* parser.end();
  }
  let first: Document.Parsed | undefined;
  for (const doc of composer.compose(tokens(), true, text.length)) {
    // Templates are one document; parseDocument keeps the first too (and says there were more).
    first ??= doc;
  }
  return { doc: first as Document.Parsed, underIndented: where.underIndented };
}

/** yaml's lexer state that the flow override reads and writes (private in its types; see parseFlowLenient). */
interface FlowLexer {
  indentNext: number;
  parseFlowCollection(): Generator<string, string>;
}

/** Where the lexeme being read starts (the parser has taken every one before it), and the lines found under-indented. */
interface LexState {
  offset: () => number;
  underIndented: number[];
}

/** Where yaml's lexer marks a flow collection it ended early (its FLOW_END lexeme, C0 Cancel). */
const FLOW_END = '\x18';

function lenientLexer(state: LexState): Lexer {
  const lexer = new Lexer();
  const inner = lexer as unknown as FlowLexer;
  const strict = inner.parseFlowCollection.bind(lexer) as FlowLexer['parseFlowCollection'];
  if (typeof strict !== 'function' || typeof inner.indentNext !== 'number') throw new Error('the yaml package no longer has the lexer this reader extends');
  inner.parseFlowCollection = function* () {
    const outer = inner.indentNext;
    inner.indentNext = 0;
    let ended = false;
    // The flow state reads a line's newline, its indentation, then its first token.
    let indent: number | undefined;
    let atLineStart = false;
    try {
      const it = strict();
      for (let step = it.next(); ; step = it.next()) {
        if (step.done) return step.value;
        const lexeme = step.value;
        // Only a document marker (`---` at column 0) still ends the collection early: the lexer
        // then starts a new line's block state, which must keep what it set.
        if (lexeme === FLOW_END) ended = true;
        if (lexeme === '\n' || lexeme === '\r\n') [atLineStart, indent] = [true, undefined];
        else if (atLineStart && /^[ \t]*$/.test(lexeme)) indent ??= /^ */.exec(lexeme)![0].length;
        else if (atLineStart) {
          atLineStart = false;
          // The lines yaml refuses: left of the minimum, except comments and a closing bracket one column left.
          const closing = (lexeme === ']' || lexeme === '}') && (indent ?? 0) === outer - 1;
          if ((indent ?? 0) < outer && !lexeme.startsWith('#') && !closing && lexeme !== FLOW_END) state.underIndented.push(state.offset());
        }
        yield lexeme;
      }
    } finally {
      if (!ended) inner.indentNext = outer;
    }
  };
  return lexer;
}
