import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FunctionSpec } from '../../core/model/types';
import { buildSampleEvent, SAMPLE_EVENTS, type SampleEventType, sampleTypesForFunction, serializeSampleEvent } from '../../core/events';
import { type Prompts, promptJson } from '../prompts';

export interface ChosenEvent {
  /** What the user sees: a file name or a sample's title. */
  name: string;
  payload: string;
  /** The saved event's file, to reread on Invoke Again (it may have been edited). */
  file?: vscode.Uri;
}

export function eventsFolder(fn: FunctionSpec): vscode.Uri {
  return vscode.Uri.file(path.join(path.dirname(fn.templatePath), 'events', fn.logicalId));
}

/** An event given by a command argument: an event tree node or {eventPath}. */
export async function eventFromArg(arg: unknown): Promise<ChosenEvent | undefined> {
  const a = arg as { uri?: vscode.Uri; eventPath?: string } | undefined;
  const file = a?.uri instanceof vscode.Uri ? a.uri : a?.eventPath ? vscode.Uri.file(a.eventPath) : undefined;
  return file ? readEvent(file) : undefined;
}

export async function readEvent(file: vscode.Uri): Promise<ChosenEvent> {
  const text = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
  return { name: path.basename(file.fsPath), payload: text, file };
}

/** Saved events of the function first, then an empty event or typed JSON. */
export async function pickEvent(fn: FunctionSpec, prompts: Prompts): Promise<ChosenEvent | undefined> {
  const dir = eventsFolder(fn);
  const saved = await vscode.workspace.fs.readDirectory(dir).then(
    (entries) => entries.filter(([n, t]) => t === vscode.FileType.File && n.endsWith('.json')).map(([n]) => n).sort(),
    () => [] as string[],
  );
  type Item = vscode.QuickPickItem & { run: () => Promise<ChosenEvent | undefined> };
  const items: Item[] = [
    ...saved.map((n) => ({ label: n, description: 'saved event', run: () => readEvent(vscode.Uri.joinPath(dir, n)) })),
    ...samples(fn),
    { label: 'Empty event', description: '{}', run: async () => ({ name: 'empty event', payload: '{}' }) },
    {
      label: 'Type an event…',
      description: 'JSON',
      run: async () => {
        const text = await promptJson(prompts, `Event for ${fn.logicalId}`);
        return text === undefined ? undefined : { name: 'typed event', payload: text };
      },
    },
  ];
  const picked = await prompts.pick(items, { title: `Event for ${fn.logicalId}`, placeHolder: saved.length ? undefined : `No saved events in ${vscode.workspace.asRelativePath(dir)}` });
  return picked?.run();
}

/** The sample catalog, the function's own event sources first. */
function samples(fn: FunctionSpec): (vscode.QuickPickItem & { run: () => Promise<ChosenEvent> })[] {
  const own = new Set<SampleEventType>(sampleTypesForFunction(fn.events.map((e) => e.type)));
  return [...SAMPLE_EVENTS]
    .sort((a, b) => Number(own.has(b.type)) - Number(own.has(a.type)))
    .map((d) => ({
      label: d.label,
      description: own.has(d.type) ? `sample · ${d.type} · this function's event source` : `sample · ${d.type}`,
      run: async () => ({ name: `sample ${d.type} event`, payload: serializeSampleEvent(buildSampleEvent(d.type, {})) }),
    }));
}
