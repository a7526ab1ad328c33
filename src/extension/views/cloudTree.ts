import type { FunctionConfiguration, LayersListItem, LayerVersionsListItem } from '@aws-sdk/client-lambda';
import * as vscode from 'vscode';
import { layerUsage } from '../../core/cloud/usage';
import { PagedList } from '../../core/cloud/pagedList';
import { functionPages, layerPages, layerVersionPages } from '../../core/cloud/paging';
import type { AwsSession } from '../../core/deploy';
import { toUserError } from '../../core/deploy/awsErrors';
import { UserError } from '../../core/errors';
import { parseLayerVersionArn } from '../../core/deploy/names';
import type { AwsServices } from '../aws/sessions';
import { readSettings } from '../settings';
import type { Workbench } from '../workbench';
import {
  CloudAccountNode,
  cloudErrorNode,
  CloudFunctionNode,
  CloudGroupNode,
  CloudLayerNode,
  CloudLayerVersionNode,
  LoadMoreNode,
} from './cloudNodes';
import { MessageNode, type Node } from './nodes';
import { RefreshScheduler } from './refresh';

/** GetLayerVersion calls in flight at once when a layer's versions are shown (for their sizes). */
const SIZE_LOOKUPS_AT_ONCE = 8;
export const CLOUD_VIEW_ID = 'lambdaWorkbench.cloud';

/** Problems of an AWS set-up not done yet, which the view's welcome explains, rather than errors. */
const SETUP_PROBLEMS = ['aws-region-missing', 'aws-profile-missing', 'aws-credentials-missing'];

/** The session the view shows, and how it names it. */
export interface CloudConnection {
  session: AwsSession;
  region: string;
  label: string;
}

/** Everything the view has loaded for one profile/region/endpoint; replaced on refresh. */
class CloudState {
  readonly functionsGroup = new CloudGroupNode('functions');
  readonly layersGroup = new CloudGroupNode('layers');
  functions: PagedList<FunctionConfiguration> | undefined;
  layers: PagedList<LayersListItem> | undefined;
  /** One node per layer, so a change can be fired on the node the view holds. */
  readonly layerNodes = new Map<string, CloudLayerNode>();
  readonly versions = new Map<string, PagedList<LayerVersionsListItem>>();
  /** Layer version ARN -> code size in bytes (ListLayerVersions does not give it). */
  readonly sizes = new Map<string, number>();

  constructor(
    readonly key: string,
    readonly connection: Promise<CloudConnection>,
  ) {
    // Failures are shown by whoever awaits it; this keeps an unawaited rejection quiet.
    connection.catch(() => undefined);
  }
}

/**
 * The Cloud view: profile and region -> Functions (a page at a time, "Load more…" pulls the next
 * page from the same listing) and Layers -> versions with their size, runtimes and the listed
 * functions that use them. Failures become rows that say what to do. Automatic refreshes (the
 * profile, region or endpoint changed) are debounced and wait while the view is hidden; a
 * refresh the user asks for is immediate.
 */
export class CloudTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private state: CloudState | undefined;
  private readonly refresh = new RefreshScheduler(() => {
    this.state = undefined;
    this.changed.fire(undefined);
  });
  private readonly disposables: vscode.Disposable[] = [this.changed, this.refresh];
  /** AWS is not set up for the view (no region, no profile, no credentials): its welcome says what to set. */
  setupProblem: UserError | undefined;

  constructor(
    private readonly wb: Workbench,
    private readonly aws: AwsServices,
  ) {
    this.disposables.push(aws.onDidChangeSession(() => this.refreshSoon()));
  }

  attach(view: vscode.TreeView<Node>): void {
    this.refresh.attach(view);
  }

  /** Forgets everything loaded and asks the view again (the Refresh button). */
  refreshNow(): void {
    this.refresh.now();
  }

  refreshSoon(): void {
    // The data is dropped at once, so nothing asks the old session again; the view is only
    // told when it is visible, since telling it makes it list everything anew.
    this.state = undefined;
    this.refresh.soon();
  }

  /** Redraws from what is loaded (after a change this extension made), without listing again. */
  rerender(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    const state = this.current();
    if (!node) {
      try {
        const c = await state.connection;
        await this.needsSetup(undefined);
        return [new CloudAccountNode(c.label, this.accountTooltip(c))];
      } catch (err) {
        // Nothing set up yet: no error row cut off at the view's width, but the welcome: what is missing, in full, and buttons.
        if (err instanceof UserError && SETUP_PROBLEMS.includes(err.code ?? '')) {
          await this.needsSetup(err);
          return [];
        }
        await this.needsSetup(undefined);
        return [this.failed(err)];
      }
    }
    if (node instanceof CloudAccountNode) return [state.functionsGroup, state.layersGroup];
    if (node instanceof CloudGroupNode) return node.kind === 'functions' ? this.functionRows(state) : this.layerRows(state);
    if (node instanceof CloudLayerNode) return this.versionRows(state, node.layerName);
    return node.children();
  }

  /** The session and region the view shows; rejects with a UserError saying what to fix. */
  connection(): Promise<CloudConnection> {
    return this.current().connection;
  }

  /** The function listing, with at least its first page loaded; rejects when that failed. */
  async functions(): Promise<PagedList<FunctionConfiguration>> {
    const state = this.current();
    const { session } = await state.connection;
    const list = (state.functions ??= new PagedList(functionPages(session.lambda)));
    await list.first();
    if (list.error !== undefined) throw toUserError(list.error, 'listing functions', session.errorContext);
    return list;
  }

  async layers(): Promise<PagedList<LayersListItem>> {
    const state = this.current();
    const { session } = await state.connection;
    const list = (state.layers ??= new PagedList(layerPages(session.lambda)));
    await list.first();
    if (list.error !== undefined) throw toUserError(list.error, 'listing layers', session.errorContext);
    return list;
  }

  async layerVersions(layerName: string): Promise<PagedList<LayerVersionsListItem>> {
    const state = this.current();
    const { session } = await state.connection;
    const list = this.versionList(state, session, layerName);
    await list.first();
    if (list.error !== undefined) throw toUserError(list.error, `listing the versions of layer ${layerName}`, session.errorContext);
    return list;
  }

  /** Shows a function's new configuration (after attach or detach) without listing again. */
  functionChanged(cfg: FunctionConfiguration): void {
    this.state?.functions?.replace((f) => f.FunctionName === cfg.FunctionName, cfg);
    this.rerender();
  }

  layerVersionDeleted(layerName: string, versionArn: string): void {
    const state = this.state;
    state?.versions.get(layerName)?.remove((v) => v.LayerVersionArn === versionArn);
    // The layer's "latest" may have changed: list the layers again, keeping the functions.
    if (state) {
      state.layers = undefined;
      state.layerNodes.clear();
    }
    this.rerender();
  }

  /** "Load more…": the next page of the row's group, with the view's progress bar meanwhile. */
  async loadMore(node: LoadMoreNode): Promise<void> {
    const state = this.current();
    const owner = node.owner;
    const list =
      owner instanceof CloudGroupNode ? (owner.kind === 'functions' ? state.functions : state.layers) : owner instanceof CloudLayerNode ? state.versions.get(owner.layerName) : undefined;
    if (!list) return this.rerender();
    node.label = 'Loading…';
    this.changed.fire(node);
    await vscode.window.withProgress({ location: { viewId: CLOUD_VIEW_ID } }, () => list.loadMore().catch(() => undefined));
    // Only a node of the current state is one the view holds; after a refresh, redraw everything.
    const held = owner === state.functionsGroup || owner === state.layersGroup || (owner instanceof CloudLayerNode && state.layerNodes.get(owner.layerName) === owner);
    this.changed.fire(held ? owner : undefined);
  }

  private current(): CloudState {
    const key = JSON.stringify(readSettings().aws);
    if (this.state?.key !== key) this.state = new CloudState(key, this.connect());
    return this.state;
  }

  private async connect(): Promise<CloudConnection> {
    let session: AwsSession;
    try {
      session = await this.aws.getSession();
    } catch (err) {
      throw toUserError(err, 'connecting to AWS', {});
    }
    let region: string;
    try {
      region = await session.region();
      await session.checkCredentials();
    } catch (err) {
      throw toUserError(err, 'loading credentials', session.errorContext);
    }
    const who = session.endpointUrl ?? session.profile ?? 'default credentials';
    return { session, region, label: `${who} · ${region}` };
  }

  private accountTooltip(c: CloudConnection): string {
    return [
      `Profile: ${c.session.profile ?? 'the default credential chain'}`,
      `Region: ${c.region}`,
      ...(c.session.endpointUrl ? [`Endpoint: ${c.session.endpointUrl} (lambdaWorkbench.aws.endpointUrl)`] : []),
    ].join('\n');
  }

  private async functionRows(state: CloudState): Promise<Node[]> {
    let session: AwsSession;
    let region: string;
    try {
      ({ session, region } = await state.connection);
    } catch (err) {
      return [this.failed(err)];
    }
    const list = (state.functions ??= new PagedList(functionPages(session.lambda)));
    await list.first();
    const media = vscode.Uri.joinPath(this.wb.context.extensionUri, 'media');
    const rows: Node[] = list.items.map((cfg) => new CloudFunctionNode(cfg, media));
    return this.finish(rows, list, state.functionsGroup, session, 'listing functions', `No functions in ${region}`);
  }

  private async layerRows(state: CloudState): Promise<Node[]> {
    let session: AwsSession;
    let region: string;
    try {
      ({ session, region } = await state.connection);
    } catch (err) {
      return [this.failed(err)];
    }
    const list = (state.layers ??= new PagedList(layerPages(session.lambda)));
    await list.first();
    const rows: Node[] = list.items.map((item) => {
      const name = item.LayerName ?? '';
      let node = state.layerNodes.get(name);
      if (!node || node.layer !== item) state.layerNodes.set(name, (node = new CloudLayerNode(item)));
      return node;
    });
    return this.finish(rows, list, state.layersGroup, session, 'listing layers', `No layers in ${region}`);
  }

  private async versionRows(state: CloudState, layerName: string): Promise<Node[]> {
    let session: AwsSession;
    try {
      ({ session } = await state.connection);
    } catch (err) {
      return [this.failed(err)];
    }
    const list = this.versionList(state, session, layerName);
    // Who uses a version is read from the listed functions: make sure there are some.
    const functions = (state.functions ??= new PagedList(functionPages(session.lambda)));
    await Promise.all([list.first(), functions.first()]);
    await this.lookUpSizes(state, session, list.items);
    const listed = functions.fetched;
    const usage = layerUsage(listed);
    const rows: Node[] = list.items.map(
      (v) => new CloudLayerVersionNode(v, state.sizes.get(v.LayerVersionArn ?? ''), { users: usage.get(v.LayerVersionArn ?? '') ?? [], complete: functions.complete, listed: listed.length }),
    );
    const owner = state.layerNodes.get(layerName) ?? new CloudLayerNode({ LayerName: layerName });
    return this.finish(rows, list, owner, session, `listing the versions of layer ${layerName}`, 'No versions');
  }

  private versionList(state: CloudState, session: AwsSession, layerName: string): PagedList<LayerVersionsListItem> {
    let list = state.versions.get(layerName);
    if (!list) state.versions.set(layerName, (list = new PagedList(layerVersionPages(session.lambda, layerName))));
    return list;
  }

  /** The rows after a page: the error that stopped the listing, "Load more…", or the empty state. */
  private finish<T>(rows: Node[], list: PagedList<T>, owner: Node, session: AwsSession, what: string, empty: string): Node[] {
    if (list.error !== undefined) rows.push(this.failed(toUserError(list.error, what, session.errorContext)));
    else if (list.hasMore) rows.push(new LoadMoreNode(owner, list.items.length));
    else if (rows.length === 0) rows.push(new MessageNode(empty));
    return rows;
  }

  /** Sizes of the shown versions not known yet: from functions that use them, else GetLayerVersion. */
  private async lookUpSizes(state: CloudState, session: AwsSession, versions: readonly LayerVersionsListItem[]): Promise<void> {
    for (const fn of state.functions?.fetched ?? []) {
      for (const l of fn.Layers ?? []) if (l.Arn && l.CodeSize !== undefined) state.sizes.set(l.Arn, l.CodeSize);
    }
    const missing = versions.filter((v) => v.LayerVersionArn && !state.sizes.has(v.LayerVersionArn));
    if (missing.length === 0) return;
    const { GetLayerVersionCommand } = await import('@aws-sdk/client-lambda');
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < missing.length) {
        const { LayerVersionArn: arn = '', Version } = missing[next++];
        try {
          const out = await session.lambda.send(new GetLayerVersionCommand({ LayerName: parseLayerVersionArn(arn)?.layerArn, VersionNumber: Version }));
          if (out.Content?.CodeSize !== undefined) state.sizes.set(arn, out.Content.CodeSize);
        } catch (err) {
          // A size is a detail: the row shows without it, the log says why.
          this.wb.log.warn(`could not read the size of ${arn}: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SIZE_LOOKUPS_AT_ONCE, missing.length) }, worker));
  }

  /**
   * Shows the welcome (package.json's viewsWelcome: the explanation of this problem, then the
   * buttons), or not. Not the view's message: the workbench hides a welcome while a message shows.
   */
  private async needsSetup(problem: UserError | undefined): Promise<void> {
    this.setupProblem = problem;
    await vscode.commands.executeCommand('setContext', 'lambdaWorkbench.cloud.setup', problem?.code ?? '');
  }

  private failed(err: unknown): Node {
    this.wb.log.warn(`Cloud view: ${err instanceof Error ? err.message : String(err)}`);
    return cloudErrorNode(err);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
