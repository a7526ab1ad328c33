import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { EVENT_SOURCES } from '../../../src/core/scaffold';
import { output, pythonFor, ROOT, run, tempDir } from './support';

// Every handler snippet, expanded with its default placeholder values, is code that parses.

interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}

function load(language: string): Record<string, Snippet> {
  return JSON.parse(readFileSync(join(ROOT, 'snippets', `${language}.json`), 'utf8')) as Record<string, Snippet>;
}

/**
 * The text VS Code inserts when every placeholder keeps its default (LSP snippet grammar: `\`
 * escapes `$`, `}` and `\`; a placeholder ends at its first unescaped `}`). Variables are refused:
 * in these snippets a `${name}` can only be an unescaped JavaScript template string.
 */
function expandSnippet(text: string): string {
  let i = 0;
  const parse = (inPlaceholder: boolean): string => {
    let out = '';
    while (i < text.length) {
      const c = text[i];
      if (c === '\\' && '$}\\'.includes(text[i + 1] ?? '')) {
        out += text[i + 1];
        i += 2;
      } else if (inPlaceholder && c === '}') {
        i++;
        return out;
      } else if (c === '$') {
        const rest = text.slice(i);
        const tabstop = /^\$(\d+)/.exec(rest) ?? /^\$\{(\d+)\}/.exec(rest);
        const placeholder = /^\$\{\d+:/.exec(rest);
        const choice = /^\$\{\d+\|([^|]*)\|\}/.exec(rest);
        if (tabstop) {
          i += tabstop[0].length;
        } else if (placeholder) {
          i += placeholder[0].length;
          out += parse(true);
        } else if (choice) {
          i += choice[0].length;
          out += choice[1].split(',')[0];
        } else if (/^\$\{?[A-Za-z_]/.test(rest)) {
          throw new Error(`unescaped variable at '${rest.slice(0, 24)}'`);
        } else {
          out += c;
          i++;
        }
      } else {
        out += c;
        i++;
      }
    }
    if (inPlaceholder) throw new Error('a placeholder is not closed');
    return out;
  };
  return parse(false);
}

describe('handler snippets', () => {
  const languages = { javascript: 'mjs', typescript: 'ts', python: 'py' } as const;
  let dir: ReturnType<typeof tempDir>;
  before(() => {
    dir = tempDir('snippets');
  });
  after(() => dir.remove());

  it('expands placeholders the way VS Code does', () => {
    assert.equal(expandSnippet('a ${1:b ${2:c}} $3 ${4} \\${x} ${5|p,q|} \\\\ ${6:{ ok \\}}'), 'a b c   ${x} p \\ { ok }');
    assert.throws(() => expandSnippet('`${name}`'), /unescaped variable/);
    assert.throws(() => expandSnippet('${1:open'), /not closed/);
  });

  for (const [language, ext] of Object.entries(languages)) {
    describe(language, () => {
      const snippets = load(language);

      it('has a snippet for every event source, with unique prefixes and descriptions', () => {
        const prefixes = Object.values(snippets).map((s) => s.prefix);
        assert.equal(new Set(prefixes).size, prefixes.length, 'prefixes are unique');
        for (const source of EVENT_SOURCES) assert.ok(prefixes.includes(`lambda-${source.id}`), `lambda-${source.id}`);
        for (const [name, s] of Object.entries(snippets)) {
          assert.ok(s.description.length > 10 && Array.isArray(s.body) && s.body.length > 1, name);
        }
      });

      for (const [name, snippet] of Object.entries(snippets)) {
        it(`${snippet.prefix}: expands to code that parses`, function () {
          const code = `${expandSnippet(snippet.body.join('\n'))}\n`;
          const file = join(dir.path, `${snippet.prefix}.${ext}`);
          writeFileSync(file, code);
          if (ext === 'mjs') {
            const r = run(process.execPath, ['--check', file], dir.path);
            assert.equal(r.status, 0, `${name}\n${code}\n${output(r)}`);
          } else if (ext === 'ts') {
            const js = transformSync(code, { loader: 'ts', format: 'esm' }).code;
            const out = join(dir.path, `${snippet.prefix}.ts.mjs`);
            writeFileSync(out, js);
            const r = run(process.execPath, ['--check', out], dir.path);
            assert.equal(r.status, 0, `${name}\n${code}\n${output(r)}`);
          } else {
            const python = pythonFor('python3.13');
            if (!python) this.skip();
            const r = run(python, ['-m', 'py_compile', file], dir.path);
            assert.equal(r.status, 0, `${name}\n${code}\n${output(r)}`);
          }
        });
      }
    });
  }
});
