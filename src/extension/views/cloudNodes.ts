import type { FunctionConfiguration, LayersListItem, LayerVersionsListItem } from '@aws-sdk/client-lambda';
import * as vscode from 'vscode';
import { parseLayerVersionArn } from '../../core/deploy/names';
import { describeError } from '../../core/errors';
import { errorAction } from '../errorActions';
import { formatBytes } from '../../core/size/format';
import { MessageNode, Node, runtimeFamily } from './nodes';

/** contextValue of each kind of Cloud view node; package.json's menus match on these. */
export const CLOUD_CONTEXT = {
  account: 'lambdaWorkbench.cloudAccount',
  functions: 'lambdaWorkbench.cloudFunctions',
  layers: 'lambdaWorkbench.cloudLayers',
  function: 'lambdaWorkbench.cloudFunction',
  imageFunction: 'lambdaWorkbench.cloudFunction.image',
  functionLayer: 'lambdaWorkbench.cloudFunctionLayer',
  layer: 'lambdaWorkbench.cloudLayer',
  layerVersion: 'lambdaWorkbench.cloudLayerVersion',
  loadMore: 'lambdaWorkbench.cloudLoadMore',
} as const;

/** The profile (or endpoint) and region the view shows. */
export class CloudAccountNode extends Node {
  constructor(label: string, tooltip: string) {
    super(label, vscode.TreeItemCollapsibleState.Expanded);
    this.id = 'cloud:account';
    this.contextValue = CLOUD_CONTEXT.account;
    this.iconPath = new vscode.ThemeIcon('cloud');
    this.tooltip = tooltip;
  }
}

/** "Functions" or "Layers": their rows come from the tree's paged listings. */
export class CloudGroupNode extends Node {
  constructor(readonly kind: 'functions' | 'layers') {
    super(kind === 'functions' ? 'Functions' : 'Layers', kind === 'functions' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `cloud:${kind}`;
    this.contextValue = kind === 'functions' ? CLOUD_CONTEXT.functions : CLOUD_CONTEXT.layers;
    this.iconPath = new vscode.ThemeIcon(kind === 'functions' ? 'symbol-function' : 'layers');
  }
}

export class CloudFunctionNode extends Node {
  readonly functionName: string;
  readonly arn: string;

  constructor(
    readonly configuration: FunctionConfiguration,
    media: vscode.Uri,
  ) {
    const cfg = configuration;
    const layers = cfg.Layers ?? [];
    super(cfg.FunctionName ?? '?', layers.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.functionName = cfg.FunctionName ?? '';
    this.arn = cfg.FunctionArn ?? '';
    this.id = `cloud:function:${this.arn || this.functionName}`;
    const image = cfg.PackageType === 'Image';
    this.contextValue = image ? CLOUD_CONTEXT.imageFunction : CLOUD_CONTEXT.function;
    const state = stateText(cfg);
    this.description = [image ? 'image' : (cfg.Runtime ?? 'no runtime'), cfg.CodeSize ? formatBytes(cfg.CodeSize) : undefined, ago(cfg.LastModified), state]
      .filter(Boolean)
      .join(' · ');
    this.iconPath = state ? new vscode.ThemeIcon(state.includes('failed') ? 'error' : 'sync~spin') : functionIcon(cfg, media);
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${this.functionName}**\n\n`);
    md.appendMarkdown(`${image ? 'Container image' : `${cfg.Runtime ?? 'no runtime'} · ${cfg.Handler ?? 'no handler'}`} · ${cfg.Architectures?.[0] ?? 'x86_64'} · ${cfg.MemorySize ?? '?'} MB · ${cfg.Timeout ?? '?'} s\n\n`);
    if (cfg.CodeSize !== undefined) md.appendMarkdown(`Code: ${formatBytes(cfg.CodeSize)}${layers.length ? ` · ${layers.length} layer${layers.length === 1 ? '' : 's'}` : ''}\n\n`);
    if (cfg.LastModified) md.appendMarkdown(`Last modified: ${new Date(cfg.LastModified).toLocaleString()}\n\n`);
    md.appendMarkdown(`State: ${cfg.State ?? 'unknown'}${cfg.StateReason ? ` (${cfg.StateReason})` : ''} · last update: ${cfg.LastUpdateStatus ?? 'unknown'}${cfg.LastUpdateStatusReason ? ` (${cfg.LastUpdateStatusReason})` : ''}\n\n`);
    md.appendCodeblock(this.arn, 'text');
    this.tooltip = md;
  }

  override children(): Node[] {
    return (this.configuration.Layers ?? []).filter((l) => l.Arn).map((l) => new CloudFunctionLayerNode(this.configuration, l.Arn!, l.CodeSize));
  }
}

/** A layer version as attached to one function: what Detach Layer acts on. */
export class CloudFunctionLayerNode extends Node {
  constructor(
    readonly configuration: FunctionConfiguration,
    readonly arn: string,
    codeSize: number | undefined,
  ) {
    const parsed = parseLayerVersionArn(arn);
    super(parsed ? `${parsed.name}:${parsed.version}` : arn, vscode.TreeItemCollapsibleState.None);
    this.id = `cloud:function-layer:${configuration.FunctionArn}#${arn}`;
    this.contextValue = CLOUD_CONTEXT.functionLayer;
    this.iconPath = new vscode.ThemeIcon('layers');
    this.description = codeSize !== undefined ? formatBytes(codeSize) : undefined;
    this.tooltip = arn;
  }
}

export class CloudLayerNode extends Node {
  readonly layerName: string;
  readonly arn: string;

  constructor(readonly layer: LayersListItem) {
    super(layer.LayerName ?? '?', vscode.TreeItemCollapsibleState.Collapsed);
    this.layerName = layer.LayerName ?? '';
    this.arn = layer.LayerArn ?? '';
    this.id = `cloud:layer:${this.arn || this.layerName}`;
    this.contextValue = CLOUD_CONTEXT.layer;
    this.iconPath = new vscode.ThemeIcon('layers');
    const latest = layer.LatestMatchingVersion;
    this.description = latest ? [`latest ${latest.Version}`, runtimesText(latest.CompatibleRuntimes)].filter(Boolean).join(' · ') : undefined;
    this.tooltip = this.arn;
  }
}

/** What the tree knows about who uses a layer version, from the functions listed so far. */
export interface LayerVersionUsage {
  users: string[];
  /** True when every function of the account was listed, so `users` is the whole answer. */
  complete: boolean;
  listed: number;
}

export class CloudLayerVersionNode extends Node {
  readonly arn: string;
  readonly layerName: string;
  readonly version: number;

  constructor(
    readonly item: LayerVersionsListItem,
    readonly codeSize: number | undefined,
    readonly usage: LayerVersionUsage,
  ) {
    const parsed = parseLayerVersionArn(item.LayerVersionArn ?? '');
    super(`version ${item.Version ?? parsed?.version ?? '?'}`, vscode.TreeItemCollapsibleState.None);
    this.arn = item.LayerVersionArn ?? '';
    this.layerName = parsed?.name ?? '';
    this.version = item.Version ?? parsed?.version ?? 0;
    this.id = `cloud:layer-version:${this.arn}`;
    this.contextValue = CLOUD_CONTEXT.layerVersion;
    this.iconPath = new vscode.ThemeIcon('versions');
    this.description = [codeSize !== undefined ? formatBytes(codeSize) : undefined, runtimesText(item.CompatibleRuntimes), usedByText(usage)].filter(Boolean).join(' · ');
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${this.layerName}** version ${this.version}\n\n`);
    if (item.Description) md.appendMarkdown(`${item.Description}\n\n`);
    if (codeSize !== undefined) md.appendMarkdown(`Size: ${formatBytes(codeSize)}\n\n`);
    md.appendMarkdown(`Runtimes: ${item.CompatibleRuntimes?.join(', ') || 'any'} · architectures: ${item.CompatibleArchitectures?.join(', ') || 'any'}\n\n`);
    if (item.CreatedDate) md.appendMarkdown(`Created: ${new Date(item.CreatedDate).toLocaleString()}\n\n`);
    md.appendMarkdown(`${usageSentence(usage)}\n\n`);
    md.appendCodeblock(this.arn, 'text');
    this.tooltip = md;
  }
}

/** The row after a page: pulls the next page of its group when clicked. */
export class LoadMoreNode extends Node {
  constructor(
    readonly owner: Node,
    shown: number,
  ) {
    super('Load more…', vscode.TreeItemCollapsibleState.None);
    this.id = `${owner.id}:load-more`;
    this.contextValue = CLOUD_CONTEXT.loadMore;
    this.description = `${shown} shown`;
    this.iconPath = new vscode.ThemeIcon('ellipsis');
    this.command = { command: 'lambdaWorkbench.cloud.loadMore', title: 'Load More', arguments: [this] };
  }
}

/**
 * A row for an error: what went wrong as the label, the fix in the tooltip, and a click that
 * leads to the fix (choose a profile or region) or to the log. Never a popup from getChildren.
 */
export function cloudErrorNode(err: unknown): MessageNode {
  const action = errorAction(err) ?? { command: 'lambdaWorkbench.showLog', title: 'Show Log' };
  const node = new MessageNode(err instanceof Error ? err.message : String(err), `${action.title}…`, action, 'error');
  node.tooltip = describeError(err);
  return node;
}

function functionIcon(cfg: FunctionConfiguration, media: vscode.Uri): vscode.Uri | vscode.ThemeIcon {
  const family = cfg.PackageType === 'Image' ? 'image' : runtimeFamily(cfg.Runtime);
  return family ? vscode.Uri.joinPath(media, 'runtimes', `${family}.svg`) : new vscode.ThemeIcon('symbol-function');
}

/** Empty when the function is ready; else what it is doing or what failed. */
function stateText(cfg: FunctionConfiguration): string {
  if (cfg.State === 'Failed') return 'failed';
  if (cfg.LastUpdateStatus === 'Failed') return 'update failed';
  if (cfg.State && cfg.State !== 'Active') return cfg.State.toLowerCase();
  if (cfg.LastUpdateStatus === 'InProgress') return 'updating';
  return '';
}

function runtimesText(runtimes: string[] | undefined): string | undefined {
  if (!runtimes?.length) return undefined;
  return runtimes.length <= 2 ? runtimes.join(', ') : `${runtimes.slice(0, 2).join(', ')} +${runtimes.length - 2}`;
}

function usedByText(u: LayerVersionUsage): string {
  const more = u.complete ? '' : '+';
  if (u.users.length === 0) return u.complete ? 'unused' : `unused by ${u.listed} listed`;
  return u.users.length === 1 ? `used by ${u.users[0]}${more}` : `used by ${u.users.length}${more}`;
}

function usageSentence(u: LayerVersionUsage): string {
  const scope = u.complete ? 'Used by' : `Among the ${u.listed} functions listed so far (load more to see all), used by`;
  return u.users.length ? `${scope}: ${u.users.join(', ')}` : `${scope} no function.`;
}

/** "5 minutes ago", "3 days ago": how old a modification is, for a row's description. */
export function ago(iso: string | undefined, now = Date.now()): string | undefined {
  if (!iso) return undefined;
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return undefined;
  const s = Math.max(0, Math.round((now - t) / 1000));
  const units: [number, string][] = [
    [365 * 86400, 'year'],
    [30 * 86400, 'month'],
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, unit] of units) {
    const n = Math.floor(s / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  }
  return 'just now';
}
