import * as vscode from 'vscode';
import type { ModelStore } from './model/store';

/** The walkthrough's id within the extension (package.json's contributes.walkthroughs). */
const WALKTHROUGH = 'gettingStarted';
const SHOWN = 'lambdaWorkbench.walkthroughShown';

/** Lambda: Get Started — the walkthrough: measure, invoke, debug, deploy, each step with its buttons. */
export async function openWalkthrough(context: vscode.ExtensionContext): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH}`, false);
}

/**
 * Opens the walkthrough the first time the extension finds a SAM template, once per person: unless
 * they turned off walkthroughs opening by themselves (workbench.welcomePage.walkthroughs.openOnInstall).
 */
export async function openWalkthroughOnce(context: vscode.ExtensionContext, store: ModelStore): Promise<void> {
  await store.ready();
  if (context.globalState.get(SHOWN) || store.templates().length === 0) return;
  if (vscode.workspace.getConfiguration('workbench.welcomePage.walkthroughs').get<boolean>('openOnInstall') === false) return;
  await context.globalState.update(SHOWN, true);
  await openWalkthrough(context);
}
