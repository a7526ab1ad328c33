import type { FunctionPlan, FunctionResult, LayerPlan, LayerResult } from '../../core/deploy';
import { REFUSED_BY_TEMPLATE } from '../../core/deploy/types';
import { UserError } from '../../core/errors';
import { codeAction, type ErrorAction, openSetting } from '../errorActions';

/** A function or layer a deploy refused or could not finish, with what says why. */
export type NotDeployed =
  | (Pick<FunctionPlan | FunctionResult, 'logicalId' | 'code'> & { kind: 'function'; templatePath: string; error?: unknown })
  | (Pick<LayerPlan | LayerResult, 'logicalId' | 'code'> & { kind: 'layer'; error?: unknown });

/** The most buttons a deploy's message offers besides Show Log: more would hide the message. */
const MOST = 2;

/**
 * The buttons that fix why a deploy left things out: the setting or command a refusal's code names
 * (a staging bucket, an image, the engine...), the function in its template when the template is
 * the fix, and the same deploy again when the person declined a role or bucket it asked to create
 * (answering Yes is the fix). One button per title, in the order of the entries.
 */
export function deployFixes(entries: readonly NotDeployed[], again: ErrorAction): ErrorAction[] {
  const fixes = new Map<string, ErrorAction>();
  for (const entry of entries) {
    for (const fix of fixesFor(entry, again)) if (!fixes.has(fix.title)) fixes.set(fix.title, fix);
  }
  return [...fixes.values()].slice(0, MOST);
}

function fixesFor(entry: NotDeployed, again: ErrorAction): ErrorAction[] {
  const code = entry.code ?? (entry.error instanceof UserError ? entry.error.code : undefined);
  const inTemplate: ErrorAction[] =
    entry.kind === 'function' ? [{ title: 'Open in Template', command: 'lambdaWorkbench.openInTemplate', arguments: [{ templatePath: entry.templatePath, logicalId: entry.logicalId }] }] : [];
  switch (code) {
    case REFUSED_BY_TEMPLATE:
      return inTemplate;
    // Declined when asked: set Role in the template, or deploy again and agree this time.
    case 'role-missing':
      return [...inTemplate, again];
    case 'bucket-missing':
      return [again, openSetting('deploy.s3Bucket')];
    default: {
      const fix = codeAction(code);
      return fix ? [fix] : [];
    }
  }
}
