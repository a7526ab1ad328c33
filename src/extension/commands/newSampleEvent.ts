import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { planSampleEvent, SAMPLE_EVENTS, type SampleEventType, sampleTypesForFunction } from '../../core/events';
import { applyEdits } from '../../core/scaffold';
import type { ModelStore } from '../model/store';
import type { Prompts } from '../prompts';
import { pickFunction } from './pick';

/** Lambda: New Sample Event — a catalog event saved under events/<Function>/, the function's own sources first. */
export async function newSampleEvent(store: ModelStore, prompts: Prompts, arg: unknown): Promise<string | undefined> {
  const fn = await pickFunction(store, arg, 'add a sample event to');
  if (!fn) return undefined;
  const own = new Set<SampleEventType>(sampleTypesForFunction(fn.events.map((e) => e.type), 'FunctionUrlConfig' in fn.ranges.properties));
  const items = [...SAMPLE_EVENTS]
    .sort((a, b) => Number(own.has(b.type)) - Number(own.has(a.type)))
    .map((d) => ({ label: d.label, description: own.has(d.type) ? `${d.type} · this function's event source` : d.type, detail: d.description, type: d.type, defaultName: d.defaultName }));
  const picked = await prompts.pick(items, { title: `Sample event for ${fn.logicalId}`, matchOnDescription: true });
  if (!picked) return undefined;
  const templateDir = path.dirname(fn.templatePath);
  const name = await prompts.input({
    title: `Sample event for ${fn.logicalId}`,
    prompt: 'File name (saved as <name>.<type>.json)',
    value: picked.defaultName,
    validateInput: (v) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(v)) return 'Use letters, digits, - and _.';
      try {
        planSampleEvent({ templateDir, logicalId: fn.logicalId, type: picked.type, name: v }, existsSync);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    },
  });
  if (!name) return undefined;
  const edit = planSampleEvent({ templateDir, logicalId: fn.logicalId, type: picked.type, name }, existsSync);
  await applyEdits([edit]);
  await vscode.window.showTextDocument(vscode.Uri.file(edit.path));
  return edit.path;
}
