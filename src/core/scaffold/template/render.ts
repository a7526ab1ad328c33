import { Document } from 'yaml';
import type { YamlStyle } from './style';
import { Tagged } from './values';

/**
 * Renders entries of one template section as block YAML indented to `column`, in the template's
 * own style. Nesting is laid out here (the yaml library cannot put `- item` level with its key at
 * every indent width); each scalar is written by the yaml library with YAML 1.1 quoting, because
 * CloudFormation and SAM read templates with YAML 1.1 rules, under which an unquoted `on`, `no` or
 * `1_000` would not stay a string.
 */
export function renderEntries(
  entries: Record<string, unknown>,
  column: number,
  style: YamlStyle,
  comments: { path: string[]; text: string }[] = [],
): string {
  const lines: string[] = [];
  const r = new Renderer(style, comments, lines);
  r.map(entries, column, []);
  return lines.map((l) => `${l}\n`).join('');
}

/** `- item` lines for a block sequence whose dashes sit at `column`. */
export function renderSeqItems(items: unknown[], column: number, style: YamlStyle): string {
  const lines: string[] = [];
  new Renderer(style, [], lines).seq(items, column, []);
  return lines.map((l) => `${l}\n`).join('');
}

/** One value on one line (a scalar or a tagged scalar), quoted as the template quotes. */
export function renderScalar(value: unknown, style: YamlStyle): string {
  return new Renderer(style, [], []).scalar(value);
}

class Renderer {
  constructor(
    private readonly style: YamlStyle,
    private readonly comments: { path: string[]; text: string }[],
    private readonly out: string[],
  ) {}

  map(map: Record<string, unknown>, column: number, path: string[]): void {
    const pad = ' '.repeat(column);
    for (const [key, value] of Object.entries(map)) {
      const here = [...path, key];
      for (const c of this.comments) if (sameKeyPath(c.path, here)) this.out.push(`${pad}# ${c.text}`);
      this.entry(`${pad}${this.scalar(key)}:`, value, column, here);
    }
  }

  private entry(prefix: string, value: unknown, column: number, path: string[]): void {
    if (isNonEmptyMap(value)) {
      this.out.push(prefix);
      this.map(value, column + this.style.indent, path);
    } else if (Array.isArray(value) && value.length > 0) {
      this.out.push(prefix);
      this.seq(value, this.style.indentSeq ? column + this.style.indent : column, path);
    } else {
      this.out.push(`${prefix} ${this.scalar(value)}`);
    }
  }

  seq(items: unknown[], column: number, path: string[]): void {
    const pad = ' '.repeat(column);
    for (const item of items) {
      if (isNonEmptyMap(item)) {
        // The item's first key sits on the dash line; the rest line up under it.
        const start = this.out.length;
        this.map(item, column + 2, path);
        this.out[start] = `${pad}- ${this.out[start].slice(column + 2)}`;
      } else if (Array.isArray(item)) {
        throw new Error('Nested sequences are not rendered.');
      } else {
        this.out.push(`${pad}- ${this.scalar(item)}`);
      }
    }
  }

  scalar(value: unknown): string {
    if (value instanceof Tagged) return `${value.tag} ${this.scalar(value.value)}`;
    if (Array.isArray(value)) return '[]';
    if (value !== null && typeof value === 'object') return '{}';
    if (typeof value === 'string' && /[\r\n]/.test(value)) throw new Error('Multi-line strings are not rendered.');
    const text = new Document(value, { version: '1.1' }).toString({ singleQuote: this.style.singleQuote, lineWidth: 0 });
    return text.replace(/\n$/, '');
  }
}

function isNonEmptyMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Tagged) && Object.keys(value).length > 0;
}

function sameKeyPath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
