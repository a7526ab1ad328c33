// Names left out of a build's copy of the sources. Like SAM's builders (shutil.ignore_patterns), a
// pattern matches an entry's name at any depth; `*` and `?` are the only wildcards.

import { BUILD_FOLDER } from './layout';

/** Never copied, whatever the builder: version control, SAM's build output and ours. */
export const ALWAYS_EXCLUDED: readonly string[] = ['.aws-sam', '.git', BUILD_FOLDER];

/** SAM's Python builder's list (a trimmed Python .gitignore): bytecode, environments, caches, editors. */
export const PYTHON_EXCLUDES: readonly string[] = [
  '.chalice',
  '.gitignore',
  '*.pyc',
  '__pycache__',
  '*.so',
  '.Python',
  '*.egg-info',
  '*.egg',
  'pip-log.txt',
  'pip-delete-this-directory.txt',
  'htmlcov',
  '.tox',
  '.nox',
  '.coverage',
  '.cache',
  '.pytest_cache',
  '.python-version',
  '.mypy_cache',
  '.dmypy.json',
  '.pyre',
  '.env',
  '.venv',
  'venv',
  'venv.bak',
  'env.bak',
  'ENV',
  'env',
  '.vscode',
  '.idea',
];

export type NameMatcher = (name: string) => boolean;

/** A test for entry names against the patterns and ALWAYS_EXCLUDED. */
export function nameMatcher(patterns: readonly string[]): NameMatcher {
  const exact = new Set<string>();
  const globs: RegExp[] = [];
  for (const p of [...ALWAYS_EXCLUDED, ...patterns]) {
    if (/[*?]/.test(p)) globs.push(new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`));
    else exact.add(p);
  }
  return (name) => exact.has(name) || globs.some((g) => g.test(name));
}
