import type { FunctionConfiguration, LayerVersionsListItem } from '@aws-sdk/client-lambda';
import * as vscode from 'vscode';
import { functionNameOf } from '../../core/deploy/names';
import { UserError } from '../../core/errors';
import { eventsFolder, readEvent } from '../local/events';
import type { ModelStore } from '../model/store';
import { CloudFunctionLayerNode, CloudFunctionNode, CloudLayerVersionNode } from '../views/cloudNodes';
import type { CloudTree } from '../views/cloudTree';
import { promptJson, windowPrompts } from '../prompts';

/** A deployed function named by a command's argument: a Cloud view row or {functionName}. */
export interface FunctionTarget {
  name: string;
  /** Its configuration as listed; absent when only the name was given. */
  configuration?: FunctionConfiguration;
}

export function functionFromArg(arg: unknown): FunctionTarget | undefined {
  if (arg instanceof CloudFunctionNode || arg instanceof CloudFunctionLayerNode) return { name: arg.configuration.FunctionName ?? '', configuration: arg.configuration };
  const name = (arg as { functionName?: unknown } | undefined)?.functionName;
  return typeof name === 'string' && name ? { name } : undefined;
}

/** The ARN a row stands for (function, layer, layer version), or {arn}. */
export function arnFromArg(arg: unknown): string | undefined {
  const arn = (arg as { arn?: unknown } | undefined)?.arn;
  return typeof arn === 'string' && arn ? arn : undefined;
}

/** The function a command acts on: its argument's, else one picked from the listed functions. */
export async function pickCloudFunction(
  cloud: CloudTree,
  arg: unknown,
  purpose: string,
  filter: (cfg: FunctionConfiguration) => boolean = () => true,
): Promise<FunctionTarget | undefined> {
  const given = functionFromArg(arg);
  if (given) return given;
  const list = await cloud.functions();
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Listing functions', cancellable: true }, (_p, token) => list.loadAll(token));
  const items = list.items.filter(filter).map((cfg) => ({ label: cfg.FunctionName ?? '?', description: cfg.PackageType === 'Image' ? 'image' : cfg.Runtime, id: cfg.FunctionName, cfg }));
  if (items.length === 0) throw new UserError(`No deployed function to ${purpose} in this region.`, 'Deploy one first, or choose another region.', 'no-function');
  const picked = await windowPrompts.pick(items, { title: `Function to ${purpose}`, matchOnDescription: true });
  return picked ? { name: picked.cfg.FunctionName ?? '', configuration: picked.cfg } : undefined;
}

export interface ChosenRemoteEvent {
  name: string;
  payload: string;
}

/**
 * The event for a remote invoke: the saved events of the workspace function deployed under this
 * name (when there is one), an empty event, or typed JSON.
 */
export async function pickRemoteEvent(store: ModelStore, functionName: string): Promise<ChosenRemoteEvent | undefined> {
  await store.ready();
  const local = store.functions().find((f) => {
    const n = functionNameOf(f);
    return n.ok && n.name === functionName;
  });
  const dir = local ? eventsFolder(local) : undefined;
  const saved = dir
    ? await vscode.workspace.fs.readDirectory(dir).then(
        (entries) => entries.filter(([n, t]) => t === vscode.FileType.File && n.endsWith('.json')).map(([n]) => n).sort(),
        () => [] as string[],
      )
    : [];
  type Item = vscode.QuickPickItem & { id: string; run: () => Promise<ChosenRemoteEvent | undefined> };
  const items: Item[] = [
    ...saved.map((n) => ({ label: n, description: `saved event of ${local!.logicalId}`, id: n, run: () => readEvent(vscode.Uri.joinPath(dir!, n)) })),
    { label: 'Empty event', description: '{}', id: 'empty', run: async () => ({ name: 'an empty event', payload: '{}' }) },
    { label: 'Type an event…', description: 'JSON', id: 'typed', run: () => typeEvent(functionName) },
  ];
  const picked = await windowPrompts.pick(items, {
    title: `Event for ${functionName} (in AWS)`,
    placeHolder: local ? (saved.length ? undefined : `No saved events in ${vscode.workspace.asRelativePath(dir!)}`) : 'No workspace function is deployed under this name',
  });
  return picked?.run();
}

async function typeEvent(functionName: string): Promise<ChosenRemoteEvent | undefined> {
  const text = await promptJson(windowPrompts, `Event for ${functionName}`);
  return text === undefined ? undefined : { name: 'a typed event', payload: text };
}

/** A layer version to attach: the layer first, then its version (newest first). */
export async function pickLayerVersion(cloud: CloudTree, fn: FunctionConfiguration | undefined): Promise<LayerVersionsListItem | undefined> {
  const layers = await cloud.layers();
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Listing layers', cancellable: true }, (_p, token) => layers.loadAll(token));
  if (layers.items.length === 0) throw new UserError('No layers in this region.', 'Publish one first (Lambda: Publish Layer).', 'no-layer');
  const layer = await windowPrompts.pick(
    layers.items.map((l) => ({ label: l.LayerName ?? '?', description: l.LatestMatchingVersion ? `latest ${l.LatestMatchingVersion.Version}` : undefined, id: l.LayerName })),
    { title: `Layer to attach${fn ? ` to ${fn.FunctionName}` : ''}` },
  );
  if (!layer?.id) return undefined;
  const versions = await cloud.layerVersions(layer.id);
  await versions.loadAll();
  const attached = new Set((fn?.Layers ?? []).map((l) => l.Arn));
  const picked = await windowPrompts.pick(
    versions.items.map((v) => ({
      label: `version ${v.Version}`,
      description: [v.CompatibleRuntimes?.join(', '), v.CompatibleArchitectures?.join(', '), attached.has(v.LayerVersionArn) ? 'attached' : undefined].filter(Boolean).join(' · '),
      detail: v.Description,
      id: String(v.Version),
      v,
    })),
    { title: `Version of ${layer.id}` },
  );
  return picked?.v;
}

/** The layer version a command acts on: a version row, or {arn}. */
export function layerVersionFromArg(arg: unknown): { arn: string; item?: LayerVersionsListItem } | undefined {
  if (arg instanceof CloudLayerVersionNode) return { arn: arg.arn, item: arg.item };
  const arn = arnFromArg(arg);
  return arn && /:layer:[^:]+:\d+$/.test(arn) ? { arn } : undefined;
}
