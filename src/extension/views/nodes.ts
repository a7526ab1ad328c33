import * as path from 'node:path';
import * as vscode from 'vscode';
import { functionKey } from '../../core/model/key';
import type { FunctionSpec, LayerSpec, TemplateModel } from '../../core/model/types';

/** contextValue of each kind of node; package.json's menus match on these. */
export const CONTEXT = {
  template: 'lambdaWorkbench.template',
  function: 'lambdaWorkbench.function',
  imageFunction: 'lambdaWorkbench.function.image',
  layer: 'lambdaWorkbench.layer',
  handler: 'lambdaWorkbench.handler',
  event: 'lambdaWorkbench.event',
  lastRun: 'lambdaWorkbench.lastRun',
  served: 'lambdaWorkbench.served',
  warm: 'lambdaWorkbench.warm',
  group: 'lambdaWorkbench.group',
  message: 'lambdaWorkbench.message',
} as const;

/** What the tree shows next to a function: filled in by the size engine and local runs. */
export interface FunctionDecorations {
  sizeText?: string;
  sizeTooltip?: string;
  sizeStatus?: 'ok' | 'warn' | 'over' | 'unknown';
  /** The figures estimate an artifact not built yet. */
  sizeEstimate?: boolean;
  lastRun?: { summary: string; report: string };
  /** Its warm containers (lambdaWorkbench.local.minWarm): the row's note, the child row's words, and whether they could not start. */
  warm?: { short: string; detail: string; failed: boolean };
  /** Served by the running local API: its routes, and its last rebuild after a save. */
  served?: { routes: string[]; reload?: string; reloadFailed?: boolean };
}

export abstract class Node extends vscode.TreeItem {
  children(): Node[] | Promise<Node[]> {
    return [];
  }
}

export class TemplateNode extends Node {
  constructor(readonly model: TemplateModel) {
    super(vscode.workspace.asRelativePath(model.path), vscode.TreeItemCollapsibleState.Expanded);
    this.id = `template:${model.path}`;
    this.contextValue = CONTEXT.template;
    this.resourceUri = vscode.Uri.file(model.path);
    this.iconPath = new vscode.ThemeIcon('file-code');
    const errors = model.problems.filter((p) => p.severity === 'error').length;
    const n = model.functions.length;
    this.description = `${n} function${n === 1 ? '' : 's'}${errors ? ` · ${errors} error${errors === 1 ? '' : 's'}` : ''}`;
    this.tooltip = model.path;
  }
}

export class FunctionNode extends Node {
  constructor(
    readonly fn: FunctionSpec,
    readonly decorations: FunctionDecorations,
    media: vscode.Uri,
  ) {
    super(fn.logicalId, vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `function:${functionKey(fn)}`;
    this.contextValue = fn.packageType === 'Image' ? CONTEXT.imageFunction : CONTEXT.function;
    this.iconPath = runtimeIcon(fn, media);
    const base = decorations.sizeText ?? (fn.packageType === 'Image' ? 'image' : fn.runtime ?? '');
    this.description = decorations.warm?.short ? `${base} · ${decorations.warm.short}` : base;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${fn.logicalId}**${fn.functionName ? ` (${fn.functionName})` : ''}\n\n`);
    md.appendMarkdown(`${fn.packageType === 'Image' ? 'Image' : `${fn.runtime ?? 'no runtime'} · ${fn.handler ?? 'no handler'}`} · ${fn.architecture} · ${fn.memorySize} MB · ${fn.timeout} s\n\n`);
    if (decorations.sizeTooltip) md.appendMarkdown(`${decorations.sizeTooltip}\n\n`);
    if (decorations.warm?.short) md.appendMarkdown(`Kept warm: ${decorations.warm.detail}\n\n`);
    if (decorations.lastRun) md.appendMarkdown(`Last local run: ${decorations.lastRun.summary}`);
    this.tooltip = md;
    if (decorations.sizeStatus === 'over' || decorations.sizeStatus === 'warn') {
      this.resourceUri = vscode.Uri.from({ scheme: 'lambda-workbench-size', path: `/${fn.logicalId}`, query: decorations.sizeStatus });
    }
  }

  override children(): Node[] {
    const fn = this.fn;
    const nodes: Node[] = [];
    if (fn.packageType === 'Zip' && fn.handler) nodes.push(new HandlerNode(fn));
    for (const ref of fn.layers) nodes.push(new LayerRefNode(fn, ref));
    nodes.push(new EventsNode(fn));
    if (this.decorations.served) nodes.push(new ServedNode(this.decorations.served));
    if (this.decorations.warm?.short) nodes.push(new WarmNode(this.decorations.warm));
    if (this.decorations.lastRun) nodes.push(new LastRunNode(fn, this.decorations.lastRun));
    return nodes;
  }
}

export class HandlerNode extends Node {
  constructor(readonly fn: FunctionSpec) {
    super(`Handler: ${fn.handler}`, vscode.TreeItemCollapsibleState.None);
    this.contextValue = CONTEXT.handler;
    this.iconPath = new vscode.ThemeIcon('symbol-function');
    this.command = { command: 'lambdaWorkbench.openHandler', title: 'Open Handler', arguments: [this] };
  }
}

export class LayerRefNode extends Node {
  constructor(
    readonly fn: FunctionSpec,
    readonly ref: FunctionSpec['layers'][number],
  ) {
    const label = ref.kind === 'local' ? ref.logicalId : ref.kind === 'arn' ? ref.arn.split(':').slice(-2).join(':') : 'layer (unresolved)';
    super(label, vscode.TreeItemCollapsibleState.None);
    this.contextValue = CONTEXT.layer;
    this.iconPath = new vscode.ThemeIcon('layers');
    // Words for someone new to layers, short enough for the row: what it is and where it goes; the hover says where it comes from.
    this.description = 'layer at /opt';
    this.tooltip =
      ref.kind === 'arn'
        ? `A Lambda layer published in AWS, added to ${fn.logicalId} at /opt: ${ref.arn}`
        : ref.kind === 'local'
          ? `A Lambda layer defined in this template (${ref.logicalId}${ref.layer.contentUri ? `, from ${vscode.workspace.asRelativePath(ref.layer.contentUri)}` : ''}), added to ${fn.logicalId} at /opt.`
          : `A Lambda layer whose ARN the template computes: ${JSON.stringify(ref.expression)}`;
  }
}

export class LayerNode extends Node {
  constructor(
    readonly layer: LayerSpec,
    users: readonly string[],
  ) {
    super(layer.logicalId, vscode.TreeItemCollapsibleState.None);
    this.id = `layer:${functionKey(layer)}`;
    this.contextValue = CONTEXT.layer;
    this.iconPath = new vscode.ThemeIcon('layers');
    // Who it is for says what it is to someone new to layers; the hover says more.
    this.description = users.length === 0 ? 'layer, used by no function' : `layer for ${users.length === 1 ? users[0] : `${users.length} functions`}`;
    this.tooltip = `A Lambda layer: files its functions (${users.join(', ') || 'none yet'}) get at /opt${layer.contentUri ? `, from ${vscode.workspace.asRelativePath(layer.contentUri)}` : ''}.${layer.layerName ? ` Published in AWS under the name '${layer.layerName}'.` : ''}`;
  }
}

export class EventsNode extends Node {
  constructor(readonly fn: FunctionSpec) {
    super('Events', vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `events:${functionKey(fn)}`;
    this.contextValue = CONTEXT.group;
    this.iconPath = new vscode.ThemeIcon('json');
  }

  override async children(): Promise<Node[]> {
    const dir = vscode.Uri.file(path.join(path.dirname(this.fn.templatePath), 'events', this.fn.logicalId));
    const entries = await vscode.workspace.fs.readDirectory(dir).then(
      (e) => e,
      () => [] as [string, vscode.FileType][],
    );
    const events = entries.filter(([n, t]) => t === vscode.FileType.File && n.endsWith('.json')).map(([n]) => n).sort();
    if (events.length === 0) {
      return [new MessageNode('No saved events', 'New Sample Event…', { command: 'lambdaWorkbench.newSampleEvent', title: 'New Sample Event', arguments: [this] })];
    }
    return events.map((n) => new EventNode(this.fn, vscode.Uri.joinPath(dir, n)));
  }
}

export class EventNode extends Node {
  constructor(
    readonly fn: FunctionSpec,
    readonly uri: vscode.Uri,
  ) {
    // Saved events are named <name>.<type>.json; the type ties the file to its JSON schema.
    const [name, ...type] = path.basename(uri.fsPath, '.json').split('.');
    super(name, vscode.TreeItemCollapsibleState.None);
    this.description = type.join('.');
    this.contextValue = CONTEXT.event;
    this.resourceUri = uri;
    this.iconPath = new vscode.ThemeIcon('symbol-event');
    this.command = { command: 'vscode.open', title: 'Open Event', arguments: [uri] };
  }
}

export class LastRunNode extends Node {
  constructor(
    readonly fn: FunctionSpec,
    run: { summary: string; report: string },
  ) {
    super('Last run', vscode.TreeItemCollapsibleState.None);
    this.contextValue = CONTEXT.lastRun;
    this.description = run.summary;
    this.tooltip = run.report;
    this.iconPath = new vscode.ThemeIcon('history');
  }
}

/** The function's routes in the running local API, and how its last rebuild after a save went. */
export class ServedNode extends Node {
  constructor(served: NonNullable<FunctionDecorations['served']>) {
    super('Local API', vscode.TreeItemCollapsibleState.None);
    this.contextValue = CONTEXT.served;
    const n = served.routes.length;
    this.description = [`${n} route${n === 1 ? '' : 's'}`, served.reload].filter(Boolean).join(' · ');
    this.tooltip = served.routes.join('\n');
    this.iconPath = new vscode.ThemeIcon(served.reloadFailed ? 'warning' : served.reload === 'rebuilding…' ? 'sync~spin' : 'broadcast');
    this.command = { command: 'lambdaWorkbench.startLocalApi', title: 'Show the routes' };
  }
}

/** The function's warm containers (lambdaWorkbench.local.minWarm), or why they could not start. */
export class WarmNode extends Node {
  constructor(warm: NonNullable<FunctionDecorations['warm']>) {
    super(warm.detail, vscode.TreeItemCollapsibleState.None);
    this.contextValue = CONTEXT.warm;
    this.tooltip = `${warm.detail}\n\nKept started for Invoke Locally (lambdaWorkbench.local.minWarm); each holds the function's memory until the window closes.`;
    this.iconPath = new vscode.ThemeIcon(warm.failed ? 'warning' : 'flame');
    this.command = { command: 'workbench.action.openSettings', title: 'Warm containers setting', arguments: ['lambdaWorkbench.local.minWarm'] };
  }
}

/** A placeholder or error row: tells the user what is going on and, where it can, what to do. */
export class MessageNode extends Node {
  constructor(label: string, description?: string, command?: vscode.Command, icon = 'info') {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.contextValue = CONTEXT.message;
    this.description = description;
    this.iconPath = new vscode.ThemeIcon(icon);
    if (command) this.command = command;
  }
}

function runtimeIcon(fn: FunctionSpec, media: vscode.Uri): vscode.Uri | vscode.ThemeIcon {
  const family = fn.packageType === 'Image' ? 'image' : runtimeFamily(fn.runtime);
  return family ? vscode.Uri.joinPath(media, 'runtimes', `${family}.svg`) : new vscode.ThemeIcon('symbol-function');
}

export function runtimeFamily(runtime: string | undefined): 'nodejs' | 'python' | 'provided' | undefined {
  if (!runtime) return undefined;
  if (runtime.startsWith('nodejs')) return 'nodejs';
  if (runtime.startsWith('python')) return 'python';
  if (runtime.startsWith('provided')) return 'provided';
  return undefined;
}
