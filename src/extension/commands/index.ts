import * as vscode from 'vscode';
import type { AwsServices } from '../aws/sessions';
import type { CoreServices } from '../core';
import type { LocalDebugger } from '../local/debug';
import type { LocalApiService } from '../local/localApi';
import type { LocalRuns } from '../local/runs';
import type { ModelStore } from '../model/store';
import { windowPrompts } from '../prompts';
import { APPLY_SIZE_FIX, applySizeFix } from '../size/applyFix';
import type { SizeReports } from '../size/report';
import type { SizeService } from '../size/service';
import type { CloudTree } from '../views/cloudTree';
import type { FunctionsTree } from '../views/functionsTree';
import type { Workbench } from '../workbench';
import { chooseProfile, chooseRegion } from './awsProfile';
import { buildAll, buildFunction } from './build';
import { cloudCommands } from './cloud';
import { debugLocally } from './debug';
import { deployAll, deployFunction, publishLayer } from './deploy';
import { doctor } from './doctor';
import { invokeAgain, invokeLocally } from './invoke';
import { newFunction } from './newFunction';
import { newSampleEvent } from './newSampleEvent';
import { openHandler, openInTemplate } from './navigate';
import { pruneLayer } from './pruneLayer';
import { showSizeReport } from './sizeReport';

interface Views {
  services: CoreServices;
  store: ModelStore;
  functions: FunctionsTree;
  runs: LocalRuns;
  debuggers: LocalDebugger;
  aws: AwsServices;
  sizes: SizeService;
  reports: SizeReports;
  cloud: CloudTree;
  localApi: LocalApiService;
}

type Handler = (...args: unknown[]) => unknown;

/** Every command the manifest contributes (and the few only code actions run), in one table: id -> handler. */
export function registerCommands(wb: Workbench, views: Views): void {
  const table: Record<string, Handler> = {
    'lambdaWorkbench.refresh': async () => {
      await views.store.reload();
      views.functions.refreshNow();
    },
    'lambdaWorkbench.showLog': () => wb.log.show(),
    'lambdaWorkbench.newFunction': () => newFunction(wb, views.store, windowPrompts),
    'lambdaWorkbench.newSampleEvent': (arg) => newSampleEvent(views.store, windowPrompts, arg),
    'lambdaWorkbench.showSizeReport': (arg) => showSizeReport(wb, views.store, views.services, views.sizes, views.reports, arg),
    'lambdaWorkbench.buildFunction': (arg) => buildFunction(wb, views.store, views.services, views.sizes, arg),
    'lambdaWorkbench.buildAll': () => buildAll(wb, views.store, views.services, views.sizes),
    'lambdaWorkbench.invokeLocally': (arg) => invokeLocally(views.store, views.runs, windowPrompts, arg),
    'lambdaWorkbench.invokeAgain': (arg) => invokeAgain(views.store, views.runs, windowPrompts, arg),
    'lambdaWorkbench.debugLocally': (arg) => debugLocally(views.store, views.debuggers, windowPrompts, arg),
    'lambdaWorkbench.startLocalApi': () => views.localApi.start(),
    'lambdaWorkbench.stopLocalApi': () => views.localApi.stop(),
    'lambdaWorkbench.deployFunction': (arg) => deployFunction(wb, views.store, views.aws, arg),
    'lambdaWorkbench.deployAll': () => deployAll(wb, views.store, views.aws),
    'lambdaWorkbench.publishLayer': (arg) => publishLayer(wb, views.store, views.aws, arg),
    'lambdaWorkbench.pruneLayerVersions': (arg) => pruneLayer(views.store, views.aws, windowPrompts, arg),
    'lambdaWorkbench.openHandler': (arg) => openHandler(views.store, arg),
    'lambdaWorkbench.openInTemplate': (arg) => openInTemplate(views.store, arg),
    'lambdaWorkbench.chooseProfile': () => chooseProfile(windowPrompts),
    'lambdaWorkbench.chooseRegion': () => chooseRegion(windowPrompts),
    'lambdaWorkbench.doctor': () => doctor(wb),
    ...cloudCommands(wb, views.cloud, views.store),
    // Not in the manifest: the size quick fixes that move files run it.
    [APPLY_SIZE_FIX]: (arg) => applySizeFix(wb, views.store, arg),
  };
  for (const [id, handler] of Object.entries(table)) {
    wb.own(vscode.commands.registerCommand(id, (...args: unknown[]) => guarded(wb, id, () => handler(...args))));
  }
}

/** Every command's error boundary: see Workbench.showError. */
async function guarded(wb: Workbench, id: string, run: () => unknown): Promise<unknown> {
  try {
    return await run();
  } catch (err) {
    wb.showError(id, err);
    return undefined;
  }
}
