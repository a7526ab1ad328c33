import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { consoleUrlForArn } from '../../core/cloud/console';
import type { DownloadResult } from '../../core/cloud/download';
import { checkDownloadTarget } from '../../core/cloud/downloadTarget';
import { invokeRemote, type RemoteInvokeResult } from '../../core/cloud/invoke';
import { assertLayerVersionUnused, attachLayer, deleteLayerVersion, detachLayer, type LayerUpdateResult, planAttach } from '../../core/cloud/layers';
import { PagedList } from '../../core/cloud/pagedList';
import { functionPages } from '../../core/cloud/paging';
import { toUserError } from '../../core/deploy/awsErrors';
import { parseLayerVersionArn } from '../../core/deploy/names';
import { describeError, UserError } from '../../core/errors';
import { LIMITS } from '../../core/limits';
import { formatBytes } from '../../core/size/format';
import type { ModelStore } from '../model/store';
import { windowPrompts } from '../prompts';
import { CloudFunctionLayerNode, CloudLayerVersionNode, type LoadMoreNode } from '../views/cloudNodes';
import type { CloudTree } from '../views/cloudTree';
import type { Workbench } from '../workbench';
import { RemoteResultDocuments, REMOTE_RESULT_SCHEME } from './cloudResults';
import { arnFromArg, functionFromArg, layerVersionFromArg, pickCloudFunction, pickLayerVersion, pickRemoteEvent } from './cloudPick';

type Handler = (arg?: unknown) => unknown;

/** The Cloud view's commands, for the command table; the result documents live as long as the extension. */
export function cloudCommands(wb: Workbench, cloud: CloudTree, store: ModelStore): Record<string, Handler> {
  const results = wb.own(new RemoteResultDocuments());
  wb.own(vscode.workspace.registerTextDocumentContentProvider(REMOTE_RESULT_SCHEME, results));
  return {
    'lambdaWorkbench.cloud.refresh': () => cloud.refreshNow(),
    'lambdaWorkbench.cloud.loadMore': (arg) => cloud.loadMore(arg as LoadMoreNode),
    'lambdaWorkbench.cloud.invoke': (arg) => invokeInAws(cloud, store, results, arg),
    'lambdaWorkbench.cloud.downloadCode': (arg) => downloadCode(wb, cloud, arg),
    'lambdaWorkbench.cloud.attachLayer': (arg) => attachLayerCommand(cloud, arg),
    'lambdaWorkbench.cloud.detachLayer': (arg) => detachLayerCommand(cloud, arg),
    'lambdaWorkbench.cloud.deleteLayerVersion': (arg) => deleteLayerVersionCommand(cloud, arg),
    'lambdaWorkbench.cloud.copyArn': (arg) => copyArn(arg),
    'lambdaWorkbench.cloud.openInConsole': (arg) => openInConsole(cloud, arg),
  };
}

/** Invoke in AWS: a synchronous invoke with the log tail, shown with the response in one document. */
export async function invokeInAws(cloud: CloudTree, store: ModelStore, results: RemoteResultDocuments, arg: unknown): Promise<RemoteInvokeResult | undefined> {
  const fn = await pickCloudFunction(cloud, arg, 'invoke in AWS');
  if (!fn) return undefined;
  const event = await pickRemoteEvent(store, fn.name);
  if (!event) return undefined;
  const { session, region } = await cloud.connection();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Invoking ${fn.name} in ${region}`, cancellable: true },
    (_progress, token) => invokeRemote(session.lambda, fn.name, event.payload, { token }).catch((err: unknown) => Promise.reject(toUserError(err, `invoking ${fn.name}`, session.errorContext))),
  );
  await results.show(result, event.name, region);
  if (result.functionError) void vscode.window.showWarningMessage(`${fn.name} failed in AWS (${result.functionError}): its error and log are in the result.`);
  return result;
}

/** Download Code: the deployed zip, unpacked into a new folder of the workspace. */
export async function downloadCode(wb: Workbench, cloud: CloudTree, arg: unknown): Promise<DownloadResult | undefined> {
  const fn = await pickCloudFunction(cloud, arg, 'download', (cfg) => cfg.PackageType !== 'Image');
  if (!fn) return undefined;
  if (fn.configuration?.PackageType === 'Image') {
    throw new UserError(`${fn.name} is a container image function: it has no zip to download.`, 'Pull its image from ECR instead.', 'download-image-function');
  }
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
  const resolveDir = (v: string): string => path.resolve(root, v.trim());
  const answer = await windowPrompts.input({
    title: `Download the code of ${fn.name}`,
    prompt: 'Folder to unpack it into: a new or empty one (relative paths are in the workspace)',
    value: path.join(root, fn.name),
    validateInput: (v) => {
      if (!v.trim()) return 'Give a folder.';
      try {
        checkDownloadTarget(resolveDir(v));
        return undefined;
      } catch (err) {
        return describeError(err);
      }
    },
  });
  if (answer === undefined) return undefined;
  const dir = resolveDir(answer);
  const { session } = await cloud.connection();
  // The zip reader loads with the first download, not with the extension.
  const { downloadFunctionCode } = await import('../../core/cloud/download');
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Downloading the code of ${fn.name}`, cancellable: true },
    (progress, token) =>
      downloadFunctionCode(session.lambda, fn.name, dir, {
        token,
        onProgress: (received, total) => progress.report({ message: total ? `${formatBytes(received)} of ${formatBytes(total)}` : formatBytes(received) }),
      }).catch((err: unknown) => Promise.reject(toUserError(err, `reading the code location of ${fn.name}`, session.errorContext))),
  );
  wb.log.info(`downloaded ${fn.name}: ${result.files} files, ${result.bytes} bytes into ${result.dir}`);
  void vscode.window
    .showInformationMessage(`Downloaded ${fn.name}: ${result.files} files (${formatBytes(result.bytes)}) in ${vscode.workspace.asRelativePath(result.dir)}.`, 'Reveal in Explorer')
    .then((a) => a && vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(result.dir)));
  return result;
}

/**
 * Attach Layer: from a function row (pick a layer version) or a layer version row (pick a function),
 * after a modal confirmation. A layer Lambda would refuse is refused before the question.
 */
export async function attachLayerCommand(cloud: CloudTree, arg: unknown): Promise<LayerUpdateResult | undefined> {
  let version = arg instanceof CloudLayerVersionNode ? arg.item : undefined;
  const purpose = arg instanceof CloudLayerVersionNode ? `attach ${arg.layerName}:${arg.version} to` : 'attach a layer to';
  const fn = functionFromArg(arg) ?? (await pickCloudFunction(cloud, undefined, purpose, (cfg) => cfg.PackageType !== 'Image'));
  if (!fn) return undefined;
  version ??= await pickLayerVersion(cloud, fn.configuration);
  if (!version?.LayerVersionArn) return undefined;
  const candidate = { arn: version.LayerVersionArn, compatibleRuntimes: version.CompatibleRuntimes, compatibleArchitectures: version.CompatibleArchitectures };
  const short = shortLayer(candidate.arn);
  const name = fn.name;
  // From the listed configuration, which may be stale: attachLayer plans again from the function as it is now.
  const preview = fn.configuration ? planAttach(fn.configuration, candidate) : undefined;
  const { session, region } = await cloud.connection();
  const detail = preview?.replaced
    ? `${name} will use ${short} instead of ${shortLayer(preview.replaced)}.`
    : preview && `${name} will have ${preview.layers.length} of ${LIMITS.layersPerFunction} layers: ${preview.layers.map(shortLayer).join(', ')}.`;
  if (!(await windowPrompts.confirm(`Attach ${short} to ${name} in ${region}?`, detail, 'Attach'))) return undefined;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Attaching ${short} to ${name}`, cancellable: true },
    (_p, token) => attachLayer(session.lambda, name, candidate, { token }).catch((err: unknown) => Promise.reject(toUserError(err, `attaching ${short} to ${name}`, session.errorContext))),
  );
  cloud.functionChanged(result.configuration);
  void vscode.window.showInformationMessage(
    result.replaced ? `${name} now uses ${short} instead of ${shortLayer(result.replaced)}.` : `Attached ${short} to ${name} (${result.layers.length} of ${LIMITS.layersPerFunction} layers).`,
  );
  return result;
}

/** Detach Layer: from a layer row under a function, or a function row (pick one of its layers), after a modal confirmation. */
export async function detachLayerCommand(cloud: CloudTree, arg: unknown): Promise<LayerUpdateResult | undefined> {
  const fn = await pickCloudFunction(cloud, arg, 'detach a layer from', (cfg) => (cfg.Layers?.length ?? 0) > 0);
  if (!fn) return undefined;
  let arn = arg instanceof CloudFunctionLayerNode ? arg.arn : (arg as { layerVersionArn?: string } | undefined)?.layerVersionArn;
  if (!arn) {
    const layers = (fn.configuration?.Layers ?? []).filter((l) => l.Arn);
    if (layers.length === 0) throw new UserError(`${fn.name} has no layers.`, undefined, 'layer-not-attached');
    const picked = await windowPrompts.pick(
      layers.map((l) => ({ label: shortLayer(l.Arn!), description: l.CodeSize !== undefined ? formatBytes(l.CodeSize) : undefined, id: l.Arn })),
      { title: `Layer to detach from ${fn.name}` },
    );
    arn = picked?.id;
  }
  if (!arn) return undefined;
  const layerArn = arn;
  const short = shortLayer(layerArn);
  const { session, region } = await cloud.connection();
  if (!(await windowPrompts.confirm(`Detach ${short} from ${fn.name} in ${region}?`, 'The layer version itself stays: attach it again to undo.', 'Detach'))) return undefined;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Detaching ${short} from ${fn.name}`, cancellable: true },
    (_p, token) => detachLayer(session.lambda, fn.name, layerArn, { token }).catch((err: unknown) => Promise.reject(toUserError(err, `detaching ${short} from ${fn.name}`, session.errorContext))),
  );
  cloud.functionChanged(result.configuration);
  void vscode.window.showInformationMessage(`Detached ${short} from ${fn.name}.`);
  return result;
}

/**
 * Delete Layer Version, after a modal confirmation. Every function and published function
 * version is listed first (not only the pages shown), and a version that one of them uses is
 * refused with their names.
 */
export async function deleteLayerVersionCommand(cloud: CloudTree, arg: unknown): Promise<string | undefined> {
  const target = layerVersionFromArg(arg);
  if (!target) throw new UserError('Choose a layer version in the Cloud view to delete.', undefined, 'no-layer');
  const short = shortLayer(target.arn);
  const { session, region } = await cloud.connection();
  const functions = new PagedList(functionPages(session.lambda, { allVersions: true }));
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking which functions use ${short}`, cancellable: true },
    (_p, token) => functions.loadAll(token).catch((err: unknown) => Promise.reject(toUserError(err, 'listing functions and their published versions', session.errorContext))),
  );
  assertLayerVersionUnused(target.arn, functions.fetched);
  const detail = `None of the ${functions.fetched.length} functions and published function versions in ${region} uses it. A deleted version cannot be restored, and its ARN stops working for new configurations.`;
  if (!(await windowPrompts.confirm(`Delete layer version ${short} in ${region}?`, detail, 'Delete'))) return undefined;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deleting ${short}` }, () =>
    deleteLayerVersion(session.lambda, target.arn, { functions: functions.fetched }).catch((err: unknown) => Promise.reject(toUserError(err, `deleting ${short}`, session.errorContext))),
  );
  cloud.layerVersionDeleted(parseLayerVersionArn(target.arn)?.name ?? '', target.arn);
  void vscode.window.showInformationMessage(`Deleted layer version ${short}.`);
  return target.arn;
}

export async function copyArn(arg: unknown): Promise<string | undefined> {
  const arn = arnFromArg(arg);
  if (!arn) throw new UserError('Choose a function or layer in the Cloud view to copy its ARN.', undefined, 'no-arn');
  await vscode.env.clipboard.writeText(arn);
  vscode.window.setStatusBarMessage(`Copied ${arn}`, 3000);
  return arn;
}

export async function openInConsole(cloud: CloudTree, arg: unknown): Promise<string | undefined> {
  const arn = arnFromArg(arg);
  const url = arn ? consoleUrlForArn(arn) : undefined;
  if (!url) throw new UserError('Choose a function or layer in the Cloud view to open it in the AWS console.', undefined, 'no-arn');
  const { session } = await cloud.connection();
  if (session.endpointUrl) {
    throw new UserError(
      `The Cloud view shows ${session.endpointUrl}, not AWS: its functions and layers are not in the AWS console.`,
      'Clear the lambdaWorkbench.aws.endpointUrl setting to work with AWS itself.',
      'console-endpoint',
    );
  }
  await vscode.env.openExternal(vscode.Uri.parse(url));
  return url;
}

function shortLayer(arn: string): string {
  const p = parseLayerVersionArn(arn);
  return p ? `${p.name}:${p.version}` : arn;
}
