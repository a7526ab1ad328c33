import * as vscode from 'vscode';
import type { PruneEntry } from '../../core/deploy';
import type { AwsServices } from '../aws/sessions';
import type { ModelStore } from '../model/store';
import type { Prompts } from '../prompts';

/**
 * Lambda: Prune Layer Versions — keeps the newest N versions of a template layer and deletes the
 * rest, never one still attached to a function or a published function version. A dry run first
 * shows exactly what would go; nothing is deleted until the person confirms, and then only what
 * they were shown, whatever the command's arguments (they choose the layer and N, never the answer).
 */
export async function pruneLayer(store: ModelStore, aws: AwsServices, prompts: Prompts, arg: unknown): Promise<PruneEntry[] | undefined> {
  await store.ready();
  const given = (arg as { layer?: { templatePath: string; logicalId: string }; keep?: number } | undefined) ?? {};
  const layers = store.layers();
  const named = layers.map((l) => ({ label: l.layerName ?? l.logicalId, description: `${l.logicalId} · ${vscode.workspace.asRelativePath(l.templatePath)}`, l }));
  const chosen = given.layer
    ? named.find((n) => n.l.templatePath === given.layer!.templatePath && n.l.logicalId === given.layer!.logicalId)
    : named.length === 1
      ? named[0]
      : await prompts.pick(named, { title: 'Prune versions of which layer?' });
  if (!chosen) {
    if (layers.length === 0) void vscode.window.showInformationMessage('No layer in the workspace templates (AWS::Serverless::LayerVersion).');
    return undefined;
  }
  const keepText =
    given.keep !== undefined
      ? String(given.keep)
      : await prompts.input({
          title: `Prune layer ${chosen.label}`,
          prompt: 'How many of the newest versions to keep (attached versions are always kept)',
          value: '3',
          validateInput: (v) => (/^\d+$/.test(v.trim()) ? undefined : 'Enter a whole number, 0 or more.'),
        });
  if (keepText === undefined) return undefined;
  const keep = Number(keepText.trim());
  const { pruneLayerVersions } = await import('../../core/deploy');
  const session = await aws.getSession();
  const ctx = { lambda: session.lambda, errorContext: session.errorContext };
  const preview = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Listing versions of ${chosen.label}`, cancellable: true }, (_p, token) =>
    pruneLayerVersions(ctx, chosen.label, keep, { dryRun: true, token }),
  );
  const doomed = preview.filter((e) => e.action === 'deleted');
  if (doomed.length === 0) {
    void vscode.window.showInformationMessage(`Nothing to prune: layer ${chosen.label} has ${preview.length} version(s), all kept.`);
    return preview;
  }
  const detail = preview.map((e) => `${e.name}:${e.version} ${e.action === 'deleted' ? 'delete' : `keep${e.reason ? ` (${e.reason})` : ''}`}`).join('\n');
  if (!(await prompts.confirm(`Delete ${doomed.length} version(s) of layer ${chosen.label}?`, detail, 'Delete'))) return undefined;
  const done = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Pruning ${chosen.label}`, cancellable: true }, (_p, token) =>
    pruneLayerVersions(ctx, chosen.label, keep, { only: doomed.map((e) => e.version), token }),
  );
  const deleted = done.filter((e) => e.action === 'deleted').map((e) => e.version);
  void vscode.window.showInformationMessage(`Layer ${chosen.label}: deleted version(s) ${deleted.join(', ') || 'none'}; kept ${done.length - deleted.length}.`);
  return done;
}
