import { isMap, isPair, isScalar, isSeq, Scalar, visit, type Document } from 'yaml';

/** How an existing template is written, so inserted lines look like their neighbours. */
export interface YamlStyle {
  /** Spaces per nesting level. */
  indent: number;
  /** Whether `- item` lines sit deeper than their key (true) or level with it. */
  indentSeq: boolean;
  singleQuote: boolean;
}

export const DEFAULT_STYLE: YamlStyle = { indent: 2, indentSeq: true, singleQuote: false };

export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

export function detectStyle(doc: Document, text: string): YamlStyle {
  let indent: number | undefined;
  let indentSeq: boolean | undefined;
  let single = 0;
  let double = 0;
  visit(doc, {
    Pair(_key, pair) {
      if (!isScalar(pair.key) || !pair.key.range) return;
      const keyColumn = columnOf(text, pair.key.range[0]);
      const value = pair.value;
      if (indent === undefined && isMap(value) && !value.flow && value.items.length > 0) {
        const first = value.items[0];
        if (isPair(first) && isScalar(first.key) && first.key.range) {
          const step = columnOf(text, first.key.range[0]) - keyColumn;
          if (step > 0) indent = step;
        }
      }
      if (indentSeq === undefined && isSeq(value) && !value.flow && value.range && value.items.length > 0) {
        indentSeq = columnOf(text, value.range[0]) > keyColumn;
      }
    },
    Scalar(_key, node) {
      if (node.type === Scalar.QUOTE_SINGLE) single++;
      else if (node.type === Scalar.QUOTE_DOUBLE) double++;
    },
  });
  return {
    indent: indent ?? DEFAULT_STYLE.indent,
    indentSeq: indentSeq ?? DEFAULT_STYLE.indentSeq,
    singleQuote: single > double,
  };
}
