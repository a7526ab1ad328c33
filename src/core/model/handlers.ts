import { promises as fs } from 'node:fs';
import { basename, dirname, join, posix, relative } from 'node:path';
import { type CancellationTokenLike, throwIfCancelled } from '../cancel';
import { type ExportAnswer, nodeExports, pythonDefines } from './exports';
import type { FunctionSpec, SourceRange, TemplateModel, TemplateProblem } from './types';

export interface CheckOptions {
  token?: CancellationTokenLike;
}

/**
 * The file-system half of a template's checks: every code folder (CodeUri, ContentUri) exists, and
 * every Zip function's Handler names a file that exists and defines the function (Node.js and Python;
 * other runtimes build their handler, so only the folder is checked). Problems are added to
 * `model.problems` (and returned), each at the property it is about. Checking again (after a code
 * folder changed) replaces the problems of the previous check.
 */
export async function checkHandlers(model: TemplateModel, opts: CheckOptions = {}): Promise<TemplateProblem[]> {
  throwIfCancelled(opts.token, 'checking handlers');
  const listings = new DirCache();
  const found: TemplateProblem[] = [];
  const add = (code: string, message: string, range: SourceRange): void => void found.push({ code, message, range, severity: 'error' });
  const shown = (path: string): string => relative(dirname(model.path), path).split('\\').join('/') || '.';
  const folder = (path: string): string => (shown(path) === '.' ? "the template's folder" : `${shown(path)}/`);

  await Promise.all([
    ...model.layers.map(async (layer) => {
      if (layer.contentUri === undefined || (await kindOf(layer.contentUri)) !== 'missing') return;
      const prop = layer.ranges.properties.ContentUri ?? layer.ranges.properties.Content ?? layer.ranges.logicalId;
      add('content-not-found', `Layer ${layer.logicalId}: the folder ${folder(layer.contentUri)} does not exist. Create it or fix the path.`, prop);
    }),
    ...model.functions.map(async (fn) => {
      if (fn.packageType !== 'Zip') return;
      const handlerRange = fn.ranges.properties.Handler ?? fn.ranges.logicalId;
      if (fn.inlineCode !== undefined) {
        const missing = missingInlineExport(fn, fn.inlineCode);
        if (missing) add('handler-export-missing', `Handler '${fn.handler}': the inline code does not define '${missing}'. Define it or fix Handler.`, handlerRange);
        return;
      }
      if (fn.codeUri === undefined) return;
      const kind = await kindOf(fn.codeUri);
      if (kind === 'missing') {
        add('code-not-found', `${fn.logicalId}: the code folder ${folder(fn.codeUri)} does not exist. Create it or fix CodeUri.`, fn.ranges.properties.CodeUri ?? fn.ranges.logicalId);
        return;
      }
      // A CodeUri that is a .zip or .jar is already a package: nothing to look into.
      if (kind === 'file' || !fn.handler || !fn.runtime) return;
      throwIfCancelled(opts.token, 'checking handlers');
      const problem = await checkHandler(fn, fn.codeUri, fn.handler, fn.runtime, listings, shown, folder);
      if (problem) add(problem.code, problem.message, handlerRange);
    }),
  ]);
  found.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column);
  const kept = model.problems.filter((p) => !CHECK_CODES.has(p.code));
  model.problems.splice(0, model.problems.length, ...kept, ...found);
  return found;
}

/** The codes this check reports, so a re-check can replace its own earlier findings. */
const CHECK_CODES = new Set(['content-not-found', 'code-not-found', 'handler-not-found', 'handler-export-missing', 'handler-invalid']);

const NODE_SOURCES = ['.js', '.mjs', '.cjs'];
const ESBUILD_SOURCES = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];

async function checkHandler(
  fn: FunctionSpec,
  codeDir: string,
  handler: string,
  runtime: string,
  listings: DirCache,
  shown: (path: string) => string,
  folder: (path: string) => string,
): Promise<{ code: string; message: string } | undefined> {
  const node = runtime.startsWith('nodejs');
  const python = runtime.startsWith('python');
  if (!node && !python) return undefined;
  const parsed = node ? splitNodeHandler(handler) : splitPythonHandler(handler);
  if (!parsed) {
    const example = node ? 'app.handler (file app.js, export handler)' : 'app.lambda_handler (file app.py, function lambda_handler)';
    return { code: 'handler-invalid', message: `Handler '${handler}' must name a file and a function, for example ${example}.` };
  }
  const file = await firstExisting(codeDir, handlerCandidates(fn, parsed.module, node), listings);
  const esbuild = fn.build?.method === 'esbuild';
  if (!file) {
    const m = parsed.module;
    const names = !node ? `${m}.py` : esbuild ? `${m}.ts or ${m}.js, and no EntryPoints file named ${basename(m)},` : `${m}.js, ${m}.mjs or ${m}.cjs`;
    const ts = node && !esbuild ? await firstExisting(codeDir, [`${parsed.module}.ts`], listings) : undefined;
    const hint = ts ? ` There is ${basename(ts)}: TypeScript needs a build, so add Metadata with BuildMethod: esbuild.` : ' Create the file or fix Handler.';
    return { code: 'handler-not-found', message: `Handler '${handler}': no ${names} in ${folder(codeDir)}.${hint}` };
  }
  let source: string;
  try {
    source = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const answer: ExportAnswer = node ? nodeExports(source, parsed.exportName) : pythonDefines(source, parsed.exportName);
  if (answer !== 'no') return undefined;
  const name = parsed.exportName;
  const fix = node ? `Export it (export const ${name} = async (event) => { ... })` : `Define it (def ${name}(event, context): ...)`;
  return { code: 'handler-export-missing', message: `Handler '${handler}': ${shown(file)} does not ${node ? 'export' : 'define'} '${name}'. ${fix} or fix Handler.` };
}

/** The files, relative to the code folder, that may hold a handler's module, most likely first. */
function handlerCandidates(fn: FunctionSpec, module: string, node: boolean): string[] {
  if (!node) return [`${module}.py`, `${module}/__init__.py`];
  if (fn.build?.method === 'esbuild') return [...entryPointsFor(fn, module), ...ESBUILD_SOURCES.map((ext) => module + ext)];
  return NODE_SOURCES.map((ext) => module + ext);
}

/**
 * Where a Zip function's handler is written: its source file and the export's name and 0-based line
 * (0 when the definition cannot be pinned down). Undefined when the file does not exist or the
 * runtime is not Node.js, Python, Java or Go (a custom runtime the build stage builds with Go).
 */
export async function locateHandler(fn: FunctionSpec): Promise<{ file: string; exportName: string; line: number } | undefined> {
  if (fn.handler && fn.codeUri && fn.runtime?.startsWith('java')) return locateJavaHandler(fn.codeUri, fn.handler);
  if (fn.codeUri && fn.runtime?.startsWith('provided') && fn.build?.method === 'go1.x') return locateGoHandler(fn.codeUri);
  const node = fn.runtime?.startsWith('nodejs') ?? false;
  if (!fn.handler || !fn.codeUri || (!node && !fn.runtime?.startsWith('python'))) return undefined;
  const parsed = node ? splitNodeHandler(fn.handler) : splitPythonHandler(fn.handler);
  if (!parsed) return undefined;
  const file = await firstExisting(fn.codeUri, handlerCandidates(fn, parsed.module, node), new DirCache());
  if (!file) return undefined;
  const source = await fs.readFile(file, 'utf8').catch(() => '');
  const name = parsed.exportName.replace(/[$]/g, '\\$&');
  const definition = node
    ? new RegExp(`^\\s*(?:export\\s+(?:async\\s+)?(?:const|let|var|function\\*?|class)\\s+${name}\\b|(?:module\\.)?exports\\.${name}\\s*=)`)
    : new RegExp(`^(?:async\\s+)?def\\s+${name}\\s*\\(`);
  const line = source.split('\n').findIndex((l) => definition.test(l));
  return { file, exportName: parsed.exportName, line: Math.max(0, line) };
}

/**
 * Java's `package.Class::method` (or `package.Class`, a RequestHandler's handleRequest), in the
 * Maven and Gradle source folder; an inner class (`Outer$Inner`) is written in its outer class's file.
 */
async function locateJavaHandler(codeUri: string, handler: string): Promise<{ file: string; exportName: string; line: number } | undefined> {
  const [className, method = 'handleRequest'] = handler.split('::');
  if (!/^[\w.$]+$/.test(className) || !/^\w+$/.test(method)) return undefined;
  const file = join(codeUri, 'src', 'main', 'java', ...className.split('$')[0].split('.')) + '.java';
  const source = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (source === undefined) return undefined;
  // A declaration: words before the name (modifiers, the return type), then its parameters; a call
  // has none before it. Words hold no whitespace, so a long line cannot make the match backtrack.
  const definition = new RegExp(`^\\s*(?:[\\w.$<>\\[\\],?@]+\\s+)+${method}\\s*\\(`);
  const line = source.split('\n').findIndex((l) => definition.test(l) && !/^\s*return\b/.test(l));
  return { file, exportName: method, line: Math.max(0, line) };
}

/**
 * A Go function's handler: the function its main package hands to lambda.Start (or StartWithOptions),
 * where it is defined; else the Start call itself.
 */
async function locateGoHandler(codeUri: string): Promise<{ file: string; exportName: string; line: number } | undefined> {
  const names = await fs.readdir(codeUri).catch(() => [] as string[]);
  const files = names.filter((n) => n.endsWith('.go') && !n.endsWith('_test.go')).sort();
  const sources = await Promise.all(files.map(async (n) => ({ file: join(codeUri, n), lines: (await fs.readFile(join(codeUri, n), 'utf8').catch(() => '')).split('\n') })));
  for (const { file, lines } of sources) {
    const at = lines.findIndex((l) => /\blambda\.Start(?:WithOptions|WithContext)?\(/.test(l));
    if (at < 0) continue;
    const name = /\blambda\.Start\w*\(\s*([A-Za-z_][\w.]*)\s*[,)]/.exec(lines[at])?.[1];
    // A plain function is found where it is defined; a method value (h.Handle) at the call.
    const definition = name && /^\w+$/.test(name) ? new RegExp(`^func\\s+${name}\\s*[([]`) : undefined;
    for (const other of definition ? sources : []) {
      const line = other.lines.findIndex((l) => definition!.test(l));
      if (line >= 0) return { file: other.file, exportName: name!, line };
    }
    return { file, exportName: name ?? 'main', line: at };
  }
  return undefined;
}

/**
 * Node's runtime splits `dir/app.handler` after the last slash at the first dot: module `dir/app`,
 * function `handler` (a further dotted path is looked up on that export).
 */
function splitNodeHandler(handler: string): { module: string; exportName: string } | undefined {
  const m = /^(.*\/)?([^./]+)\.([^.]+)(?:\..*)?$/.exec(handler);
  return m ? { module: (m[1] ?? '') + m[2], exportName: m[3] } : undefined;
}

/** Python's runtime imports everything before the last dot as a module (dots or slashes as separators). */
function splitPythonHandler(handler: string): { module: string; exportName: string } | undefined {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) return undefined;
  return { module: handler.slice(0, dot).replace(/\./g, '/'), exportName: handler.slice(dot + 1) };
}

/** The function inline code (Code.ZipFile, InlineCode) lacks, if it surely lacks it. */
function missingInlineExport(fn: FunctionSpec, code: string): string | undefined {
  const node = fn.runtime?.startsWith('nodejs');
  const python = fn.runtime?.startsWith('python');
  const parsed = !fn.handler ? undefined : node ? splitNodeHandler(fn.handler) : python ? splitPythonHandler(fn.handler) : undefined;
  if (!parsed) return undefined;
  const answer = node ? nodeExports(code, parsed.exportName) : pythonDefines(code, parsed.exportName);
  return answer === 'no' ? parsed.exportName : undefined;
}

/**
 * esbuild names each output after its entry point (SAM's esbuild build puts `src/app.ts` at `app.js`),
 * so the handler's module matches an entry point by its path or its file name.
 */
function entryPointsFor(fn: FunctionSpec, module: string): string[] {
  const entries = fn.build?.esbuild?.entryPoints ?? [];
  const stem = (p: string): string => posix.normalize(p.split('\\').join('/')).replace(/\.[^./]+$/, '');
  return entries.filter((e) => {
    const s = stem(e);
    return s === module || s.endsWith(`/${module}`) || basename(s) === basename(module);
  });
}

async function firstExisting(dir: string, relPaths: string[], listings: DirCache): Promise<string | undefined> {
  for (const rel of relPaths) {
    const full = join(dir, rel);
    const names = await listings.files(dirname(full));
    if (names?.has(basename(full))) return full;
  }
  return undefined;
}

async function kindOf(path: string): Promise<'dir' | 'file' | 'missing'> {
  try {
    return (await fs.stat(path)).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

/** Directory listings, each read once per check: many functions often share one folder. */
class DirCache {
  private readonly cache = new Map<string, Promise<Set<string> | undefined>>();

  files(dir: string): Promise<Set<string> | undefined> {
    let listing = this.cache.get(dir);
    if (!listing) {
      listing = fs.readdir(dir, { withFileTypes: true }).then(
        (entries) => new Set(entries.filter((e) => !e.isDirectory()).map((e) => e.name)),
        () => undefined,
      );
      this.cache.set(dir, listing);
    }
    return listing;
  }
}

