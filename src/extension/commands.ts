import * as vscode from 'vscode';
import type { Workbench } from './workbench';
import type { ModelStore } from './model/store';
import type { FunctionsTree } from './views/functionsTree';

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
    'lambdaWorkbench.openHandler': notYet('Open Handler'),
    'lambdaWorkbench.openInTemplate': notYet('Open in Template'),
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
    wb.own(vscode.commands.registerCommand(id, handler));
  }
}

function notYet(title: string): Handler {
  return () => vscode.window.showInformationMessage(`Lambda: ${title} is not available yet in this version of Lambda Workbench.`);
}
