// One .gitignore pattern (already stripped of `!`, a trailing `/` and a leading `/`) as a regular
// expression in RE2's syntax, for RE2JS, whose matching time is linear in the path's length. The
// same expression run by JavaScript's own backtracking engine could take exponential time on a
// pattern of many `*`, which is why nothing here may need a lookaround or a backreference.

const MAX_CODE_POINT = 0x10ffff;
const SLASH = 0x2f;

/** The expression's body (no anchors): `*`, `?`, `[...]` and `\` escapes within a segment, `**` across segments. */
export function globToRe2(glob: string): string {
  const segments = glob.split('/');
  let out = '';
  let separator = false;
  segments.forEach((segment, i) => {
    const sep = separator ? '/' : '';
    // Two stars or more make a whole segment `**`, as in git's wildmatch.
    if (/^\*{2,}$/.test(segment)) {
      // Leading `**/` and inner `/**/`: any number of folders, none included. Trailing `/**`:
      // everything inside. Alone: everything.
      out += i === segments.length - 1 ? `${sep}.*` : `${sep}(?:.*/)?`;
      separator = false;
      return;
    }
    out += sep + segmentToRe2(segment);
    separator = true;
  });
  return out;
}

/** Within a segment `**` is an ordinary `*` (as in git), and nothing matches a `/`. */
function segmentToRe2(segment: string): string {
  const chars = Array.from(segment);
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '*') {
      while (chars[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      const bracket = parseBracket(chars, i);
      if (bracket) {
        out += bracket.re;
        i = bracket.end;
      } else {
        out += literal('[');
      }
    } else if (ch === '\\' && i + 1 < chars.length) {
      out += literal(chars[++i]);
    } else {
      out += literal(ch);
    }
  }
  return out;
}

const POSIX: Record<string, [number, number][]> = {
  alpha: [range('A', 'Z'), range('a', 'z')],
  digit: [range('0', '9')],
  alnum: [range('0', '9'), range('A', 'Z'), range('a', 'z')],
  upper: [range('A', 'Z')],
  lower: [range('a', 'z')],
  xdigit: [range('0', '9'), range('A', 'F'), range('a', 'f')],
  space: [[9, 13], [32, 32]],
  blank: [[9, 9], [32, 32]],
  punct: [range('!', '/'), range(':', '@'), range('[', '`'), range('{', '~')],
  cntrl: [[0, 31], [127, 127]],
  print: [[32, 126]],
  graph: [[33, 126]],
};

/**
 * A bracket expression at `start`: `[abc]`, `[a-z]`, `[!a]` or `[^a]`, `[]a]`, `[[:alpha:]]`,
 * escapes inside. Written out as code point ranges so that `/` can be taken out of them (git never
 * matches a separator with a bracket). Undefined when it is not closed: then `[` is itself.
 */
function parseBracket(chars: string[], start: number): { re: string; end: number } | undefined {
  let i = start + 1;
  const negated = chars[i] === '!' || chars[i] === '^';
  if (negated) i++;
  const ranges: [number, number][] = [];
  for (let first = true; i < chars.length; i++, first = false) {
    if (chars[i] === ']' && !first) return { re: classToRe2(ranges, negated), end: i };
    const posix = /^\[:([a-z]+):\]/.exec(chars.slice(i, i + 10).join(''));
    if (posix && POSIX[posix[1]]) {
      ranges.push(...POSIX[posix[1]]);
      i += posix[0].length - 1;
      continue;
    }
    if (chars[i] === '\\' && i + 1 < chars.length) i++;
    const lo = chars[i].codePointAt(0)!;
    let hi = lo;
    if (chars[i + 1] === '-' && i + 2 < chars.length && chars[i + 2] !== ']') {
      i += 2;
      if (chars[i] === '\\' && i + 1 < chars.length) i++;
      hi = chars[i].codePointAt(0)!;
    }
    // A reversed range matches nothing, as in git.
    if (lo <= hi) ranges.push([lo, hi]);
  }
  return undefined;
}

function classToRe2(ranges: [number, number][], negated: boolean): string {
  const merged = complement(complement(ranges));
  const wanted = negated ? complement([...merged, [SLASH, SLASH]]) : merged.flatMap(([lo, hi]) => without(lo, hi, SLASH));
  // An empty class matches nothing; RE2 takes [^\x{0}-\x{10FFFF}] for that.
  if (wanted.length === 0) return `[^${hex(0)}-${hex(MAX_CODE_POINT)}]`;
  return `[${wanted.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('')}]`;
}

/** The code points not in `ranges`, as sorted, disjoint ranges. */
function complement(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

function without(lo: number, hi: number, cp: number): [number, number][] {
  if (cp < lo || cp > hi) return [[lo, hi]];
  return [
    [lo, cp - 1],
    [cp + 1, hi],
  ].filter(([a, b]) => a <= b) as [number, number][];
}

function range(a: string, b: string): [number, number] {
  return [a.codePointAt(0)!, b.codePointAt(0)!];
}

function hex(cp: number): string {
  return `\\x{${cp.toString(16)}}`;
}

function literal(ch: string): string {
  return hex(ch.codePointAt(0)!);
}
