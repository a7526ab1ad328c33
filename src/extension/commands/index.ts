import * as vscode from 'vscode';
import { CancelledError } from '../../core/cancel';
import { describeError } from '../../core/errors';
import type { ModelStore } from '../model/store';
import type { FunctionsTree } from '../views/functionsTree';
import type { Workbench } from '../workbench';
import { openHandler, openInTemplate } from './navigate';

interface Views {
  store: ModelStore;
  functions: FunctionsTree;
}

type Handler = (...args: unknown[]) => unknown;

/** Every command the manifest contributes, in one table: id -> handler. */
export function registerCommands(wb: Workbench, views: Views): void {
  const table: Record<string, Handler> = {
    'lambdaWorkbench.refresh': async () => {
      await views.store.reload();
      views.functions.refreshNow();
    },
    'lambdaWorkbench.showLog': () => wb.log.show(),
    'lambdaWorkbench.newFunction': notYet('New Function'),
    'lambdaWorkbench.newSampleEvent': notYet('New Sample Event'),
    'lambdaWorkbench.showSizeReport': notYet('Show Size Report'),
    'lambdaWorkbench.invokeLocally': notYet('Invoke Locally'),
    'lambdaWorkbench.invokeAgain': notYet('Invoke Again'),
    'lambdaWorkbench.debugLocally': notYet('Debug Locally'),
    'lambdaWorkbench.deployFunction': notYet('Deploy Function'),
    'lambdaWorkbench.deployAll': notYet('Deploy All'),
    'lambdaWorkbench.publishLayer': notYet('Publish Layer'),
    'lambdaWorkbench.pruneLayerVersions': notYet('Prune Layer Versions'),
    'lambdaWorkbench.openHandler': (arg) => openHandler(views.store, arg),
    'lambdaWorkbench.openInTemplate': (arg) => openInTemplate(views.store, arg),
    'lambdaWorkbench.chooseProfile': notYet('Choose AWS Profile'),
    'lambdaWorkbench.chooseRegion': notYet('Choose AWS Region'),
    'lambdaWorkbench.doctor': notYet('Check Docker and AWS Access'),
    'lambdaWorkbench.cloud.invoke': notYet('Invoke in AWS'),
    'lambdaWorkbench.cloud.downloadCode': notYet('Download Code'),
    'lambdaWorkbench.cloud.attachLayer': notYet('Attach Layer'),
    'lambdaWorkbench.cloud.detachLayer': notYet('Detach Layer'),
    'lambdaWorkbench.cloud.deleteLayerVersion': notYet('Delete Layer Version'),
    'lambdaWorkbench.cloud.copyArn': notYet('Copy ARN'),
    'lambdaWorkbench.cloud.openInConsole': notYet('Open in AWS Console'),
  };
  for (const [id, handler] of Object.entries(table)) {
    wb.own(vscode.commands.registerCommand(id, (...args: unknown[]) => guarded(wb, id, () => handler(...args))));
  }
}

/**
 * Every command's error boundary: a UserError is shown as it is (what went wrong and what to do),
 * a cancellation is silent, anything else is shown briefly and logged in full.
 */
async function guarded(wb: Workbench, id: string, run: () => unknown): Promise<unknown> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof CancelledError) return undefined;
    wb.log.error(`${id} failed:`, err instanceof Error ? (err.stack ?? err.message) : String(err));
    const action = await vscode.window.showErrorMessage(describeError(err), 'Show Log');
    if (action) wb.log.show();
    return undefined;
  }
}

function notYet(title: string): Handler {
  return () => vscode.window.showInformationMessage(`Lambda: ${title} is not available yet in this version of Lambda Workbench.`);
}
