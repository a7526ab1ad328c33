import * as vscode from 'vscode';
import { isBuilt } from '../../core/build/choose';
import { UserError } from '../../core/errors';
import type { FunctionSpec } from '../../core/model/types';
import type { CoreServices } from '../core';
import type { ModelStore } from '../model/store';
import type { SizeReports } from '../size/report';
import type { SizeService } from '../size/service';
import type { FunctionsTree } from '../views/functionsTree';
import type { Workbench } from '../workbench';
import { functionFromArg, functionInEditor, pickFunction } from './pick';

/**
 * Lambda: Show Size Report — the function's figures against each limit, findings and largest
 * contributors. It is of the function the command names, else the one under the cursor (or whose
 * code is open), else the one selected in the Functions view, and only then asks. A function whose
 * artifact is missing or out of date is built first (with progress and Cancel), so the report is
 * of what deploys; where it cannot be, the estimate shows.
 */
export async function showSizeReport(
  wb: Workbench,
  views: { store: ModelStore; services: CoreServices; sizes: SizeService; reports: SizeReports; functions: FunctionsTree },
  arg: unknown,
): Promise<vscode.WebviewPanel | undefined> {
  const { store, services, sizes, reports } = views;
  await store.ready();
  const fn = functionFromArg(store, arg) ?? functionInEditor(store) ?? views.functions.selectedFunction() ?? (await pickFunction(store, arg, 'show the size of'));
  if (!fn) return undefined;
  if (!(await buildIfStale(wb, services, fn))) return undefined;
  let size = sizes.get(fn);
  if (!size || size.estimate) {
    sizes.schedule([fn]);
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Measuring ${fn.logicalId}` }, () => sizes.flush());
    size = sizes.get(fn);
  }
  if (!size) throw new UserError(`${fn.logicalId} could not be measured.`, 'The log says why.');
  return reports.show(size);
}

/** Builds the function when its artifact is out of date and builds may run; false when the person cancelled. */
async function buildIfStale(wb: Workbench, services: CoreServices, fn: FunctionSpec): Promise<boolean> {
  if (!isBuilt(fn) || !services.core.trusted) return true;
  const engine = await services.core.buildEngine();
  if ((await engine.status(fn)).upToDate) return true;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Building ${fn.logicalId} to measure it`, cancellable: true }, async (progress, token) => {
    try {
      const onLog = (line: string): void => {
        wb.log.info(`[build] ${line}`);
        progress.report({ message: line.length > 120 ? `${line.slice(0, 117)}...` : line });
      };
      await engine.build(fn, { token, onLog });
    } catch (err) {
      if (token.isCancellationRequested) return false;
      // The report still opens, with the estimate; the failure says what to fix.
      wb.showError(`building ${fn.logicalId}`, err);
    }
    return true;
  });
}
