import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { ModelStore } from '../model/store';
import { sizeFixActions } from './quickFixes';
import type { SizeService } from './service';

/** Not in the manifest: the size report's fix links run it. */
export const APPLY_SIZE_FINDING = 'lambdaWorkbench.applySizeFinding';

/** Which fix of which finding a report's link applies. */
export interface SizeFindingRequest {
  templatePath: string;
  logicalId: string;
  /** The finding's code and its place in the function's findings, as the report showed them. */
  code: string;
  index: number;
  /** Which of the finding's fixes. */
  action: number;
}

/**
 * Applies a finding's fix from the size report, as its quick fix in the Problems panel would:
 * the same edit (then the changed file is shown) or the same command (which asks first where it
 * moves files). A report older than the last measurement gets a message, not a wrong fix.
 */
export async function applySizeFinding(store: ModelStore, sizes: SizeService, arg: unknown): Promise<boolean> {
  const request = arg as SizeFindingRequest;
  await store.ready();
  const fn = store.findFunction(request.templatePath, request.logicalId);
  const finding = fn && sizes.get(fn)?.findings[request.index];
  const action = fn && finding?.code === request.code ? sizeFixActions(fn, finding)[request.action] : undefined;
  if (!action) throw new UserError(`That fix no longer applies to ${request.logicalId}.`, 'Its report shows the findings of the latest measurement.', 'fix-stale');
  if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) {
    throw new UserError(`VS Code did not apply "${action.title}".`, 'Check that the files are writable, then try again.');
  }
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  return true;
}
