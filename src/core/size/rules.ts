// What goes into a function's package: the code folder minus these rules. Rules are data so the
// size report can show which rule left what out, and so the deploy packs exactly what was measured.
//
// 'exclude' rules remove things that are never read at run time. 'report' rules keep files that
// may be dead weight but could be loaded (a package might require its own docs folder), and turn
// them into findings with an exclude pattern the user can adopt.

export type ReportCategory = 'tests' | 'docs' | 'source-maps' | 'type-declarations';

export interface PackageRule {
  id: string;
  action: 'exclude' | 'report';
  /** For report rules: the finding the matched files add up to. */
  category?: ReportCategory;
  /** Folder names that match (the whole folder). */
  dirs?: readonly string[];
  /** File names that match exactly. */
  files?: readonly string[];
  /** File name endings that match (lower-cased comparison). */
  suffixes?: readonly string[];
  /** Only at the top of the package, not in subfolders. */
  rootOnly?: boolean;
  /** File names under a matched folder must also end with one of these (e.g. events/ holds only JSON to drop). */
  onlySuffixes?: readonly string[];
  /** Why it is excluded or reported: shown to the user. */
  why: string;
}

export const PACKAGE_RULES: readonly PackageRule[] = [
  {
    id: 'vcs',
    action: 'exclude',
    dirs: ['.git', '.hg', '.svn'],
    why: 'version control history is never read by the function',
  },
  {
    id: 'sam-build',
    action: 'exclude',
    dirs: ['.aws-sam', '.lambda-workbench'],
    why: "build output (SAM's, and this product's own): packing it would nest an older build inside the package",
  },
  {
    id: 'python-bytecode',
    action: 'exclude',
    dirs: ['__pycache__'],
    why: "bytecode compiled by the local Python; Lambda's interpreter recompiles or ignores it when its version or source stamp differs",
  },
  {
    id: 'tool-caches',
    action: 'exclude',
    dirs: ['.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox', '.nyc_output', '.cache'],
    why: 'caches of test runners, type checkers and bundlers',
  },
  {
    id: 'virtualenv',
    action: 'exclude',
    dirs: ['.venv'],
    rootOnly: true,
    why: 'a local virtual environment: Lambda does not put it on the import path, dependencies must be installed into the package itself',
  },
  {
    id: 'editor-settings',
    action: 'exclude',
    dirs: ['.vscode', '.idea'],
    rootOnly: true,
    why: 'editor settings',
  },
  {
    id: 'coverage',
    action: 'exclude',
    dirs: ['coverage'],
    rootOnly: true,
    why: 'test coverage reports',
  },
  {
    id: 'npm-bin-links',
    action: 'exclude',
    dirs: ['.bin'],
    why: 'node_modules/.bin holds links to package command-line tools; following them would pack each tool twice and Lambda never runs them',
  },
  {
    id: 'npm-metadata',
    action: 'exclude',
    files: ['.package-lock.json'],
    why: "npm's record of what it installed, for npm only",
  },
  {
    id: 'os-litter',
    action: 'exclude',
    files: ['.DS_Store', 'Thumbs.db', 'desktop.ini'],
    why: 'file manager metadata',
  },
  {
    id: 'sample-events',
    action: 'exclude',
    dirs: ['events'],
    rootOnly: true,
    onlySuffixes: ['.json'],
    why: "sample event payloads (SAM's events/ convention) are test inputs; other files in events/ are kept",
  },
  {
    id: 'ignore-file',
    action: 'exclude',
    files: ['.lambdaignore'],
    rootOnly: true,
    why: "this tool's own list of paths to leave out",
  },
  {
    id: 'tests',
    action: 'report',
    category: 'tests',
    dirs: ['test', 'tests', '__tests__', 'spec', '__mocks__'],
    suffixes: ['.test.js', '.test.mjs', '.test.cjs', '.test.ts', '.spec.js', '.spec.mjs', '.spec.cjs', '.spec.ts', '_test.py', '_test.go'],
    why: 'tests are not run in Lambda',
  },
  {
    id: 'docs',
    action: 'report',
    category: 'docs',
    dirs: ['docs', 'doc', 'example', 'examples'],
    suffixes: ['.md', '.markdown'],
    why: 'documentation and examples are not read at run time',
  },
  {
    id: 'source-maps',
    action: 'report',
    category: 'source-maps',
    suffixes: ['.map'],
    why: 'source maps are only read when stack traces are mapped (NODE_OPTIONS=--enable-source-maps)',
  },
  {
    id: 'type-declarations',
    action: 'report',
    category: 'type-declarations',
    suffixes: ['.d.ts', '.d.mts', '.d.cts'],
    why: 'TypeScript declarations are for the compiler, not the runtime',
  },
];

/** Test files in Python are also named test_*.py: matched by prefix, which the table cannot say. */
export function isPythonTestFile(name: string): boolean {
  return name.startsWith('test_') && name.endsWith('.py');
}

/** The exclude patterns (for .lambdaignore) that drop what a report category matched. */
export const CATEGORY_PATTERNS: Record<ReportCategory, readonly string[]> = {
  tests: ['**/test/', '**/tests/', '**/__tests__/', '**/__mocks__/', '**/*.test.*', '**/*.spec.*', '**/test_*.py', '**/*_test.py'],
  docs: ['**/docs/', '**/doc/', '**/example/', '**/examples/', '**/*.md', '**/*.markdown'],
  'source-maps': ['**/*.map'],
  'type-declarations': ['**/*.d.ts', '**/*.d.mts', '**/*.d.cts'],
};

/** The rules, indexed for the walk: a few map lookups per name instead of a pattern per rule. */
export interface CompiledRules {
  dirsAnywhere: Map<string, PackageRule>;
  dirsAtRoot: Map<string, PackageRule>;
  filesAnywhere: Map<string, PackageRule>;
  filesAtRoot: Map<string, PackageRule>;
  /** Suffix rules by the name's last extension ('map', 'ts'...), longest suffix first. */
  suffixRules: Map<string, { suffix: string; rule: PackageRule }[]>;
}

export function compileRules(rules: readonly PackageRule[] = PACKAGE_RULES): CompiledRules {
  const c: CompiledRules = { dirsAnywhere: new Map(), dirsAtRoot: new Map(), filesAnywhere: new Map(), filesAtRoot: new Map(), suffixRules: new Map() };
  for (const rule of rules) {
    for (const d of rule.dirs ?? []) (rule.rootOnly ? c.dirsAtRoot : c.dirsAnywhere).set(d, rule);
    for (const f of rule.files ?? []) (rule.rootOnly ? c.filesAtRoot : c.filesAnywhere).set(f, rule);
    for (const raw of rule.suffixes ?? []) {
      const suffix = raw.toLowerCase();
      const ext = suffix.slice(suffix.lastIndexOf('.') + 1);
      const list = c.suffixRules.get(ext) ?? [];
      list.push({ suffix, rule });
      // Longest first, so '.d.ts' wins over a shorter ending that would also match.
      list.sort((a, b) => b.suffix.length - a.suffix.length);
      c.suffixRules.set(ext, list);
    }
  }
  return c;
}

const TESTS_RULE = PACKAGE_RULES.find((r) => r.id === 'tests');

/** The rule a folder matches, if any. `atRoot`: the folder is directly in the package root. */
export function matchDir(c: CompiledRules, name: string, atRoot: boolean): PackageRule | undefined {
  return (atRoot ? c.dirsAtRoot.get(name) : undefined) ?? c.dirsAnywhere.get(name);
}

/** The rule a file matches, if any. */
export function matchFile(c: CompiledRules, name: string, atRoot: boolean): PackageRule | undefined {
  const byName = (atRoot ? c.filesAtRoot.get(name) : undefined) ?? c.filesAnywhere.get(name);
  if (byName) return byName;
  const dot = name.lastIndexOf('.');
  if (dot >= 0) {
    const candidates = c.suffixRules.get(name.slice(dot + 1).toLowerCase());
    if (candidates) {
      const lower = name.toLowerCase();
      for (const { suffix, rule } of candidates) if (lower.endsWith(suffix)) return rule;
    }
  }
  if (isPythonTestFile(name)) return TESTS_RULE;
  return undefined;
}
