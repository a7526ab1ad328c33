import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { functionKey } from '../model/key';
import type { FunctionSpec, TemplateModel } from '../model/types';
import type { ServedRoute } from './types';

/** What a saved template changed in the running local API, as the CLI prints it and the editor shows it. */
export interface TemplateReloadEvent {
  templatePath: string;
  /** Routes served now that were not before, and routes no longer served (they answer as unknown routes do). */
  added: ServedRoute[];
  removed: ServedRoute[];
  /** Functions served before and after whose settings changed: the next request runs with the new ones. */
  changed: string[];
  /** Why the template was not taken; the previous routes keep serving. */
  error?: string;
  /** The warnings of the new route table. */
  warnings: string[];
}

/** Problems that leave a template without its resources: a reload that meets one keeps the old routes. */
const UNREADABLE = new Set(['yaml-syntax', 'template-unreadable', 'template-not-a-map', 'resources-missing', 'template-empty', 'internal-error', 'alias-limit']);

/** Why a reloaded template cannot replace the one being served, or undefined when it can. */
export function unusableTemplate(model: TemplateModel): string | undefined {
  const problem = model.problems.find((p) => UNREADABLE.has(p.code) || (p.code === 'invalid-type' && /^Resources /.test(p.message)));
  return problem && `${problem.message} (line ${problem.range.start.line + 1})`;
}

/** The one line that says what a template reload did. */
export function describeTemplateReload(e: TemplateReloadEvent): string {
  const name = basename(e.templatePath);
  if (e.error) return `${name} not reloaded: ${e.error}; the previous routes keep serving`;
  const route = (r: ServedRoute): string => `${r.method} ${r.url} (${r.logicalId})`;
  const parts = [
    ...(e.added.length > 0 ? [`added ${e.added.map(route).join(', ')}`] : []),
    ...(e.removed.length > 0 ? [`removed ${e.removed.map(route).join(', ')}`] : []),
    ...(e.changed.length > 0 ? [`changed ${e.changed.join(', ')}`] : []),
  ];
  return `${name} reloaded: ${parts.length > 0 ? parts.join('; ') : 'no route or function changed'}`;
}

/** The routes in `after` that are not in `before` (by method, URL and function). */
export function routesMissingFrom(after: readonly ServedRoute[], before: readonly ServedRoute[]): ServedRoute[] {
  const key = (r: ServedRoute): string => `${r.method} ${r.url} ${r.templatePath}#${r.logicalId}`;
  const had = new Set(before.map(key));
  return after.filter((r) => !had.has(key(r)));
}

/** The functions in both lists whose settings differ (where they are in the template does not count). */
export function changedFunctions(before: readonly FunctionSpec[], after: readonly FunctionSpec[]): string[] {
  const old = new Map(before.map((f) => [functionKey(f), settings(f)]));
  return after.filter((f) => old.has(functionKey(f)) && old.get(functionKey(f)) !== settings(f)).map((f) => f.logicalId);
}

/**
 * What a function runs with, as a string to compare: everything but where things stand in the
 * template (ranges, its own and its layers') and its events (the routes say those).
 */
export function settings(fn: FunctionSpec): string {
  return JSON.stringify(fn, (key, value: unknown) => (key === 'ranges' || key === 'range' || key === 'events' ? undefined : value));
}

/**
 * Watches template files for saves: the folder of each, since editors save by writing a new file
 * and renaming it over the old one (a watch on the file itself would end there). `onChange` gets
 * the template's path once its saves settle (200 ms).
 */
export function watchTemplates(paths: readonly string[], onChange: (path: string) => void): { close(): void } {
  const byFolder = new Map<string, Set<string>>();
  for (const p of paths) byFolder.set(dirname(p), (byFolder.get(dirname(p)) ?? new Set()).add(basename(p)));
  const timers = new Map<string, NodeJS.Timeout>();
  const watchers: FSWatcher[] = [];
  for (const [folder, names] of byFolder) {
    try {
      const w = watch(folder, { persistent: false }, (_event, name) => {
        const file = name?.toString();
        if (!file || !names.has(file)) return;
        const path = paths.find((p) => dirname(p) === folder && basename(p) === file)!;
        clearTimeout(timers.get(path));
        const timer = setTimeout(() => {
          timers.delete(path);
          onChange(path);
        }, 200);
        timer.unref();
        timers.set(path, timer);
      });
      w.on('error', () => w.close());
      watchers.push(w);
    } catch {
      // A folder gone or unreadable: its templates are not reloaded, as before.
    }
  }
  return {
    close() {
      for (const w of watchers) w.close();
      for (const t of timers.values()) clearTimeout(t);
    },
  };
}
