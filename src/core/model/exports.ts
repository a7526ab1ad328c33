/**
 * Whether a handler's source defines the function Lambda will call, read as text. Loading the
 * module instead would run its top-level code (SDK clients, network calls, secrets lookups), needs its
 * dependencies installed and TypeScript compiled, and this runs on every edit. So tolerant patterns
 * find the usual ways of exporting, and anything they cannot decide (re-exports, `module.exports =
 * require(...)`, `from x import *`) counts as 'unknown': a missing export is reported only when sure.
 */
export type ExportAnswer = 'yes' | 'no' | 'unknown';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whole-line `//` comments only: stripping block comments by pattern would eat globs like 'src/**' in strings. */
function withoutLineComments(source: string): string {
  return source.replace(/^[ \t]*\/\/.*$/gm, '');
}

export function nodeExports(source: string, name: string): ExportAnswer {
  const text = withoutLineComments(source);
  const n = escape(name);
  if (name === 'default' && /\bexport\s+default\b/.test(text)) return 'yes';
  const direct = [
    new RegExp(`\\bexport\\s+(?:async\\s+)?function\\s*\\*?\\s*${n}\\b`),
    new RegExp(`\\bexport\\s+(?:const|let|var|class)\\s+${n}\\b`),
    new RegExp(`\\bexports\\s*\\.\\s*${n}\\s*=`),
    new RegExp(`\\bexports\\s*\\[\\s*['"\`]${n}['"\`]\\s*\\]\\s*=`),
    new RegExp(`Object\\.defineProperty\\(\\s*(?:module\\.)?exports\\s*,\\s*['"]${n}['"]`),
  ];
  if (direct.some((re) => re.test(text))) return 'yes';
  for (const list of text.matchAll(/\bexport\s*(?:type\s*)?\{([^}]*)\}/g)) {
    const exported = list[1].split(',').map((item) => item.trim().split(/\s+as\s+/).pop()?.trim());
    if (exported.includes(name)) return 'yes';
  }
  const assigned = /\bmodule\.exports\s*=\s*(\{)?/.exec(text);
  if (assigned?.[1]) {
    // An object literal: the name as a key, shorthand, or method.
    const body = text.slice(assigned.index + assigned[0].length, assigned.index + assigned[0].length + 4000);
    if (new RegExp(`(?:^|[{,\\s])(?:async\\s+)?['"]?${n}['"]?\\s*(?:[:,}(]|$)`, 'm').test(body)) return 'yes';
  }
  if (/\bexport\s*\*/.test(text) || (assigned && !assigned[1]) || /Object\.assign\(\s*(?:module\.)?exports\b/.test(text)) return 'unknown';
  return 'no';
}

export function pythonDefines(source: string, name: string): ExportAnswer {
  const n = escape(name);
  const patterns = [
    new RegExp(`^[ \\t]*(?:async[ \\t]+)?def[ \\t]+${n}[ \\t]*\\(`, 'm'),
    new RegExp(`^[ \\t]*class[ \\t]+${n}\\b`, 'm'),
    // `handler = Mangum(app)` and annotated assignments; not `handler == x`.
    new RegExp(`^${n}[ \\t]*(?::[^=\\n]*)?=(?!=)`, 'm'),
    new RegExp(`^[ \\t]*from[ \\t]+\\S+[ \\t]+import[ \\t]+(?:\\([^)]*|.*)\\b${n}\\b`, 'm'),
    new RegExp(`^[ \\t]*import[ \\t]+.*\\bas[ \\t]+${n}\\b`, 'm'),
  ];
  if (patterns.some((re) => re.test(source))) return 'yes';
  if (/^[ \t]*from[ \t]+\S+[ \t]+import[ \t]+\*/m.test(source) || /\bglobals\(\)/.test(source)) return 'unknown';
  return 'no';
}
