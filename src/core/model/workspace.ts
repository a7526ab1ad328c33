import { promises as fs } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { type CancellationTokenLike, throwIfCancelled } from '../cancel';
import { discoverTemplates, type DiscoverOptions } from './discover';
import { checkHandlers } from './handlers';
import { parseTemplate } from './template';
import type { FunctionSpec, TemplateModel } from './types';

/**
 * One template, parsed and checked against the disk: what a file watcher calls when that template or
 * one of its code folders changes. `text` is the editor's unsaved text, if any.
 */
export async function loadTemplate(path: string, text?: string, opts: { token?: CancellationTokenLike } = {}): Promise<TemplateModel> {
  let source = text;
  if (source === undefined) {
    try {
      source = await fs.readFile(resolve(path), 'utf8');
    } catch {
      // parseTemplate turns the unreadable file into a located problem.
    }
  }
  const model = parseTemplate(path, source);
  if (source !== undefined) await checkHandlers(model, opts);
  return model;
}

/** Every template under the workspace folders, parsed and checked, sorted by path. */
export async function loadWorkspace(roots: readonly string[], opts: DiscoverOptions = {}): Promise<TemplateModel[]> {
  const paths = await discoverTemplates(roots, opts);
  throwIfCancelled(opts.token, 'loading templates');
  return Promise.all(paths.map((p) => loadTemplate(p, undefined, opts)));
}

/**
 * The templates a changed file affects: the template itself, or a template whose function or layer
 * code folder holds the file. Lets a watcher re-check only those.
 */
export function templatesAffectedBy(models: readonly TemplateModel[], changedPath: string): TemplateModel[] {
  const changed = resolve(changedPath);
  return models.filter(
    (m) => m.path === changed || m.functions.some((f) => inside(f.codeUri, changed) || inside(f.image?.dockerContext, changed)) || m.layers.some((l) => inside(l.contentUri, changed)),
  );
}

/** Whether a changed file is part of what the function runs: its code folder, its image's build context, or a local layer's folder. */
export function functionUsesPath(fn: FunctionSpec, changedPath: string): boolean {
  const changed = resolve(changedPath);
  return inside(fn.codeUri, changed) || inside(fn.image?.dockerContext, changed) || fn.layers.some((l) => l.kind === 'local' && inside(l.layer.contentUri, changed));
}

function inside(dir: string | undefined, changed: string): boolean {
  if (dir === undefined) return false;
  const rel = relative(dir, changed);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
