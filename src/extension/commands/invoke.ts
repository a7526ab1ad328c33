import * as vscode from 'vscode';
import type { InvokeResult } from '../../core/local';
import type { FunctionSpec } from '../../core/model/types';
import { type ChosenEvent, eventFromArg, pickEvent } from '../local/events';
import type { LocalRuns } from '../local/runs';
import type { ModelStore } from '../model/store';
import type { Prompts } from '../prompts';
import { functionFromArg, pickFunction } from './pick';

/** Lambda: Invoke Locally — from the palette, a tree row, an event row or the handler's CodeLens. */
export async function invokeLocally(store: ModelStore, runs: LocalRuns, prompts: Prompts, arg: unknown): Promise<InvokeResult | undefined> {
  const fn = await pickFunction(store, arg, 'invoke locally');
  if (!fn) return undefined;
  const event = (await eventFromArg(arg)) ?? (await pickEvent(fn, prompts));
  if (!event) return undefined;
  return run(runs, fn, event);
}

/** Lambda: Invoke Again — the same function with the same event (a saved event is read again). */
export async function invokeAgain(store: ModelStore, runs: LocalRuns, prompts: Prompts, arg: unknown): Promise<InvokeResult | undefined> {
  const fn = functionFromArg(store, arg) ?? (await pickFunction(store, arg, 'invoke again', (f) => runs.lastEvent(f) !== undefined));
  if (!fn) return undefined;
  const event = runs.lastEvent(fn);
  if (!event) return invokeLocally(store, runs, prompts, { templatePath: fn.templatePath, logicalId: fn.logicalId });
  return run(runs, fn, event);
}

function run(runs: LocalRuns, fn: FunctionSpec, event: ChosenEvent): Thenable<InvokeResult> {
  return vscode.window.withProgress(
    // The title says what runs; the steps (connecting, building, starting, invoking) name the function themselves.
    { location: vscode.ProgressLocation.Notification, title: 'Local run', cancellable: true },
    async (progress, token) => {
      progress.report({ message: `${fn.logicalId} with ${event.name}` });
      runs.showLogs();
      const result = await runs.invoke(fn, event, token, (message) => progress.report({ message }));
      if (result.error) {
        void vscode.window.showWarningMessage(`${fn.logicalId} failed: ${result.error.errorType}: ${result.error.errorMessage}`);
      }
      return result;
    },
  );
}
