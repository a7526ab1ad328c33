import * as vscode from 'vscode';
import type { DeployPlan, DeployProgress, DeployResult, FunctionPlan, LayerPlan } from '../../core/deploy';
import type { FunctionSpec, LayerSpec } from '../../core/model/types';
import { formatBytes } from '../../core/size/format';
import type { AwsServices } from '../aws/sessions';
import type { ModelStore } from '../model/store';
import { windowPrompts } from '../prompts';
import { readSettings } from '../settings';
import type { ErrorAction } from '../errorActions';
import type { Workbench } from '../workbench';
import { deployFixes, type NotDeployed } from './deployFixes';
import { pickFunction } from './pick';

export interface DeployRequest {
  functions: FunctionSpec[];
  layers?: LayerSpec[];
}

/** Lambda: Deploy Function — one function, from its row, its CodeLens or a pick. */
export async function deployFunction(wb: Workbench, store: ModelStore, aws: AwsServices, arg: unknown): Promise<DeployResult | undefined> {
  const fn = await pickFunction(store, arg, 'deploy');
  return fn ? deploy(wb, aws, { functions: [fn] }) : undefined;
}

/** Lambda: Deploy All — every function of every template. */
export async function deployAll(wb: Workbench, store: ModelStore, aws: AwsServices): Promise<DeployResult | undefined> {
  await store.ready();
  const functions = store.functions();
  if (functions.length === 0) {
    void vscode.window.showInformationMessage('Nothing to deploy: no function in the workspace templates.');
    return undefined;
  }
  return deploy(wb, aws, { functions });
}

/** Lambda: Publish Layer — a layer of the template on its own (skipped when its content is already published). */
export async function publishLayer(wb: Workbench, store: ModelStore, aws: AwsServices, arg: unknown): Promise<DeployResult | undefined> {
  await store.ready();
  const given = (arg as { layer?: LayerSpec } | undefined)?.layer;
  const layers = store.layers();
  const layer =
    (given && layers.find((l) => l.templatePath === given.templatePath && l.logicalId === given.logicalId)) ??
    (layers.length === 1
      ? layers[0]
      : (await windowPrompts.pick(layers.map((l) => ({ label: l.logicalId, description: vscode.workspace.asRelativePath(l.templatePath), l })), { title: 'Layer to publish' }))?.l);
  if (!layer) {
    if (layers.length === 0) void vscode.window.showInformationMessage('No layer in the workspace templates (AWS::Serverless::LayerVersion).');
    return undefined;
  }
  return deploy(wb, aws, { functions: [], layers: [layer] });
}

/**
 * Plan, confirm, execute. The plan (what is created, updated or unchanged, and the bytes to upload)
 * is shown before anything changes in AWS; every step reports progress and Cancel stops before the
 * next one. A failure says which step failed and what was left behind; deploying again completes it.
 * Whatever a command was called with, only the person's answer to the modal lets a change through:
 * any extension can run these commands.
 */
export async function deploy(wb: Workbench, aws: AwsServices, request: DeployRequest): Promise<DeployResult | undefined> {
  const settings = readSettings();
  const { planDeploy, executeDeploy } = await import('../../core/deploy');
  const what = request.functions.length === 1 ? request.functions[0].logicalId : request.functions.length ? `${request.functions.length} functions` : request.layers?.map((l) => l.logicalId).join(', ');

  const planned = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Preparing to deploy ${what}`, cancellable: true },
    async (progress, token) => {
      progress.report({ message: 'checking AWS credentials' });
      // The same wiring as the CLI's deploy: session, packager and image engine from the core's factory.
      const ctx = await aws.deployContext({
        ...(settings.deploy.s3Bucket ? { s3Bucket: settings.deploy.s3Bucket } : {}),
        ...(settings.deploy.publishAlias ? { publishVersion: true, alias: settings.deploy.publishAlias } : {}),
        concurrency: settings.deploy.concurrency,
      });
      const plan = await planDeploy(ctx, { functions: request.functions, layers: request.layers }, { token, onProgress: (e) => progress.report({ message: describeStep(e) }) });
      return { ctx, plan };
    },
  );
  const { ctx, plan } = planned;
  try {
    wb.log.info(`deploy plan (${plan.region}):\n${planText(plan)}`);
    const work = plan.functions.filter((f) => f.action === 'created' || f.action === 'updated').length + plan.layers.filter((l) => l.action === 'publish').length;
    const refused = plan.functions.filter((f) => f.action === 'refused');
    if (work === 0) {
      if (refused.length) wb.offerFixes(`Not deployed: ${refused.map((f) => `${f.logicalId}: ${f.reason}`).join(' ')}`, deployFixes(notDeployed(plan), again(request)));
      else void vscode.window.showInformationMessage(`Nothing to deploy: ${what} ${request.functions.length === 1 ? 'is' : 'are'} unchanged in ${plan.region}.`);
      return await executeDeploy(ctx, plan, {});
    }
    if (!(await windowPrompts.confirm(`Deploy ${what} to ${plan.region}?`, planText(plan), 'Deploy'))) return undefined;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Deploying ${what} to ${plan.region}`, cancellable: true },
      (progress, token) =>
        executeDeploy(ctx, plan, {
          token,
          onProgress: (e) => progress.report({ message: describeStep(e) }),
          confirm: async (question) => windowPrompts.confirm(question, undefined, 'Yes'),
        }),
    );
    report(wb, result, plan, request);
    return result;
  } finally {
    await plan.dispose();
  }
}

function describeStep(e: DeployProgress): string {
  const pct = e.bytes !== undefined && e.totalBytes ? ` ${Math.floor((e.bytes / e.totalBytes) * 100)}%` : '';
  return `${e.target.kind === 'layer' ? `layer ${e.target.name}` : e.target.name}: ${e.step}${pct}`;
}

export function planText(plan: DeployPlan): string {
  const fn = (f: FunctionPlan): string =>
    `${f.logicalId} (${f.functionName}): ${f.action}` +
    (f.action === 'refused' ? ` — ${f.reason}` : '') +
    (f.uploadBytes ? `, uploads ${formatBytes(f.uploadBytes)} ${f.via === 's3' ? 'through S3' : f.via === 'image' ? 'as an image' : 'directly'}` : '') +
    (f.changes.length && f.action === 'updated' ? ` [${f.changes.join(', ')}]` : '');
  const layer = (l: LayerPlan): string => `layer ${l.layerName}: ${l.action === 'publish' ? `publish ${formatBytes(l.uploadBytes)}` : l.action}${l.reason ? ` — ${l.reason}` : ''}`;
  return [...plan.layers.map(layer), ...plan.functions.map(fn), ...plan.confirmations.map((c) => `Will ask: ${c}`)].join('\n');
}

/** What the plan refused, and what the deploy then refused or failed, with their codes and errors. */
function notDeployed(plan: DeployPlan, result?: DeployResult): NotDeployed[] {
  const templateOf = new Map(plan.functions.map((f) => [f.logicalId, f.templatePath]));
  const left = (action: string): boolean => action === 'refused' || action === 'failed' || action === 'cancelled';
  const functions = (result?.functions ?? plan.functions).filter((f) => left(f.action));
  const layers = (result?.layers ?? plan.layers).filter((l) => left(l.action));
  return [
    ...layers.map((l): NotDeployed => ({ kind: 'layer', logicalId: l.logicalId, code: l.code, error: 'error' in l ? l.error : undefined })),
    ...functions.map((f): NotDeployed => ({ kind: 'function', logicalId: f.logicalId, templatePath: templateOf.get(f.logicalId) ?? '', code: f.code, error: 'error' in f ? f.error : undefined })),
  ];
}

/** The same deploy again: the one function, the one layer, or all. */
function again(request: DeployRequest): ErrorAction {
  const [fn] = request.functions;
  const [layer] = request.layers ?? [];
  if (request.functions.length === 1) return { title: 'Deploy Again', command: 'lambdaWorkbench.deployFunction', arguments: [{ templatePath: fn.templatePath, logicalId: fn.logicalId }] };
  if (request.functions.length === 0 && request.layers?.length === 1) {
    return { title: 'Deploy Again', command: 'lambdaWorkbench.publishLayer', arguments: [{ layer: { templatePath: layer.templatePath, logicalId: layer.logicalId } }] };
  }
  return { title: 'Deploy Again', command: 'lambdaWorkbench.deployAll' };
}

function report(wb: Workbench, result: DeployResult, plan: DeployPlan, request: DeployRequest): void {
  const region = plan.region;
  for (const f of result.functions) wb.log.info(`deploy ${f.logicalId}: ${f.action}${f.reason ? ` — ${f.reason}` : ''}${f.done.length ? ` (done: ${f.done.join(', ')})` : ''}`);
  for (const l of result.layers) wb.log.info(`layer ${l.layerName}: ${l.action}${l.arn ? ` ${l.arn}` : ''}${l.reason ? ` — ${l.reason}` : ''}`);
  const failed = [...result.functions.filter((f) => f.action === 'failed' || f.action === 'cancelled' || f.action === 'refused'), ...result.layers.filter((l) => l.action === 'failed' || l.action === 'cancelled' || l.action === 'refused')];
  if (failed.length === 0) {
    const names = [...result.functions.map((f) => `${f.logicalId} ${f.action}`), ...result.layers.map((l) => `layer ${l.layerName} ${l.action}`)];
    void vscode.window.showInformationMessage(`Deployed to ${region}: ${names.join(', ')}.`);
    return;
  }
  wb.offerFixes(failed.map((f) => `${f.logicalId}: ${f.reason ?? f.action}`).join(' '), deployFixes(notDeployed(plan, result), again(request)));
}

